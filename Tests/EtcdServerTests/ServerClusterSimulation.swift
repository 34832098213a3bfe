// A deterministic, seeded cluster of whole etcd members (raft, WAL and snap files, backend,
// MVCC store, membership) on simulated disks and an in-memory network. It does what RaftNode
// and ApplyLoop do, in their order, but one step at a time from one seed: no threads, no clock.
//
// The raft thread's pass (RaftNode.processReadies): a leader's snapshot recorded (.snap file,
// WAL marker, MemoryStorage, membership from its data); the Ready's entries and hard state
// saved to the WAL (synced when raft says so) before its messages leave; committed conf
// changes validated against the raft thread's membership and handed to raft (a refused one as
// a no-op); the committed entries queued for the apply thread. Snapshot requests from the apply
// thread are handled as RaftNode.takeSnapshot does (MemberLog.saveSnapshot with the V2 store
// membership, then MemoryStorage compaction).
//
// The apply thread's pass (ApplyLoop.run): queued batches applied in order (a leader's snapshot
// installed first by SnapshotInstaller, from the db that came with the MsgSnap); conf changes
// through MembershipApplier, v2 publishes through it too, requests decoded with RaftEntryData
// and applied by KVApplier past the consistent index; the consistent index set in the same
// backend batch; compaction continued in small steps; the backend committed at random points
// and always before a raft snapshot is requested.
//
// The apply thread runs behind the raft thread by a random amount, as threads do.
//
// The transport: a MsgSnap carries raft's stored snapshot as raft made it and the sender's
// backend as last committed, read when the message leaves (PeerLink/SnapshotSender); the
// receiver writes that db to `<snap dir>/<index>.snap.db` through a synced rename before raft
// sees the message (PeerServer), and the sender hears finish or failure. A peer that knows the
// sender as removed refuses it, and the sender stops (etcd's 410 Gone).

import BoltStore
import EtcdBasics
import EtcdIO
import EtcdProto
@testable import EtcdServer
import Foundation
import MVCC
import Raft
import WAL

/// A message on the wire; a MsgSnap carries the sender's committed db, as etcd's merged
/// snapshot does.
struct InFlightMessage {
    var message: Message
    var database: [UInt8]?
}

final class ServerClusterSimulation {
    static let clusterID = ClusterID(0xC1C1)
    /// The most members (voters and learners) a random membership change may lead to.
    static let membersMax = 6
    /// The fewest voters a removal may leave (see JointConsensusSimulationTests: two voters
    /// can stall for good when configurations apply at commit).
    static let votersMin = 3
    static let keys = (0..<8).map { Array("k\($0)".utf8) }

    let seed: UInt64
    var random: SimulationRandom
    let preVote: Bool
    var members: [MemberID: ServerSimulationMember] = [:]
    var nextMemberID: UInt64
    var network: [InFlightMessage] = []
    /// Pairs that cannot talk (both directions listed).
    var cut: Set<[UInt64]> = []
    /// Every entry any member applied (or skipped as already in its backend), by index.
    var committed: [UInt64: Entry] = [:]
    /// The KV hash and membership some member had with its applied index at each index.
    var stateAtIndex: [UInt64: (member: MemberID, hash: KVStore.HashResult, membership: ClusterMembership)] = [:]
    /// Proposals by request ID: the member proposing (it acknowledges when it applies it).
    var proposer: [UInt64: MemberID] = [:]
    var acknowledged: Set<UInt64> = []
    var nextRequestID: UInt64 = 1
    /// The last events, printed with a violation.
    var trace: [String] = []
    /// What the run exercised, so a test can tell it did something.
    var counts: [String: Int] = [:]

