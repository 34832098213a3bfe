// Flow control and persistence rules: bounded inflight appends, bounded message size, votes that
// survive restarts, terms that depose leaders.

@testable import Raft
import XCTest

final class ReplicationFlowTests: XCTestCase {
    func testLeaderStopsAtMaxInflightMsgsUntilAcknowledged() throws {
        let cluster = try electedCluster(seed: 11)  // maxInflightMsgs = 4 in the harness
        cluster.isolate(3)  // 3's acknowledgements never come back...
        cluster.cut.remove([1, 3])  // ...but 1 can still send to it
        cluster.network.removeAll()
        for value in 0..<10 { try cluster[1].node.propose([UInt8(value)]); try cluster.processReady(1) }
        let appendsTo3 = cluster.network.filter { $0.type == .app && $0.to == 3 }
        XCTAssertEqual(appendsTo3.count, 4, "replicate state streams until the inflight window is full")
        XCTAssertTrue(cluster[1].raft.tracker.progress[3]!.isPaused)
    }

    func testProbeStateSendsOneAppendAtATime() throws {
        let cluster = try electedCluster(seed: 12)
        cluster.isolate(3)
        cluster.cut.remove([1, 3])
        for value: UInt8 in [1, 2] { try cluster[1].node.propose([value]); try cluster.processReady(1) }
        // 3 refuses the second append (say the first was lost): back to probing.
        let last = cluster[1].raft.raftLog.lastIndex
        try cluster[1].node.step(Message(type: .appResp, to: 1, from: 3, term: cluster[1].raft.term,
                                         index: last - 1, reject: true, rejectHint: last - 2))
        XCTAssertEqual(cluster[1].raft.tracker.progress[3]!.state, .probe)
        try cluster.processReady(1)
        cluster.network.removeAll()
        for value in 0..<5 { try cluster[1].node.propose([UInt8(value)]); try cluster.processReady(1) }
        XCTAssertEqual(cluster.network.filter { $0.type == .app && $0.to == 3 }.count, 0,
                       "a probe is outstanding: nothing more until it is answered")
    }

    func testAppendMessagesRespectMaxSizePerMsg() throws {
        let cluster = try electedCluster(seed: 13)  // maxSizePerMsgBytes = 64 in the harness
        cluster.isolate(3)
        for _ in 0..<6 { try cluster[1].node.propose([UInt8](repeating: 7, count: 30)); try cluster.stabilize() }
        cluster.heal()
        cluster.network.removeAll()
        try cluster.tick(1)
        try cluster.stabilize()
        XCTAssertEqual(cluster[3].raft.raftLog.lastIndex, cluster[1].raft.raftLog.lastIndex)
        cluster.network.removeAll()
        // Check the shape of what the leader sends to a follower that is behind again.
        cluster.isolate(3)
        for _ in 0..<6 { try cluster[1].node.propose([UInt8](repeating: 7, count: 30)); try cluster.stabilize() }
        cluster.heal()
        try cluster.tick(1)
        var appends: [Message] = []
        while !cluster.network.isEmpty {
            let message = cluster.network.removeFirst()
            if message.type == .app && message.to == 3 { appends.append(message) }
            try cluster.deliver(message)
        }
        XCTAssertFalse(appends.isEmpty)
        for append in appends {
            let bytes = append.entries.reduce(0) { $0 + $1.encodedSize }
            XCTAssertTrue(append.entries.count <= 1 || bytes <= 64, "\(append.entries.count) entries, \(bytes) bytes")
        }
    }

    func testVoteSurvivesARestartAndIsNotGivenTwice() throws {
        let cluster = SimulatedCluster(size: 3, seed: 14)
        try cluster[2].node.step(Message(type: .vote, to: 2, from: 1, term: 1, logTerm: 0, index: 0))
        try cluster.processReady(2)
        XCTAssertEqual(cluster[2].storage.hardState.vote, 1)
        cluster.restart(2, seed: 99) { _ in }
        XCTAssertEqual(cluster[2].raft.term, 1)
        XCTAssertEqual(cluster[2].raft.vote, 1)
        cluster.network.removeAll()
        try cluster[2].node.step(Message(type: .vote, to: 2, from: 3, term: 1, logTerm: 0, index: 0))
        try cluster.processReady(2)
        let answer = cluster.network.first { $0.type == .voteResp }
        XCTAssertEqual(answer?.reject, true, "one vote per term, even across a restart")
    }

