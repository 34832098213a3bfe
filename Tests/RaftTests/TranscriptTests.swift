// Transcripts: exact message flows for the basic scenarios, reviewed as text. To change one on
// purpose, run it, read the printed transcript as a diff against this file, and paste it in.

import XCTest

final class TranscriptTests: XCTestCase {
    /// Three nodes: 1 campaigns and wins, a proposal made at a follower is forwarded, replicated and committed.
    func testElectionAndReplication() {
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

        propose 2 hello
        ----
        > 2 handling Ready
          2->1 MsgProp Term:0 Log:0/0 Entries:[0/0 EntryNormal "hello"]

        stabilize
        ----
        > 1 receiving 2->1 MsgProp Term:0 Log:0/0 Entries:[0/0 EntryNormal "hello"]
        > 1 handling Ready
          Entries: 1/2 EntryNormal "hello"
          1->2 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "hello"]
          1->3 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "hello"]
        > 2 receiving 1->2 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "hello"]
        > 2 handling Ready
          Entries: 1/2 EntryNormal "hello"
          2->1 MsgAppResp Term:1 Log:0/2
        > 3 receiving 1->3 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "hello"]
        > 3 handling Ready
          Entries: 1/2 EntryNormal "hello"
          3->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/2
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:2
          CommittedEntries: 1/2 EntryNormal "hello"
          1->2 MsgApp Term:1 Log:1/2 Commit:2
          1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/2
        > 2 receiving 1->2 MsgApp Term:1 Log:1/2 Commit:2
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:2
          CommittedEntries: 1/2 EntryNormal "hello"
          2->1 MsgAppResp Term:1 Log:0/2
        > 3 receiving 1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:2
          CommittedEntries: 1/2 EntryNormal "hello"
          3->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/2

        raft-state
        ----
        1: StateLeader Term:1 Lead:1
        2: StateFollower Term:1 Lead:1
        3: StateFollower Term:1 Lead:1

        raft-log 3
        ----
        1/1 EntryNormal ""
        1/2 EntryNormal "hello"
        """)
    }

    /// With PreVote, an isolated node's pre-elections fail without raising its term; once healed it follows the leader again.
    func testPreVoteKeepsAnIsolatedNodeFromDisruptingTheLeader() {
        TranscriptRunner.check("""
        add-nodes 3 pre-vote
        ----
        ok

        campaign 1
        ----
        > 1 handling Ready
          Lead:0 State:StatePreCandidate
          1->2 MsgPreVote Term:1 Log:0/0
          1->3 MsgPreVote Term:1 Log:0/0

        stabilize
        ----
        > 2 receiving 1->2 MsgPreVote Term:1 Log:0/0
        > 2 handling Ready
          2->1 MsgPreVoteResp Term:1 Log:0/0
        > 3 receiving 1->3 MsgPreVote Term:1 Log:0/0
        > 3 handling Ready
          3->1 MsgPreVoteResp Term:1 Log:0/0
        > 1 receiving 2->1 MsgPreVoteResp Term:1 Log:0/0
        > 1 handling Ready
          Lead:0 State:StateCandidate
          HardState Term:1 Vote:1 Commit:0
          1->2 MsgVote Term:1 Log:0/0
          1->3 MsgVote Term:1 Log:0/0
        > 1 receiving 3->1 MsgPreVoteResp Term:1 Log:0/0
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

        isolate 3
        ----
        ok

        tick-election 3
        ----
        > 3 handling Ready
          Lead:0 State:StatePreCandidate
          3->1 MsgPreVote Term:2 Log:1/1
          3->2 MsgPreVote Term:2 Log:1/1

        tick-election 3
        ----
        > 3 handling Ready
          3->1 MsgPreVote Term:2 Log:1/1
          3->2 MsgPreVote Term:2 Log:1/1

        raft-state
        ----
        1: StateLeader Term:1 Lead:1
        2: StateFollower Term:1 Lead:1
        3: StatePreCandidate Term:1 Lead:0

        heal
        ----
        ok

        tick-heartbeat 1
        ----
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1

        stabilize
        ----
        > 2 receiving 1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 2 handling Ready
          2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 3 receiving 1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 3 handling Ready
          Lead:1 State:StateFollower
          3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 3->1 MsgHeartbeatResp Term:1 Log:0/0

        raft-state
        ----
        1: StateLeader Term:1 Lead:1
        2: StateFollower Term:1 Lead:1
        3: StateFollower Term:1 Lead:1
        """)
    }

    /// With CheckQuorum, a leader that hears from no quorum for an election timeout steps down, while followers that heard from it recently (its lease) ignore a vote request.
    func testCheckQuorumStepsDownAnIsolatedLeader() {
        TranscriptRunner.check("""
        add-nodes 3 check-quorum
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

        isolate 1
        ----
        ok

        tick-election 1
        ----
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1

        tick-election 1
        ----
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:1
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 1 handling Ready
          Lead:0 State:StateFollower

        raft-state
        ----
        1: StateFollower Term:1 Lead:0
        2: StateFollower Term:1 Lead:1
        3: StateFollower Term:1 Lead:1

        tick-election 2
        ----
        > 2 handling Ready
          Lead:0 State:StateCandidate
          HardState Term:2 Vote:2 Commit:1
          2->1 MsgVote Term:2 Log:1/1
          2->3 MsgVote Term:2 Log:1/1

        stabilize
        ----
        > 3 receiving 2->3 MsgVote Term:2 Log:1/1

        raft-state
        ----
        1: StateFollower Term:1 Lead:0
        2: StateCandidate Term:2 Lead:0
        3: StateFollower Term:1 Lead:1
        """)
    }

    /// A follower that missed entries rejects the next append; the leader backs off to its hint and fills the gap.
    func testLaggingFollowerIsBackfilledAfterRejection() {
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

        isolate 3
        ----
        ok

        propose 1 a
        ----
        > 1 handling Ready
          Entries: 1/2 EntryNormal "a"
          1->2 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "a"]
          1->3 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "a"]

        stabilize
        ----
        > 2 receiving 1->2 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "a"]
        > 2 handling Ready
          Entries: 1/2 EntryNormal "a"
          2->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/2
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:2
          CommittedEntries: 1/2 EntryNormal "a"
          1->2 MsgApp Term:1 Log:1/2 Commit:2
          1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 2 receiving 1->2 MsgApp Term:1 Log:1/2 Commit:2
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:2
          CommittedEntries: 1/2 EntryNormal "a"
          2->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/2

        propose 1 b
        ----
        > 1 handling Ready
          Entries: 1/3 EntryNormal "b"
          1->2 MsgApp Term:1 Log:1/2 Commit:2 Entries:[1/3 EntryNormal "b"]
          1->3 MsgApp Term:1 Log:1/2 Commit:2 Entries:[1/3 EntryNormal "b"]

        stabilize
        ----
        > 2 receiving 1->2 MsgApp Term:1 Log:1/2 Commit:2 Entries:[1/3 EntryNormal "b"]
        > 2 handling Ready
          Entries: 1/3 EntryNormal "b"
          2->1 MsgAppResp Term:1 Log:0/3
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/3
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:3
          CommittedEntries: 1/3 EntryNormal "b"
          1->2 MsgApp Term:1 Log:1/3 Commit:3
          1->3 MsgApp Term:1 Log:1/3 Commit:3
        > 2 receiving 1->2 MsgApp Term:1 Log:1/3 Commit:3
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:3
          CommittedEntries: 1/3 EntryNormal "b"
          2->1 MsgAppResp Term:1 Log:0/3
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/3

        heal
        ----
        ok

        propose 1 c
        ----
        > 1 handling Ready
          Entries: 1/4 EntryNormal "c"
          1->2 MsgApp Term:1 Log:1/3 Commit:3 Entries:[1/4 EntryNormal "c"]
          1->3 MsgApp Term:1 Log:1/3 Commit:3 Entries:[1/4 EntryNormal "c"]

        stabilize
        ----
        > 2 receiving 1->2 MsgApp Term:1 Log:1/3 Commit:3 Entries:[1/4 EntryNormal "c"]
        > 2 handling Ready
          Entries: 1/4 EntryNormal "c"
          2->1 MsgAppResp Term:1 Log:0/4
        > 3 receiving 1->3 MsgApp Term:1 Log:1/3 Commit:3 Entries:[1/4 EntryNormal "c"]
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:1/3 Rejected (Hint: 1)
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/4
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:4
          CommittedEntries: 1/4 EntryNormal "c"
          1->2 MsgApp Term:1 Log:1/4 Commit:4
          1->3 MsgApp Term:1 Log:1/4 Commit:4
        > 1 receiving 3->1 MsgAppResp Term:1 Log:1/3 Rejected (Hint: 1)
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/1 Commit:4 Entries:[1/2 EntryNormal "a", 1/3 EntryNormal "b", 1/4 EntryNormal "c"]
        > 2 receiving 1->2 MsgApp Term:1 Log:1/4 Commit:4
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:4
          CommittedEntries: 1/4 EntryNormal "c"
          2->1 MsgAppResp Term:1 Log:0/4
        > 3 receiving 1->3 MsgApp Term:1 Log:1/4 Commit:4
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:1/4 Rejected (Hint: 1)
        > 3 receiving 1->3 MsgApp Term:1 Log:1/1 Commit:4 Entries:[1/2 EntryNormal "a", 1/3 EntryNormal "b", 1/4 EntryNormal "c"]
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:4
          Entries: 1/2 EntryNormal "a", 1/3 EntryNormal "b", 1/4 EntryNormal "c"
          CommittedEntries: 1/2 EntryNormal "a", 1/3 EntryNormal "b", 1/4 EntryNormal "c"
          3->1 MsgAppResp Term:1 Log:0/4
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/4
        > 1 receiving 3->1 MsgAppResp Term:1 Log:1/4 Rejected (Hint: 1)
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/4
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/4 Commit:4
        > 3 receiving 1->3 MsgApp Term:1 Log:1/4 Commit:4
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:0/4
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/4

        raft-log 3
        ----
        1/1 EntryNormal ""
        1/2 EntryNormal "a"
        1/3 EntryNormal "b"
        1/4 EntryNormal "c"
        """)
    }
}