    init(seed: UInt64, size: Int = 3) throws {
        self.seed = seed
        random = SimulationRandom(seed: seed)
        preVote = seed % 2 == 0
        nextMemberID = UInt64(size) + 1
        let initial = (1...UInt64(size)).map { ServerSimulationMember.clusterMember(MemberID($0), isLearner: false) }
        for member in initial {
            let simulated = makeMember(member.id)
            try simulated.open(bootstrapMembers: initial, seed: seed, preVote: preVote)
            members[member.id] = simulated
        }
        // The bootstrap entries reach every WAL before anything can crash.
        for id in sortedIDs { try raftPass(id) }
    }

    private func makeMember(_ id: MemberID) -> ServerSimulationMember {
        ServerSimulationMember(id: id, clusterID: Self.clusterID,
                               snapshotCount: UInt64(Int.random(in: 3...25, using: &random)),
                               catchUpEntries: UInt64(Int.random(in: 0...8, using: &random)))
    }

    var sortedIDs: [MemberID] { members.keys.sorted() }
    var running: [MemberID] { sortedIDs.filter { members[$0]!.isRunning } }
    subscript(id: MemberID) -> ServerSimulationMember { members[id]! }

    /// SERVER_SIMULATION_TRACE=1 prints every event as it happens (for a replay that stops
    /// the process on a precondition, where no violation gets to print the trace).
    static let isTracing = ProcessInfo.processInfo.environment["SERVER_SIMULATION_TRACE"] != nil

    func note(_ event: String) {
        if Self.isTracing { print("[\(seed)] " + event) }
        if trace.count >= 24 { trace.removeFirst() }
        trace.append(event)
    }

    func count(_ what: String) { counts[what, default: 0] += 1 }

    func violation(_ what: String) -> ServerSimulationViolation {
        ServerSimulationViolation(description: what + "\n  recent events:\n    " + trace.joined(separator: "\n    "))
    }

    // MARK: - Raft thread

    /// RaftNode's handling of queued snapshot requests, then its Ready loop.
    func raftPass(_ id: MemberID) throws {
        let member = self[id]
        guard member.isRunning else { return }
        let requests = member.snapshotRequests
        member.snapshotRequests = []
        for request in requests { try takeSnapshot(member, at: request.index, membership: request.membership) }
        while member.node.hasReady {
            let ready = member.node.ready()
            var installed: Snapshot?
            if let snapshot = ready.snapshot, !snapshot.isEmpty {
                try recordLeaderSnapshot(snapshot, at: member)
                installed = snapshot
            }
            try member.log.save(hardState: ready.hardState ?? member.node.raft.hardState, entries: ready.entries,
                                mustSync: ready.mustSync)
            member.storage.append(ready.entries)
            if let hardState = ready.hardState { member.storage.setHardState(hardState) }
            for message in ready.messages { try send(message, from: member) }
            for entry in ready.committedEntries where entry.type == .confChange {
                try handOutConfChange(entry, at: member)
            }
            if !ready.committedEntries.isEmpty || installed != nil {
                member.applyQueue.append(SimulatedCommittedBatch(entries: ready.committedEntries, snapshot: installed))
            }
            member.node.advance(ready)
        }
    }

    /// RaftNode.installSnapshot: .snap file, WAL marker, MemoryStorage, membership from its data.
    private func recordLeaderSnapshot(_ snapshot: Snapshot, at member: ServerSimulationMember) throws {
        try member.log.snapshotter.save(snapshot)
        try member.log.wal.saveSnapshot(WALSnapshot(index: snapshot.metadata.index, term: snapshot.metadata.term))
        try member.storage.applySnapshot(snapshot)
        member.raftMembership = try ClusterMembership(v2StoreSnapshot: snapshot.data, clusterID: Self.clusterID)
        member.confState = snapshot.metadata.confState
        note("\(member.id.rawValue) records leader snapshot \(snapshot.metadata.index)")
        count("leader snapshots recorded")
    }

