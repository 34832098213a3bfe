// Snapshots: MemoryStorage's snapshot and compaction rules, the unstable snapshot in the log, a
// follower installing one, a leader sending one, and a restart from a snapshot plus later entries.

@testable import Raft
import XCTest

private func snapshot(index: UInt64, term: UInt64, voters: [NodeID] = [1, 2, 3], data: [UInt8] = []) -> Snapshot {
    Snapshot(data: data, metadata: SnapshotMetadata(confState: ConfState(voters: voters), index: index, term: term))
}

/// A MemoryStorage whose snapshot is still being made: raft must skip, not crash.
private final class SnapshotPendingStorage: RaftStorage {
    let inner: MemoryStorage
    init(_ inner: MemoryStorage) { self.inner = inner }
    func initialState() throws(StorageError) -> (HardState, ConfState) { try inner.initialState() }
    func entries(from low: UInt64, to high: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        try inner.entries(from: low, to: high, maxSize: maxSize)
    }
    func term(at index: UInt64) throws(StorageError) -> UInt64 { try inner.term(at: index) }
    func firstIndex() throws(StorageError) -> UInt64 { try inner.firstIndex() }
    func lastIndex() throws(StorageError) -> UInt64 { try inner.lastIndex() }
    func snapshot() throws(StorageError) -> Snapshot { throw .snapshotTemporarilyUnavailable }
}

final class SnapshotTests: XCTestCase {
    // MARK: MemoryStorage

    func testCreateSnapshotThenCompactKeepsTheSnapshotEntryAsPlaceholder() throws {
        let storage = MemoryStorage(confState: ConfState(voters: [1]))
        storage.append(entries([1, 1, 2, 2, 3]))
        let snap = try storage.createSnapshot(index: 4, confState: ConfState(voters: [1, 2]), data: [9])
        XCTAssertEqual(snap, snapshot(index: 4, term: 2, voters: [1, 2], data: [9]))
        XCTAssertEqual(try storage.snapshot(), snap)
        XCTAssertEqual(try storage.firstIndex(), 1, "creating a snapshot compacts nothing by itself")
        XCTAssertThrowsError(try storage.createSnapshot(index: 4, confState: nil, data: [])) {
            XCTAssertEqual($0 as? StorageError, .snapshotOutOfDate)
        }

        try storage.compact(to: 3)
        XCTAssertEqual(try storage.firstIndex(), 4)
        XCTAssertEqual(try storage.lastIndex(), 5)
        XCTAssertEqual(try storage.term(at: 3), 2, "the term of the entry compacted to is kept")
        XCTAssertThrowsError(try storage.term(at: 2)) { XCTAssertEqual($0 as? StorageError, .compacted) }
        XCTAssertThrowsError(try storage.entries(from: 3, to: 5, maxSize: noSizeLimit)) {
            XCTAssertEqual($0 as? StorageError, .compacted)
        }
        XCTAssertEqual(try storage.entries(from: 4, to: 6, maxSize: noSizeLimit), entries([2, 3], from: 4))
        XCTAssertThrowsError(try storage.compact(to: 3)) { XCTAssertEqual($0 as? StorageError, .compacted) }
        XCTAssertThrowsError(try storage.compact(to: 2)) { XCTAssertEqual($0 as? StorageError, .compacted) }
        // A later snapshot without a conf state keeps the previous configuration.
        XCTAssertEqual(try storage.createSnapshot(index: 5, confState: nil, data: []).metadata.confState.voters, [1, 2])
    }

    func testApplySnapshotReplacesTheLogAndRefusesAnOlderOne() throws {
        let storage = MemoryStorage()
        storage.append(entries([1, 1, 1]))
        try storage.applySnapshot(snapshot(index: 5, term: 2))
        XCTAssertEqual(try storage.firstIndex(), 6)
        XCTAssertEqual(try storage.lastIndex(), 5)
        XCTAssertEqual(try storage.term(at: 5), 2)
        XCTAssertTrue(storage.storedEntries.isEmpty)
        XCTAssertEqual(try storage.initialState().1.voters, [1, 2, 3])
        for index: UInt64 in [4, 5] {
            XCTAssertThrowsError(try storage.applySnapshot(snapshot(index: index, term: 2))) {
                XCTAssertEqual($0 as? StorageError, .snapshotOutOfDate)
            }
        }
        storage.append(entries([2, 3], from: 6))
        XCTAssertEqual(try storage.lastIndex(), 7)
    }

