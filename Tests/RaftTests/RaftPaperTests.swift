// The Raft paper's guarantees, one test per sentence (Ongaro and Ousterhout, "In Search of an
// Understandable Consensus Algorithm", extended version). Each test builds the situation the
// sentence is about on SimulatedCluster, which also checks election safety, log matching, leader
// completeness and state machine safety after every Ready: a run that broke one throws.
// The seeded simulations (RandomizedSimulationTests and the others) check the same properties
// under random faults; these pin down the paper's own scenarios.

@testable import Raft
import XCTest

extension SimulatedCluster {
    /// Cuts every link between the groups; links inside a group stay up.
    func partition(_ groups: [[NodeID]]) {
        heal()
        for group in groups {
            for a in group { for b in ids where !group.contains(b) { cut.insert([a, b]); cut.insert([b, a]) } }
        }
    }

    /// Delivers in-flight messages one by one, oldest first, until `done` holds or none is left.
    func deliver(until done: () -> Bool) throws {
        while !done(), !network.isEmpty { try deliver(network.removeFirst()) }
    }

    /// The terms of `id`'s persisted log, from its first stored index.
    func logTerms(_ id: NodeID) -> [UInt64] { self[id].storage.storedEntries.map(\.term) }
}

final class RaftPaperTests: XCTestCase {
    /// §5.1: "If a server receives a request with a stale term number, it rejects the request."
    /// And: "If a candidate or leader discovers that its term is out of date, it immediately
    /// reverts to follower state."
    func testStaleTermRequestIsRejectedAndANewerTermDeposesTheLeader() throws {
        let cluster = SimulatedCluster(size: 3, seed: 11)
        try cluster.elect(1)
        try cluster.elect(2)  // term 2
        let term = cluster[3].raft.term
        let lastIndex = cluster[3].raft.raftLog.lastIndex
        // A vote request of an older term, from a candidate whose log is ahead: still refused.
        try cluster[3].node.step(Message(type: .vote, to: 3, from: 1, term: term - 1, logTerm: term, index: lastIndex + 5))
        XCTAssertEqual(cluster[3].raft.vote, 2, "3 keeps its vote for the leader of its term")
        XCTAssertEqual(cluster[3].raft.term, term)
        XCTAssertFalse(cluster[3].raft.messages.contains { $0.type == .voteResp && !$0.reject },
                       "no vote granted to a stale term")
        try cluster.processReady(3)
        // The leader hears of a newer term (a vote request it refuses): it becomes a follower.
        XCTAssertEqual(cluster[2].raft.state, .leader)
        try cluster[2].node.step(Message(type: .vote, to: 2, from: 3, term: term + 1, logTerm: 0, index: 0))
        XCTAssertEqual(cluster[2].raft.state, .follower)
        XCTAssertEqual(cluster[2].raft.term, term + 1)
        XCTAssertEqual(cluster[2].raft.vote, noneNodeID, "3's log is behind: no vote, but the term moved on")
    }

    /// §5.2: "If a follower receives no communication over a period of time called the election
    /// timeout, then it assumes there is no viable leader and begins an election to choose a new
    /// leader."
    func testFollowerThatHearsNothingBecomesCandidate() throws {
        let cluster = SimulatedCluster(size: 3, seed: 12)
        try cluster.elect(1)
        let term = cluster[1].raft.term
        // While the leader's heartbeats arrive, no follower starts an election.
        for _ in 0..<100 {
            for id in cluster.ids { try cluster.tick(id) }
            try cluster.stabilize()
        }
        XCTAssertEqual(cluster.ids.map { cluster[$0].raft.term }, [term, term, term])
        XCTAssertEqual(cluster.leaders, [1])
        // The leader goes silent. Within its randomized timeout, [10, 20) ticks, 2 campaigns.
        cluster.isolate(1)
        cluster.network.removeAll()
        for _ in 0..<9 { try cluster.tick(2) }
        XCTAssertEqual(cluster[2].raft.state, .follower, "no election before the election timeout")
        for _ in 0..<10 where cluster[2].raft.state == .follower { try cluster.tick(2) }
        XCTAssertEqual(cluster[2].raft.state, .candidate)
        XCTAssertEqual(cluster[2].raft.term, term + 1, "a candidate increments its term")
        XCTAssertEqual(cluster[2].raft.vote, 2, "and votes for itself")
        XCTAssertEqual(Set(cluster.network.filter { $0.type == .vote }.map(\.to)), [3], "and asks the others")
    }

