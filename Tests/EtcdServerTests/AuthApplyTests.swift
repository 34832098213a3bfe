import XCTest
import BoltStore
import EtcdBasics
import EtcdIO
import EtcdProto
import MVCC
import Raft
@testable import EtcdServer

/// A write carries who made it into the log and is checked again as it applies (etcd's
/// authApplierV3): an auth change committed between the check on the loop and the write's own
/// entry is not bypassed.
final class AuthApplyTests: XCTestCase {
    private func putEntry(_ index: UInt64, key: String, id: UInt64, user: String?, revision: UInt64) -> Entry {
        var request = ApplyRequest.put(PutRequest(key: Array(key.utf8), value: [1])).internalRaftRequest(id: id)!
        if let user {
            request.header?.username = user
            request.header?.authRevision = revision
        }
        return Entry(term: 2, index: index, data: request.serializedBytes())
    }

    func testAWriteIsCheckedAgainWhenItAppliesWithTheRevisionItWasCheckedAt() throws {
        let backend = try Backend(database: try Database.open(path: "/db", fileSystem: SimulatedFileSystem()))
        let kv = KVState(store: try KVStore.open(on: backend), backend: backend, backendPath: "/db", appliedIndex: 0)
        let clusterID = ClusterID(0x1234)
        let identity = ServerIdentity(clusterID: clusterID, memberID: MemberID(1), name: "n", raft: RaftStatus(),
                                      peerURLs: [], clientURLs: [])
        var store = try AuthStore.enabledFixture(users: ["u"], roles: ["writer"])
        _ = try store.roleGrantPermission(role: "writer", permission: Permission(permType: .write, key: Array("a".utf8)))
        _ = try store.userGrantRole(user: "u", role: "writer")
        XCTAssertTrue(store.isPermitted(user: "u", key: Array("a".utf8), rangeEnd: [], write: true), "fixture")
        let revision = store.revision
        let auth = AuthTable(store: store, tokens: SimpleTokens())
        let membership = ClusterMembership(clusterID: clusterID)
        let loop = ApplyLoop(kv: kv, identity: identity, snapshotCount: 100_000, snapshotIndex: 0, membership: membership,
                             membershipView: MembershipView(localID: MemberID(1), membership: membership),
                             watchFanout: WatchFanout(loopCount: 1), auth: auth)
        let replies = Inbox<LoopMessage>(capacity: 64)
        loop.connect(replyInboxes: [replies], raftInbox: Inbox<RaftInput>(capacity: 64))
        let origin = { (stream: Int32) in CallOrigin(loop: 0, connection: 1, stream: stream) }
        // 1: u may write "a", checked at the current revision: applies.
        // 2: the same check, but an auth change has applied since: "revision of auth store is old".
        // 3: a key u may not write, whatever the loop said: denied.
        // 4: no caller (auth was off when proposed, or the member's own revoke): applies.
        _ = try? auth.withStore { (store: inout AuthStore) throws(EtcdError) in _ = try store.roleAdd(name: "later") }
        let entries = [
            putEntry(1, key: "a", id: 11, user: "u", revision: revision + 1),
            putEntry(2, key: "a", id: 12, user: "u", revision: revision),
            putEntry(3, key: "b", id: 13, user: "u", revision: revision + 1),
            putEntry(4, key: "c", id: 14, user: nil, revision: 0),
        ]
        let pending = zip(zip([11, 12, 13, 14] as [UInt64], ["a", "a", "b", "c"]), [1, 2, 3, 4] as [Int32]).map { proposal, stream in
            PendingRequest(id: proposal.0, origin: origin(stream), request: .put(PutRequest(key: Array(proposal.1.utf8), value: [1])))
        }
        loop.submitCommitted(CommittedBatch(pending: pending, entries: entries, reads: []))
        loop.stop()
        loop.run()
        let answers = replies.waitForItems(timeoutMilliseconds: 0).compactMap { message -> String? in
            guard case .applied(let origin, let result) = message else { return nil }
            if case .failure(let error) = result { return "\(origin.stream): \(error.message)" }
            return "\(origin.stream): ok"
        }
        XCTAssertEqual(answers, ["1: ok", "2: etcdserver: revision of auth store is old", "3: etcdserver: permission denied", "4: ok"])
    }
}
