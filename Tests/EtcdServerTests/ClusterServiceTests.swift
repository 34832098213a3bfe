import EtcdBasics
import EtcdProto
import XCTest

@testable import EtcdServer

/// What the Cluster service decides before a member change is proposed (etcd 3.4's
/// `ClusterServer` and `EtcdServer.AddMember` / `RemoveMember` / `UpdateMember` /
/// `PromoteMember`), and how members are listed.
final class ClusterServiceTests: XCTestCase {
    private let clusterID = ClusterID(1)
    private let local = MemberID(1)

    /// Started voters 1...`voters` (with names), an unstarted voter per `unstarted`, and an
    /// unstarted learner 9 when `learner`.
    private func cluster(voters: UInt64 = 1, unstarted: [UInt64] = [], learner: Bool = false) -> ClusterMembership {
        var members = (1...voters).map { ClusterMember(id: MemberID($0), name: "m\($0)", peerURLs: ["http://m\($0):2380"]) }
        members += unstarted.map { ClusterMember(id: MemberID($0), peerURLs: ["http://m\($0):2380"]) }
        if learner { members.append(ClusterMember(id: MemberID(9), peerURLs: ["http://m9:2380"], isLearner: true)) }
        return ClusterMembership(clusterID: clusterID, members: members)
    }

    private func connected(_ ids: UInt64...) -> PeerActivity {
        let set = Set(ids.map { MemberID($0) })
        return PeerActivity(connected: set, connectedForHealthInterval: set)
    }

    private func add(_ urls: [String], isLearner: Bool = false, membership: ClusterMembership? = nil,
                     activity: PeerActivity? = nil, strict: Bool = false) throws(EtcdError) -> MembershipConfChange {
        try MemberChangeCheck.add(MemberAddRequest(peerURLs: urls, isLearner: isLearner), unixTime: 1_700_000_000,
                                  membership: membership ?? cluster(), localID: local,
                                  activity: activity ?? connected(), isStrictReconfigCheck: strict)
    }

    // MARK: MemberAdd

    func testANewMembersIDHashesItsSortedCanonicalPeerURLsAndTheUnixTime() throws {
        // sha1("http://10.0.0.2:2380" + "http://10.0.0.3:2380" + "1700000000"), first 8 bytes (sha1sum).
        let change = try add([" HTTP://10.0.0.3:2380", "http://10.0.0.2:2380"], isLearner: true)
        XCTAssertEqual(change, .add(ClusterMember(id: MemberID(0xec5f37acd9ea8211),
                                                  peerURLs: ["http://10.0.0.2:2380", "http://10.0.0.3:2380"],
                                                  isLearner: true)))
        XCTAssertEqual(try add(["http://10.0.0.2:2380"]).memberID, MemberID(0xc1f16a944d9b4009))
    }

    func testPeerURLsEtcdCannotParseAreBadURLs() {
        for urls in [[], ["ftp://10.0.0.2:2380"], ["http://10.0.0.2"], ["http://10.0.0.2:2380/path"], ["10.0.0.2:2380"],
                     ["http://10.0.0.2:2380", "http://10.0.0.3"]] {
            XCTAssertThrowsEtcdError(.memberBadURLs, "\(urls)") { () throws(EtcdError) in try add(urls) }
        }
        XCTAssertEqual(EtcdError.memberBadURLs.status.code, .invalidArgument)
        XCTAssertEqual(EtcdError.memberBadURLs.message, "etcdserver: given member URLs are invalid")
    }

    func testStrictChecksGuardMemberAddOnlyWhenEnabled() throws {
        let halfStarted = cluster(voters: 1, unstarted: [2])
        XCTAssertThrowsEtcdError(.memberNotEnoughStarted) { () throws(EtcdError) in
            try add(["http://n:2380"], membership: halfStarted, activity: connected(2), strict: true)
        }
        XCTAssertNoThrow(try add(["http://n:2380"], membership: halfStarted, activity: connected(2), strict: false))
        // A learner does not count against the started quorum, but still needs every voter connected.
        XCTAssertNoThrow(try add(["http://n:2380"], isLearner: true, membership: halfStarted, activity: connected(2), strict: true))
        XCTAssertThrowsEtcdError(.unhealthy) { () throws(EtcdError) in
            try add(["http://n:2380"], isLearner: true, membership: halfStarted, activity: connected(), strict: true)
        }
    }

    func testNotEnoughStartedIsUnknownAsEtcdsErrorMapMakesIt() {
        XCTAssertEqual(EtcdError.memberNotEnoughStarted.status.code, .unknown)
        XCTAssertEqual(EtcdError.memberNotEnoughStarted.message,
                       "etcdserver: re-configuration failed due to not enough started members")
    }

    // MARK: MemberRemove / MemberUpdate

    func testRemoveIsCheckedOnlyUnderStrictReconfiguration() throws {
        let three = cluster(voters: 3)
        let request = MemberRemoveRequest(id: 2)
        // 1 and 2 connected, 3 not: removing 2 would leave 1 of 3 healthy.
        let partial = connected(2)
        XCTAssertThrowsEtcdError(.unhealthy) { () throws(EtcdError) in
            try MemberChangeCheck.remove(request, membership: three, localID: local, activity: partial, isStrictReconfigCheck: true)
        }
        XCTAssertEqual(try MemberChangeCheck.remove(request, membership: three, localID: local, activity: partial,
                                                    isStrictReconfigCheck: false), .remove(MemberID(2)))
        // An unknown ID is proposed; the apply refuses it with "member not found".
        XCTAssertEqual(try MemberChangeCheck.remove(MemberRemoveRequest(id: 77), membership: three, localID: local,
                                                    activity: connected(2, 3), isStrictReconfigCheck: true),
                       .remove(MemberID(77)))
    }

