import XCTest
import EtcdBasics
@testable import EtcdServer

/// Member and cluster IDs must equal real etcd's, or etcd members, etcdctl output and data
/// directories written by etcd would not match swetcd's. Every expected value below was read from
/// etcd 3.4.23 (`etcdctl member list -w json`, or its "added member ... to cluster" log lines).
final class MemberIdentityTests: XCTestCase {
    private func urls(_ text: String) throws -> [EtcdURL] { try EtcdURL.parseList(text) }

    func testDefaultSingleMemberMatchesEtcd() throws {
        let member = MemberIdentity.memberID(peerURLs: try urls("http://localhost:2380"), clusterToken: "etcd-cluster")
        XCTAssertEqual(member.rawValue, 10276657743932975437)
        XCTAssertEqual(member.description, "8e9e05c52164694d")
        XCTAssertEqual(MemberIdentity.clusterID(memberIDs: [member]).rawValue, 14841639068965178418)
        XCTAssertEqual(MemberIdentity.clusterID(memberIDs: [member]).description, "cdf818194e3a8c32")
    }

    func testNamedMemberWithOwnTokenMatchesEtcd() throws {
        let member = MemberIdentity.memberID(peerURLs: try urls("http://127.0.0.1:26380"), clusterToken: "tok-a")
        XCTAssertEqual(member.rawValue, 5931693934678395224)
        XCTAssertEqual(MemberIdentity.clusterID(memberIDs: [member]).rawValue, 6830391995321636465)
    }

    func testMemberWithTwoPeerURLsHashesThemSorted() throws {
        // Given unsorted on the command line; etcd sorts before hashing.
        let given = [try EtcdURL(parsing: "http://10.0.1.11:2380"), try EtcdURL(parsing: "http://10.0.1.10:2380")]
        let member = MemberIdentity.memberID(peerURLs: given, clusterToken: "etcd-cluster-1")
        XCTAssertEqual(member.rawValue, 7392910189786723603)
        XCTAssertEqual(MemberIdentity.clusterID(memberIDs: [member]).rawValue, 781612556501030072)
    }

    func testThreeMemberClusterMatchesEtcd() throws {
        var config = ServerConfig()
        config.initialClusterText = "infra0=http://10.0.0.1:2380,infra1=http://127.0.0.1:26380,infra2=http://10.0.0.3:2380"
        try config.parseInitialCluster()
        let (members, cluster) = MemberIdentity.initialCluster(config.initialCluster, clusterToken: "tok3")
        XCTAssertEqual(members.map(\.name), ["infra0", "infra1", "infra2"])
        XCTAssertEqual(members.map(\.id.description), ["ba3d8e585d4e3172", "4539fbba9c1b2a07", "64a12af469d3c35e"])
        XCTAssertEqual(cluster.description, "8aab723041638601")
        // The cluster ID does not depend on the order members were listed in.
        XCTAssertEqual(MemberIdentity.clusterID(memberIDs: members.map(\.id).reversed()), cluster)
    }

    func testMemberAddedLaterHashesTheUnixTime() throws {
        let peer = try urls("http://localhost:2380")
        let initial = MemberIdentity.memberID(peerURLs: peer, clusterToken: "etcd-cluster")
        let added = MemberIdentity.memberID(peerURLs: peer, clusterToken: "etcd-cluster", unixTime: 1_700_000_000)
        XCTAssertNotEqual(initial, added)
        XCTAssertEqual(added, MemberIdentity.memberID(peerURLStrings: ["http://localhost:2380"],
                                                      clusterToken: "etcd-cluster1700000000"))
    }
}
