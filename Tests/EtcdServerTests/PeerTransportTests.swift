import EtcdBasics
import Foundation
@testable import EtcdServer
import Glibc
import Raft
import XCTest

/// The peer transport over real loopback sockets: two members' transports and peer servers,
/// each delivering the other's raft messages into its raft inbox, and what joining members,
/// followers forwarding a promote, and receivers of snapshots rely on.
final class PeerTransportTests: XCTestCase {
    private let clusterID = ClusterID(0xc1)
    private let first = MemberID(0xa1)
    private let second = MemberID(0xb2)

    /// A member's transport and peer server on an ephemeral loopback port.
    private final class Member {
        let inbox = Inbox<RaftInput>(capacity: 1_000)
        let transport: PeerTransport
        let server: PeerServer
        let url: String

        init(id: MemberID, clusterID: ClusterID, snapshotDirectory: String, members: @escaping @Sendable () -> [ClusterMember] = { [] }) throws {
            let listener = try Socket.listen(host: "127.0.0.1", port: 0)
            url = "http://127.0.0.1:\(PeerTransportTests.boundPort(listener))"
            transport = PeerTransport(
                sender: PeerSender(memberID: id, clusterID: clusterID, peerURLs: [url]), raftInbox: inbox,
                connectivity: PeerConnectivity(), logger: Logger(minimumLevel: .error, fileDescriptors: []),
                electionTimeoutMilliseconds: 1_000, snapshotDirectory: snapshotDirectory,
                beginBackendRead: { nil }, members: members, promote: { _ in .failure(.notLeader) },
                lease: { _, _, _ in .plainTextError(status: 400, text: "no lessor", presetHeaders: []) }, onRemoved: {})
            server = PeerServer(listeners: [listener], transport: transport)
            server.start()
        }

        func stop() {
            transport.stop()
            server.stop()
        }

        /// Messages taken from the inbox and not yet handed out.
        private var received: [Message] = []

        /// The next raft message delivered, waiting at most 10 s (a bound, not a verdict).
        func nextMessage() -> Message? {
            let deadline = monotonicNanoseconds() + 10_000_000_000
            while received.isEmpty && monotonicNanoseconds() < deadline {
                for input in inbox.waitForItems(timeoutMilliseconds: 100) {
                    if case .step(let message) = input { received.append(message) }
                }
            }
            return received.isEmpty ? nil : received.removeFirst()
        }
    }

    static func boundPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func pair() throws -> (Member, Member) {
        let a = try Member(id: first, clusterID: clusterID, snapshotDirectory: temporaryDirectory())
        let b = try Member(id: second, clusterID: clusterID, snapshotDirectory: temporaryDirectory())
        let membership = ClusterMembership(clusterID: clusterID, members: [
            ClusterMember(id: first, peerURLs: [a.url]), ClusterMember(id: second, peerURLs: [b.url]),
        ])
        a.transport.setMembers(membership)
        b.transport.setMembers(membership)
        return (a, b)
    }

    func testMessagesReachTheOtherMembersRaftInBothDirections() throws {
        let (a, b) = try pair()
        defer { a.stop(); b.stop() }
        var append = Message(type: .app, to: second.rawValue, from: first.rawValue, term: 3)
        append.index = 7
        append.entries = [Entry(term: 3, index: 8, data: Array("x".utf8))]
        a.transport.send([append])
        XCTAssertEqual(b.nextMessage(), append)
        let answer = Message(type: .appResp, to: first.rawValue, from: second.rawValue, term: 3)
        b.transport.send([answer])
        XCTAssertEqual(a.nextMessage(), answer)
        // Once each has dialed the other's stream, a burst arrives whole and in order.
        let deadline = monotonicNanoseconds() + 10_000_000_000
        while monotonicNanoseconds() < deadline
                && !(a.transport.connectivity.activity(now: monotonicNanoseconds()).connected.contains(second)
                     && b.transport.connectivity.activity(now: monotonicNanoseconds()).connected.contains(first)) {
            usleep(10_000)
        }
        let burst = (1...200).map { Message(type: .heartbeat, to: second.rawValue, from: first.rawValue, term: UInt64($0)) }
        a.transport.send(burst)
        var received: [UInt64] = []
        while received.count < burst.count, let message = b.nextMessage() {
            if message.type == .heartbeat { received.append(message.term) }
        }
        XCTAssertEqual(received, Array(1...200))
    }

    func testMessagesForMembersNotInTheClusterAreDropped() throws {
        let (a, b) = try pair()
        defer { a.stop(); b.stop() }
        a.transport.send([Message(type: .heartbeat, to: 0xdead, from: first.rawValue, term: 1),
                          Message(type: .heartbeat, to: second.rawValue, from: first.rawValue, term: 2)])
        XCTAssertEqual(b.nextMessage()?.term, 2)
    }

