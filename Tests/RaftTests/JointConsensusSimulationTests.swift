// Seeded randomized runs of five nodes under message loss, duplication, reordering and partitions,
// with membership changes of every kind: ConfChangeV2 with several changes (auto and explicit
// transitions), learners, promotions, demotions and removals of the leader. The cluster checks
// raft's safety properties after every Ready (SimulatedCluster); at the end the network heals,
// every node is made a voter again, and a new entry must commit everywhere. A failure names its
// seed and the command that replays it (simulationSeeds: RAFT_SIMULATION_SEEDS=N for a soak).

import Foundation
@testable import Raft
import XCTest

extension SimulatedCluster {
    /// The fewest voters a random joint change may leave (see `proposeRandomJointChange`).
    static let votersMin = 3

    /// A leader proposes a random change: one to three single changes on random nodes in a
    /// random transition, or, in an explicit joint configuration, the change that leaves it.
    /// Raft replaces what it cannot admit by an empty entry.
    ///
    /// No change leaves fewer than `votersMin` voters. etcd's raft (doc.go) warns that with
    /// configurations taking effect when applied, a cluster of two voters can stop for good, and
    /// recommends three or more: seed 200 at 2000 steps (PreVote and CheckQuorum) went from five
    /// voters to (2 5) in one joint change; 2 applied the leave, 5 never learned it committed and
    /// kept the joint view. 2 cannot win (5's log is longer) and 5 cannot win the outgoing half
    /// (the demoted members' logs are longer still), so nobody is ever elected.
    func proposeRandomJointChange() throws {
        guard let leader = leaders.first else { return }
        let config = self[leader].raft.tracker.config
        if config.isJoint && !config.autoLeave && Bool.random(using: &random) {
            try? self[leader].node.proposeConfChange(ConfChangeV2())
        } else {
            let types: [ConfChangeType] = [.addNode, .addNode, .removeNode, .addLearnerNode]
            let changes = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                ConfChangeSingle(type: types.randomElement(using: &random)!, nodeID: ids.randomElement(using: &random)!)
            }
            var voters = config.voters.incoming.voters
            for change in changes {
                if change.type == .addNode { voters.insert(change.nodeID) } else { voters.remove(change.nodeID) }
            }
            guard voters.count >= SimulatedCluster.votersMin else { return }
            let transitions: [ConfChangeTransition] = [.auto, .jointImplicit, .jointExplicit]
            let change = ConfChangeV2(transition: transitions.randomElement(using: &random)!, changes: changes)
            try? self[leader].node.proposeConfChange(change)
        }
        try processReady(leader)
    }

    func jointChaosStep(_ step: Int) throws {
        let roll = Int.random(in: 0..<100, using: &random)
        let someone = ids.randomElement(using: &random)!
        switch roll {
        case 0..<45 where !network.isEmpty:
            let position = Int.random(in: 0..<network.count, using: &random)
            let message = network[position]
            let fate = Int.random(in: 0..<100, using: &random)
            if fate >= 10 { network.remove(at: position) }  // else: delivered and kept, a duplicate
            if fate >= 10 && fate < 15 { return lose(message) }
            if fate >= 5 && fate < 10 { return }  // delayed: kept, not delivered now
            try deliver(message)
        case 0..<80:
            try tick(someone)
        case 80..<88:
            try proposeRandomJointChange()
        case 88..<92:
            try? self[someone].node.propose(Array("s\(step)".utf8))
            try processReady(someone)
        case 92..<95:
            isolate(someone)
        default:
            heal()
        }
    }

    /// Heals, brings every node back as a voter outside any joint configuration, and drives the
    /// cluster until a new entry is applied everywhere.
    func convergeAsVoters(marker: [UInt8]) throws -> Bool {
        heal()
        var proposedAt: Int?
        for round in 0..<400 {
            for id in ids { try tick(id) }
            try stabilize()
            guard let leader = currentLeader else { continue }
            let config = self[leader].raft.tracker.config
            if config.isJoint {
                if !config.autoLeave { try? self[leader].node.proposeConfChange(ConfChangeV2()) }
                try processReady(leader)
                try stabilize()
                continue
            }
            if let missing = ids.first(where: { !config.voters.incoming.voters.contains($0) }) {
                try? self[leader].node.proposeConfChange(ConfChange(type: .addNode, nodeID: missing))
                try processReady(leader)
                try stabilize()
                continue
            }
            if proposedAt.map({ round - $0 >= 20 }) ?? true, (try? self[leader].node.propose(marker)) != nil {
                proposedAt = round
                try processReady(leader)
                try stabilize()
            }
            if ids.allSatisfy({ hasApplied($0, marker) }) { return true }
        }
        return false
    }
}

final class JointConsensusSimulationTests: XCTestCase {
    private func run(seed: UInt64, steps: Int, configure: @escaping (inout Config) -> Void) -> Int {
        let cluster = SimulatedCluster(size: 5, seed: seed, configure: configure)
        do {
            for step in 0..<steps { try cluster.jointChaosStep(step) }
            let converged = try cluster.convergeAsVoters(marker: Array("final".utf8))
            XCTAssertTrue(converged, "seed \(seed) (\(replay(seed: seed))): no progress after healing: " + cluster.ids.map { id in
                let raft = cluster[id].raft
                return "\(id): \(raft.state) t\(raft.term) lead \(raft.lead) \(raft.tracker.config) commit \(raft.raftLog.committed) applied \(raft.raftLog.applied) last \(raft.raftLog.lastIndex)"
            }.joined(separator: "; "))
            let longest = cluster.ids.map { cluster[$0].applied }.max { $0.count < $1.count }!
            for id in cluster.ids {
                XCTAssertEqual(Array(longest.prefix(cluster[id].applied.count)), cluster[id].applied,
                               "seed \(seed) (\(replay(seed: seed))): node \(id) applied a different sequence")
            }
            // How many configurations were actually joint, so the test shows it exercised them.
            return longest.filter { (try? $0.decodedConfChange())??.enterJointAutoLeave != nil }.count
        } catch {
            XCTFail("seed \(seed) (\(replay(seed: seed))): \(error)")
            return 0
        }
    }

    private var seeds: [UInt64] { simulationSeeds(60) }

    func testFiveNodesChangingMembershipThroughJointConsensus() {
        let joint = seeds.map { run(seed: $0, steps: simulationSteps(400)) { _ in } }.reduce(0, +)
        XCTAssertTrue(isReplayingOneSeed || joint > 0, "no joint configuration was ever entered")
    }

    func testFiveNodesChangingMembershipWithPreVoteAndCheckQuorum() {
        let joint = seeds.map { run(seed: $0, steps: simulationSteps(400)) { $0.preVote = true; $0.checkQuorum = true } }.reduce(0, +)
        XCTAssertTrue(isReplayingOneSeed || joint > 0, "no joint configuration was ever entered")
    }
}
