import EtcdBasics
import XCTest

@testable import EtcdServer

/// etcd's peer handlers' checks, in their order, and the answers they give.
final class PeerRequestCheckTests: XCTestCase {
    private let local = PeerLocalIdentity(memberID: MemberID(0xa), clusterID: ClusterID(0xc1))
    private let sender = PeerSender(memberID: MemberID(0xb), clusterID: ClusterID(0xc1), peerURLs: ["http://b:2380"])

    private func check(_ head: PeerHTTPRequestHead, removed: Set<MemberID> = [], known: Set<MemberID> = [MemberID(0xb)])
        throws(PeerRejection) -> PeerAcceptedRequest {
        try PeerRequestCheck.check(head, endpoint: PeerEndpoint(path: head.path), local: local,
                                   isRemoved: { removed.contains($0) }, isKnownPeer: { known.contains($0) })
    }

    private func assertRejected(_ head: PeerHTTPRequestHead, _ expected: PeerRejection, removed: Set<MemberID> = [],
                                known: Set<MemberID> = [MemberID(0xb)], line: UInt = #line) {
        XCTAssertThrowsError(try check(head, removed: removed, known: known), line: line) {
            XCTAssertEqual($0 as? PeerRejection, expected, line: line)
        }
    }

    private func editing(_ head: PeerHTTPRequestHead, _ name: String, _ value: String?) -> PeerHTTPRequestHead {
        var fields = head.headers.fields.filter { !PeerHTTPHeaders.namesMatch($0.name, name) }.map { ($0.name, $0.value) }
        if let value { fields.append((name, value)) }
        var edited = head
        edited.headers = PeerHTTPHeaders(fields)
        return edited
    }

    func testWellFormedRequestsAreAccepted() throws {
        XCTAssertEqual(try check(PeerRequest.streamDial(.message, to: local.memberID, host: "a", sender: sender)),
                       .stream(.message, from: MemberID(0xb)))
        XCTAssertEqual(try check(PeerRequest.streamDial(.msgAppV2, to: local.memberID, host: "a", sender: sender)),
                       .stream(.msgAppV2, from: MemberID(0xb)))
        XCTAssertEqual(try check(PeerRequest.pipelinePost(bodyLength: 1, host: "a", sender: sender)), .pipeline)
        XCTAssertEqual(try check(PeerRequest.snapshotPost(host: "a", sender: sender)), .snapshot)
    }

    func testStreamChecksRunInEtcdsOrder() {
        let dial = PeerRequest.streamDial(.message, to: local.memberID, host: "a", sender: sender)
        var wrongMethod = dial
        wrongMethod.method = "POST"
        assertRejected(wrongMethod, .methodNotAllowed(allow: "GET"))
        // Version before cluster ID: an old sender of another cluster hears "incompatible version".
        assertRejected(editing(editing(dial, PeerHeader.serverVersion, "2.3.8"), PeerHeader.clusterID, "ff"), .incompatibleVersion)
        assertRejected(editing(dial, PeerHeader.clusterID, "ff"), .clusterIDMismatch)
        var badKind = dial
        badKind.target = "/raft/stream/msgappv3/b"
        assertRejected(badKind, .invalidStreamPath)
        var badFrom = dial
        badFrom.target = "/raft/stream/message/xyz"
        assertRejected(badFrom, .invalidFrom)
        assertRejected(dial, .removedMember, removed: [MemberID(0xb)], known: [])
        assertRejected(dial, .senderNotFound, known: [])
        assertRejected(editing(dial, PeerHeader.raftTo, "c"), .toFieldMismatch)
    }

    func testVersionWindowIsMajorMinorAgainst3_0Through3_4() {
        let cases: [(String?, String?, Bool)] = [
            ("3.4.23", "3.0.0", true), ("3.0.0", "3.0.0", true), ("3.5.9", "3.0.0", true),
            ("2.3.8", "2.0.0", false), (nil, nil, false), ("3.5.0", "3.5.0", false),
            ("3.4.0-rc.1", "3.4.0", true), ("not a version", "3.0.0", false),
        ]
        for (server, minCluster, expected) in cases {
            XCTAssertEqual(PeerVersionCheck.isCompatible(serverVersion: server, minClusterVersion: minCluster), expected,
                           "\(String(describing: server)) / \(String(describing: minCluster))")
        }
    }

    func testEndpointRoutingFollowsEtcdsMux() {
        XCTAssertEqual(PeerEndpoint(path: "/raft"), .pipeline)
        XCTAssertEqual(PeerEndpoint(path: "/raft/stream/message/1"), .stream)
        XCTAssertEqual(PeerEndpoint(path: "/raft/snapshot"), .snapshot)
        XCTAssertEqual(PeerEndpoint(path: "/raft/probing"), .probing)
        XCTAssertEqual(PeerEndpoint(path: "/members"), .members)
        XCTAssertEqual(PeerEndpoint(path: "/members/promote/1"), .membersPromote)
        XCTAssertEqual(PeerEndpoint(path: "/version"), .version)
        XCTAssertEqual(PeerEndpoint(path: "/raft/other"), .notFound)
        XCTAssertEqual(PeerEndpoint(path: "/"), .notFound)
    }

    func testRemovedSenderOnPipelineIsA403InEtcdServersJSON() {
        var wire: [UInt8] = []
        PeerRejection.messageFromRemovedMember.response(from: .pipeline, clusterID: local.clusterID).encode(appendingTo: &wire)
        XCTAssertEqual(String(decoding: wire, as: UTF8.self),
                       "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nX-Etcd-Cluster-Id: c1\r\nContent-Length: 56\r\n\r\n"
                       + #"{"message":"cannot process message from removed member"}"#)
    }

    func testRemovedSenderOnStreamIs410Gone() {
        let response = PeerRejection.removedMember.response(from: .stream, clusterID: local.clusterID)
        XCTAssertEqual(response.head.status, 410)
        XCTAssertEqual(response.head.reason, "Gone")
        XCTAssertEqual(response.body, Array("removed member\n".utf8))
        XCTAssertEqual(response.head.headers.value(for: PeerHeader.serverVersion), "3.4.23")
    }
}
