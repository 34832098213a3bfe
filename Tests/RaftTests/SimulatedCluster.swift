// A deterministic cluster of RawNodes over an in-memory network, and the Raft paper's safety
// properties checked after every step. Everything random comes from one seed.

import Foundation
@testable import Raft
import XCTest

/// One member: its stable storage (what survives), its raft node, and what it has applied.
final class SimulatedNode {
    let id: NodeID
    var storage: MemoryStorage
    var node: RawNode
    /// Set when this node applied its own removal (it keeps running: raft makes it step down and
    /// never campaign, and the simulation may add it back).
    var appliedOwnRemoval = false
    /// Committed entries in the order this node applied them.
    var applied: [Entry] = []
    /// The configuration after the last conf change this node applied.
    var confState: ConfState?
    /// ReadStates this node's Readies delivered, in order.
    var readStates: [ReadState] = []

    init(id: NodeID, voters: [NodeID], seed: UInt64, configure: (inout Config) -> Void) {
        self.id = id
        storage = MemoryStorage(confState: ConfState(voters: voters))
        var config = Config(id: id, electionTick: 10, heartbeatTick: 1, seed: seed)
        config.maxInflightMsgs = 4
        config.maxSizePerMsgBytes = 64
        config.stepDownOnRemoval = true
        configure(&config)
        node = RawNode(config: config, storage: storage)
    }

    var raft: Raft { node.raft }
}

/// A violated safety property, with the step it happened at.
struct SafetyViolation: Error, CustomStringConvertible {
    let description: String
}

/// The seeds a simulation test runs: 1...`standard` by default, 1...N with
/// RAFT_SIMULATION_SEEDS=N (a soak), or only S with RAFT_SIMULATION_SEED=S (replaying a failure).
func simulationSeeds(_ standard: UInt64) -> [UInt64] {
    let environment = ProcessInfo.processInfo.environment
    if let seed = environment["RAFT_SIMULATION_SEED"].flatMap({ UInt64($0) }) { return [seed] }
    return Array(1...(environment["RAFT_SIMULATION_SEEDS"].flatMap { UInt64($0) } ?? standard))
}

/// Steps (random events) per seed before the network heals: `standard`, or RAFT_SIMULATION_STEPS
/// for longer soaks.
func simulationSteps(_ standard: Int) -> Int {
    ProcessInfo.processInfo.environment["RAFT_SIMULATION_STEPS"].flatMap { Int($0) } ?? standard
}

/// True when RAFT_SIMULATION_SEED picks one seed: a test's checks that its seeds, taken together,
/// exercised something (reads answered, snapshots installed) do not apply to a single replay.
var isReplayingOneSeed: Bool { ProcessInfo.processInfo.environment["RAFT_SIMULATION_SEED"] != nil }

extension XCTestCase {
    /// A 3-node cluster with 1 elected; returns the cluster with the network drained.
    func electedCluster(seed: UInt64, configure: @escaping (inout Config) -> Void = { _ in },
                        file: StaticString = #filePath, line: UInt = #line) throws -> SimulatedCluster {
        let cluster = SimulatedCluster(size: 3, seed: seed, configure: configure)
        try cluster.elect(1)
        XCTAssertEqual(cluster.leaders, [1], file: file, line: line)
        return cluster
    }

    /// The command that replays `seed` of the running test alone, printed with every failure.
    func replay(seed: UInt64) -> String {
        // `name` is "Type.test" (corelibs XCTest) or "-[Type test]" (Darwin).
        let test = name.filter { !"-[]".contains($0) }.replacingOccurrences(of: " ", with: ".")
        let steps = ProcessInfo.processInfo.environment["RAFT_SIMULATION_STEPS"].map { " RAFT_SIMULATION_STEPS=\($0)" } ?? ""
        return "replay: RAFT_SIMULATION_SEED=\(seed)\(steps) swift test --filter '\(test)$'"
    }
}

