// Leader transfer: the leader catches the transferee up, tells it to campaign now, and refuses
// proposals until the transfer completes or an election timeout passes.

@testable import Raft
import XCTest

final class LeaderTransferTests: XCTestCase {
    func testTransferToAnUpToDateFollower() throws {
        let cluster = try electedCluster(seed: 51)
        let term = cluster[1].raft.term
        cluster[1].node.transferLeader(to: 2)
        XCTAssertEqual(cluster[1].node.status.leadTransferee, 2)
        try cluster.stabilize()
        XCTAssertEqual(cluster.leaders, [2])
        XCTAssertEqual(cluster[2].raft.term, term + 1)
        XCTAssertEqual(cluster[1].raft.lead, 2)
        XCTAssertEqual(cluster[1].node.status.leadTransferee, noneNodeID, "cleared with the term change")
        try cluster[2].node.propose([1])
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].applied.last?.data, [1])
    }

    func testTransferPassesTheLeaseOfCheckQuorumAndPreVote() throws {
        let cluster = try electedCluster(seed: 52) { $0.checkQuorum = true; $0.preVote = true }
        cluster[1].node.transferLeader(to: 3)
        try cluster.stabilize()
        XCTAssertEqual(cluster.leaders, [3])
    }

    func testAVoteWithoutTheTransferMarkerIsStillHeldByTheLease() throws {
        let cluster = try electedCluster(seed: 53) { $0.checkQuorum = true }
        let term = cluster[2].raft.term
        try cluster[2].node.step(Message(type: .vote, to: 2, from: 3, term: term + 1,
                                         logTerm: cluster[3].raft.raftLog.lastTerm, index: cluster[3].raft.raftLog.lastIndex))
        XCTAssertEqual(cluster[2].raft.term, term, "in lease: ignored")
        var transfer = Message(type: .vote, to: 2, from: 3, term: term + 1,
                               logTerm: cluster[3].raft.raftLog.lastTerm, index: cluster[3].raft.raftLog.lastIndex)
        transfer.context = campaignTransferContext
        try cluster[2].node.step(transfer)
        XCTAssertEqual(cluster[2].raft.term, term + 1)
        XCTAssertEqual(cluster[2].raft.vote, 3)
    }

    func testTransferToALaggingFollowerWaitsUntilItCaughtUp() throws {
        let cluster = try electedCluster(seed: 54)
        cluster.isolate(3)
        for value: UInt8 in 1...3 {
            try cluster[1].node.propose([value])
            try cluster.stabilize()
        }
        cluster.heal()
        cluster[1].node.transferLeader(to: 3)
        try cluster.processReady(1)
        XCTAssertFalse(cluster.network.contains { $0.type == .timeoutNow }, "3 lacks entries: append first")
        XCTAssertThrowsError(try cluster[1].node.propose([9])) {
            XCTAssertEqual($0 as? RaftError, .proposalDropped)
        }
        try cluster.stabilize()
        XCTAssertEqual(cluster.leaders, [3])
        XCTAssertEqual(cluster[3].applied.compactMap(\.data.first), [1, 2, 3])
    }

    func testTransferAbortsAfterAnElectionTimeoutAndProposalsResume() throws {
        let cluster = try electedCluster(seed: 55)
        cluster.isolate(3)
        cluster[1].node.transferLeader(to: 3)
        try cluster.processReady(1)
        for tick in 1...9 {
            try cluster.tick(1)
            XCTAssertEqual(cluster[1].node.status.leadTransferee, 3, "still transferring after \(tick) ticks")
            XCTAssertThrowsError(try cluster[1].node.propose([UInt8(tick)]))
        }
        try cluster.tick(1)  // the electionTick-th tick
        XCTAssertEqual(cluster[1].node.status.leadTransferee, noneNodeID)
        XCTAssertEqual(cluster.leaders, [1])
        try cluster[1].node.propose([42])
        try cluster.stabilize()
        XCTAssertEqual(cluster[2].applied.last?.data, [42])
    }

    func testIgnoredTransfers() throws {
        let cluster = try electedCluster(seed: 56)
        cluster[1].node.transferLeader(to: 1)
        XCTAssertEqual(cluster[1].node.status.leadTransferee, noneNodeID, "to itself")
        cluster[1].node.transferLeader(to: 9)
        XCTAssertEqual(cluster[1].node.status.leadTransferee, noneNodeID, "to a node it does not track")

        // The same transferee again changes nothing, not even the timeout already running.
        cluster.isolate(3)
        cluster[1].node.transferLeader(to: 3)
        for _ in 1...5 { try cluster.tick(1) }
        cluster[1].node.transferLeader(to: 3)
        for _ in 1...5 { try cluster.tick(1) }
        XCTAssertEqual(cluster[1].node.status.leadTransferee, noneNodeID, "one timeout since the first request")

        // Learners cannot lead.
        var raft = Raft(config: Config(id: 1, seed: 3), storage: MemoryStorage(confState: ConfState(voters: [1, 2, 3])))
        try raft.step(Message(type: .hup, from: 1))
        try raft.step(Message(type: .voteResp, to: 1, from: 2, term: 1))
        raft.tracker.progress[3]!.isLearner = true
        try raft.step(Message(type: .transferLeader, from: 3))
        XCTAssertEqual(raft.leadTransferee, noneNodeID)
    }

    func testANewTransferReplacesTheOneInProgress() throws {
        let cluster = try electedCluster(seed: 57)
        cluster.isolate(3)
        cluster[1].node.transferLeader(to: 3)
        try cluster.processReady(1)
        cluster.heal()
        cluster[1].node.transferLeader(to: 2)
        XCTAssertEqual(cluster[1].node.status.leadTransferee, 2)
        try cluster.stabilize()
        XCTAssertEqual(cluster.leaders, [2])
    }

    func testAFollowerForwardsTheRequestAndDropsItWithoutALeader() throws {
        let cluster = try electedCluster(seed: 58)
        cluster[2].node.transferLeader(to: 3)
        try cluster.processReady(2)
        XCTAssertEqual(cluster.network.map(\.type), [.transferLeader])
        XCTAssertEqual(cluster.network.first?.from, 3, "the transferee travels in From")
        XCTAssertEqual(cluster.network.first?.to, 1)
        try cluster.stabilize()
        XCTAssertEqual(cluster.leaders, [3])

        let lonely = SimulatedCluster(size: 3, seed: 59)
        lonely[2].node.transferLeader(to: 3)
        XCTAssertFalse(lonely[2].node.hasReady)
    }

    func testTimeoutNowIsIgnoredByANodeThatIsNotAVoter() throws {
        var raft = Raft(config: Config(id: 4, seed: 3), storage: MemoryStorage(confState: ConfState(voters: [1, 2, 3])))
        try raft.step(Message(type: .timeoutNow, to: 4, from: 1, term: 1))
        XCTAssertEqual(raft.state, .follower)
    }
}