    /// §5.2, Election Safety: "at most one leader can be elected in a given term". "Each server
    /// will vote for at most one candidate in a given term, on a first-come-first-served basis";
    /// the vote is persisted, so a restart does not free it.
    func testAtMostOneLeaderPerTermEvenAcrossARestart() throws {
        let cluster = SimulatedCluster(size: 3, seed: 13)
        // 1 and 2 both campaign in term 1; only 3's vote decides, and 1's request reaches it first.
        try cluster[1].node.campaign()
        try cluster.processReady(1)
        try cluster[2].node.campaign()
        try cluster.processReady(2)
        XCTAssertEqual(cluster[1].raft.term, 1)
        XCTAssertEqual(cluster[2].raft.term, 1)
        let toThree = cluster.network.filter { $0.to == 3 }
        cluster.network.removeAll { $0.to == 3 }
        XCTAssertEqual(toThree.map(\.from), [1, 2])
        try cluster.deliver(toThree[0])
        XCTAssertEqual(cluster[3].raft.vote, 1)
        // 3 restarts before 2's request arrives: it keeps only what it persisted, its vote too.
        cluster.restart(3, seed: 99) { _ in }
        try cluster.deliver(toThree[1])
        XCTAssertEqual(cluster[3].raft.vote, 1, "first come, first served, and remembered")
        try cluster.stabilize()
        XCTAssertEqual(cluster.leaders, [1])
        XCTAssertEqual(cluster.leaderOfTerm, [1: 1])
        XCTAssertNotEqual(cluster[2].raft.state, .leader)
    }

    /// §5.3, Log Matching: "If two entries in different logs have the same index and term, then
    /// the logs are identical in all preceding entries." It holds by induction on the consistency
    /// check: "If the follower does not find an entry in its log with the same index and term,
    /// then it refuses the new entries."
    func testLogMatchingThroughTheConsistencyCheck() throws {
        let cluster = SimulatedCluster(size: 3, seed: 14)
        try cluster.elect(1)
        // Logs diverge: 1 appends entries no one else gets, then 2 leads and appends its own.
        cluster.isolate(1)
        for value: UInt8 in 1...3 { try cluster[1].node.propose([value]); try cluster.processReady(1) }
        try cluster.elect(2)
        for value: UInt8 in 4...5 { try cluster[2].node.propose([value]); try cluster.stabilize() }
        XCTAssertNotEqual(cluster.logTerms(1), cluster.logTerms(2))
        // The consistency check: an append after an entry 1 does not hold is refused.
        let last = cluster[1].raft.raftLog.lastIndex
        try cluster[1].node.step(Message(type: .app, to: 1, from: 2, term: cluster[2].raft.term,
                                         logTerm: cluster[2].raft.term, index: last,
                                         entries: [Entry(term: cluster[2].raft.term, index: last + 1)]))
        XCTAssertEqual(cluster[1].raft.raftLog.lastIndex, last, "refused: 1 has no entry \(last) of that term")
        XCTAssertTrue(cluster[1].raft.messages.contains { $0.type == .appResp && $0.reject })
        try cluster.processReady(1)
        // Healed, the leader walks back to where the logs agree and overwrites the rest.
        cluster.heal()
        try cluster.tick(2)
        try cluster.stabilize()
        XCTAssertEqual(cluster.logTerms(1), cluster.logTerms(2))
        XCTAssertEqual(cluster.logTerms(3), cluster.logTerms(2))
        XCTAssertFalse(cluster[1].applied.contains { [[1], [2], [3]].contains($0.data) }, "never committed")
    }

    /// §5.4, Leader Completeness: "If a log entry is committed in a given term, then that entry
    /// will be present in the logs of the leaders for all higher-numbered terms." §5.4.1: a voter
    /// "denies its vote if its own log is more up-to-date than that of the candidate".
    func testEveryLaterLeaderHoldsACommittedEntry() throws {
        let cluster = SimulatedCluster(size: 5, seed: 15)
        try cluster.elect(1)
        cluster.partition([[1, 2, 3], [4, 5]])
        try cluster[1].node.propose(Array("x".utf8))
        try cluster.stabilize()
        let committed = try XCTUnwrap(cluster[1].applied.last)
        XCTAssertEqual(committed.data, Array("x".utf8), "committed by 1, 2 and 3")
        cluster.heal()
        // Every node tries to lead, in turn; 4 and 5 lack the entry and must lose.
        for candidate: NodeID in [4, 5, 2, 4, 3, 5, 1] {
            try cluster.elect(candidate)
            let lacksEntry = cluster[candidate].raft.raftLog.term(at: committed.index) != committed.term
            if lacksEntry { XCTAssertNotEqual(cluster[candidate].raft.state, .leader, "\(candidate) lacks the entry") }
            for leader in cluster.leaders {
                XCTAssertEqual(cluster[leader].raft.raftLog.term(at: committed.index), committed.term,
                               "leader \(leader) of term \(cluster[leader].raft.term)")
            }
        }
        XCTAssertGreaterThan(cluster.leaderOfTerm.count, 3, "several terms had a leader")
    }