    func testUpdateKeepsTheURLsAsGivenAndTheLearnerFlag() {
        let membership = cluster(voters: 1, learner: true)
        XCTAssertEqual(MemberChangeCheck.update(MemberUpdateRequest(id: 9, peerURLs: ["http://new:2380", "http://a:1"]),
                                                membership: membership),
                       .update(id: MemberID(9), peerURLs: ["http://new:2380", "http://a:1"], isLearner: true))
        XCTAssertEqual(MemberChangeCheck.update(MemberUpdateRequest(id: 1, peerURLs: ["http://x:2380"]), membership: membership),
                       .update(id: MemberID(1), peerURLs: ["http://x:2380"], isLearner: false))
    }

    // MARK: MemberPromote

    private func promote(_ id: UInt64, matchIndexes: [MemberID: UInt64]?, membership: ClusterMembership? = nil,
                         strict: Bool = false) throws(EtcdError) -> MemberChangeCheck.PromoteDecision {
        try MemberChangeCheck.promote(MemberPromoteRequest(id: id), membership: membership ?? cluster(learner: true),
                                      localID: local, matchIndexes: matchIndexes, isStrictReconfigCheck: strict)
    }

    func testOnlyTheLeaderJudgesALearnerFollowersForward() throws {
        XCTAssertEqual(try promote(9, matchIndexes: nil), .forwardToLeader)
        XCTAssertEqual(try promote(9, matchIndexes: [MemberID(1): 100, MemberID(9): 90]), .propose(.promote(MemberID(9))))
        XCTAssertThrowsEtcdError(.learnerNotReady) { () throws(EtcdError) in
            try promote(9, matchIndexes: [MemberID(1): 100, MemberID(9): 89])
        }
        XCTAssertEqual(EtcdError.learnerNotReady.message, "etcdserver: can only promote a learner member which is in sync with leader")
        // Not in the progress at all: proposed, and judged on apply.
        XCTAssertEqual(try promote(5, matchIndexes: [MemberID(1): 100]), .propose(.promote(MemberID(5))))
    }

    func testStrictPromotionNeedsAStartedQuorum() {
        let membership = cluster(voters: 1, unstarted: [2, 3], learner: true)
        XCTAssertThrowsEtcdError(.memberNotEnoughStarted) { () throws(EtcdError) in
            try promote(9, matchIndexes: [MemberID(1): 10, MemberID(9): 10], membership: membership, strict: true)
        }
    }

    // MARK: MemberList

    func testMembersAreListedByIDWithTheirLearnerFlag() {
        let membership = ClusterMembership(clusterID: clusterID, members: [
            ClusterMember(id: MemberID(0xfe), name: "b", peerURLs: ["http://b:2380"], clientURLs: ["http://b:2379"]),
            ClusterMember(id: MemberID(0x0a), peerURLs: ["http://l:2380"], isLearner: true),
            ClusterMember(id: MemberID(0x10), name: "a", peerURLs: ["http://a:2380"]),
        ])
        XCTAssertEqual(membership.members.map(Member.init), [
            Member(id: 0x0a, peerURLs: ["http://l:2380"], isLearner: true),
            Member(id: 0x10, name: "a", peerURLs: ["http://a:2380"]),
            Member(id: 0xfe, name: "b", peerURLs: ["http://b:2380"], clientURLs: ["http://b:2379"]),
        ])
    }
}

/// etcd 3.4's interceptors: a learner serves Status and serializable Range, nothing else.
final class LearnerRuleTests: XCTestCase {
    func testALearnerServesOnlyStatusAndSerializableRanges() {
        let serializable = RangeRequest(key: Array("k".utf8), serializable: true).serializedBytes()
        let linearizable = RangeRequest(key: Array("k".utf8)).serializedBytes()
        let cases: [(EtcdMethod, [UInt8], Bool)] = [
            (.status, [], true),
            (.range, serializable, true),
            (.range, linearizable, false),
            (.put, PutRequest(key: Array("k".utf8)).serializedBytes(), false),
            (.txn, [], false),
            (.memberList, [], false),
            (.memberAdd, MemberAddRequest(peerURLs: ["http://a:1"]).serializedBytes(), false),
            (.alarm, [], false),
            (.hashKV, [], false),
            (.defragment, [], false),
            (.snapshot, [], false),
            (.watch, [], false),
            (.leaseKeepAlive, [], false),
        ]
        for (method, payload, expected) in cases {
            XCTAssertEqual(LearnerRule.isSupported(method, payload: payload), expected, "\(method)")
        }
        XCTAssertEqual(EtcdError.notSupportedForLearner.status.code, .unavailable)
        XCTAssertEqual(EtcdError.notSupportedForLearner.message, "etcdserver: rpc not supported for learner")
    }

    func testAUnaryRequestThatDoesNotDecodeIsLeftToTheHandlersDecodingError() {
        let truncated: [UInt8] = [0x0a, 0x05, 0x6b]   // field 1, length 5, one byte
        XCTAssertTrue(LearnerRule.isSupported(.put, payload: truncated))
        XCTAssertTrue(LearnerRule.isSupported(.range, payload: truncated))
        XCTAssertFalse(LearnerRule.isSupported(.snapshot, payload: truncated), "streams are refused before any message")
    }
}
