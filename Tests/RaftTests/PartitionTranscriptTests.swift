// Transcripts of a partition, delivered one round at a time: the leader cut off with a minority
// cannot commit, the majority elects a new leader and commits, and after the heal the old
// leader's uncommitted entry is replaced. To change one on purpose, run it and paste the printed
// transcript in.

import XCTest

final class PartitionTranscriptTests: XCTestCase {
    func testMinorityLeaderCannotCommitAndItsEntryIsReplacedAfterTheHeal() {
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

        partition 1 | 2 3
        ----
        ok

        propose 1 lost
        ----
        > 1 handling Ready
          Entries: 1/2 EntryNormal "lost"
          1->2 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "lost"]
          1->3 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "lost"]

        deliver-msgs
        ----
        ok

        tick-election 2
        ----
        > 2 handling Ready
          Lead:0 State:StateCandidate
          HardState Term:2 Vote:2 Commit:1
          2->1 MsgVote Term:2 Log:1/1
          2->3 MsgVote Term:2 Log:1/1

        deliver-msgs 3
        ----
        > 3 receiving 2->3 MsgVote Term:2 Log:1/1
        > 3 handling Ready
          Lead:0 State:StateFollower
          HardState Term:2 Vote:2 Commit:1
          3->2 MsgVoteResp Term:2 Log:0/0

        deliver-msgs 2
        ----
        > 2 receiving 3->2 MsgVoteResp Term:2 Log:0/0
        > 2 handling Ready
          Lead:2 State:StateLeader
          Entries: 2/2 EntryNormal ""
          2->1 MsgApp Term:2 Log:1/1 Commit:1 Entries:[2/2 EntryNormal ""]
          2->3 MsgApp Term:2 Log:1/1 Commit:1 Entries:[2/2 EntryNormal ""]

        propose 2 kept
        ----
        > 2 handling Ready
          Entries: 2/3 EntryNormal "kept"

        stabilize
        ----
        > 3 receiving 2->3 MsgApp Term:2 Log:1/1 Commit:1 Entries:[2/2 EntryNormal ""]
        > 3 handling Ready
          Lead:2 State:StateFollower
          Entries: 2/2 EntryNormal ""
          3->2 MsgAppResp Term:2 Log:0/2
        > 2 receiving 3->2 MsgAppResp Term:2 Log:0/2
        > 2 handling Ready
          HardState Term:2 Vote:2 Commit:2
          CommittedEntries: 2/2 EntryNormal ""
          2->3 MsgApp Term:2 Log:2/2 Commit:2 Entries:[2/3 EntryNormal "kept"]
        > 3 receiving 2->3 MsgApp Term:2 Log:2/2 Commit:2 Entries:[2/3 EntryNormal "kept"]
        > 3 handling Ready
          HardState Term:2 Vote:2 Commit:2
          Entries: 2/3 EntryNormal "kept"
          CommittedEntries: 2/2 EntryNormal ""
          3->2 MsgAppResp Term:2 Log:0/3
        > 2 receiving 3->2 MsgAppResp Term:2 Log:0/3
        > 2 handling Ready
          HardState Term:2 Vote:2 Commit:3
          CommittedEntries: 2/3 EntryNormal "kept"
          2->3 MsgApp Term:2 Log:2/3 Commit:3
        > 3 receiving 2->3 MsgApp Term:2 Log:2/3 Commit:3
        > 3 handling Ready
          HardState Term:2 Vote:2 Commit:3
          CommittedEntries: 2/3 EntryNormal "kept"
          3->2 MsgAppResp Term:2 Log:0/3
        > 2 receiving 3->2 MsgAppResp Term:2 Log:0/3

        raft-state
        ----
        1: StateLeader Term:1 Lead:1
        2: StateLeader Term:2 Lead:2
        3: StateFollower Term:2 Lead:2

        heal
        ----
        ok

        tick-heartbeat 2
        ----
        > 2 handling Ready
          2->1 MsgHeartbeat Term:2 Log:0/0
          2->3 MsgHeartbeat Term:2 Log:0/0 Commit:3

        stabilize
        ----
        > 1 receiving 2->1 MsgHeartbeat Term:2 Log:0/0
        > 1 handling Ready
          Lead:2 State:StateFollower
          HardState Term:2 Vote:0 Commit:1
          1->2 MsgHeartbeatResp Term:2 Log:0/0
        > 3 receiving 2->3 MsgHeartbeat Term:2 Log:0/0 Commit:3
        > 3 handling Ready
          3->2 MsgHeartbeatResp Term:2 Log:0/0
        > 2 receiving 1->2 MsgHeartbeatResp Term:2 Log:0/0
        > 2 handling Ready
          2->1 MsgApp Term:2 Log:1/1 Commit:3 Entries:[2/2 EntryNormal "", 2/3 EntryNormal "kept"]
        > 2 receiving 3->2 MsgHeartbeatResp Term:2 Log:0/0
        > 1 receiving 2->1 MsgApp Term:2 Log:1/1 Commit:3 Entries:[2/2 EntryNormal "", 2/3 EntryNormal "kept"]
        > 1 handling Ready
          HardState Term:2 Vote:0 Commit:3
          Entries: 2/2 EntryNormal "", 2/3 EntryNormal "kept"
          CommittedEntries: 2/2 EntryNormal "", 2/3 EntryNormal "kept"
          1->2 MsgAppResp Term:2 Log:0/3
        > 2 receiving 1->2 MsgAppResp Term:2 Log:0/3
        > 2 handling Ready
          2->1 MsgApp Term:2 Log:2/3 Commit:3
        > 1 receiving 2->1 MsgApp Term:2 Log:2/3 Commit:3
        > 1 handling Ready
          1->2 MsgAppResp Term:2 Log:0/3
        > 2 receiving 1->2 MsgAppResp Term:2 Log:0/3

        raft-log 1
        ----
        1/1 EntryNormal ""
        2/2 EntryNormal ""
        2/3 EntryNormal "kept"
        """)
    }
}