    // MARK: The log

    func testUnstableSnapshotDefinesTheLogUntilPersisted() {
        let storage = MemoryStorage()
        storage.append(entries([1, 1]))
        var log = RaftLog(storage: storage, maxNextEntriesBytes: noSizeLimit)
        log.restore(snapshot(index: 10, term: 3))
        XCTAssertEqual(log.committed, 10)
        XCTAssertEqual(log.firstIndex, 11)
        XCTAssertEqual(log.lastIndex, 10)
        XCTAssertEqual(log.lastTerm, 3)
        XCTAssertEqual(log.term(at: 2), 0, "storage's entries before the snapshot are gone")
        XCTAssertEqual(log.unstableSnapshot?.metadata.index, 10)
        XCTAssertEqual(log.nextCommittedEntries(), [], "the snapshot itself stands for entries through 10")
        log.append(entries([3], from: 11))
        XCTAssertEqual(log.lastIndex, 11)
        log.stableSnap(to: 9)
        XCTAssertNotNil(log.unstableSnapshot, "only the snapshot of that index is persisted")
        log.stableSnap(to: 10)
        XCTAssertNil(log.unstableSnapshot)
    }

    // MARK: Follower

    private func follower(storage: MemoryStorage = MemoryStorage(confState: ConfState(voters: [1, 2, 3]))) -> RawNode {
        RawNode(config: Config(id: 2, seed: 5), storage: storage)
    }

    private func snapMessage(_ snap: Snapshot, term: UInt64 = 2) -> Message {
        var message = Message(type: .snap, to: 2, from: 1, term: term)
        message.snapshot = snap
        return message
    }

    func testFollowerInstallsASnapshotAndTheReadyCarriesItBeforeEntries() throws {
        let storage = MemoryStorage(confState: ConfState(voters: [1, 2, 3]))
        var node = follower(storage: storage)
        try node.step(snapMessage(snapshot(index: 11, term: 2, voters: [1, 2, 3, 4], data: [42])))
        // Entries after the snapshot arrive before the application takes the Ready.
        try node.step(Message(type: .app, to: 2, from: 1, term: 2, logTerm: 2, index: 11,
                              entries: entries([2], from: 12), commit: 12))
        XCTAssertTrue(node.hasReady)
        let ready = node.ready()
        XCTAssertEqual(ready.snapshot?.data, [42])
        XCTAssertEqual(ready.entries, entries([2], from: 12))
        XCTAssertEqual(ready.committedEntries, entries([2], from: 12), "entries after the snapshot only")
        XCTAssertEqual(ready.hardState?.commit, 12)
        XCTAssertTrue(ready.mustSync)
        XCTAssertEqual(ready.messages.map(\.index), [11, 12], "acks: the snapshot, then the entry")
        XCTAssertEqual(node.raft.tracker.sortedIDs, [1, 2, 3, 4], "configuration from the snapshot")

        try storage.applySnapshot(ready.snapshot!)
        storage.setHardState(ready.hardState!)
        storage.append(ready.entries)
        node.advance(ready)
        XCTAssertFalse(node.hasReady)
        XCTAssertNil(node.raft.raftLog.unstableSnapshot)
        XCTAssertEqual(node.status.applied, 12)
        XCTAssertEqual(node.raft.raftLog.firstIndex, 12)
    }

    func testAdvanceWithOnlyASnapshotMovesAppliedToItsIndex() throws {
        var node = follower()
        try node.step(snapMessage(snapshot(index: 7, term: 2)))
        let ready = node.ready()
        XCTAssertEqual(ready.committedEntries, [])
        node.advance(ready)
        XCTAssertEqual(node.status.applied, 7)
    }

