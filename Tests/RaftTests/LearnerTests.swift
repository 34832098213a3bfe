// Learners: they receive the log but neither vote, count towards commit, nor campaign; a learner
// can be promoted to voter and a voter demoted to learner.

@testable import Raft
import XCTest

final class LearnerTests: XCTestCase {
    /// Three voters and node 4 added as a learner by a simple (V1) change.
    private func clusterWithLearner(seed: UInt64) throws -> SimulatedCluster {
        let cluster = SimulatedCluster(size: 3, seed: seed)
        cluster.addIdleNode(4, knowing: [1, 2, 3])
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChange(type: .addLearnerNode, nodeID: 4))
        try cluster.stabilize()
        return cluster
    }

    func testLearnerReceivesTheLogButNeverCampaigns() throws {
        let cluster = try clusterWithLearner(seed: 51)
        XCTAssertEqual(cluster[1].confState, ConfState(voters: [1, 2, 3], learners: [4]))
        XCTAssertEqual(cluster[4].confState, ConfState(voters: [1, 2, 3], learners: [4]))
        XCTAssertTrue(cluster[1].raft.tracker.progress[4]!.isLearner)
        try cluster[1].node.propose([3])
        try cluster.stabilize()
        XCTAssertTrue(cluster.hasApplied(4, [3]))
        XCTAssertEqual(cluster[1].raft.tracker.progress[4]!.match, cluster[1].raft.raftLog.lastIndex)

        cluster.cut(4, from: [1, 2, 3])
        let term = cluster[4].raft.term
        for _ in 0..<50 { try cluster.tick(4) }
        XCTAssertEqual(cluster[4].raft.state, .follower)
        XCTAssertEqual(cluster[4].raft.term, term, "a learner never starts an election")
        try? cluster[4].node.campaign()
        XCTAssertEqual(cluster[4].raft.state, .follower, "not even when asked")
    }

    func testLearnerAcknowledgementsDoNotCommit() throws {
        let cluster = try clusterWithLearner(seed: 52)
        cluster.cut(1, from: [2, 3])
        try cluster[1].node.propose([6])
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].raft.tracker.progress[4]!.match, cluster[1].raft.raftLog.lastIndex, "the learner has it")
        XCTAssertFalse(cluster.hasApplied(1, [6]), "a leader and a learner are not a quorum of three voters")
        cluster.heal()
        try cluster.tick(1)
        try cluster.stabilize()
        XCTAssertTrue(cluster.hasApplied(1, [6]))
    }

    func testLearnerVotesAreNotCounted() throws {
        let cs = ConfState(voters: [1, 2, 3], learners: [4])
        var tracker = ProgressTracker(maxInflight: 4)
        let outcome = try Changer.restore(cs, tracker: tracker, lastIndex: 1)
        tracker.config = outcome.config
        tracker.progress = outcome.progress
        tracker.recordVote(1, granted: true)
        tracker.recordVote(4, granted: true)
        tracker.recordVote(9, granted: true)
        XCTAssertEqual(tracker.tallyVotes().granted, 1)
        XCTAssertEqual(tracker.tallyVotes().result, .pending)
        tracker.recordVote(2, granted: true)
        XCTAssertEqual(tracker.tallyVotes().result, .won)
        XCTAssertFalse(tracker.isSingleton)
    }

    func testPromotedLearnerVotesAndCanLead() throws {
        let cluster = try clusterWithLearner(seed: 53)
        let matchBefore = cluster[1].raft.tracker.progress[4]!.match
        try cluster[1].node.proposeConfChange(ConfChange(type: .addNode, nodeID: 4))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].confState, ConfState(voters: [1, 2, 3, 4]))
        XCTAssertFalse(cluster[1].raft.tracker.progress[4]!.isLearner)
        XCTAssertGreaterThanOrEqual(cluster[1].raft.tracker.progress[4]!.match, matchBefore, "progress is kept")
        XCTAssertTrue(cluster[4].raft.isPromotable)
        try cluster[4].node.campaign()
        try cluster.processReady(4)  // outside the cluster's initial members, so not in `stabilize`'s first pass
        try cluster.stabilize()
        XCTAssertEqual(cluster[4].raft.state, .leader)
        XCTAssertEqual(cluster.leaders, [], "the others follow node 4")
        try cluster[4].node.propose([2])
        try cluster.processReady(4)
        try cluster.stabilize()
        XCTAssertTrue(cluster.hasApplied(1, [2]))
    }

    func testDemotedVoterStopsCountingButKeepsReceiving() throws {
        let cluster = SimulatedCluster(size: 3, seed: 54)
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChange(type: .addLearnerNode, nodeID: 3))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].confState, ConfState(voters: [1, 2], learners: [3]))
        XCTAssertFalse(cluster[3].raft.isPromotable)
        cluster.cut(1, from: [2])
        try cluster[1].node.propose([4])
        try cluster.stabilize()
        XCTAssertFalse(cluster.hasApplied(1, [4]), "of voters {1, 2}, only 1 has it")
        XCTAssertEqual(cluster[1].raft.tracker.progress[3]!.match, cluster[1].raft.raftLog.lastIndex)
    }
}