final class SimulatedCluster {
    let ids: [NodeID]
    var nodes: [NodeID: SimulatedNode] = [:]
    /// Messages sent and not yet delivered, oldest first.
    var network: [Message] = []
    /// Pairs that cannot talk (both directions are listed).
    var cut: Set<[NodeID]> = []
    var random: SeededRandom
    /// Election safety: the one leader each term had.
    var leaderOfTerm: [UInt64: NodeID] = [:]
    /// Every entry any node applied, by index: what the cluster has committed.
    var committed: [UInt64: Entry] = [:]
    /// For each read issued (by context): the highest commit index any node had at that moment.
    var commitWhenReadIssued: [[UInt8]: UInt64] = [:]

    let configure: (inout Config) -> Void

    init(size: Int, seed: UInt64, configure: @escaping (inout Config) -> Void = { _ in }) {
        self.configure = configure
        ids = (1...UInt64(size)).map { $0 }
        random = SeededRandom(seed: seed)
        for id in ids {
            nodes[id] = SimulatedNode(id: id, voters: ids, seed: seed &* 31 &+ id, configure: configure)
        }
    }

    subscript(id: NodeID) -> SimulatedNode { nodes[id]! }

    // MARK: Partitions

    func isolate(_ id: NodeID) {
        for other in ids where other != id { cut.insert([id, other]); cut.insert([other, id]) }
    }

    func heal() { cut.removeAll() }

    func canTalk(_ from: NodeID, _ to: NodeID) -> Bool { !cut.contains([from, to]) }

    // MARK: Driving

