// Bootstrap and single-step membership changes.

@testable import Raft
import XCTest

final class ConfChangeTests: XCTestCase {
    func testBootstrapWritesCommittedAddNodeEntriesAtTermOne() throws {
        let storage = MemoryStorage()
        var node = RawNode(config: Config(id: 1, seed: 1), storage: storage)
        try node.bootstrap(peers: [Peer(id: 1), Peer(id: 2, context: [7])])
        let ready = node.ready()
        XCTAssertEqual(ready.hardState, HardState(term: 1, vote: 0, commit: 2))
        XCTAssertEqual(ready.entries.map(\.type), [.confChange, .confChange])
        XCTAssertEqual(ready.committedEntries, ready.entries)
        // etcd's bytes for ConfChange{Type: AddNode, NodeID: 2, Context: [7]}: ID and Type at zero are written.
        XCTAssertEqual(ready.entries[1].data, [0x08, 0x00, 0x10, 0x00, 0x18, 0x02, 0x22, 0x01, 0x07])
        XCTAssertEqual(node.raft.tracker.voters.sortedVoters, [1, 2])
        XCTAssertThrowsError(try node.bootstrap(peers: [Peer(id: 1)])) {
            XCTAssertEqual($0 as? RaftError, .nonEmptyStorage)
        }
    }

    func testBootstrappedSingleNodeElectsItselfAndCommits() throws {
        let storage = MemoryStorage()
        var node = RawNode(config: Config(id: 1, seed: 1), storage: storage)
        try node.bootstrap(peers: [Peer(id: 1)])
        var ready = node.ready()
        storage.setHardState(ready.hardState!)
        storage.append(ready.entries)
        for entry in ready.committedEntries { _ = node.applyConfChange(try ConfChange(serializedBytes: entry.data)) }
        node.advance(ready)
        try node.campaign()
        ready = node.ready()
        XCTAssertEqual(ready.softState?.raftState, .leader)
        XCTAssertEqual(ready.hardState, HardState(term: 2, vote: 1, commit: 2))
        XCTAssertEqual(ready.committedEntries, [Entry(term: 2, index: 2)])
    }

    func testRemovingAVoterShrinksTheQuorum() throws {
        let cluster = SimulatedCluster(size: 3, seed: 32)
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChange(type: .removeNode, nodeID: 3))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].confState?.voters, [1, 2])
        XCTAssertNil(cluster[1].raft.tracker.progress[3])
        // With {1, 2} a quorum is both; 3's silence no longer matters, 2's does.
        cluster.isolate(2)
        try cluster[1].node.propose([1])
        try cluster.stabilize()
        XCTAssertFalse(cluster[1].applied.contains { $0.data == [1] })
        cluster.heal()
        try cluster.tick(1)
        try cluster.stabilize()
        XCTAssertTrue(cluster[1].applied.contains { $0.data == [1] })
    }

    func testAddingAVoterRaisesTheQuorum() throws {
        let cluster = SimulatedCluster(size: 3, seed: 33)
        try cluster.elect(1)
        try cluster[1].node.proposeConfChange(ConfChange(type: .removeNode, nodeID: 3))
        try cluster.stabilize()
        try cluster[1].node.proposeConfChange(ConfChange(type: .addNode, nodeID: 3))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].confState?.voters, [1, 2, 3])
        XCTAssertEqual(cluster[1].raft.tracker.progress[3]?.match, cluster[1].raft.raftLog.lastIndex,
                       "the re-added node is caught up")
    }

    func testOnlyOneConfChangeIsPendingAtATime() throws {
        let cluster = SimulatedCluster(size: 3, seed: 34)
        try cluster.elect(1)
        cluster.isolate(2)
        cluster.isolate(3)  // nothing commits, so the first change stays pending
        try cluster[1].node.proposeConfChange(ConfChange(type: .removeNode, nodeID: 3))
        try cluster[1].node.proposeConfChange(ConfChange(type: .removeNode, nodeID: 2))
        try cluster.processReady(1)
        let log = Array(cluster[1].storage.storedEntries.suffix(2))
        XCTAssertEqual(log.map(\.type), [.confChange, .normal], "the second change became an empty entry")
        XCTAssertEqual(log[1].data, [])
    }

    func testNoCampaignWhileAConfChangeIsCommittedButUnapplied() throws {
        let storage = MemoryStorage()
        var node = RawNode(config: Config(id: 1, seed: 1), storage: storage)
        try node.bootstrap(peers: [Peer(id: 1), Peer(id: 2)])
        try node.campaign()
        XCTAssertEqual(node.raft.state, .follower, "bootstrap entries are committed but not applied yet")
    }
}

final class MalformedPeerMessageTests: XCTestCase {
    func testTermlessVoteFromAPeerIsRefusedNotTrapped() {
        var node = RawNode(config: Config(id: 1, seed: 1), storage: MemoryStorage(confState: ConfState(voters: [1, 2])))
        XCTAssertThrowsError(try node.step(Message(type: .vote, to: 1, from: 2, term: 0))) {
            XCTAssertEqual($0 as? RaftError, .stepLocalMessage)
        }
    }
}