    /// RaftNode.applyConfChange: validated against the raft thread's membership; a refused
    /// change reaches raft as a no-op.
    private func handOutConfChange(_ entry: Entry, at member: ServerSimulationMember) throws {
        var change = try ConfChange(serializedBytes: entry.data)
        do {
            let decoded = try MembershipConfChange(change)
            try member.raftMembership.validate(decoded)
            _ = member.raftMembership.apply(decoded)
        } catch {
            change.nodeID = noneNodeID
        }
        member.confState = member.node.applyConfChange(change)
    }

    /// RaftNode.takeSnapshot; where RaftNode would stop the process, a violation.
    private func takeSnapshot(_ member: ServerSimulationMember, at index: UInt64, membership: ClusterMembership) throws {
        do {
            guard try member.log.saveSnapshot(storage: member.storage, index: index, confState: member.confState,
                                              membership: membership)
            else { return count("snapshot requests overtaken by a leader's snapshot") }
            let compactTo = index > member.catchUpEntries ? index - member.catchUpEntries : 0
            if compactTo >= (try member.storage.firstIndex()) { try member.storage.compact(to: compactTo) }
        } catch {
            throw violation("member \(member.id.rawValue): RaftNode.takeSnapshot at \(index) would stop the process (fatalError): \(error)")
        }
        note("\(member.id.rawValue) snapshot at \(index)")
        count("snapshots taken")
    }

    // MARK: - Network

    func canTalk(_ from: UInt64, _ to: UInt64) -> Bool { !cut.contains([from, to]) }

    private func send(_ message: Message, from member: ServerSimulationMember) throws {
        var inFlight = InFlightMessage(message: message)
        if message.type == .snap {
            // ApplyLoop.sendMergedSnapshots: commit the backend, then a snapshot at the applied
            // index with the configuration and membership as of it (raft's stored one may
            // predate the receiver), the committed db along.
            let kv = member.kv!
            if kv.backend.hasOpenBatch {
                try kv.backend.commit()
                kv.store.backendCommitted()
            }
            if member.appliedTerm > 0 && member.applied >= message.snapshot.metadata.index {
                let membership = member.applyMembership.membership
                inFlight.message.snapshot = Snapshot(
                    data: V2StoreSnapshot.json(membership: membership),
                    metadata: SnapshotMetadata(confState: membership.confState, index: member.applied, term: member.appliedTerm))
                count("merged snapshots sent")
            }
            inFlight.database = try member.committedDatabaseBytes()
            count("snapshots sent")
        }
        network.append(inFlight)
    }

    /// The transport lost a message: a MsgSnap's sender hears so (rafthttp reports
    /// SnapshotFailure).
    func lose(_ inFlight: InFlightMessage) throws {
        let message = inFlight.message
        guard message.type == .snap, let sender = members[MemberID(message.from)], sender.isRunning else { return }
        sender.node.reportSnapshot(message.to, status: .failure)
        try raftPass(sender.id)
    }

    /// Delivers one message if its link is up and its receiver runs. A member that the
    /// receiver knows as removed is refused and stops (etcd's peer handler answers 410 Gone and
    /// the removed member's server stops).
    func deliver(_ inFlight: InFlightMessage) throws {
        let message = inFlight.message
        guard canTalk(message.from, message.to), let receiver = members[MemberID(message.to)], receiver.isRunning else {
            return try lose(inFlight)
        }
        if receiver.raftMembership.isRemoved(MemberID(message.from)) {
            if let sender = members[MemberID(message.from)], sender.isRunning {
                note("\(message.from) stops: \(message.to) knows it removed")
                sender.stopForGood()
                count("removed members stopped by a peer")
            }
            return
        }
        note("deliver \(message.type.name) \(message.from)->\(message.to) t\(message.term) i\(message.index) n\(message.entries.count) c\(message.commit)")
        if message.type == .snap, let database = inFlight.database {
            try receiver.receiveDatabase(database, snapshotIndex: message.snapshot.metadata.index)
        }
        try? receiver.node.step(message)
        try raftPass(receiver.id)
        if message.type == .snap, let sender = members[MemberID(message.from)], sender.isRunning {
            sender.node.reportSnapshot(message.to, status: .finish)
            try raftPass(sender.id)
        }
    }

