// Joint consensus (Raft thesis §4.3) end to end: ConfChangeV2 through RawNode and a simulated
// cluster, auto-leave, the leader's own removal; and the joint quorum rules underneath.

@testable import Raft
import XCTest

extension SimulatedCluster {
    /// Starts node `id` outside the configuration, knowing `voters` as its base configuration (a
    /// joining member learns it from a snapshot in etcd). It takes part once a change adds it.
    func addIdleNode(_ id: NodeID, knowing voters: [NodeID]) {
        nodes[id] = SimulatedNode(id: id, voters: voters, seed: id &* 977, configure: configure)
    }

    /// Cuts the links between `id` and each of `others`, both ways.
    func cut(_ id: NodeID, from others: [NodeID]) {
        for other in others { cut.insert([id, other]); cut.insert([other, id]) }
    }

    func hasApplied(_ id: NodeID, _ data: [UInt8]) -> Bool {
        self[id].applied.contains { $0.data == data && $0.type == .normal }
    }
}

private func confState(voters: [NodeID], outgoing: [NodeID] = [], learners: [NodeID] = [],
                       learnersNext: [NodeID] = [], autoLeave: Bool = false) -> ConfState {
    var state = ConfState(voters: voters, learners: learners)
    state.votersOutgoing = outgoing
    state.learnersNext = learnersNext
    state.autoLeave = autoLeave
    return state
}

final class JointConsensusTests: XCTestCase {
    func testReplaceAVoterAndAddALearnerThenLeaveAutomatically() throws {
        let cluster = SimulatedCluster(size: 3, seed: 41)
        cluster.addIdleNode(4, knowing: [1, 2, 3])
        cluster.addIdleNode(5, knowing: [1, 2, 3])
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChangeV2(changes: [
            ConfChangeSingle(type: .addNode, nodeID: 4),
            ConfChangeSingle(type: .removeNode, nodeID: 3),
            ConfChangeSingle(type: .addLearnerNode, nodeID: 5),
        ]))
        try cluster.stabilize()

        // Two conf entries applied: the joint one, then the empty V2 the leader proposed to leave.
        let changes = try cluster[1].applied.compactMap { try $0.decodedConfChange() }
        XCTAssertEqual(changes.count, 2)
        XCTAssertEqual(changes.last, ConfChangeV2())
        for id: NodeID in [1, 2, 4, 5] {
            XCTAssertEqual(cluster[id].confState, confState(voters: [1, 2, 4], learners: [5]), "node \(id)")
        }
        XCTAssertEqual(cluster[1].raft.tracker.config.description, "voters=(1 2 4) learners=(5)")
        XCTAssertNil(cluster[1].raft.tracker.progress[3], "the replaced voter is no longer tracked")
        XCTAssertTrue(cluster[1].raft.tracker.progress[5]!.isLearner)

