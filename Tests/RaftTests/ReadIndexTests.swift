// ReadIndex (Raft thesis §6.4, etcd's ReadOnlySafe): a read is answered with the leader's
// commit index only after a quorum confirms, by echoing the read's context in heartbeat
// responses, that the leader still led when the read arrived.

@testable import Raft
import XCTest

final class ReadIndexTests: XCTestCase {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testSingleNodeLeaderAnswersAtOnce() throws {
        let storage = MemoryStorage(confState: ConfState(voters: [1]))
        var node = RawNode(config: Config(id: 1, seed: 1), storage: storage)
        try node.campaign()
        var ready = node.ready()
        storage.append(ready.entries)
        node.advance(ready)
        node.readIndex(context: bytes("solo"))
        XCTAssertTrue(node.hasReady)
        ready = node.ready()
        XCTAssertEqual(ready.readStates, [ReadState(index: 1, requestContext: bytes("solo"))])
        XCTAssertEqual(ready.messages, [], "no other voter to ask")
        node.advance(ready)
        XCTAssertFalse(node.hasReady, "a ReadState is handed out once")
    }

    func testLeaderAnswersAfterAQuorumEchoesTheContext() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        try cluster.readIndex(on: 1, context: bytes("a"))
        XCTAssertEqual(cluster[1].readStates, [], "not before the heartbeat round")
        let heartbeats = cluster.network.filter { $0.type == .heartbeat }
        XCTAssertEqual(heartbeats.map(\.to), [2, 3])
        XCTAssertEqual(heartbeats.map(\.context), [bytes("a"), bytes("a")])
        // One follower's acknowledgement makes a quorum with the leader's own.
        try cluster.deliver(cluster.network.removeFirst())
        try cluster.deliver(cluster.network.first { $0.type == .heartbeatResp }!)
        XCTAssertEqual(cluster[1].readStates, [ReadState(index: 1, requestContext: bytes("a"))])
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].readStates.count, 1, "the late acknowledgement answers nothing twice")
    }

    func testReadIndexIsTheCommitIndexWhenTheReadArrived() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        try cluster[1].node.propose(bytes("x"))
        try cluster.stabilize()
        try cluster.readIndex(on: 1, context: bytes("after x"))
        try cluster[1].node.propose(bytes("y"))  // commits during the round; the read need not wait for it
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].readStates, [ReadState(index: 2, requestContext: bytes("after x"))])
    }

    func testOneRoundConfirmsEveryEarlierRead() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        try cluster.readIndex(on: 1, context: bytes("first"))
        cluster.network.removeAll()  // the first read's round is lost
        try cluster.readIndex(on: 1, context: bytes("second"))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].readStates, [ReadState(index: 1, requestContext: bytes("first")),
                                               ReadState(index: 1, requestContext: bytes("second"))])
    }

    func testPeriodicHeartbeatCarriesThePendingRead() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        try cluster.readIndex(on: 1, context: bytes("retry"))
        cluster.network.removeAll()
        try cluster.tick(1)  // heartbeatTick is 1
        XCTAssertEqual(cluster.network.filter { $0.type == .heartbeat }.map(\.context), [bytes("retry"), bytes("retry")])
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].readStates, [ReadState(index: 1, requestContext: bytes("retry"))])
    }

    func testFollowerForwardsTheReadAndGetsTheLeadersAnswer() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        try cluster[1].node.propose(bytes("x"))
        try cluster.stabilize()
        try cluster.readIndex(on: 2, context: bytes("via 2"))
        XCTAssertEqual(cluster.network.map(\.type), [.readIndex])
        XCTAssertEqual(cluster.network.first?.to, 1)
        try cluster.stabilize()
        XCTAssertEqual(cluster[2].readStates, [ReadState(index: 2, requestContext: bytes("via 2"))])
        XCTAssertEqual(cluster[1].readStates, [], "the leader answers the follower, not its own application")
    }

    func testFollowerWithoutLeaderDropsTheRead() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.readIndex(on: 2, context: bytes("nobody"))
        XCTAssertEqual(cluster.network, [])
        XCTAssertEqual(cluster[2].readStates, [])
    }

    /// The reason for the heartbeat round: an old leader cut off from the majority still thinks
    /// it leads, but the majority has elected another and committed writes it has not seen.
    func testDeposedLeaderThatDoesNotKnowItNeverAnswersARead() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        cluster.isolate(1)
        try cluster.elect(2)
        try cluster[2].node.propose(bytes("unseen by 1"))
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].raft.state, .leader, "node 1 does not know it was deposed")
        try cluster.readIndex(on: 1, context: bytes("stale"))
        for _ in 0..<5 { try cluster.tick(1); try cluster.stabilize() }
        cluster.heal()  // its heartbeats now reach nodes of a higher term, which do not acknowledge them
        for _ in 0..<5 { try cluster.tick(1); try cluster.stabilize() }
        XCTAssertEqual(cluster[1].readStates, [])
        XCTAssertEqual(cluster.ids.flatMap { cluster[$0].readStates }, [])
        // The real leader answers, at an index that includes the write node 1 never saw.
        try cluster.readIndex(on: 2, context: bytes("fresh"))
        try cluster.stabilize()
        XCTAssertEqual(cluster[2].readStates, [ReadState(index: 3, requestContext: bytes("fresh"))])
    }

    /// A new leader's commit index may lag what its predecessor committed and acknowledged until
    /// it commits an entry of its own term; reads wait for that (etcd 3.4.23 postpones them).
    func testReadsWaitForTheLeadersFirstCommitInItsTerm() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        try cluster[1].node.propose(bytes("x"))
        try cluster.stabilize()
        try? cluster[2].node.campaign()
        try cluster.processReady(2)
        while cluster[2].raft.state != .leader { try cluster.deliver(cluster.network.removeFirst()) }
        XCTAssertEqual(cluster[2].raft.raftLog.committed, 2, "term 2's empty entry (3) is not committed yet")
        try cluster.readIndex(on: 2, context: bytes("early"))
        try cluster.readIndex(on: 3, context: bytes("early via 3"))  // 3 knows 2 leads only after its MsgApp
        XCTAssertFalse(cluster.network.contains { $0.type == .heartbeat && !$0.context.isEmpty },
                       "no round before the first commit of the term")
        try cluster.stabilize()
        XCTAssertEqual(cluster[2].readStates, [ReadState(index: 3, requestContext: bytes("early"))])
    }

    func testLeaderStepDownDropsPendingReads() throws {
        let cluster = SimulatedCluster(size: 3, seed: 1)
        try cluster.elect(1)
        try cluster.readIndex(on: 1, context: bytes("lost"))
        cluster.network.removeAll()
        cluster.isolate(1)
        try cluster.elect(2)
        cluster.heal()
        for _ in 0..<3 { try cluster.tick(2); try cluster.stabilize() }
        XCTAssertEqual(cluster[1].raft.state, .follower)
        XCTAssertTrue(cluster[1].raft.readOnly.isEmpty)
        XCTAssertEqual(cluster.ids.flatMap { cluster[$0].readStates }, [])
    }

    /// The message flow of a read made at a follower, reviewed as text.
    func testTranscriptOfAForwardedRead() {
        TranscriptRunner.check("""
        add-nodes 3
        ----
        ok

        campaign 1
        ----
        > 1 handling Ready
          Lead:0 State:StateCandidate
          HardState Term:1 Vote:1 Commit:0
          1->2 MsgVote Term:1 Log:0/0
          1->3 MsgVote Term:1 Log:0/0

        stabilize
        ----
        > 2 receiving 1->2 MsgVote Term:1 Log:0/0
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:0
          2->1 MsgVoteResp Term:1 Log:0/0
        > 3 receiving 1->3 MsgVote Term:1 Log:0/0
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:0
          3->1 MsgVoteResp Term:1 Log:0/0
        > 1 receiving 2->1 MsgVoteResp Term:1 Log:0/0
        > 1 handling Ready
          Lead:1 State:StateLeader
          Entries: 1/1 EntryNormal ""
          1->2 MsgApp Term:1 Log:0/0 Entries:[1/1 EntryNormal ""]
          1->3 MsgApp Term:1 Log:0/0 Entries:[1/1 EntryNormal ""]
        > 1 receiving 3->1 MsgVoteResp Term:1 Log:0/0
        > 2 receiving 1->2 MsgApp Term:1 Log:0/0 Entries:[1/1 EntryNormal ""]
        > 2 handling Ready
          Lead:1 State:StateFollower
          Entries: 1/1 EntryNormal ""
          2->1 MsgAppResp Term:1 Log:0/1
        > 3 receiving 1->3 MsgApp Term:1 Log:0/0 Entries:[1/1 EntryNormal ""]
        > 3 handling Ready
          Lead:1 State:StateFollower
          Entries: 1/1 EntryNormal ""
          3->1 MsgAppResp Term:1 Log:0/1
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/1
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:1
          CommittedEntries: 1/1 EntryNormal ""
          1->2 MsgApp Term:1 Log:1/1 Commit:1
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/1
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/1 Commit:1
        > 2 receiving 1->2 MsgApp Term:1 Log:1/1 Commit:1
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:1
          CommittedEntries: 1/1 EntryNormal ""
          2->1 MsgAppResp Term:1 Log:0/1
        > 3 receiving 1->3 MsgApp Term:1 Log:1/1 Commit:1
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:1
          CommittedEntries: 1/1 EntryNormal ""
          3->1 MsgAppResp Term:1 Log:0/1
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/1
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/1

        read-index 2 req-7
        ----
        > 2 handling Ready
          2->1 MsgReadIndex Term:0 Log:0/0 Entries:[0/0 EntryNormal "req-7"]

        stabilize
        ----
        > 1 receiving 2->1 MsgReadIndex Term:0 Log:0/0 Entries:[0/0 EntryNormal "req-7"]
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1 Context:req-7
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1 Context:req-7
        > 2 receiving 1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1 Context:req-7
        > 2 handling Ready
          2->1 MsgHeartbeatResp Term:1 Log:0/0 Context:req-7
        > 3 receiving 1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1 Context:req-7
        > 3 handling Ready
          3->1 MsgHeartbeatResp Term:1 Log:0/0 Context:req-7
        > 1 receiving 2->1 MsgHeartbeatResp Term:1 Log:0/0 Context:req-7
        > 1 handling Ready
          1->2 MsgReadIndexResp Term:1 Log:0/1 Entries:[0/0 EntryNormal "req-7"]
        > 1 receiving 3->1 MsgHeartbeatResp Term:1 Log:0/0 Context:req-7
        > 2 receiving 1->2 MsgReadIndexResp Term:1 Log:0/1 Entries:[0/0 EntryNormal "req-7"]
        > 2 handling Ready
          ReadState Index:1 Context:req-7
        """)
    }
}