    // MARK: - Apply thread

    /// One pass of ApplyLoop.run over everything queued; commits the backend when `commit`
    /// (or a snapshot is due), and records the state at the applied index for the checks.
    func applyPass(_ id: MemberID, commit: Bool) throws {
        let member = self[id]
        guard member.isRunning else { return }
        // The apply thread takes what was queued when it woke: the raft thread may have
        // queued more since.
        let taken = member.applyQueue.isEmpty ? 0 : Int.random(in: 1...member.applyQueue.count, using: &random)
        let batches = Array(member.applyQueue.prefix(taken))
        member.applyQueue.removeFirst(taken)
        let appliedBefore = member.applied
        var isLocalMemberRemoved = false
        for batch in batches {
            if let snapshot = batch.snapshot { try installLeaderSnapshot(snapshot, at: member) }
            for entry in batch.entries {
                if try applyEntry(entry, at: member) { isLocalMemberRemoved = true }
            }
        }
        let kv = member.kv!
        _ = kv.store.continueCompaction(recordsMax: Int.random(in: 1...16, using: &random))
        if member.applied > appliedBefore && member.applied > member.consistentIndexAtStart {
            kv.backend.setConsistentIndex(member.applied)
        }
        guard member.applied >= member.snapshotIndex else {
            // ApplyLoop computes `state.applied - snapshotIndex` on every pass: it would trap.
            throw violation("member \(id.rawValue): applied index \(member.applied) is behind the raft snapshot at \(member.snapshotIndex) (consistent index at start \(member.consistentIndexAtStart)): ApplyLoop's snapshot-due arithmetic overflows")
        }
        let isSnapshotDue = member.applied - member.snapshotIndex > member.snapshotCount
        if (commit || isSnapshotDue) && kv.backend.hasOpenBatch {
            try kv.backend.commit()
            kv.store.backendCommitted()
        }
        if isSnapshotDue {
            member.snapshotIndex = member.applied
            member.snapshotRequests.append((member.applied, member.applyMembership.membership))
        }
        if !batches.isEmpty { try checkState(of: member) }
        if member.applyQueue.isEmpty { try checkThreadsAgree(member) }
        if isLocalMemberRemoved {
            note("\(id.rawValue) applied its own removal and stops")
            member.stopForGood()
            count("removed members stopped themselves")
        }
    }

    /// ApplyLoop.installSnapshot: the received db replaces the backend, the membership is the
    /// snapshot's, and entries up to the db's consistent index are skipped from now on.
    private func installLeaderSnapshot(_ snapshot: Snapshot, at member: ServerSimulationMember) throws {
        let consistentIndex: UInt64
        do {
            consistentIndex = try SnapshotInstaller.install(snapshot, kv: member.kv, snapshotDirectory: ServerSimulationMember.snapDirectory,
                                                            fileSystem: member.fileSystem)
        } catch {
            throw violation("member \(member.id.rawValue): installing the leader's snapshot at \(snapshot.metadata.index) would stop the process (fatalError): \(error)")
        }
        let restored = try ClusterMembership(v2StoreSnapshot: snapshot.data, clusterID: Self.clusterID)
        member.applied = snapshot.metadata.index
        member.appliedTerm = snapshot.metadata.term
        member.consistentIndexAtStart = consistentIndex
        member.applyMembership = MembershipApplier(membership: restored, localID: member.id,
                                                   consistentIndexAtStart: consistentIndex)
        member.snapshotIndex = snapshot.metadata.index
        note("\(member.id.rawValue) installs leader db: snapshot \(snapshot.metadata.index) consistent index \(consistentIndex)")
        count("leader snapshots installed")
    }