    /// §5.4.2: "Raft never commits log entries from previous terms by counting replicas. Only log
    /// entries from the leader's current term are committed by counting replicas." And §5.4.3,
    /// State Machine Safety: "if a server has applied a log entry at a given index to its state
    /// machine, no other server will ever apply a different log entry for the same index."
    /// The paper's Figure 8, with etcd's empty entry on taking office.
    func testFigureEightAnEarlierTermEntryOnAMajorityIsNotCommitted() throws {
        let cluster = SimulatedCluster(size: 5, seed: 16)
        try cluster.elect(1)  // term 1, index 1 committed everywhere
        // (a) 1 appends "a" at index 2 and reaches only 2.
        cluster.partition([[1, 2], [3, 4, 5]])
        try cluster[1].node.propose(Array("a".utf8))
        try cluster.stabilize()
        XCTAssertEqual(cluster.logTerms(2), [1, 1])
        // (b) 5 wins term 2 with 3's and 4's votes and appends its own entry at index 2, which
        // it cannot send before it is cut off.
        cluster.partition([[1, 2], [3, 4, 5]])
        try cluster[5].node.campaign()
        try cluster.processReady(5)
        try cluster.deliver { cluster[5].raft.state == .leader }
        XCTAssertEqual(cluster[5].raft.term, 2)
        cluster.isolate(5)
        cluster.network.removeAll()
        XCTAssertEqual(cluster.logTerms(5), [1, 2])
        // (c) 1 crashes and restarts, wins term 3 (2's, 3's and 4's logs are no more up-to-date
        // than its own) and gets "a" onto 3, but not its own term-3 entry: "a" is on a majority
        // (1, 2, 3) ...
        cluster.restart(1, seed: 16) { _ in }
        cluster.partition([[1, 2, 3, 4], [5]])
        repeat {  // term 2 is lost: 3 and 4 voted for 5 in it
            try cluster[1].node.campaign()
            try cluster.processReady(1)
            try cluster.deliver { cluster[1].raft.state == .leader }
        } while cluster[1].raft.state != .leader
        let term = cluster[1].raft.term
        XCTAssertEqual(term, 3)
        cluster.isolate(1)
        cluster.network.removeAll()
        try cluster[3].node.step(Message(type: .app, to: 3, from: 1, term: term, logTerm: 1, index: 1,
                                         entries: [Entry(term: 1, index: 2, data: Array("a".utf8))], commit: 1))
        try cluster.processReady(3)
        XCTAssertEqual(cluster.logTerms(3), [1, 1])
        // 2's and 3's acknowledgements of index 2 (both hold "a") reach 1 before the cut.
        for follower: NodeID in [2, 3] {
            try cluster[1].node.step(Message(type: .appResp, to: 1, from: follower, term: term, index: 2))
        }
        try cluster.processReady(1)
        XCTAssertEqual(cluster[1].raft.tracker.progress[2]?.match, 2)
        // ... yet 1 must not count it: "a" is of term 1, and 1's own entry 3 is on 1 only.
        XCTAssertEqual(cluster[1].raft.tracker.progress[3]?.match, 2)
        XCTAssertEqual(cluster[1].raft.raftLog.committed, 1, "an earlier term's entry is not committed by counting")
        // (d) 1 fails; 5 restarts, wins term 4 with 2's, 3's and 4's votes (its last entry is of
        // term 2, theirs of term 1) and overwrites index 2 everywhere.
        cluster.restart(5, seed: 17) { _ in }
        cluster.partition([[1], [2, 3, 4, 5]])
        try cluster.elect(5)
        while cluster[5].raft.state != .leader { try cluster.elect(5) }
        XCTAssertEqual(cluster[5].raft.term, 4)
        try cluster.tick(5)
        try cluster.stabilize()
        for id: NodeID in [2, 3, 4, 5] {
            XCTAssertEqual(cluster[id].storage.storedEntries.first { $0.index == 2 }?.term, 2, "node \(id)'s index 2")
        }
        // Nobody ever applied "a": the index it sat at now holds 5's entry, applied everywhere.
        XCTAssertFalse(cluster.committed.values.contains { $0.data == Array("a".utf8) })
        XCTAssertEqual(cluster.committed[2]?.term, 2)
        cluster.heal()
        try cluster.tick(5)
        try cluster.stabilize()
        XCTAssertEqual(cluster[1].applied, cluster[5].applied, "1 applies what 5 did, not \"a\"")
    }
}
