import EtcdBasics
import GRPC
import XCTest

@testable import EtcdServer

/// Which committed conf changes the membership accepts, in etcd 3.4's order of checks, and what
/// accepting them does.
final class ClusterMembershipTests: XCTestCase {
    private static func member(_ id: UInt64, name: String = "", urls: [String]? = nil, learner: Bool = false) -> ClusterMember {
        ClusterMember(id: MemberID(id), name: name, peerURLs: urls ?? ["http://10.0.0.\(id):2380"], isLearner: learner)
    }

    /// Voters 1 and 2 (started), learner 3 (not started), member 4 removed.
    private let cluster = ClusterMembership(
        clusterID: ClusterID(0xc1),
        members: [member(1, name: "one"), member(2, name: "two"), member(3, learner: true)],
        removed: [MemberID(4)])

    func testValidationTable() {
        let cases: [(String, MembershipConfChange, MembershipError?)] = [
            // A removed ID is refused first, whatever the change and whatever else is wrong.
            ("add of a removed ID", .add(Self.member(4)), .idRemoved),
            ("add of a removed ID whose URLs are taken", .add(Self.member(4, urls: ["http://10.0.0.1:2380"])), .idRemoved),
            ("remove of a removed ID", .remove(MemberID(4)), .idRemoved),
            ("promote of a removed ID", .promote(MemberID(4)), .idRemoved),
            ("update of a removed ID", .update(id: MemberID(4), peerURLs: ["x"], isLearner: false), .idRemoved),
            // Add: the ID, then the peer URLs, then the learner count.
            ("add of an existing ID", .add(Self.member(2, urls: ["http://new:2380"])), .idExists),
            ("add of an existing ID with taken URLs", .add(Self.member(2)), .idExists),
            ("add whose URL a voter holds", .add(Self.member(5, urls: ["http://new:2380", "http://10.0.0.1:2380"])), .peerURLExists),
            ("add whose URL the learner holds", .add(Self.member(5, urls: ["http://10.0.0.3:2380"])), .peerURLExists),
            ("second learner", .add(Self.member(5, learner: true)), .tooManyLearners),
            ("second learner with a taken URL", .add(Self.member(5, urls: ["http://10.0.0.1:2380"], learner: true)), .peerURLExists),
            ("new voter", .add(Self.member(5)), nil),
            ("URLs compare as written", .add(Self.member(5, urls: ["http://10.0.0.1:2380/"])), nil),
            // Promote.
            ("promote of an unknown ID", .promote(MemberID(9)), .idNotFound),
            ("promote of a voter", .promote(MemberID(1)), .memberNotLearner),
            ("promote of the learner", .promote(MemberID(3)), nil),
            // Remove.
            ("remove of an unknown ID", .remove(MemberID(9)), .idNotFound),
            ("remove of a voter", .remove(MemberID(1)), nil),
            ("remove of the learner", .remove(MemberID(3)), nil),
            // Update: another member's URL is taken, the member's own are not.
            ("update of an unknown ID", .update(id: MemberID(9), peerURLs: ["http://10.0.0.1:2380"], isLearner: false), .idNotFound),
            ("update onto another member's URL", .update(id: MemberID(1), peerURLs: ["http://10.0.0.2:2380"], isLearner: false), .peerURLExists),
            ("update keeping its own URL", .update(id: MemberID(1), peerURLs: ["http://10.0.0.1:2380", "http://b:2380"], isLearner: false), nil),
        ]
        for (name, change, expected) in cases {
            do {
                try cluster.validate(change)
                XCTAssertNil(expected, name)
            } catch {
                XCTAssertEqual(error, expected, name)
            }
        }
    }

    func testASecondLearnerIsAcceptedOnceTheFirstIsPromoted() throws {
        var membership = cluster
        XCTAssertThrowsError(try membership.validate(.add(Self.member(5, learner: true))))
        try membership.validate(.promote(MemberID(3)))
        XCTAssertEqual(membership.apply(.promote(MemberID(3))), .saveMember(Self.member(3)))
        XCTAssertNoThrow(try membership.validate(.add(Self.member(5, learner: true))))
    }

    func testApplySequenceAddPublishPromoteUpdateRemove() throws {
        var membership = ClusterMembership(clusterID: ClusterID(0xc1), members: [Self.member(1, name: "one")])
        let learner = Self.member(0x31c6be85c24548ac, urls: ["http://l:2380"], learner: true)
        XCTAssertEqual(try step(&membership, .add(learner)), .saveMember(learner))
        XCTAssertEqual(membership.members.map(\.id), [learner.id, MemberID(1)].sorted())

        var published = learner
        published.name = "l"
        published.clientURLs = ["http://l:2379"]
        XCTAssertEqual(membership.updateAttributes(of: learner.id, name: "l", clientURLs: ["http://l:2379"]), .saveMember(published))

        var promoted = published
        promoted.isLearner = false
        XCTAssertEqual(try step(&membership, .promote(learner.id)), .saveMember(promoted))
        XCTAssertEqual(membership.votingMembers.count, 2)

        // An update replaces peer URLs and the learner flag; name and client URLs stay.
        var moved = promoted
        moved.peerURLs = ["http://l2:2380"]
        XCTAssertEqual(try step(&membership, .update(id: learner.id, peerURLs: ["http://l2:2380"], isLearner: false)), .saveMember(moved))
        XCTAssertEqual(membership.member(learner.id), moved)

        XCTAssertEqual(try step(&membership, .remove(learner.id)), .removeMember(learner.id))
        XCTAssertNil(membership.member(learner.id))
        XCTAssertTrue(membership.isRemoved(learner.id))
        XCTAssertEqual(membership.members, [Self.member(1, name: "one")])
        // The ID is gone for good: neither re-added nor publishing.
        XCTAssertThrowsError(try membership.validate(.add(learner))) { XCTAssertEqual($0 as? MembershipError, .idRemoved) }
        XCTAssertNil(membership.updateAttributes(of: learner.id, name: "l", clientURLs: []))
        // Its URL is free again.
        XCTAssertNoThrow(try membership.validate(.add(Self.member(9, urls: ["http://l2:2380"]))))
    }