    /// ApplyLoop.applyEntry. Returns whether the entry removed this member.
    private func applyEntry(_ entry: Entry, at member: ServerSimulationMember) throws -> Bool {
        defer {
            member.applied = entry.index
            member.appliedTerm = entry.term
        }
        if let known = committed[entry.index], known != entry {
            throw violation("state machine safety: index \(entry.index) is \(known) and, at member \(member.id.rawValue), \(entry)")
        }
        committed[entry.index] = entry
        let isNew = entry.index > member.consistentIndexAtStart
        if entry.type == .confChange {
            let outcome = member.applyMembership.applyConfChange(entry)
            if let write = outcome.write { MembershipBackend.perform(write, on: member.kv.backend) }
            return outcome.isLocalMemberRemoved
        }
        guard !entry.data.isEmpty else { return false }
        switch RaftEntryData(decoding: entry.data) {
        case .request(let id, let request, _):
            guard isNew else { return false }
            apply(request, to: member)
            if proposer[id] == member.id { acknowledged.insert(id) }
        case .v2(let request):
            if let write = member.applyMembership.applyV2(request, index: entry.index) {
                MembershipBackend.perform(write, on: member.kv.backend)
            }
        case .unsupported:
            break
        }
        return false
    }

    /// ApplyLoop.apply for the requests the simulation proposes (errors are results: every
    /// member gets the same ones).
    private func apply(_ request: ApplyRequest, to member: ServerSimulationMember) {
        let applier = KVApplier()
        let store = member.kv.store
        switch request {
        case .put(let put): _ = try? applier.put(put, store: store)
        case .deleteRange(let delete): _ = applier.deleteRange(delete, store: store)
        case .txn(let txn): _ = try? applier.txn(txn, store: store)
        case .compaction(let compaction): _ = try? applier.compaction(compaction, store: store)
        default: preconditionFailure("the simulation proposes no \(request)")
        }
    }

    // MARK: - Checks

    /// Once the apply thread has caught up with the raft thread, both threads' memberships
    /// (validated separately, entry by entry) name the same members with the same raft
    /// attributes and the same removed IDs. (Attributes and the cluster version are the apply
    /// thread's alone.)
    private func checkThreadsAgree(_ member: ServerSimulationMember) throws {
        func raftView(_ membership: ClusterMembership) -> [String] {
            membership.members.map { "\($0.id.rawValue) \($0.peerURLs) learner \($0.isLearner)" }
                + membership.removed.sorted().map { "removed \($0.rawValue)" }
        }
        let raftThread = raftView(member.raftMembership)
        let applyThread = raftView(member.applyMembership.membership)
        if raftThread != applyThread {
            throw violation("member \(member.id.rawValue) at applied \(member.applied): the raft thread's membership \(raftThread) differs from the apply thread's \(applyThread)")
        }
    }

    /// Members at the same applied index hold the same KV hash (every revision) and the same
    /// membership. Only checked once the apply thread is past what its backend held at start:
    /// while it replays entries the backend already has, the store is ahead of `applied`.
    private func checkState(of member: ServerSimulationMember) throws {
        guard member.applied >= member.consistentIndexAtStart else { return }
        // Mid-compaction, the records not yet removed count only if kept (etcd's hash rule,
        // which counts them all when nothing is kept): compare finished states.
        guard !member.kv.store.isCompacting else { return }
        let hash = try member.hash()
        let membership = member.applyMembership.membership
        guard let seen = stateAtIndex[member.applied] else {
            stateAtIndex[member.applied] = (member.id, hash, membership)
            return
        }
        if seen.hash != hash {
            throw violation("members \(seen.member.rawValue) and \(member.id.rawValue) differ at applied index \(member.applied): \(seen.hash) vs \(hash)")
        }
        if seen.membership != membership {
            throw violation("members \(seen.member.rawValue) and \(member.id.rawValue) hold different memberships at applied index \(member.applied): \(seen.membership.members.map(\.id.rawValue)) vs \(membership.members.map(\.id.rawValue))")
        }
        count("state checks")
    }
}
