// Seeded randomized runs of 3- and 5-node clusters under message loss, duplication, reordering,
// partitions, restarts and single-step membership changes, with ReadIndex reads. The cluster
// checks election safety, log matching, leader completeness, state machine safety and read
// linearizability after every Ready; at the end the network heals and the cluster must
// commit a new entry everywhere (liveness once the faults stop). A failure names its seed and the
// command that replays it exactly (RAFT_SIMULATION_SEED=S); RAFT_SIMULATION_SEEDS=N soaks N seeds.

import Foundation
@testable import Raft
import XCTest

extension SimulatedCluster {
    /// Restarts `id` from what it persisted: its storage (hard state, entries, snapshot; each
    /// Ready is persisted before its messages leave, as in etcd) and its applied entries (the
    /// application's state machine). Everything else is lost: unstable entries, votes counted,
    /// progress, timers, pending reads and proposals.
    func restart(_ id: NodeID, seed: UInt64, configure: (inout Config) -> Void) {
        restarts += 1
        let member = self[id]
        var config = Config(id: id, electionTick: 10, heartbeatTick: 1, seed: seed)
        config.maxInflightMsgs = 4
        config.maxSizePerMsgBytes = 64
        config.applied = UInt64(member.applied.count)
        config.stepDownOnRemoval = true
        configure(&config)
        member.node = RawNode(config: config, storage: member.storage)
        // The application restores membership from the conf changes it has applied (etcd keeps
        // them in its membership store and in snapshots).
        for entry in member.applied where entry.type == .confChange {
            member.confState = member.node.applyConfChange(try! ConfChange(serializedBytes: entry.data))
        }
    }

    /// A leader proposes removing a random other voter (keeping a majority of the original
    /// cluster) or re-adding a removed one.
    func proposeMembershipChange() throws {
        guard let leader = leaders.first else { return }
        let voters = self[leader].raft.tracker.voters.voters
        guard let target = running.filter({ $0 != leader }).randomElement(using: &random) else { return }
        let change: ConfChange
        if voters.contains(target) {
            guard voters.count > ids.count / 2 + 1 else { return }
            change = ConfChange(type: .removeNode, nodeID: target)
        } else {
            change = ConfChange(type: .addNode, nodeID: target)
        }
        try? self[leader].node.proposeConfChange(change)
        try processReady(leader)
    }

    /// One random event.
    func chaosStep(_ step: Int, configure: (inout Config) -> Void) throws {
        let roll = Int.random(in: 0..<100, using: &random)
        let someone = running.randomElement(using: &random)!
        switch roll {
        case 0..<45 where !network.isEmpty:
            let position = Int.random(in: 0..<network.count, using: &random)  // reordering
            let message = network[position]
            let fate = Int.random(in: 0..<100, using: &random)
            if fate >= 10 { network.remove(at: position) }  // else: delivered and kept, a duplicate
            if fate >= 10 && fate < 15 { return lose(message) }
            if fate >= 5 && fate < 10 { return }  // delayed: kept, not delivered now
            try deliver(message)
        case 0..<80:
            try tick(someone)
        case 80..<82:
            try proposeMembershipChange()
        case 82..<87:
            try? self[someone].node.propose(Array("s\(step)".utf8))
            try processReady(someone)
        case 87..<90:
            try readIndex(on: someone, context: Array("r\(step)".utf8))
        case 90..<93:
            isolate(someone)
        case 93..<95:
            // Split into a minority and a majority side.
            let minority = Set(ids.shuffled(using: &random).prefix((ids.count - 1) / 2))
            for a in ids { for b in ids where minority.contains(a) != minority.contains(b) { cut.insert([a, b]) } }
        case 95..<99:
            heal()
        default:
            restart(someone, seed: random.next(), configure: configure)
            try processReady(someone)
        }
    }

    /// Heals everything and drives the cluster until a new entry is applied on every node.
    func converge(marker: [UInt8]) throws -> Bool {
        heal()
        var proposedAt: Int?
        for round in 0..<300 {
            for id in ids { try tick(id) }
            try stabilize()
            guard let leader = currentLeader else { continue }
            // Bring removed members back first.
            if let missing = running.first(where: { !self[leader].raft.tracker.voters.voters.contains($0) }) {
                try? self[leader].node.proposeConfChange(ConfChange(type: .addNode, nodeID: missing))
                try processReady(leader)
                try stabilize()
                continue
            }
            // A proposal can be lost with a leader change; like an application, retry it.
            if proposedAt.map({ round - $0 >= 20 }) ?? true, (try? self[leader].node.propose(marker)) != nil {
                proposedAt = round
                try processReady(leader)
                try stabilize()
            }
            if running.allSatisfy({ self[$0].applied.contains { $0.data == marker } }) { return true }
        }
        return false
    }
}

final class RandomizedSimulationTests: XCTestCase {
    /// Reads answered across the seeds run so far: the linearizability check must see some.
    private var readsAnswered = 0

    /// Restarts across the seeds run so far: the default mix must include them.
    private var restarts = 0

    override func tearDown() {
        if !isReplayingOneSeed {
            XCTAssertGreaterThan(readsAnswered, 0, "no ReadIndex read was ever answered")
            XCTAssertGreaterThan(restarts, 0, "no node was ever restarted")
        }
        super.tearDown()
    }

    private func run(size: Int, seed: UInt64, steps: Int, configure: @escaping (inout Config) -> Void) {
        let cluster = SimulatedCluster(size: size, seed: seed, configure: configure)
        do {
            for step in 0..<steps { try cluster.chaosStep(step, configure: configure) }
            let converged = try cluster.converge(marker: Array("final".utf8))
            XCTAssertTrue(converged, "size \(size) seed \(seed) (\(replay(seed: seed))): no progress after healing: " + cluster.ids.map { id in
                let raft = cluster[id].raft
                return "\(id)\(cluster[id].appliedOwnRemoval ? "(stopped)" : ""): \(raft.state) t\(raft.term) lead \(raft.lead) voters \(raft.tracker.voters.sortedVoters) commit \(raft.raftLog.committed) applied \(raft.raftLog.applied) last \(raft.raftLog.lastIndex)"
            }.joined(separator: "; "))
            // State machine safety at the end: every node applied the same sequence.
            let longest = cluster.ids.map { cluster[$0].applied }.max { $0.count < $1.count }!
            for id in cluster.ids {
                XCTAssertEqual(Array(longest.prefix(cluster[id].applied.count)), cluster[id].applied,
                               "size \(size) seed \(seed) (\(replay(seed: seed))): node \(id) applied a different sequence")
            }
            readsAnswered += cluster.ids.map { cluster[$0].readStates.count }.reduce(0, +)
            restarts += cluster.restarts
        } catch {
            XCTFail("size \(size) seed \(seed) (\(replay(seed: seed))): \(error)")
        }
    }

    func testThreeNodesPlain() {
        for seed in simulationSeeds(600) { run(size: 3, seed: seed, steps: simulationSteps(200)) { _ in } }
    }

    func testThreeNodesWithPreVoteAndCheckQuorum() {
        for seed in simulationSeeds(600) { run(size: 3, seed: seed, steps: simulationSteps(200)) { $0.preVote = true; $0.checkQuorum = true } }
    }

    func testFiveNodesPlain() {
        for seed in simulationSeeds(400) { run(size: 5, seed: seed, steps: simulationSteps(250)) { _ in } }
    }

    func testFiveNodesWithPreVoteAndCheckQuorum() {
        for seed in simulationSeeds(400) { run(size: 5, seed: seed, steps: simulationSteps(250)) { $0.preVote = true; $0.checkQuorum = true } }
    }
}