    func testTheClusterVersionIsSetByTheLeadersDecision() {
        var membership = ClusterMembership(clusterID: ClusterID(1))
        XCTAssertNil(membership.version)
        XCTAssertEqual(membership.setVersion("3.4.0"), .saveClusterVersion("3.4.0"))
        XCTAssertEqual(membership.version, "3.4.0")
    }

    func testMemberListIsOrderedByIDAndURLListsAreSorted() {
        let membership = ClusterMembership(clusterID: ClusterID(1), members: [
            ClusterMember(id: MemberID(0xbdae9bbc11dd390d), peerURLs: ["http://b:2380"], clientURLs: ["http://b:2379"]),
            ClusterMember(id: MemberID(0x31c6be85c24548ac), peerURLs: ["http://c:2380", "http://a:2380"], isLearner: true),
            ClusterMember(id: MemberID(0xffff), peerURLs: ["http://d:2380"], clientURLs: ["http://a:2379"])])
        // Real etcd lists 31c6be85c24548ac before bdae9bbc11dd390d: numeric, not insertion order.
        XCTAssertEqual(membership.members.map(\.id.description), ["ffff", "31c6be85c24548ac", "bdae9bbc11dd390d"])
        XCTAssertEqual(membership.votingMembers.map(\.id.description), ["ffff", "bdae9bbc11dd390d"])
        XCTAssertEqual(membership.peerURLs, ["http://a:2380", "http://b:2380", "http://c:2380", "http://d:2380"])
        XCTAssertEqual(membership.clientURLs, ["http://a:2379", "http://b:2379"])
        XCTAssertEqual(membership.learnerCount, 1)
    }

    func testRefusalsReachClientsWithEtcdsStatusesAndMessages() {
        XCTAssertEqual(EtcdError(MembershipError.idRemoved).status, GRPCStatus(.notFound, "etcdserver: member not found"))
        XCTAssertEqual(EtcdError(MembershipError.idNotFound), .memberNotFound)
        XCTAssertEqual(EtcdError(MembershipError.idExists).message, "etcdserver: member ID already exist")
        XCTAssertEqual(EtcdError(MembershipError.peerURLExists).message, "etcdserver: Peer URLs already exists")
        XCTAssertEqual(EtcdError(MembershipError.memberNotLearner).message, "etcdserver: can only promote a learner member")
        XCTAssertEqual(EtcdError(MembershipError.tooManyLearners).message, "etcdserver: too many learner members in cluster")
        XCTAssertEqual(EtcdError.learnerNotReady.message, "etcdserver: can only promote a learner member which is in sync with leader")
        XCTAssertEqual(EtcdError.memberNotEnoughStarted.message, "etcdserver: re-configuration failed due to not enough started members")
        XCTAssertEqual(EtcdError(MembershipError.idExists).code, .failedPrecondition)
        XCTAssertEqual(EtcdError(MembershipError.tooManyLearners).code, .failedPrecondition)
        XCTAssertEqual(EtcdError.memberBadURLs.code, .invalidArgument)
    }

    private func step(_ membership: inout ClusterMembership, _ change: MembershipConfChange) throws -> MembershipWrite {
        try membership.validate(change)
        return membership.apply(change)
    }
}

extension ClusterMembershipTests {
    func testMemberUpdateChangesOnlyThePeerURLs() throws {
        var membership = cluster
        let change = membership.memberUpdate(MemberID(3), peerURLs: ["http://moved:2380"])
        XCTAssertEqual(change, .update(id: MemberID(3), peerURLs: ["http://moved:2380"], isLearner: true))
        try membership.validate(change)
        _ = membership.apply(change)
        XCTAssertEqual(membership.member(MemberID(3)), ClusterMember(id: MemberID(3), peerURLs: ["http://moved:2380"], isLearner: true))
        // An update as etcd 3.4 proposes it (no isLearner) is applied as written: the learner
        // reads as a voter afterwards, as it does in etcd 3.4.23's member list.
        _ = membership.apply(.update(id: MemberID(3), peerURLs: ["http://moved:2380"], isLearner: false))
        XCTAssertEqual(membership.member(MemberID(3))?.isLearner, false)
    }
}
