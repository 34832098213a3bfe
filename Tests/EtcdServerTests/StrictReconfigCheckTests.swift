import EtcdBasics
import XCTest

@testable import EtcdServer

/// `--strict-reconfig-check`: member changes that could cost the cluster its quorum are refused
/// before they are proposed, from who has started (published a name) and who is connected.
final class StrictReconfigCheckTests: XCTestCase {
    /// Voters `started` (with names) and `unstarted`, plus an optional unstarted learner 9.
    private func cluster(started: [UInt64], unstarted: [UInt64] = [], learner: Bool = false) -> ClusterMembership {
        var members = started.map { ClusterMember(id: MemberID($0), name: "m\($0)", peerURLs: ["http://m\($0):2380"]) }
        members += unstarted.map { ClusterMember(id: MemberID($0), peerURLs: ["http://m\($0):2380"]) }
        if learner { members.append(ClusterMember(id: MemberID(9), peerURLs: ["http://m9:2380"], isLearner: true)) }
        return ClusterMembership(clusterID: ClusterID(1), members: members)
    }

    private func healthy(_ ids: UInt64...) -> PeerActivity {
        PeerActivity(connected: Set(ids.map { MemberID($0) }), connectedForHealthInterval: Set(ids.map { MemberID($0) }))
    }

    func testAddingAVoterNeedsAStartedQuorumOfTheGrownCluster() {
        XCTAssertTrue(cluster(started: [1]).isReadyToAddVotingMember, "one started member may always grow")
        XCTAssertFalse(cluster(started: [], unstarted: [1]).isReadyToAddVotingMember)
        XCTAssertTrue(cluster(started: [1, 2]).isReadyToAddVotingMember, "2 of 3")
        XCTAssertFalse(cluster(started: [1], unstarted: [2]).isReadyToAddVotingMember, "1 of 3")
        XCTAssertTrue(cluster(started: [1, 2, 3]).isReadyToAddVotingMember, "3 of 4")
        XCTAssertFalse(cluster(started: [1, 2], unstarted: [3]).isReadyToAddVotingMember, "2 of 4")
        XCTAssertTrue(cluster(started: [1], learner: true).isReadyToAddVotingMember, "a learner is not counted")
    }

    func testRemovingAVoterNeedsAStartedQuorumOfTheOthers() {
        XCTAssertTrue(cluster(started: [1, 2, 3]).isReadyToRemoveVotingMember(MemberID(3)))
        XCTAssertFalse(cluster(started: [1, 2], unstarted: [3]).isReadyToRemoveVotingMember(MemberID(1)), "1 of the 2 left")
        XCTAssertTrue(cluster(started: [1, 2], unstarted: [3]).isReadyToRemoveVotingMember(MemberID(3)))
        XCTAssertFalse(cluster(started: [1]).isReadyToRemoveVotingMember(MemberID(1)), "no member would be left")
    }

    func testPromotingCountsTheLearnerAsAStartedVoter() {
        XCTAssertTrue(cluster(started: [1], learner: true).isReadyToPromoteMember(MemberID(9)))
        XCTAssertFalse(cluster(started: [], unstarted: [1, 2], learner: true).isReadyToPromoteMember(MemberID(9)), "1 of 3")
        XCTAssertTrue(cluster(started: [1], unstarted: [2], learner: true).isReadyToPromoteMember(MemberID(9)), "2 of 3")
    }

    func testMayAddMember() {
        let three = cluster(started: [1, 2, 3])
        XCTAssertNoThrow(try three.mayAddMember(isLearner: false, localID: MemberID(1), activity: healthy(2, 3), isStrictReconfigCheck: true))
        XCTAssertThrowsEtcdError(.unhealthy) { () throws(EtcdError) in
            try three.mayAddMember(isLearner: false, localID: MemberID(1), activity: healthy(2), isStrictReconfigCheck: true)
        }
        // Connected, but not for a whole health interval yet.
        let fresh = PeerActivity(connected: [MemberID(2), MemberID(3)], connectedForHealthInterval: [MemberID(2)])
        XCTAssertThrowsEtcdError(.unhealthy) { () throws(EtcdError) in
            try three.mayAddMember(isLearner: true, localID: MemberID(1), activity: fresh, isStrictReconfigCheck: true)
        }
        let unstarted = cluster(started: [1], unstarted: [2])
        XCTAssertThrowsEtcdError(.memberNotEnoughStarted) { () throws(EtcdError) in
            try unstarted.mayAddMember(isLearner: false, localID: MemberID(1), activity: healthy(2), isStrictReconfigCheck: true)
        }
        XCTAssertNoThrow(try unstarted.mayAddMember(isLearner: true, localID: MemberID(1), activity: healthy(2), isStrictReconfigCheck: true),
                         "a learner does not need started voters")
        XCTAssertNoThrow(try unstarted.mayAddMember(isLearner: false, localID: MemberID(1), activity: healthy(), isStrictReconfigCheck: false))
        // A learner that is down does not block adding (only voters must be connected).
        XCTAssertNoThrow(try cluster(started: [1], learner: true)
            .mayAddMember(isLearner: false, localID: MemberID(1), activity: healthy(), isStrictReconfigCheck: true))
    }