    func testNoCampaignWhileAReceivedSnapshotAwaitsTheApplication() throws {
        var node = follower()
        try node.step(snapMessage(snapshot(index: 7, term: 2)))
        for _ in 0..<40 { node.tick() }
        XCTAssertEqual(node.raft.state, .follower, "the snapshot is not applied yet")
        node.advance(node.ready())
        for _ in 0..<40 { node.tick() }
        XCTAssertNotEqual(node.raft.state, .follower)
    }

    func testFollowerIgnoresASnapshotAtOrBelowItsCommitIndex() throws {
        var node = follower()
        try node.step(Message(type: .app, to: 2, from: 1, term: 2, logTerm: 0, index: 0,
                              entries: entries([1, 2, 2]), commit: 3))
        _ = node.ready()
        try node.step(snapMessage(snapshot(index: 3, term: 2)))
        let ready = node.ready()
        XCTAssertNil(ready.snapshot)
        XCTAssertEqual(ready.messages, [Message(type: .appResp, to: 1, from: 2, term: 2, index: 3)],
                       "the leader hears our commit index")
    }

    func testFollowerHoldingTheSnapshotEntryOnlyFastForwardsItsCommit() throws {
        var node = follower()
        try node.step(Message(type: .app, to: 2, from: 1, term: 2, logTerm: 0, index: 0,
                              entries: entries([1, 2, 2, 2]), commit: 1))
        _ = node.ready()
        try node.step(snapMessage(snapshot(index: 3, term: 2)))
        let ready = node.ready()
        XCTAssertNil(ready.snapshot, "our log already holds entry 3 of term 2: keep it, and 4 after it")
        XCTAssertEqual(node.raft.raftLog.committed, 3)
        XCTAssertEqual(node.raft.raftLog.lastIndex, 4)
        XCTAssertEqual(ready.messages.last?.index, 3)
    }

    func testFollowerRefusesASnapshotWhoseConfigurationLeavesItOut() throws {
        var node = follower()
        try node.step(snapMessage(snapshot(index: 5, term: 2, voters: [1, 3])))
        XCTAssertNil(node.ready().snapshot)
        XCTAssertEqual(node.raft.raftLog.committed, 0)
    }

    func testCandidateReceivingASnapshotFollowsItsSender() throws {
        var node = follower()
        try node.campaign()
        _ = node.ready()
        XCTAssertEqual(node.raft.state, .candidate)
        try node.step(snapMessage(snapshot(index: 5, term: 2), term: 1))
        XCTAssertEqual(node.raft.state, .follower)
        XCTAssertEqual(node.raft.lead, 1)
        XCTAssertEqual(node.ready().snapshot?.metadata.index, 5)
    }

    // MARK: Leader

    /// A 3-node cluster where 3 missed entries the leader then compacted away.
    private func clusterWithCompactedLeader(seed: UInt64) throws -> SimulatedCluster {
        let cluster = SimulatedCluster(size: 3, seed: seed)
        try cluster.elect(1)
        cluster.isolate(3)
        for value: UInt8 in 1...5 {
            try cluster[1].node.propose([value])
            try cluster.stabilize()
        }
        let applied = cluster[1].raft.raftLog.applied
        XCTAssertEqual(applied, 6)
        try cluster[1].storage.createSnapshot(index: applied, confState: ConfState(voters: [1, 2, 3]), data: [])
        try cluster[1].storage.compact(to: applied - 1)
        return cluster
    }

    func testFollowerBehindACompactedLeaderGetsTheSnapshotAndCatchesUp() throws {
        let cluster = try clusterWithCompactedLeader(seed: 41)
        cluster.heal()
        try cluster.tick(1)
        try cluster.stabilize()
        XCTAssertEqual(try cluster[3].storage.snapshot().metadata.index, 6)
        XCTAssertEqual(cluster[1].raft.tracker.progress[3]?.state, .replicate)
        XCTAssertEqual(cluster[1].raft.tracker.progress[3]?.match, 6)
        try cluster[1].node.propose([7])
        try cluster.stabilize()
        XCTAssertEqual(cluster[3].applied.map(\.index), Array(1...7))
        XCTAssertEqual(cluster[3].applied.last?.data, [7])
        XCTAssertEqual(cluster[3].raft.raftLog.committed, 7)
    }