        // Commit goes on without node 3, and the learner receives what is committed.
        cluster.isolate(3)
        try cluster[1].node.propose([9])
        try cluster.stabilize()
        for id: NodeID in [1, 2, 4, 5] { XCTAssertTrue(cluster.hasApplied(id, [9]), "node \(id)") }
        XCTAssertFalse(cluster.hasApplied(3, [9]))
    }

    func testJointConfigurationNeedsMajoritiesOfBothHalves() throws {
        let cluster = SimulatedCluster(size: 3, seed: 42)
        cluster.addIdleNode(4, knowing: [1, 2, 3])
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChangeV2(transition: .jointExplicit, changes: [
            ConfChangeSingle(type: .addNode, nodeID: 4), ConfChangeSingle(type: .removeNode, nodeID: 3),
        ]))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].confState, confState(voters: [1, 2, 4], outgoing: [1, 2, 3]),
                       "an explicit transition stays joint until the application leaves it")
        XCTAssertEqual(cluster[1].raft.tracker.config.description, "voters=(1 2 4)&&(1 2 3)")

        // {1, 4} is a majority of the incoming half but not of the outgoing one.
        cluster.cut(1, from: [2, 3])
        try cluster[1].node.propose([7])
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].raft.tracker.progress[4]!.match, cluster[1].raft.raftLog.lastIndex)
        XCTAssertFalse(cluster.hasApplied(1, [7]), "the outgoing half has not agreed")
        cluster.heal()
        try cluster.tick(1)
        try cluster.stabilize()
        XCTAssertTrue(cluster.hasApplied(1, [7]))

        try cluster[1].node.proposeConfChange(ConfChangeV2())
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].confState, confState(voters: [1, 2, 4]))
        // Now {1, 4} is enough.
        cluster.cut(1, from: [2, 3])
        try cluster[1].node.propose([8])
        try cluster.stabilize()
        XCTAssertTrue(cluster.hasApplied(1, [8]))
    }

    func testLeaderRemovedThroughJointConsensusStepsDownAfterLeaving() throws {
        let cluster = SimulatedCluster(size: 3, seed: 43)
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChangeV2(transition: .jointImplicit, changes: [
            ConfChangeSingle(type: .removeNode, nodeID: 1),
        ]))
        try cluster.stabilize()
        // It led through the joint phase (it is an outgoing voter), proposed leaving, then stepped down.
        XCTAssertEqual(try cluster[1].applied.compactMap { try $0.decodedConfChange() }.last, ConfChangeV2())
        XCTAssertEqual(cluster[1].confState, confState(voters: [2, 3]))
        XCTAssertEqual(cluster[1].raft.state, .follower)
        XCTAssertTrue(cluster[1].appliedOwnRemoval)
        let term = cluster[1].raft.term
        for _ in 0..<40 { try cluster.tick(1) }
        XCTAssertEqual(cluster[1].raft.state, .follower, "a removed node never campaigns")
        XCTAssertEqual(cluster[1].raft.term, term)

        // The remaining voters elect a leader among themselves and commit.
        for _ in 0..<40 where cluster.leaders.isEmpty {
            try cluster.tick(2)
            try cluster.tick(3)
            try cluster.stabilize()
        }
        let leader = try XCTUnwrap(cluster.leaders.first)
        XCTAssertTrue([2, 3].contains(leader))
        try cluster[leader].node.propose([5])
        try cluster.stabilize()
        XCTAssertTrue(cluster.hasApplied(2, [5]) && cluster.hasApplied(3, [5]))
    }

    func testLeaderRemovedBySimpleChangeKeepsLeadingWithoutStepDownOnRemoval() throws {
        let cluster = SimulatedCluster(size: 3, seed: 44) { $0.stepDownOnRemoval = false }
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChange(type: .removeNode, nodeID: 1))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].confState, confState(voters: [2, 3]))
        XCTAssertEqual(cluster[1].raft.state, .leader, "etcd 3.4's raft leaves stopping it to the server")
        XCTAssertFalse(cluster[1].raft.isPromotable)
        XCTAssertThrowsError(try cluster[1].node.propose([1])) {
            XCTAssertEqual($0 as? RaftError, .proposalDropped)
        }
    }

    func testRawNodeProposesAndAppliesV2AndLeavesOnItsOwn() throws {
        let storage = MemoryStorage(confState: ConfState(voters: [1]))
        var node = RawNode(config: Config(id: 1, seed: 1), storage: storage)
        try node.campaign()
        var ready = node.ready()
        storage.append(ready.entries)
        node.advance(ready)
        try node.proposeConfChange(ConfChangeV2(changes: [
            ConfChangeSingle(type: .addNode, nodeID: 2), ConfChangeSingle(type: .addLearnerNode, nodeID: 3),
        ]))
        ready = node.ready()
        XCTAssertEqual(ready.committedEntries.map(\.type), [.confChangeV2], "a quorum of one commits at once")
        storage.append(ready.entries)
        let applied = node.applyConfChange(try XCTUnwrap(ready.committedEntries[0].decodedConfChange()))
        XCTAssertEqual(applied, confState(voters: [1, 2], outgoing: [1], learners: [3], autoLeave: true))
        node.advance(ready)

        // Having applied the joint entry, the leader proposes leaving; it needs node 2 to commit.
        ready = node.ready()
        XCTAssertEqual(ready.entries.map(\.type), [.confChangeV2])
        XCTAssertEqual(ready.entries[0].data, [0x08, 0x00], "an empty ConfChangeV2, as etcd marshals it")
        XCTAssertEqual(ready.committedEntries, [])
        XCTAssertEqual(Set(ready.messages.map(\.to)), [2, 3], "the new voter and the learner are probed")
        storage.append(ready.entries)
        node.advance(ready)
        XCTAssertFalse(node.hasReady, "leaving is proposed once")
    }

    func testProposalsRefusedAsEtcdRefusesThem() throws {
        let cluster = SimulatedCluster(size: 3, seed: 45)
        cluster.addIdleNode(4, knowing: [1, 2, 3])
        try cluster.elect(1)
        func proposeAndExpectEmptyEntry(_ change: some ConfChangeConvertible, _ why: String) throws {
            let before = cluster[1].raft.tracker.config
            try cluster[1].node.proposeConfChange(change)
            try cluster.stabilize()
            let last = try XCTUnwrap(cluster[1].applied.last)
            XCTAssertEqual(last.type, .normal, why)
            XCTAssertEqual(last.data, [], why)
            XCTAssertEqual(cluster[1].raft.tracker.config, before, why)
        }
        try proposeAndExpectEmptyEntry(ConfChangeV2(), "not in joint state; refusing empty conf change")
        try proposeAndExpectEmptyEntry(
            ConfChangeV2(transition: .jointExplicit, changes: [1, 2, 3].map { ConfChangeSingle(type: .removeNode, nodeID: $0) }),
            "removed all voters")

        try cluster[1].node.proposeConfChange(ConfChangeV2(transition: .jointExplicit, changes: [
            ConfChangeSingle(type: .addNode, nodeID: 4),
        ]))
        try cluster.stabilize()
        XCTAssertTrue(cluster[1].raft.tracker.config.isJoint)
        try proposeAndExpectEmptyEntry(ConfChangeV2(transition: .jointExplicit, changes: [
            ConfChangeSingle(type: .removeNode, nodeID: 3),
        ]), "must transition out of joint config first")
        try proposeAndExpectEmptyEntry(ConfChange(type: .removeNode, nodeID: 3), "must transition out of joint config first")

        // The pending rule: a leave proposed right behind another is refused.
        cluster.cut(1, from: [2, 3, 4])
        try cluster[1].node.proposeConfChange(ConfChangeV2())
        try cluster[1].node.proposeConfChange(ConfChangeV2())
        try cluster.processReady(1)
        XCTAssertEqual(cluster[1].storage.storedEntries.suffix(2).map(\.type), [.confChangeV2, .normal])
    }

    func testStorageConfStateIsRestoredIncludingAJointOne() {
        let joint = confState(voters: [1, 2, 4], outgoing: [1, 2, 3], learners: [5], learnersNext: [3], autoLeave: true)
        let node = RawNode(config: Config(id: 3, seed: 1), storage: MemoryStorage(confState: joint))
        XCTAssertEqual(node.raft.tracker.confState, joint)
        XCTAssertEqual(node.raft.tracker.config.description, "voters=(1 2 4)&&(1 2 3) learners=(5) learners_next=(3) autoleave")
        XCTAssertTrue(node.raft.isPromotable, "a voter of the outgoing half still campaigns until the joint state is left")
        XCTAssertEqual(node.raft.tracker.sortedIDs, [1, 2, 3, 4, 5])
    }
}