    func testLeaderStepsDownOnHigherTerm() throws {
        let cluster = try electedCluster(seed: 15)
        try cluster[1].node.step(Message(type: .heartbeatResp, to: 1, from: 2, term: 9))
        XCTAssertEqual(cluster[1].raft.state, .follower)
        XCTAssertEqual(cluster[1].raft.term, 9)
        XCTAssertEqual(cluster[1].raft.vote, noneNodeID)
    }

    func testHardStateIsReadyBeforeTheMessagesThatDependOnIt() throws {
        let storage = MemoryStorage(confState: ConfState(voters: [1, 2, 3]))
        var node = RawNode(config: Config(id: 2, seed: 1), storage: storage)
        try node.step(Message(type: .vote, to: 2, from: 1, term: 3, logTerm: 0, index: 0))
        let ready = node.ready()
        XCTAssertEqual(ready.hardState, HardState(term: 3, vote: 1, commit: 0))
        XCTAssertTrue(ready.mustSync, "a vote must reach disk before the grant is sent")
        XCTAssertEqual(ready.messages.map(\.type), [.voteResp])
    }

    func testRawNodeRefusesLocalMessagesAndUnknownResponders() {
        var node = RawNode(config: Config(id: 1, seed: 1), storage: MemoryStorage(confState: ConfState(voters: [1, 2])))
        XCTAssertThrowsError(try node.step(Message(type: .hup, to: 1, from: 1))) {
            XCTAssertEqual($0 as? RaftError, .stepLocalMessage)
        }
        XCTAssertThrowsError(try node.step(Message(type: .appResp, to: 1, from: 9, term: 1))) {
            XCTAssertEqual($0 as? RaftError, .stepPeerNotFound)
        }
    }

    func testElectionTimeoutsAreReproducibleFromTheSeed() {
        func ticksToCampaign(seed: UInt64) -> Int {
            var node = RawNode(config: Config(id: 1, seed: seed), storage: MemoryStorage(confState: ConfState(voters: [1, 2, 3])))
            for tick in 1...100 {
                node.tick()
                if node.raft.state == .candidate { return tick }
            }
            return -1
        }
        XCTAssertEqual(ticksToCampaign(seed: 42), ticksToCampaign(seed: 42))
        let spread = Set((1...20).map { ticksToCampaign(seed: $0) })
        XCTAssertTrue(spread.allSatisfy { (10..<20).contains($0) }, "\(spread.sorted())")
        XCTAssertGreaterThan(spread.count, 1, "timeouts are randomized")
    }
}

final class UncommittedLimitTests: XCTestCase {
    func testLeaderRefusesProposalsPastTheUncommittedLimitUntilEntriesCommit() throws {
        let cluster = SimulatedCluster(size: 3, seed: 21) { $0.maxUncommittedEntriesBytes = 10 }
        try cluster.elect(1)
        cluster.isolate(1)  // nothing can commit
        try cluster[1].node.propose([UInt8](repeating: 1, count: 8))
        try cluster.processReady(1)
        XCTAssertThrowsError(try cluster[1].node.propose([UInt8](repeating: 2, count: 8))) {
            XCTAssertEqual($0 as? RaftError, .proposalDropped)
        }
        cluster.heal()
        try cluster.tick(1)
        try cluster.stabilize()
        XCTAssertNoThrow(try cluster[1].node.propose([UInt8](repeating: 3, count: 8)), "committed entries free the budget")
        XCTAssertEqual(cluster[1].node.status.softState, SoftState(lead: 1, raftState: .leader))
    }
}