    /// A compacted log with entries 1-3 at term 1 and a snapshot at 3, leading in term 2.
    private func compactedLeader(storage: any RaftStorage) throws -> Raft {
        var raft = Raft(config: Config(id: 1, seed: 7), storage: storage)
        try raft.step(Message(type: .hup, from: 1))
        try raft.step(Message(type: .voteResp, to: 1, from: 2, term: 2))
        XCTAssertEqual(raft.state, .leader)
        raft.messages.removeAll()
        return raft
    }

    private func compactedStorage() throws -> MemoryStorage {
        let storage = MemoryStorage(confState: ConfState(voters: [1, 2, 3]))
        storage.append(entries([1, 1, 1]))
        storage.setHardState(HardState(term: 1, vote: 1, commit: 3))
        _ = try storage.createSnapshot(index: 3, confState: nil, data: [5])
        try storage.compact(to: 3)
        return storage
    }

    func testLeaderSendsASnapshotOnlyToARecentlyActiveFollower() throws {
        var raft = try compactedLeader(storage: try compactedStorage())
        raft.tracker.progress[3] = Progress(match: 0, next: 2, inflightCapacity: 4)
        raft.sendAppend(to: 3)
        XCTAssertEqual(raft.messages, [], "a follower that may be down is not sent a snapshot")
        raft.tracker.progress[3]!.recentActive = true
        raft.sendAppend(to: 3)
        XCTAssertEqual(raft.messages.map(\.type), [.snap])
        XCTAssertEqual(raft.messages.first?.snapshot.data, [5])
        XCTAssertEqual(raft.tracker.progress[3]?.state, .snapshot)
        XCTAssertEqual(raft.tracker.progress[3]?.pendingSnapshot, 3)
        XCTAssertTrue(raft.tracker.progress[3]!.isPaused)
        // Its answer after installing the snapshot resumes replication after it.
        try raft.step(Message(type: .appResp, to: 1, from: 3, term: 2, index: 3))
        XCTAssertEqual(raft.tracker.progress[3]?.state, .replicate)
        XCTAssertEqual(raft.messages.last?.type, .app)
        XCTAssertEqual(raft.messages.last?.index, 3)
    }

    func testLeaderSkipsTheRoundWhileTheSnapshotIsTemporarilyUnavailable() throws {
        var raft = try compactedLeader(storage: SnapshotPendingStorage(try compactedStorage()))
        raft.tracker.progress[3] = Progress(match: 0, next: 2, inflightCapacity: 4)
        raft.tracker.progress[3]!.recentActive = true
        raft.sendAppend(to: 3)
        XCTAssertEqual(raft.messages, [])
        XCTAssertEqual(raft.tracker.progress[3]?.state, .probe, "tried again on the next round")
    }

    func testSnapshotStatusMovesTheFollowerBackToProbe() throws {
        for status in [SnapshotStatus.finish, .failure] {
            let cluster = try clusterWithCompactedLeader(seed: 43)
            cluster.heal()
            try cluster.tick(1)
            // Deliver everything but the snapshot itself.
            while let message = cluster.network.first {
                cluster.network.removeFirst()
                if message.type != .snap { try cluster.deliver(message) }
            }
            XCTAssertEqual(cluster[1].raft.tracker.progress[3]?.state, .snapshot)
            cluster[1].node.reportSnapshot(3, status: status)
            let progress = try XCTUnwrap(cluster[1].raft.tracker.progress[3])
            XCTAssertEqual(progress.state, .probe)
            XCTAssertTrue(progress.isPaused, "wait for the next heartbeat response")
            XCTAssertEqual(progress.next, status == .finish ? 7 : 2,
                           "success: probe after the snapshot; failure: from the match")
        }
    }