    /// Does what each pending Ready says (persist, send, apply, advance), checking safety after.
    func processReady(_ id: NodeID) throws {
        let member = self[id]
        var logChanged = false
        while member.node.hasReady {
            let ready = member.node.ready()
            transcript?.append(contentsOf: TranscriptFormat.describe(ready, of: id))
            if let snapshot = ready.snapshot { try install(snapshot, at: member) }
            if let hardState = ready.hardState { member.storage.setHardState(hardState) }
            member.storage.append(ready.entries)
            logChanged = logChanged || ready.snapshot != nil || !ready.entries.isEmpty
            // Acknowledgement honesty: a follower never claims an index it does not hold.
            for message in ready.messages where message.type == .appResp && !message.reject && message.index > member.raft.raftLog.lastIndex {
                throw SafetyViolation(description: "a follower acknowledged \(message.index) it does not hold: last \(member.raft.raftLog.lastIndex) storage \(member.storage.storedEntries.map(\.term)) trace \(trace.suffix(4).joined(separator: " // "))")
            }
            var lost: [Message] = []
            for var message in ready.messages {
                guard canTalk(message.from, message.to) else { lost.append(message); continue }
                if message.type == .snap { message.snapshot = try currentSnapshot(of: member) }
                network.append(message)
            }
            for entry in ready.committedEntries { try apply(entry, at: member) }
            for read in ready.readStates { try checkReadIndex(read, at: member) }
            member.node.advance(ready)
            for message in lost { lose(message) }
            if ready.softState?.raftState == .leader { try checkLeaderCompleteness(member) }
            try checkElectionSafety(member)
        }
        // Log matching holds pairwise: only a log that changed can break it with another.
        if logChanged { try checkLogMatching(id) }
        // A leader's view of a follower never points past its own log.
        if member.raft.state == .leader {
            for (peer, progress) in member.raft.tracker.progress where progress.next > member.raft.raftLog.lastIndex + 1 || progress.match > member.raft.raftLog.lastIndex {
                throw SafetyViolation(description: "progress past the leader's log: leader \(id) peer \(peer) \(progress.match) \(progress.next) last \(member.raft.raftLog.lastIndex) trace \(trace.suffix(6).joined(separator: "\n"))")
            }
        }
    }
    /// How many times `restart` brought a node back from its storage.
    var restarts = 0
    /// When set, every Ready handled and message delivered is described here (transcript tests).
    var transcript: [String]?
    /// The last few deliveries, printed with a violation to show how it came about.
    var trace: [String] = []

    /// What etcd's server sends in a MsgSnap instead of raft's stored snapshot: its state machine
    /// as applied now, with the configuration now (a stored snapshot may predate a member).
    private func currentSnapshot(of member: SimulatedNode) throws -> Snapshot {
        let index = UInt64(member.applied.count)
        guard let term = member.raft.raftLog.term(at: index) else {
            throw SafetyViolation(description: "node \(member.id) applied \(index), which its log no longer has")
        }
        let confState = try member.confState ?? member.storage.snapshot().metadata.confState
        return Snapshot(data: Array("sent@\(index)".utf8), metadata: SnapshotMetadata(confState: confState, index: index, term: term))
    }

    /// A snapshot stands for the entries it covers: the node's state machine now holds exactly
    /// what the cluster committed up to its index.
    private func install(_ snapshot: Snapshot, at member: SimulatedNode) throws {
        try member.storage.applySnapshot(snapshot)
        let index = snapshot.metadata.index
        member.applied = try (1...index).map { position in
            guard let entry = committed[position] else {
                throw SafetyViolation(description: "node \(member.id) got a snapshot at \(index) covering uncommitted \(position)")
            }
            return entry
        }
        member.confState = snapshot.metadata.confState
    }

    /// State machine safety: no two nodes apply different entries at one index.
    private func apply(_ entry: Entry, at member: SimulatedNode) throws {
        guard entry.index == UInt64(member.applied.count) + 1 else {
            throw SafetyViolation(description: "node \(member.id) applied \(entry.index) after \(member.applied.count)")
        }
        if let known = committed[entry.index], known != entry {
            throw SafetyViolation(description: "state machine safety: index \(entry.index) is \(known) and \(entry)")
        }
        committed[entry.index] = entry
        member.applied.append(entry)
        if let change = try entry.decodedConfChange() {
            let confState = member.node.applyConfChange(change)
            member.confState = confState
            let members = confState.voters + confState.votersOutgoing + confState.learners + confState.learnersNext
            if !members.contains(member.id) { member.appliedOwnRemoval = true }
        }
    }

    /// Issues a linearizable read on `id`, noting what had been committed anywhere at that moment.
    func readIndex(on id: NodeID, context: [UInt8]) throws {
        commitWhenReadIssued[context] = ids.map { self[$0].raft.raftLog.committed }.max() ?? 0
        self[id].node.readIndex(context: context)
        try processReady(id)
    }

    /// Read linearizability: a read served at its ReadState's index sees every write that was
    /// committed (and so may have been acknowledged) anywhere before the read was issued.
    private func checkReadIndex(_ read: ReadState, at member: SimulatedNode) throws {
        member.readStates.append(read)
        guard let floor = commitWhenReadIssued[read.requestContext] else {
            throw SafetyViolation(description: "node \(member.id) got a ReadState for a read never issued: \(read)")
        }
        if read.index < floor {
            throw SafetyViolation(description: "read index \(read.index) for \(read.requestContext) is below the commit index \(floor) some node had when it was issued")
        }
    }

    /// Election safety: at most one leader per term.
    private func checkElectionSafety(_ member: SimulatedNode) throws {
        guard member.raft.state == .leader else { return }
        let term = member.raft.term
        if let other = leaderOfTerm[term], other != member.id {
            throw SafetyViolation(description: "election safety: \(other) and \(member.id) both lead term \(term)")
        }
        leaderOfTerm[term] = member.id
    }

    /// Leader completeness: a new leader's log holds every entry committed before its term.
    private func checkLeaderCompleteness(_ member: SimulatedNode) throws {
        // Entries compacted into the leader's snapshot are not in its log any more.
        for (index, entry) in committed.sorted(by: { $0.key < $1.key })
        where index >= member.raft.raftLog.firstIndex && member.raft.raftLog.term(at: index) != entry.term {
            throw SafetyViolation(description: "leader completeness: leader \(member.id) of term \(member.raft.term) lacks committed \(entry)")
        }
    }

    /// Log matching: if two logs hold an entry with the same index and term, they are identical
    /// up to that index. Checked between `id`'s persisted log and every other node's.
    private func checkLogMatching(_ id: NodeID) throws {
        // By index: compaction and snapshots make logs start at different indexes.
        let mine = Array(self[id].storage.storedEntries)
        guard let myFirst = mine.first?.index else { return }
        func ours(_ index: UInt64) -> Entry? {
            index >= myFirst && index - myFirst < UInt64(mine.count) ? mine[Int(index - myFirst)] : nil
        }
        for other in ids where other != id {
            let theirs = Array(self[other].storage.storedEntries)
            guard let highestMatch = theirs.last(where: { ours($0.index)?.term == $0.term })?.index else { continue }
            for entry in theirs where entry.index <= highestMatch {
                if let own = ours(entry.index), own != entry {
                    throw SafetyViolation(description: "log matching: nodes \(id) and \(other) agree at \(highestMatch) but differ before")
                }
            }
        }
    }

    /// When set, the transport reports every MsgSnap's outcome to its sender, as etcd's does
    /// (rafthttp's snapshot sender reports SnapshotFinish once the follower has it, and
    /// SnapshotFailure when sending fails): finish on delivery, failure when lost. A leader
    /// relies on it: a follower that ignores a snapshot it does not need answers with an index the
    /// leader may already count as matched, which does not move the follower out of
    /// StateSnapshot.
    var reportsSnapshotOutcomes = false

    /// The network lost `message` (a cut link or a drop).
    func lose(_ message: Message) {
        if reportsSnapshotOutcomes && message.type == .snap {
            self[message.from].node.reportSnapshot(message.to, status: .failure)
        }
    }

    /// Delivers one message (if the link is up when it arrives) and processes the receiver.
    func deliver(_ message: Message) throws {
        guard canTalk(message.from, message.to), let member = nodes[message.to] else { return lose(message) }
        transcript?.append("> \(message.to) receiving \(TranscriptFormat.describe(message))")
        if trace.count >= 8 { trace.removeFirst() }
        trace.append("deliver \(message.type.name) \(message.from)->\(message.to) t\(message.term) i\(message.index) lt\(message.logTerm) n\(message.entries.map { "\($0.index)@\($0.term)" }) c\(message.commit) rej\(message.reject) hint\(message.rejectHint) | receiver state \(member.raft.state) term \(member.raft.term) last \(member.raft.raftLog.lastIndex)")
        try? member.node.step(message)
        try processReady(message.to)
        if reportsSnapshotOutcomes && message.type == .snap {
            self[message.from].node.reportSnapshot(message.to, status: .finish)
            try processReady(message.from)
        }
    }

    /// Delivers every message, in order, until the network is quiet (bounded).
    func stabilize() throws {
        for id in ids { try processReady(id) }
        var rounds = 0
        while !network.isEmpty {
            rounds += 1
            precondition(rounds < 100_000, "cluster did not stabilize")
            let message = network.removeFirst()
            try deliver(message)
        }
    }

    func tick(_ id: NodeID) throws {
        self[id].node.tick()
        try processReady(id)
    }

    /// Ticks until `id` campaigns, then delivers everything.
    func elect(_ id: NodeID) throws {
        try? self[id].node.campaign()
        try stabilize()
    }

    var leaders: [NodeID] { running.filter { self[$0].raft.state == .leader } }

    /// The leader of the highest term, if any: the cluster's leader once the network heals. A
    /// leader of a lower term may linger: a member removed while cut off, that never learned of
    /// its removal, keeps leading its old term, since without CheckQuorum or PreVote its peers
    /// drop its lower-term messages without a word (etcd's raft does the same) and the current
    /// leader no longer sends to it. It can commit nothing; it steps down once the current
    /// leader adds it back (or, in etcd, once its peers' transport tells it it was removed and
    /// its server stops).
    var currentLeader: NodeID? {
        leaders.max { self[$0].raft.term < self[$1].raft.term }
    }

    /// Every node: none stops, even after its removal (see `appliedOwnRemoval`).
    var running: [NodeID] { ids }
}