    func testAMemberOfAnotherClusterIsRefused() throws {
        let a = try Member(id: first, clusterID: clusterID, snapshotDirectory: temporaryDirectory())
        defer { a.stop() }
        a.transport.setMembers(ClusterMembership(clusterID: clusterID, members: [
            ClusterMember(id: first, peerURLs: [a.url]), ClusterMember(id: second, peerURLs: ["http://127.0.0.1:9"]),
        ]))
        // A pipeline post and a stream dial from a member of cluster fe: etcd's 412 for both.
        let address = try XCTUnwrap(PeerAddress(url: a.url))
        let stranger = PeerSender(memberID: second, clusterID: ClusterID(0xfe), peerURLs: ["http://127.0.0.1:9"])
        var body: [UInt8] = []
        Message(type: .heartbeat, to: first.rawValue, from: second.rawValue, term: 1).encode(appendingTo: &body)
        var post: [UInt8] = []
        PeerRequest.pipelinePost(bodyLength: body.count, host: address.hostPort, sender: stranger).encode(appendingTo: &post)
        var dial: [UInt8] = []
        PeerRequest.streamDial(.message, to: first, host: address.hostPort, sender: stranger).encode(appendingTo: &dial)
        for request in [post + body, dial] {
            let socket = try XCTUnwrap(PeerSocket.connect(host: address.host, port: address.port, timeoutMilliseconds: 5_000))
            defer { socket.close() }
            var connection = PeerHTTPConnection(socket: socket, role: .client)
            try connection.write(request, timeoutMilliseconds: 5_000)
            guard case .responseHead(let head) = try connection.next(timeoutMilliseconds: 10_000) else {
                return XCTFail("no response head")
            }
            XCTAssertEqual(head.status, 412)
            XCTAssertEqual(String(decoding: try connection.readBody(limit: 1_024, timeoutMilliseconds: 10_000), as: UTF8.self),
                           "cluster ID mismatch\n")
        }
    }

    func testAJoiningMemberLearnsTheClusterFromMembersEndpoint() throws {
        let members = [ClusterMember(id: first, name: "m1", peerURLs: ["http://127.0.0.1:1"], clientURLs: ["http://127.0.0.1:2"]),
                       ClusterMember(id: second, peerURLs: ["http://127.0.0.1:3"])]
        let a = try Member(id: first, clusterID: clusterID, snapshotDirectory: temporaryDirectory(), members: { members })
        defer { a.stop() }
        let remote = try XCTUnwrap(RemoteCluster.fetch(from: ["http://127.0.0.1:9", a.url], dialTimeoutMilliseconds: 1_000,
                                                       timeoutMilliseconds: 5_000))
        XCTAssertEqual(remote, RemoteCluster(clusterID: clusterID, members: members))
        XCTAssertEqual(try remote.memberID(initialCluster: [("m1", ["http://127.0.0.1:1"]), ("new", ["http://127.0.0.1:3"])],
                                           localName: "new"), second)
        XCTAssertThrowsError(try remote.memberID(initialCluster: [("new", ["http://127.0.0.1:3"])], localName: "new")) {
            XCTAssertTrue("\($0)".hasSuffix("member count is unequal"), "\($0)")
        }
        XCTAssertThrowsError(try remote.memberID(initialCluster: [("m1", ["http://127.0.0.1:1"]), ("new", ["http://127.0.0.1:4"])],
                                                 localName: "new")) {
            XCTAssertTrue("\($0)".contains("unmatched member while checking PeerURLs"), "\($0)")
        }
    }

    func testPromoteAnswersMapToEtcdsErrors() {
        XCTAssertEqual(PromoteForwarding.memberID(inPath: "/members/promote/255"), MemberID(255))
        XCTAssertNil(PromoteForwarding.memberID(inPath: "/members/promote/ff"))
        let members = [ClusterMember(id: first, peerURLs: ["http://a:1"])]
        let ok = PromoteForwarding.response(for: .success(members), clusterID: clusterID)
        XCTAssertEqual(PromoteForwarding.result(status: ok.head.status, body: ok.body), .success(members))
        for error in [EtcdError.memberNotFound, .memberNotLearner, .learnerNotReady, .timeout] {
            let answer = PromoteForwarding.response(for: .failure(error), clusterID: clusterID)
            XCTAssertEqual(PromoteForwarding.result(status: answer.head.status, body: answer.body), .failure(error))
        }
    }

    func testReceivedSnapshotDatabasesAreNamedAsEtcdNamesThem() {
        XCTAssertEqual(PeerServer.dbFileName(0x1b6b), "0000000000001b6b.snap.db")
    }
}

/// A fresh directory under $TMPDIR for one test's files.
private func temporaryDirectory() -> String {
    var template = Array((ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp").utf8) + Array("/swetcd-peer-XXXXXX".utf8) + [0]
    return template.withUnsafeMutableBufferPointer { buffer in
        String(cString: mkdtemp(buffer.baseAddress!)!)
    }
}
