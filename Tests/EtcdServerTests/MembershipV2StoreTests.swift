import EtcdBasics
import XCTest

@testable import EtcdServer

/// The membership in a raft snapshot's data (etcd's v2 store JSON), as etcd 3.4 restores it.
final class MembershipV2StoreTests: XCTestCase {
    /// A snapshot etcd 3.4.23 wrote (`--snapshot-count=3`): member n1 started, a learner added
    /// and removed, a second learner added. Its `WatcherHub` event list is left out here (the
    /// reader skips it like any field it does not need); the rest is byte for byte etcd's.
    private let etcdSnapshot = #"{"Root":{"Path":"/","CreatedIndex":0,"ModifiedIndex":0,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{"0":{"Path":"/0","CreatedIndex":0,"ModifiedIndex":0,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{"members":{"Path":"/0/members","CreatedIndex":1,"ModifiedIndex":1,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{"9d165e1fa3dbd730":{"Path":"/0/members/9d165e1fa3dbd730","CreatedIndex":7,"ModifiedIndex":7,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{"raftAttributes":{"Path":"/0/members/9d165e1fa3dbd730/raftAttributes","CreatedIndex":7,"ModifiedIndex":7,"ExpireTime":"0001-01-01T00:00:00Z","Value":"{\"peerURLs\":[\"http://127.0.0.1:23812\"],\"isLearner\":true}","Children":null}}},"bdae9bbc11dd390d":{"Path":"/0/members/bdae9bbc11dd390d","CreatedIndex":1,"ModifiedIndex":1,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{"attributes":{"Path":"/0/members/bdae9bbc11dd390d/attributes","CreatedIndex":2,"ModifiedIndex":2,"ExpireTime":"0001-01-01T00:00:00Z","Value":"{\"name\":\"n1\",\"clientURLs\":[\"http://127.0.0.1:23791\"]}","Children":null},"raftAttributes":{"Path":"/0/members/bdae9bbc11dd390d/raftAttributes","CreatedIndex":1,"ModifiedIndex":1,"ExpireTime":"0001-01-01T00:00:00Z","Value":"{\"peerURLs\":[\"http://127.0.0.1:23801\"]}","Children":null}}}}},"removed_members":{"Path":"/0/removed_members","CreatedIndex":6,"ModifiedIndex":6,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{"e9f2ad0dedf00673":{"Path":"/0/removed_members/e9f2ad0dedf00673","CreatedIndex":6,"ModifiedIndex":6,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":null}}},"version":{"Path":"/0/version","CreatedIndex":3,"ModifiedIndex":3,"ExpireTime":"0001-01-01T00:00:00Z","Value":"3.4.0","Children":null}}},"1":{"Path":"/1","CreatedIndex":0,"ModifiedIndex":0,"ExpireTime":"0001-01-01T00:00:00Z","Value":"","Children":{}}}},"WatcherHub":{"EventHistory":{"Queue":{"Events":[{"action":"create","node":{"key":"/0/version","value":"3.4.0","modifiedIndex":3,"createdIndex":3}}],"Size":1,"Front":0,"Back":1,"Capacity":1000},"StartIndex":3,"LastIndex":3}},"CurrentIndex":7,"Stats":{"getsSuccess":4,"getsFail":3,"setsSuccess":2,"setsFail":0,"deleteSuccess":1,"deleteFail":0,"updateSuccess":0,"updateFail":0,"createSuccess":4,"createFail":0,"compareAndSwapSuccess":0,"compareAndSwapFail":0,"compareAndDeleteSuccess":0,"compareAndDeleteFail":0,"expireCount":0,"watchers":0},"CurrentVersion":2}"#

    func testTheMembershipOfASnapshotEtcdWroteIsRecovered() throws {
        let membership = try ClusterMembership(v2StoreSnapshot: Array(etcdSnapshot.utf8), clusterID: ClusterID(0xd1cfaf999eb97a2a))
        XCTAssertEqual(membership.members, [
            ClusterMember(id: MemberID(0x9d165e1fa3dbd730), peerURLs: ["http://127.0.0.1:23812"], isLearner: true),
            ClusterMember(id: MemberID(0xbdae9bbc11dd390d), name: "n1", peerURLs: ["http://127.0.0.1:23801"],
                          clientURLs: ["http://127.0.0.1:23791"]),
        ])
        XCTAssertEqual(membership.removed, [MemberID(0xe9f2ad0dedf00673)])
        XCTAssertEqual(membership.version, "3.4.0")
        XCTAssertEqual(membership.clusterID, ClusterID(0xd1cfaf999eb97a2a))
    }

    func testTheSnapshotsSwetcdWritesReadBack() throws {
        let written = ClusterMembership(clusterID: ClusterID(1), members: [
            ClusterMember(id: MemberID(0x8e9e05c52164694d), name: "default", peerURLs: ["http://localhost:2380"],
                          clientURLs: ["http://localhost:2379"]),
            ClusterMember(id: MemberID(0x1234), peerURLs: ["http://localhost:2480"], isLearner: true),
        ], removed: [MemberID(0xabc)], version: "3.4.0")
        let membership = try ClusterMembership(v2StoreSnapshot: V2StoreSnapshot.json(membership: written),
                                               clusterID: ClusterID(1))
        XCTAssertEqual(membership, written)
    }

    func testAnEmptyStoreHoldsNoMembers() throws {
        let empty = #"{"Root":{"Path":"/","Value":"","Children":{"0":{"Path":"/0","Value":"","Children":{}}}}}"#
        XCTAssertEqual(try ClusterMembership(v2StoreSnapshot: Array(empty.utf8), clusterID: ClusterID(1)), ClusterMembership(clusterID: ClusterID(1)))
    }

    func testMalformedMemberEntriesAreRefusedAsEtcdRefusesThem() {
        func store(_ members: String) -> [UInt8] {
            Array((#"{"Root":{"Children":{"0":{"Children":{"members":{"Children":{"# + members + "}}}}}}}").utf8)
        }
        let raft = #""raftAttributes":{"Value":"{\"peerURLs\":[\"u\"]}"}"#
        XCTAssertNoThrow(try ClusterMembership(v2StoreSnapshot: store(#""a":{"Children":{"# + raft + "}}"), clusterID: ClusterID(1)))
        for bad in [#""a":{"Children":{}}"#,                                     // no raftAttributes
                    #""a":{"Children":{"# + raft + #","other":{"Value":""}}}"#,   // unknown key
                    #""zz":{"Children":{"# + raft + "}}",                         // not a hex ID
                    #""a":{"Children":{"raftAttributes":{"Value":"{"}}}"#] {        // value not JSON
            XCTAssertThrowsError(try ClusterMembership(v2StoreSnapshot: store(bad), clusterID: ClusterID(1)), bad)
        }
        XCTAssertThrowsError(try ClusterMembership(v2StoreSnapshot: Array("{}".utf8), clusterID: ClusterID(1)))
    }
}