    func testUnreachableFollowerInReplicateIsProbed() throws {
        let cluster = SimulatedCluster(size: 3, seed: 44)
        try cluster.elect(1)
        XCTAssertEqual(cluster[1].raft.tracker.progress[2]?.state, .replicate)
        cluster[1].node.reportUnreachable(2)
        XCTAssertEqual(cluster[1].raft.tracker.progress[2]?.state, .probe)
    }

    // MARK: Restart

    /// What the server does on restart: the snapshot from disk, the hard state, the WAL's later
    /// entries. The node resumes after the snapshot and applies only what follows it.
    func testRestartFromASnapshotAndLaterEntries() throws {
        let storage = MemoryStorage()
        try storage.applySnapshot(snapshot(index: 20, term: 3, voters: [1, 2, 3]))
        storage.setHardState(HardState(term: 4, vote: 1, commit: 22))
        storage.append(entries([3, 4, 4], from: 21))
        var config = Config(id: 1, seed: 8)
        config.applied = 20
        var node = RawNode(config: config, storage: storage)
        XCTAssertEqual(node.raft.term, 4)
        XCTAssertEqual(node.raft.raftLog.firstIndex, 21)
        XCTAssertEqual(node.raft.raftLog.lastIndex, 23)
        XCTAssertEqual(node.raft.tracker.sortedIDs, [1, 2, 3])
        let ready = node.ready()
        XCTAssertNil(ready.snapshot, "a persisted snapshot is not handed out again")
        XCTAssertEqual(ready.committedEntries.map(\.index), [21, 22])
        node.advance(ready)
        XCTAssertEqual(node.status.applied, 22)
        // It can lead: a vote round, then its empty entry commits after its last index.
        try node.campaign()
        _ = node.ready()
        try node.step(Message(type: .voteResp, to: 1, from: 2, term: 5))
        XCTAssertEqual(node.raft.state, .leader)
        XCTAssertEqual(node.raft.raftLog.lastIndex, 24)
    }

    /// Why the transport must report every snapshot (SnapshotSimulationTests seed 2415): a stale
    /// refusal walks a probing follower's `next` below its match (etcd 3.4's MaybeDecrTo does
    /// too), the entries there are compacted, and the leader sends a snapshot at the follower's
    /// own match. The follower ignores it (it has committed that far) and its answer does not
    /// move the match, so only MsgSnapStatus takes it out of StateSnapshot.
    func testIgnoredSnapshotHoldsTheFollowerUntilTheTransportReportsIt() throws {
        let cluster = SimulatedCluster(size: 3, seed: 21)
        try cluster.elect(1)
        for value: UInt8 in 1...5 { try cluster[1].node.propose([value]) }
        try cluster.stabilize()
        let last = cluster[1].raft.raftLog.lastIndex
        XCTAssertEqual(cluster[2].raft.raftLog.committed, last)
        try cluster.snapshotAndCompact(1, keptEntries: 0)
        cluster[1].node.reportUnreachable(2)  // probe from match + 1
        try cluster[1].node.step(Message(type: .appResp, to: 1, from: 2, term: cluster[1].raft.term,
                                         index: last, reject: true, rejectHint: 1))
        try cluster.processReady(1)
        let progress = { cluster[1].raft.tracker.progress[2]! }
        XCTAssertEqual(progress().state, .snapshot)
        XCTAssertEqual(progress().match, last)
        XCTAssertEqual(progress().pendingSnapshot, last)
        try cluster.stabilize()
        XCTAssertEqual(progress().state, .snapshot, "2 ignored the snapshot; its answer moved nothing")
        cluster[1].node.reportSnapshot(2, status: .finish)
        XCTAssertEqual(progress().state, .probe)
        XCTAssertEqual(progress().next, last + 1)
        try cluster[1].node.propose(Array("after".utf8))
        try cluster.tick(1)
        try cluster.stabilize()
        XCTAssertEqual(cluster[2].applied.last?.data, Array("after".utf8))
    }
}
