import BoltStore
import EtcdBasics
import EtcdIO
import EtcdProto
import MVCC
import Raft
import Synchronization
import XCTest

@testable import EtcdServer

/// The apply thread's membership: committed conf changes and v2 publishes change it in log
/// order, validated as etcd validates them; after a restart every entry since the snapshot
/// rebuilds it in memory while only entries past the backend's consistent index are written;
/// proposers hear the members after their change, or etcd's error.
final class MembershipApplyTests: XCTestCase {
    private let clusterID = ClusterID(0xd1cfaf999eb97a2a)
    private let n1 = MemberID(0xbdae9bbc11dd390d), n2 = MemberID(0x2222), n3 = MemberID(0x3333)

    private func member(_ id: MemberID, _ port: Int, name: String = "", isLearner: Bool = false) -> ClusterMember {
        ClusterMember(id: id, name: name, peerURLs: ["http://127.0.0.1:\(port)"], isLearner: isLearner)
    }

    private func confChangeEntry(_ index: UInt64, _ change: MembershipConfChange, id: UInt64 = 0) -> Entry {
        Entry(term: 2, index: index, type: .confChange, data: change.confChange(requestID: id).serializedBytes())
    }

    /// A bare v2 Request, as etcd 3.4's publish proposes it.
    private func v2Entry(_ index: UInt64, path: String, value: String) -> Entry {
        Entry(term: 2, index: index, data: Request(id: 99, method: "PUT", path: path, val: value).serializedBytes())
    }

    private func attributesPath(_ id: MemberID) -> String { "/0/members/\(String(id.rawValue, radix: 16))/attributes" }

    // MARK: - MembershipApplier (pure)