final class QuorumJointTests: XCTestCase {
    func testCommittedIndexIsTheLowerOfBothHalves() {
        let acked: [NodeID: UInt64] = [1: 9, 2: 8, 3: 2, 4: 3, 5: 1]
        let incoming = MajorityConfig([1, 2, 3])
        XCTAssertEqual(JointConfig(incoming: incoming).committedIndex { acked[$0] }, 8, "not joint: incoming alone")
        XCTAssertEqual(JointConfig(incoming: incoming, outgoing: MajorityConfig([1, 4, 5])).committedIndex { acked[$0] }, 3)
        XCTAssertEqual(JointConfig(incoming: incoming, outgoing: incoming).committedIndex { acked[$0] }, 8)
        XCTAssertEqual(JointConfig(incoming: MajorityConfig([1, 6]), outgoing: incoming).committedIndex { acked[$0] }, 0,
                       "an unknown voter has acknowledged nothing")
        XCTAssertEqual(JointConfig().committedIndex { acked[$0] }, .max, "an empty configuration holds nothing back")
    }

    func testVoteResultNeedsBothHalves() {
        let joint = JointConfig(incoming: MajorityConfig([1, 2, 3]), outgoing: MajorityConfig([1, 4, 5]))
        XCTAssertEqual(joint.voteResult([:]), .pending)
        XCTAssertEqual(joint.voteResult([1: true, 2: true]), .pending, "won incoming, outgoing pending")
        XCTAssertEqual(joint.voteResult([1: true, 2: true, 4: true]), .won)
        XCTAssertEqual(joint.voteResult([1: true, 2: true, 4: false, 5: false]), .lost, "lost outgoing")
        XCTAssertEqual(joint.voteResult([2: false, 3: false, 4: true, 5: true]), .lost, "lost incoming")
        XCTAssertEqual(joint.voteResult([1: false, 2: true, 4: true]), .pending)
        XCTAssertEqual(JointConfig(incoming: MajorityConfig([1, 2])).voteResult([1: true]), .pending)
        XCTAssertEqual(JointConfig().voteResult([:]), .won, "an empty configuration agrees")
    }

    func testDescriptions() {
        XCTAssertEqual(JointConfig(incoming: MajorityConfig([3, 1, 2])).description, "(1 2 3)")
        XCTAssertEqual(JointConfig(incoming: MajorityConfig([2]), outgoing: MajorityConfig([1, 2])).description, "(2)&&(1 2)")
        XCTAssertEqual(JointConfig(incoming: MajorityConfig([2]), outgoing: MajorityConfig([1, 2])).sortedVoters, [1, 2])
    }
}