    func testMayRemoveMember() {
        let three = cluster(started: [1, 2, 3])
        XCTAssertNoThrow(try three.mayRemoveMember(MemberID(3), localID: MemberID(1), activity: healthy(2, 3), isStrictReconfigCheck: true))
        XCTAssertNoThrow(try three.mayRemoveMember(MemberID(1), localID: MemberID(1), activity: healthy(2, 3), isStrictReconfigCheck: true))
        // 2 is down: removing 3 (up) would leave 1 of the 2 remaining voters healthy.
        XCTAssertThrowsEtcdError(.unhealthy) { () throws(EtcdError) in
            try three.mayRemoveMember(MemberID(3), localID: MemberID(1), activity: healthy(3), isStrictReconfigCheck: true)
        }
        // A member that is down is not part of the active quorum: removing it is safe.
        XCTAssertNoThrow(try three.mayRemoveMember(MemberID(3), localID: MemberID(1), activity: healthy(), isStrictReconfigCheck: true))
        XCTAssertThrowsEtcdError(.memberNotEnoughStarted) { () throws(EtcdError) in
            try self.cluster(started: [1], unstarted: [2, 3])
                .mayRemoveMember(MemberID(1), localID: MemberID(1), activity: healthy(2, 3), isStrictReconfigCheck: true)
        }
        // Learners are removed without checks.
        XCTAssertNoThrow(try cluster(started: [], unstarted: [1], learner: true)
            .mayRemoveMember(MemberID(9), localID: MemberID(1), activity: healthy(), isStrictReconfigCheck: true))
        XCTAssertNoThrow(try three.mayRemoveMember(MemberID(3), localID: MemberID(1), activity: healthy(3), isStrictReconfigCheck: false))
    }

    func testMayPromoteMember() {
        let membership = cluster(started: [1], learner: true)
        let learner = MemberID(9), leader = MemberID(1)
        XCTAssertThrowsEtcdError(.notLeader) { () throws(EtcdError) in
            try membership.mayPromoteMember(learner, leaderID: leader, matchIndexes: nil, isStrictReconfigCheck: true)
        }
        XCTAssertThrowsEtcdError(.learnerNotReady) { () throws(EtcdError) in
            try membership.mayPromoteMember(learner, leaderID: leader, matchIndexes: [leader: 100, learner: 89], isStrictReconfigCheck: false)
        }
        XCTAssertNoThrow(try membership.mayPromoteMember(learner, leaderID: leader, matchIndexes: [leader: 100, learner: 90], isStrictReconfigCheck: true),
                         "90% of the leader's log is in sync")
        XCTAssertNoThrow(try membership.mayPromoteMember(learner, leaderID: leader, matchIndexes: [leader: 100], isStrictReconfigCheck: true),
                         "a member raft does not track passes here; validation decides on apply")
        let unstarted = cluster(started: [], unstarted: [1, 2], learner: true)
        XCTAssertThrowsEtcdError(.learnerNotReady, "readiness is checked first") { () throws(EtcdError) in
            try unstarted.mayPromoteMember(learner, leaderID: leader, matchIndexes: [leader: 100, learner: 0], isStrictReconfigCheck: true)
        }
        XCTAssertThrowsEtcdError(.memberNotEnoughStarted) { () throws(EtcdError) in
            try unstarted.mayPromoteMember(learner, leaderID: leader, matchIndexes: [leader: 100, learner: 100], isStrictReconfigCheck: true)
        }
        XCTAssertNoThrow(try unstarted.mayPromoteMember(learner, leaderID: leader, matchIndexes: [leader: 100, learner: 100], isStrictReconfigCheck: false))
    }
}
