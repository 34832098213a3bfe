import EtcdBasics
import Raft
import XCTest

@testable import EtcdServer

/// Conf changes as etcd 3.4's Cluster service proposes them, and as committed entries decode.
/// Contexts are json.Marshal output of etcd's own types.
final class MembershipConfChangeTests: XCTestCase {
    private let learnerID = MemberID(0x31c6be85c24548ac)

    func testMemberAddOfALearnerIsAnAddLearnerNodeWithTheMemberAsContext() throws {
        let member = ClusterMember(id: learnerID, peerURLs: ["http://127.0.0.1:23811"], isLearner: true)
        let change = MembershipConfChange.add(member).confChange(requestID: 9)
        XCTAssertEqual(change.id, 9)
        XCTAssertEqual(change.type, .addLearnerNode)
        XCTAssertEqual(change.nodeID, learnerID.rawValue)
        XCTAssertEqual(String(decoding: change.context, as: UTF8.self),
                       #"{"id":3586763634946427052,"peerURLs":["http://127.0.0.1:23811"],"isLearner":true}"#)
        XCTAssertEqual(try MembershipConfChange(change), .add(member))
    }

    func testMemberAddOfAVoterIsAnAddNode() throws {
        let member = ClusterMember(id: MemberID(0xbdae9bbc11dd390d), name: "n1", peerURLs: ["http://127.0.0.1:23801"])
        let change = MembershipConfChange.add(member).confChange(requestID: 1)
        XCTAssertEqual(change.type, .addNode)
        XCTAssertEqual(try MembershipConfChange(change), .add(member))
    }

    func testPromoteIsAnAddNodeWhoseContextSaysIsPromote() throws {
        let change = MembershipConfChange.promote(learnerID).confChange(requestID: 2)
        XCTAssertEqual(change.type, .addNode)
        XCTAssertEqual(String(decoding: change.context, as: UTF8.self), #"{"id":3586763634946427052,"peerURLs":null,"isPromote":true}"#)
        XCTAssertEqual(try MembershipConfChange(change), .promote(learnerID))
        // etcd decodes the flag whatever the add type, and an explicit false is an add.
        let explicitFalse = ConfChange(type: .addLearnerNode, nodeID: 5,
                                       context: Array(#"{"id":5,"peerURLs":["u"],"isLearner":true,"isPromote":false}"#.utf8))
        XCTAssertEqual(try MembershipConfChange(explicitFalse), .add(ClusterMember(id: MemberID(5), peerURLs: ["u"], isLearner: true)))
    }

    func testRemoveCarriesNoContext() throws {
        let change = MembershipConfChange.remove(learnerID).confChange(requestID: 3)
        XCTAssertEqual(change.type, .removeNode)
        XCTAssertEqual(change.context, [])
        XCTAssertEqual(try MembershipConfChange(change), .remove(learnerID))
    }

    func testUpdateCarriesOnlyIDAndRaftAttributes() throws {
        // What etcd 3.4's MemberUpdate proposes (it leaves isLearner out: false).
        let etcdUpdate = ConfChange(type: .updateNode, nodeID: learnerID.rawValue,
                                    context: Array(#"{"id":3586763634946427052,"peerURLs":["http://127.0.0.1:23821"]}"#.utf8))
        let decoded = try MembershipConfChange(etcdUpdate)
        XCTAssertEqual(decoded, .update(id: learnerID, peerURLs: ["http://127.0.0.1:23821"], isLearner: false))
        XCTAssertEqual(decoded.confChange(requestID: 0), etcdUpdate)
        let keepsLearner = MembershipConfChange.update(id: learnerID, peerURLs: ["u"], isLearner: true).confChange(requestID: 0)
        XCTAssertEqual(String(decoding: keepsLearner.context, as: UTF8.self), #"{"id":3586763634946427052,"peerURLs":["u"],"isLearner":true}"#)
    }

    func testAContextThatDoesNotDecodeOrNamesAnotherMemberIsRefused() {
        XCTAssertThrowsError(try MembershipConfChange(ConfChange(type: .addNode, nodeID: 5, context: Array("{".utf8))))
        XCTAssertThrowsError(try MembershipConfChange(ConfChange(type: .addNode, nodeID: 5, context: [])))
        XCTAssertThrowsError(try MembershipConfChange(ConfChange(type: .addNode, nodeID: 5, context: Array(#"{"id":6,"peerURLs":["u"]}"#.utf8))))
        XCTAssertThrowsError(try MembershipConfChange(ConfChange(type: .updateNode, nodeID: 5, context: Array(#"{"id":6}"#.utf8))))
    }
}
