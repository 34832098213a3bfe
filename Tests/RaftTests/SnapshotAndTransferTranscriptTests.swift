// Transcripts for snapshots and leader transfer: the exact message flows, reviewed as text.

import XCTest

final class SnapshotAndTransferTranscriptTests: XCTestCase {
    /// 3 misses entries 2 and 3 while isolated; the leader compacts through 3, so when 3 is back
    /// its probe finds the entries gone: it gets the snapshot, installs it before any entry, and
    /// replication resumes after it.
    func testFollowerBehindCompactedLeaderCatchesUpBySnapshot() {
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

        propose 1 b
        ----
        > 1 handling Ready
          Entries: 1/3 EntryNormal "b"
          1->2 MsgApp Term:1 Log:1/2 Commit:1 Entries:[1/3 EntryNormal "b"]
          1->3 MsgApp Term:1 Log:1/2 Commit:1 Entries:[1/3 EntryNormal "b"]

        stabilize
        ----
        > 2 receiving 1->2 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "a"]
        > 2 handling Ready
          Entries: 1/2 EntryNormal "a"
          2->1 MsgAppResp Term:1 Log:0/2
        > 2 receiving 1->2 MsgApp Term:1 Log:1/2 Commit:1 Entries:[1/3 EntryNormal "b"]
        > 2 handling Ready
          Entries: 1/3 EntryNormal "b"
          2->1 MsgAppResp Term:1 Log:0/3
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/2
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:2
          CommittedEntries: 1/2 EntryNormal "a"
          1->2 MsgApp Term:1 Log:1/3 Commit:2
          1->3 MsgApp Term:1 Log:1/3 Commit:2
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/3
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:3
          CommittedEntries: 1/3 EntryNormal "b"
          1->2 MsgApp Term:1 Log:1/3 Commit:3
          1->3 MsgApp Term:1 Log:1/3 Commit:3
        > 2 receiving 1->2 MsgApp Term:1 Log:1/3 Commit:2
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:2
          CommittedEntries: 1/2 EntryNormal "a"
          2->1 MsgAppResp Term:1 Log:0/3
        > 2 receiving 1->2 MsgApp Term:1 Log:1/3 Commit:3
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:3
          CommittedEntries: 1/3 EntryNormal "b"
          2->1 MsgAppResp Term:1 Log:0/3
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/3
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/3

        compact 1 3
        ----
        ok

        raft-log 1
        ----
        snapshot 1/3
        log is empty

        heal
        ----
        ok

        tick-heartbeat 1
        ----
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:3
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1

        stabilize
        ----
        > 2 receiving 1->2 MsgHeartbeat Term:1 Log:0/0 Commit:3
        > 2 handling Ready
          2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 3 receiving 1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 3 handling Ready
          3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/3 Commit:3
        > 3 receiving 1->3 MsgApp Term:1 Log:1/3 Commit:3
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:1/3 Rejected (Hint: 1)
        > 1 receiving 3->1 MsgAppResp Term:1 Log:1/3 Rejected (Hint: 1)
        > 1 handling Ready
          1->3 MsgSnap Term:1 Log:0/0 Snapshot Index:3 Term:1 Voters:[1, 2, 3] Data:"snap@3"
        > 3 receiving 1->3 MsgSnap Term:1 Log:0/0 Snapshot Index:3 Term:1 Voters:[1, 2, 3] Data:"sent@3"
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:3
          Snapshot Index:3 Term:1 Voters:[1, 2, 3] Data:"sent@3"
          3->1 MsgAppResp Term:1 Log:0/3
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/3
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/3 Commit:3
        > 3 receiving 1->3 MsgApp Term:1 Log:1/3 Commit:3
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:0/3
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/3

        status 1
        ----
        Term:1 Commit:3 Applied:3 Last:3 LeadTransferee:0
        1: StateReplicate match=3 next=4
        2: StateReplicate match=3 next=4
        3: StateReplicate match=3 next=4

        raft-log 3
        ----
        snapshot 1/3
        log is empty