    func testReplayRebuildsEveryEntryInMemoryButHandsOutOnlyWritesPastTheConsistentIndex() {
        var applier = MembershipApplier(membership: ClusterMembership(clusterID: clusterID), localID: n1,
                                        consistentIndexAtStart: 3)
        XCTAssertNil(applier.applyConfChange(confChangeEntry(1, .add(member(n1, 2380, name: "n1")))).write)
        XCTAssertNil(applier.applyConfChange(confChangeEntry(2, .add(member(n2, 2381)))).write)
        XCTAssertNil(applier.applyV2(Request(method: "PUT", path: attributesPath(n2), val: #"{"name":"n2"}"#), index: 3))
        XCTAssertEqual(applier.applyV2(Request(method: "PUT", path: "/0/version", val: "3.4.0"), index: 4),
                       .saveClusterVersion("3.4.0"))
        let removal = applier.applyConfChange(confChangeEntry(5, .remove(n2)))
        XCTAssertEqual(removal.write, .removeMember(n2))
        XCTAssertFalse(removal.isLocalMemberRemoved)

        XCTAssertEqual(applier.membership.members, [member(n1, 2380, name: "n1")])
        XCTAssertTrue(applier.membership.isRemoved(n2))
        XCTAssertEqual(applier.membership.version, "3.4.0")
        XCTAssertTrue(applier.hasUnpublishedChanges)
    }

    func testARefusedChangeChangesNothingAndCarriesTheMembershipError() {
        var applier = MembershipApplier(
            membership: ClusterMembership(clusterID: clusterID, members: [member(n1, 2380)], removed: [n3]),
            localID: n1, consistentIndexAtStart: 0)
        let cases: [(MembershipConfChange, MembershipError, EtcdError)] = [
            (.add(member(n1, 2399)), .idExists, .memberExist),
            (.add(member(n2, 2380)), .peerURLExists, .peerURLExist),
            (.remove(n2), .idNotFound, .memberNotFound),
            (.remove(n3), .idRemoved, .memberNotFound),
            (.promote(n1), .memberNotLearner, .memberNotLearner),
            (.update(id: n2, peerURLs: ["http://127.0.0.1:2390"], isLearner: false), .idNotFound, .memberNotFound),
        ]
        for (index, (change, membershipError, etcdError)) in cases.enumerated() {
            let outcome = applier.applyConfChange(confChangeEntry(UInt64(index + 1), change, id: 40 + UInt64(index)))
            XCTAssertEqual(outcome.requestID, 40 + UInt64(index))
            guard case .failure(let error) = outcome.result else { return XCTFail("\(change) was accepted") }
            XCTAssertEqual(error, membershipError, "\(change)")
            XCTAssertEqual(EtcdError(error), etcdError, "\(change)")
            XCTAssertNil(outcome.write)
        }
        XCTAssertFalse(applier.hasUnpublishedChanges)
        XCTAssertEqual(applier.membership.members, [member(n1, 2380)])
    }

    func testOnlyOneLearnerAtATime() {
        var applier = MembershipApplier(membership: ClusterMembership(clusterID: clusterID, members: [member(n1, 2380)]),
                                        localID: n1, consistentIndexAtStart: 0)
        guard case .success = applier.applyConfChange(confChangeEntry(1, .add(member(n2, 2381, isLearner: true)))).result else {
            return XCTFail("first learner refused")
        }
        let second = applier.applyConfChange(confChangeEntry(2, .add(member(n3, 2382, isLearner: true))))
        guard case .failure(let error) = second.result else { return XCTFail("second learner accepted") }
        XCTAssertEqual(EtcdError(error).message, "etcdserver: too many learner members in cluster")
    }

    func testRemovingThisMemberIsReported() {
        var applier = MembershipApplier(
            membership: ClusterMembership(clusterID: clusterID, members: [member(n1, 2380), member(n2, 2381)]),
            localID: n2, consistentIndexAtStart: 0)
        XCTAssertFalse(applier.applyConfChange(confChangeEntry(1, .remove(n1))).isLocalMemberRemoved)
        XCTAssertTrue(applier.applyConfChange(confChangeEntry(2, .remove(n2))).isLocalMemberRemoved)
    }

    func testAttributesPublishesSetNameAndClientURLs() {
        var applier = MembershipApplier(membership: ClusterMembership(clusterID: clusterID, members: [member(n1, 2380)]),
                                        localID: n1, consistentIndexAtStart: 0)
        let write = applier.applyV2(Request(method: "PUT", path: attributesPath(n1),
                                            val: #"{"name":"infra1","clientURLs":["http://127.0.0.1:2379"]}"#), index: 1)
        var expected = member(n1, 2380, name: "infra1")
        expected.clientURLs = ["http://127.0.0.1:2379"]
        XCTAssertEqual(write, .saveMember(expected))
        XCTAssertEqual(applier.membership.member(n1), expected)
        // A member removed meanwhile, or one never known: nothing changes.
        XCTAssertNil(applier.applyV2(Request(method: "PUT", path: attributesPath(n2), val: #"{"name":"x"}"#), index: 2))
    }

    func testOnlyPlainPutsToTheMembershipPathsArePublishes() throws {
        let attributes = #"{"name":"n","clientURLs":["http://a:1"]}"#
        let cases: [(Request, V2MembershipPublish?)] = [
            (Request(method: "PUT", path: "/0/members/bdae9bbc11dd390d/attributes", val: attributes),
             .attributes(n1, name: "n", clientURLs: ["http://a:1"])),
            (Request(method: "PUT", path: "/0/members/BDAE9BBC11DD390D/attributes", val: attributes),
             .attributes(n1, name: "n", clientURLs: ["http://a:1"])),
            (Request(method: "PUT", path: "/0/version", val: "3.4.0"), .clusterVersion("3.4.0")),
            (Request(method: "POST", path: "/0/version", val: "3.4.0"), nil),
            (Request(method: "PUT", path: "/0/version", val: "3.4.0", prevExist: true), nil),
            (Request(method: "PUT", path: "/0/version", val: "3.4.0", prevValue: "3.3.0"), nil),
            (Request(method: "PUT", path: "/0/version", val: "3.4.0", prevIndex: 4), nil),
            (Request(method: "PUT", path: "/0/members/bdae9bbc11dd390d/raftAttributes", val: "{}"), nil),
            (Request(method: "PUT", path: "/0/members//attributes", val: attributes), nil),
            (Request(method: "PUT", path: "/0/members/1bdae9bbc11dd390d/attributes", val: attributes), nil),
            (Request(method: "PUT", path: "/0/members/+1/attributes", val: attributes), nil),
            (Request(method: "PUT", path: "/1/members/1/attributes", val: attributes), nil),
        ]
        for (request, expected) in cases {
            XCTAssertEqual(try V2MembershipPublish(request), expected, "\(request.method) \(request.path)")
        }
        XCTAssertThrowsError(try V2MembershipPublish(Request(method: "PUT", path: "/0/members/1/attributes", val: "{")))
    }

    // MARK: - The apply thread

    private struct ApplyHarness {
        let loop: ApplyLoop
        let view: MembershipView
        let replies: Inbox<LoopMessage>
        let raft: Inbox<RaftInput>
        let backend: Backend
    }

    /// An apply loop over a fresh backend whose consistent index is `consistentIndex`, as after a
    /// restart, with one event loop's inbox.
    private func harness(localID: MemberID, consistentIndex: UInt64 = 0, snapshotCount: UInt64 = 100_000,
                         membership: ClusterMembership? = nil) throws -> ApplyHarness {
        let backend = try Backend(database: try Database.open(path: "/db", fileSystem: SimulatedFileSystem()))
        let kv = KVState(store: try KVStore.open(on: backend), backend: backend, backendPath: "/db",
                         appliedIndex: consistentIndex)
        let identity = ServerIdentity(clusterID: clusterID, memberID: localID, name: "n", raft: RaftStatus(),
                                      peerURLs: [], clientURLs: [])
        let initial = membership ?? ClusterMembership(clusterID: clusterID)
        let view = MembershipView(localID: localID, membership: initial)
        let loop = ApplyLoop(kv: kv, identity: identity, snapshotCount: snapshotCount, snapshotIndex: 0,
                             membership: initial, membershipView: view, watchFanout: WatchFanout(loopCount: 1))
        let replies = Inbox<LoopMessage>(capacity: 64)
        let raft = Inbox<RaftInput>(capacity: 64)
        loop.connect(replyInboxes: [replies], raftInbox: raft)
        return ApplyHarness(loop: loop, view: view, replies: replies, raft: raft, backend: backend)
    }

    /// Applies `entries` (answering `pending`) and stops: `run` returns once all is applied.
    /// Once per harness: `run` starts from the loop's initial membership, as a process does.
    private func apply(_ entries: [Entry], pending: [PendingRequest] = [], on harness: ApplyHarness) {
        harness.loop.submitCommitted(CommittedBatch(pending: pending, entries: entries, reads: []))
        harness.loop.stop()
        harness.loop.run()
    }

    private func memberKeys(in backend: Backend) -> [String] {
        backend.withReadTransaction { tx in
            var keys: [String] = []
            tx.bucket(named: Backend.BucketName.members)?.forEach { keys.append(String(decoding: $0.key, as: UTF8.self)) }
            return keys.sorted()
        }
    }

    private func origin(_ stream: Int32) -> CallOrigin { CallOrigin(loop: 0, connection: 1, stream: stream) }

    /// One line per reply: the stream and what it was told.
    private func replies(of harness: ApplyHarness) -> [String] {
        harness.replies.waitForItems(timeoutMilliseconds: 0).map { message in
            guard case .applied(let origin, let result) = message else { return "\(message)" }
            switch result {
            case .memberChanged(let change, let members):
                return "\(origin.stream): \(change.memberID) members=\(members.map { "\($0.id)" }.joined(separator: ","))"
            case .failure(let error):
                return "\(origin.stream): \(error.code) \(error.message)"
            default:
                return "\(origin.stream): \(result)"
            }
        }
    }

    func testRestartReplaysIntoMemoryAndWritesOnlyPastTheConsistentIndex() throws {
        let h = try harness(localID: n1, consistentIndex: 2)
        apply([
            confChangeEntry(1, .add(member(n1, 2380, name: "n1"))),
            confChangeEntry(2, .add(member(n2, 2381))),
            confChangeEntry(3, .add(member(n3, 2382))),
        ], on: h)
        XCTAssertEqual(h.view.membership.members.map(\.id), [n2, n3, n1], "ordered by ID")
        // The backend held entries 1 and 2 already (here: the test's empty one); only 3 is written.
        XCTAssertEqual(memberKeys(in: h.backend), ["3333"])
        XCTAssertEqual(h.backend.consistentIndex(), 3)
    }

    func testProposersHearTheMembersAfterTheirChangeOrEtcdsError() throws {
        let h = try harness(localID: n1, membership: ClusterMembership(clusterID: clusterID, members: [member(n1, 2380)]))
        let add = MembershipConfChange.add(member(n2, 2381))
        let duplicate = MembershipConfChange.add(member(n3, 2381))
        apply([confChangeEntry(1, add, id: 70), confChangeEntry(2, duplicate, id: 71)],
              pending: [PendingRequest(id: 70, origin: origin(5), request: .memberChange(add)),
                        PendingRequest(id: 71, origin: origin(7), request: .memberChange(duplicate))],
              on: h)
        XCTAssertEqual(replies(of: h), [
            "5: 2222 members=2222,bdae9bbc11dd390d",
            "7: failedPrecondition etcdserver: Peer URLs already exists",
        ])
        XCTAssertEqual(memberKeys(in: h.backend), ["2222"])
    }

    func testV2PublishesReachTheViewAndTheBackend() throws {
        let h = try harness(localID: n1, membership: ClusterMembership(clusterID: clusterID, members: [member(n1, 2380)]))
        apply([v2Entry(1, path: attributesPath(n1), value: #"{"name":"infra1","clientURLs":["http://127.0.0.1:2379"]}"#),
               v2Entry(2, path: "/0/version", value: "3.4.0")], on: h)
        XCTAssertEqual(h.view.membership.member(n1)?.name, "infra1")
        XCTAssertEqual(h.view.membership.member(n1)?.clientURLs, ["http://127.0.0.1:2379"])
        let recovered = try MembershipBackend.recover(from: h.backend, clusterID: clusterID)
        XCTAssertEqual(recovered, h.view.membership)
    }

    func testALearnerIsShownAsSuch() throws {
        let h = try harness(localID: n2, membership: ClusterMembership(clusterID: clusterID, members: [member(n1, 2380)]))
        XCTAssertFalse(h.view.isLocalLearner, "not a member yet")
        apply([confChangeEntry(1, .add(member(n2, 2381, isLearner: true)))], on: h)
        XCTAssertTrue(h.view.isLocalLearner)
        XCTAssertFalse(h.view.isLocalRemoved)
    }

    func testPromotionEndsLearnerhoodAndRemovingThisMemberRunsTheHandlerOnce() throws {
        let h = try harness(localID: n2, membership: ClusterMembership(
            clusterID: clusterID, members: [member(n1, 2380), member(n2, 2381, isLearner: true)]))
        XCTAssertTrue(h.view.isLocalLearner)
        let calls = Mutex(0)
        h.view.onLocalMemberRemoved { calls.withLock { $0 += 1 } }
        apply([confChangeEntry(1, .promote(n2))], on: h)
        XCTAssertFalse(h.view.isLocalLearner)
        XCTAssertEqual(calls.withLock { $0 }, 0)

        let removed = try harness(localID: n2, membership: ClusterMembership(
            clusterID: clusterID, members: [member(n1, 2380), member(n2, 2381)]))
        removed.view.onLocalMemberRemoved { calls.withLock { $0 += 1 } }
        apply([confChangeEntry(1, .remove(n2)), confChangeEntry(2, .remove(n1))], on: removed)
        XCTAssertTrue(removed.view.isLocalRemoved)
        XCTAssertEqual(calls.withLock { $0 }, 1)
        removed.view.onLocalMemberRemoved { calls.withLock { $0 += 1 } }
        XCTAssertEqual(calls.withLock { $0 }, 2, "a handler set after the removal runs at once")
    }

    func testSnapshotsRecordTheAppliedMembership() throws {
        let h = try harness(localID: n1, snapshotCount: 1)
        apply([confChangeEntry(1, .add(member(n1, 2380))), confChangeEntry(2, .add(member(n2, 2381)))], on: h)
        let snapshots = h.raft.waitForItems(timeoutMilliseconds: 0).compactMap { input -> (UInt64, ClusterMembership)? in
            if case .snapshot(let index, let membership) = input { return (index, membership) }
            return nil
        }
        XCTAssertEqual(snapshots.map(\.0), [2])
        XCTAssertEqual(snapshots.first?.1.members.map(\.id), [n2, n1])
    }
}