        status 3
        ----
        Term:1 Commit:3 Applied:3 Last:3 LeadTransferee:0

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
          Entries: 1/4 EntryNormal "c"
          3->1 MsgAppResp Term:1 Log:0/4
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/4
        > 1 handling Ready
          HardState Term:1 Vote:1 Commit:4
          CommittedEntries: 1/4 EntryNormal "c"
          1->2 MsgApp Term:1 Log:1/4 Commit:4
          1->3 MsgApp Term:1 Log:1/4 Commit:4
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/4
        > 2 receiving 1->2 MsgApp Term:1 Log:1/4 Commit:4
        > 2 handling Ready
          HardState Term:1 Vote:1 Commit:4
          CommittedEntries: 1/4 EntryNormal "c"
          2->1 MsgAppResp Term:1 Log:0/4
        > 3 receiving 1->3 MsgApp Term:1 Log:1/4 Commit:4
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:4
          CommittedEntries: 1/4 EntryNormal "c"
          3->1 MsgAppResp Term:1 Log:0/4
        > 1 receiving 2->1 MsgAppResp Term:1 Log:0/4
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/4

        raft-log 3
        ----
        snapshot 1/3
        1/4 EntryNormal "c"
        """)
    }

    /// A snapshot that never arrives: the leader holds the follower in snapshot state until the
    /// application reports the failure, then probes again after the next heartbeat response and
    /// sends a fresh snapshot. An unreachable follower in replicate state is probed again.
    func testSnapshotFailureIsReportedAndRetried() {
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

        compact 1 2
        ----
        ok

        heal
        ----
        ok

        tick-heartbeat 1
        ----
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:2
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1

        stabilize drop=MsgSnap
        ----
        > 2 receiving 1->2 MsgHeartbeat Term:1 Log:0/0 Commit:2
        > 2 handling Ready
          2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 3 receiving 1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 3 handling Ready
          3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 3 receiving 1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:1/2 Rejected (Hint: 1)
        > 1 receiving 3->1 MsgAppResp Term:1 Log:1/2 Rejected (Hint: 1)
        > 1 handling Ready
          1->3 MsgSnap Term:1 Log:0/0 Snapshot Index:2 Term:1 Voters:[1, 2, 3] Data:"snap@2"
        > dropped 1->3 MsgSnap Term:1 Log:0/0 Snapshot Index:2 Term:1 Voters:[1, 2, 3] Data:"sent@2"

        status 1
        ----
        Term:1 Commit:2 Applied:2 Last:2 LeadTransferee:0
        1: StateReplicate match=2 next=3
        2: StateReplicate match=2 next=3
        3: StateSnapshot match=1 next=2 paused pendingSnap=2

        tick-heartbeat 1
        ----
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:2
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1

        stabilize
        ----
        > 2 receiving 1->2 MsgHeartbeat Term:1 Log:0/0 Commit:2
        > 2 handling Ready
          2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 3 receiving 1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 3 handling Ready
          3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 3->1 MsgHeartbeatResp Term:1 Log:0/0

        report-snapshot 1 3 failure
        ----
        ok

        status 1
        ----
        Term:1 Commit:2 Applied:2 Last:2 LeadTransferee:0
        1: StateReplicate match=2 next=3
        2: StateReplicate match=2 next=3
        3: StateProbe match=1 next=2 paused

        tick-heartbeat 1
        ----
        > 1 handling Ready
          1->2 MsgHeartbeat Term:1 Log:0/0 Commit:2
          1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1

        stabilize
        ----
        > 2 receiving 1->2 MsgHeartbeat Term:1 Log:0/0 Commit:2
        > 2 handling Ready
          2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 3 receiving 1->3 MsgHeartbeat Term:1 Log:0/0 Commit:1
        > 3 handling Ready
          3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 2->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 receiving 3->1 MsgHeartbeatResp Term:1 Log:0/0
        > 1 handling Ready
          1->3 MsgSnap Term:1 Log:0/0 Snapshot Index:2 Term:1 Voters:[1, 2, 3] Data:"snap@2"
        > 3 receiving 1->3 MsgSnap Term:1 Log:0/0 Snapshot Index:2 Term:1 Voters:[1, 2, 3] Data:"sent@2"
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:2
          Snapshot Index:2 Term:1 Voters:[1, 2, 3] Data:"sent@2"
          3->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/2
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 3 receiving 1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/2

        status 1
        ----
        Term:1 Commit:2 Applied:2 Last:2 LeadTransferee:0
        1: StateReplicate match=2 next=3
        2: StateReplicate match=2 next=3
        3: StateReplicate match=2 next=3

        report-unreachable 1 2
        ----
        ok

        status 1
        ----
        Term:1 Commit:2 Applied:2 Last:2 LeadTransferee:0
        1: StateReplicate match=2 next=3
        2: StateProbe match=2 next=3
        3: StateReplicate match=2 next=3
        """)
    }

    /// With check-quorum and pre-vote, a follower that heard from its leader ignores vote
    /// requests (the lease); the transferee's requests say "CampaignTransfer" and get through.
    /// The request is made on a follower (3), which forwards it to the leader.
    func testTransferToUpToDateFollowerThroughTheLease() {
        TranscriptRunner.check("""
        add-nodes 3 pre-vote check-quorum
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

        transfer-leader 3 2
        ----
        > 3 handling Ready
          2->1 MsgTransferLeader Term:1 Log:0/0

        stabilize
        ----
        > 1 receiving 2->1 MsgTransferLeader Term:1 Log:0/0
        > 1 handling Ready
          1->2 MsgTimeoutNow Term:1 Log:0/0
        > 2 receiving 1->2 MsgTimeoutNow Term:1 Log:0/0
        > 2 handling Ready
          Lead:0 State:StateCandidate
          HardState Term:2 Vote:2 Commit:1
          2->1 MsgVote Term:2 Log:1/1 Context:CampaignTransfer
          2->3 MsgVote Term:2 Log:1/1 Context:CampaignTransfer
        > 1 receiving 2->1 MsgVote Term:2 Log:1/1 Context:CampaignTransfer
        > 1 handling Ready
          Lead:0 State:StateFollower
          HardState Term:2 Vote:2 Commit:1
          1->2 MsgVoteResp Term:2 Log:0/0
        > 3 receiving 2->3 MsgVote Term:2 Log:1/1 Context:CampaignTransfer
        > 3 handling Ready
          Lead:0 State:StateFollower
          HardState Term:2 Vote:2 Commit:1
          3->2 MsgVoteResp Term:2 Log:0/0
        > 2 receiving 1->2 MsgVoteResp Term:2 Log:0/0
        > 2 handling Ready
          Lead:2 State:StateLeader
          Entries: 2/2 EntryNormal ""
          2->1 MsgApp Term:2 Log:1/1 Commit:1 Entries:[2/2 EntryNormal ""]
          2->3 MsgApp Term:2 Log:1/1 Commit:1 Entries:[2/2 EntryNormal ""]
        > 2 receiving 3->2 MsgVoteResp Term:2 Log:0/0
        > 1 receiving 2->1 MsgApp Term:2 Log:1/1 Commit:1 Entries:[2/2 EntryNormal ""]
        > 1 handling Ready
          Lead:2 State:StateFollower
          Entries: 2/2 EntryNormal ""
          1->2 MsgAppResp Term:2 Log:0/2
        > 3 receiving 2->3 MsgApp Term:2 Log:1/1 Commit:1 Entries:[2/2 EntryNormal ""]
        > 3 handling Ready
          Lead:2 State:StateFollower
          Entries: 2/2 EntryNormal ""
          3->2 MsgAppResp Term:2 Log:0/2
        > 2 receiving 1->2 MsgAppResp Term:2 Log:0/2
        > 2 handling Ready
          HardState Term:2 Vote:2 Commit:2
          CommittedEntries: 2/2 EntryNormal ""
          2->1 MsgApp Term:2 Log:2/2 Commit:2
        > 2 receiving 3->2 MsgAppResp Term:2 Log:0/2
        > 2 handling Ready
          2->3 MsgApp Term:2 Log:2/2 Commit:2
        > 1 receiving 2->1 MsgApp Term:2 Log:2/2 Commit:2
        > 1 handling Ready
          HardState Term:2 Vote:2 Commit:2
          CommittedEntries: 2/2 EntryNormal ""
          1->2 MsgAppResp Term:2 Log:0/2
        > 3 receiving 2->3 MsgApp Term:2 Log:2/2 Commit:2
        > 3 handling Ready
          HardState Term:2 Vote:2 Commit:2
          CommittedEntries: 2/2 EntryNormal ""
          3->2 MsgAppResp Term:2 Log:0/2
        > 2 receiving 1->2 MsgAppResp Term:2 Log:0/2
        > 2 receiving 3->2 MsgAppResp Term:2 Log:0/2

        raft-state
        ----
        1: StateFollower Term:2 Lead:2
        2: StateLeader Term:2 Lead:2
        3: StateFollower Term:2 Lead:2

        propose 2 after
        ----
        > 2 handling Ready
          Entries: 2/3 EntryNormal "after"
          2->1 MsgApp Term:2 Log:2/2 Commit:2 Entries:[2/3 EntryNormal "after"]
          2->3 MsgApp Term:2 Log:2/2 Commit:2 Entries:[2/3 EntryNormal "after"]

        stabilize
        ----
        > 1 receiving 2->1 MsgApp Term:2 Log:2/2 Commit:2 Entries:[2/3 EntryNormal "after"]
        > 1 handling Ready
          Entries: 2/3 EntryNormal "after"
          1->2 MsgAppResp Term:2 Log:0/3
        > 3 receiving 2->3 MsgApp Term:2 Log:2/2 Commit:2 Entries:[2/3 EntryNormal "after"]
        > 3 handling Ready
          Entries: 2/3 EntryNormal "after"
          3->2 MsgAppResp Term:2 Log:0/3
        > 2 receiving 1->2 MsgAppResp Term:2 Log:0/3
        > 2 handling Ready
          HardState Term:2 Vote:2 Commit:3
          CommittedEntries: 2/3 EntryNormal "after"
          2->1 MsgApp Term:2 Log:2/3 Commit:3
          2->3 MsgApp Term:2 Log:2/3 Commit:3
        > 2 receiving 3->2 MsgAppResp Term:2 Log:0/3
        > 1 receiving 2->1 MsgApp Term:2 Log:2/3 Commit:3
        > 1 handling Ready
          HardState Term:2 Vote:2 Commit:3
          CommittedEntries: 2/3 EntryNormal "after"
          1->2 MsgAppResp Term:2 Log:0/3
        > 3 receiving 2->3 MsgApp Term:2 Log:2/3 Commit:3
        > 3 handling Ready
          HardState Term:2 Vote:2 Commit:3
          CommittedEntries: 2/3 EntryNormal "after"
          3->2 MsgAppResp Term:2 Log:0/3
        > 2 receiving 1->2 MsgAppResp Term:2 Log:0/3
        > 2 receiving 3->2 MsgAppResp Term:2 Log:0/3
        """)
    }

    /// The transferee lacks an entry: the leader sends it first, drops proposals meanwhile, and
    /// sends MsgTimeoutNow only on the append response that shows the transferee caught up.
    func testTransferToLaggingFollowerCatchesItUpFirst() {
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

        heal
        ----
        ok

        transfer-leader 1 3
        ----
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/2 Commit:2

        propose 1 dropped
        ----
        error: proposalDropped

        status 1
        ----
        Term:1 Commit:2 Applied:2 Last:2 LeadTransferee:3
        1: StateReplicate match=2 next=3
        2: StateReplicate match=2 next=3
        3: StateReplicate match=1 next=3

        stabilize
        ----
        > 3 receiving 1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:1/2 Rejected (Hint: 1)
        > 1 receiving 3->1 MsgAppResp Term:1 Log:1/2 Rejected (Hint: 1)
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/1 Commit:2 Entries:[1/2 EntryNormal "a"]
        > 3 receiving 1->3 MsgApp Term:1 Log:1/1 Commit:2 Entries:[1/2 EntryNormal "a"]
        > 3 handling Ready
          HardState Term:1 Vote:1 Commit:2
          Entries: 1/2 EntryNormal "a"
          CommittedEntries: 1/2 EntryNormal "a"
          3->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/2
        > 1 handling Ready
          1->3 MsgApp Term:1 Log:1/2 Commit:2
          1->3 MsgTimeoutNow Term:1 Log:0/0
        > 3 receiving 1->3 MsgApp Term:1 Log:1/2 Commit:2
        > 3 handling Ready
          3->1 MsgAppResp Term:1 Log:0/2
        > 3 receiving 1->3 MsgTimeoutNow Term:1 Log:0/0
        > 3 handling Ready
          Lead:0 State:StateCandidate
          HardState Term:2 Vote:3 Commit:2
          3->1 MsgVote Term:2 Log:1/2 Context:CampaignTransfer
          3->2 MsgVote Term:2 Log:1/2 Context:CampaignTransfer
        > 1 receiving 3->1 MsgAppResp Term:1 Log:0/2
        > 1 receiving 3->1 MsgVote Term:2 Log:1/2 Context:CampaignTransfer
        > 1 handling Ready
          Lead:0 State:StateFollower
          HardState Term:2 Vote:3 Commit:2
          1->3 MsgVoteResp Term:2 Log:0/0
        > 2 receiving 3->2 MsgVote Term:2 Log:1/2 Context:CampaignTransfer
        > 2 handling Ready
          Lead:0 State:StateFollower
          HardState Term:2 Vote:3 Commit:2
          2->3 MsgVoteResp Term:2 Log:0/0
        > 3 receiving 1->3 MsgVoteResp Term:2 Log:0/0
        > 3 handling Ready
          Lead:3 State:StateLeader
          Entries: 2/3 EntryNormal ""
          3->1 MsgApp Term:2 Log:1/2 Commit:2 Entries:[2/3 EntryNormal ""]
          3->2 MsgApp Term:2 Log:1/2 Commit:2 Entries:[2/3 EntryNormal ""]
        > 3 receiving 2->3 MsgVoteResp Term:2 Log:0/0
        > 1 receiving 3->1 MsgApp Term:2 Log:1/2 Commit:2 Entries:[2/3 EntryNormal ""]
        > 1 handling Ready
          Lead:3 State:StateFollower
          Entries: 2/3 EntryNormal ""
          1->3 MsgAppResp Term:2 Log:0/3
        > 2 receiving 3->2 MsgApp Term:2 Log:1/2 Commit:2 Entries:[2/3 EntryNormal ""]
        > 2 handling Ready
          Lead:3 State:StateFollower
          Entries: 2/3 EntryNormal ""
          2->3 MsgAppResp Term:2 Log:0/3
        > 3 receiving 1->3 MsgAppResp Term:2 Log:0/3
        > 3 handling Ready
          HardState Term:2 Vote:3 Commit:3
          CommittedEntries: 2/3 EntryNormal ""
          3->1 MsgApp Term:2 Log:2/3 Commit:3
        > 3 receiving 2->3 MsgAppResp Term:2 Log:0/3
        > 3 handling Ready
          3->2 MsgApp Term:2 Log:2/3 Commit:3
        > 1 receiving 3->1 MsgApp Term:2 Log:2/3 Commit:3
        > 1 handling Ready
          HardState Term:2 Vote:3 Commit:3
          CommittedEntries: 2/3 EntryNormal ""
          1->3 MsgAppResp Term:2 Log:0/3
        > 2 receiving 3->2 MsgApp Term:2 Log:2/3 Commit:3
        > 2 handling Ready
          HardState Term:2 Vote:3 Commit:3
          CommittedEntries: 2/3 EntryNormal ""
          2->3 MsgAppResp Term:2 Log:0/3
        > 3 receiving 1->3 MsgAppResp Term:2 Log:0/3
        > 3 receiving 2->3 MsgAppResp Term:2 Log:0/3

        raft-state
        ----
        1: StateFollower Term:2 Lead:3
        2: StateFollower Term:2 Lead:3
        3: StateLeader Term:2 Lead:3

        raft-log 3
        ----
        1/1 EntryNormal ""
        1/2 EntryNormal "a"
        2/3 EntryNormal ""
        """)
    }

    /// The transferee never answers: after an election timeout the leader gives up the transfer
    /// and takes proposals again. Transfers to itself or to the same node twice are ignored.
    func testTransferAbortsAfterElectionTimeout() {
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

        transfer-leader 1 3
        ----
        > 1 handling Ready
          1->3 MsgTimeoutNow Term:1 Log:0/0

        transfer-leader 1 3
        ----
        ok

        propose 1 dropped
        ----
        error: proposalDropped

        status 1
        ----
        Term:1 Commit:1 Applied:1 Last:1 LeadTransferee:3
        1: StateReplicate match=1 next=2
        2: StateReplicate match=1 next=2
        3: StateReplicate match=1 next=2

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

        status 1
        ----
        Term:1 Commit:1 Applied:1 Last:1 LeadTransferee:0
        1: StateReplicate match=1 next=2
        2: StateReplicate match=1 next=2
        3: StateReplicate match=1 next=2

        propose 1 accepted
        ----
        > 1 handling Ready
          Entries: 1/2 EntryNormal "accepted"
          1->2 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "accepted"]
          1->3 MsgApp Term:1 Log:1/1 Commit:1 Entries:[1/2 EntryNormal "accepted"]

        transfer-leader 1 1
        ----
        ok

        status 1
        ----
        Term:1 Commit:1 Applied:1 Last:2 LeadTransferee:0
        1: StateReplicate match=2 next=3
        2: StateReplicate match=1 next=3
        3: StateReplicate match=1 next=3

        raft-state
        ----
        1: StateLeader Term:1 Lead:1
        2: StateFollower Term:1 Lead:1
        3: StateFollower Term:1 Lead:1
        """)
    }
}
