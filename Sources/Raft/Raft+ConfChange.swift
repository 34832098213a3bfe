// Single-step membership changes (etcd 3.4's ConfChange V1): add, remove or update one voter at a
// time, so any two consecutive configurations share a majority and no joint phase is needed.
// Learners and joint consensus (ConfChangeV2 with several changes) are not implemented yet.

extension Raft {
    /// Applies a committed conf change to the configuration and returns the resulting ConfState.
    ///
    /// Called by the application when it applies an `EntryConfChange` (never before it is
    /// committed). Adding a voter that exists and removing one that does not are no-ops, as in etcd.
    public mutating func applyConfChange(_ change: ConfChange) -> ConfState {
        var voters = tracker.voters.voters
        switch change.type {
        case .addNode:
            if !voters.contains(change.nodeID) {
                voters.insert(change.nodeID)
                // Probe from the last index; RecentActive so that CheckQuorum gives it a round.
                var progress = Progress(match: 0, next: max(raftLog.lastIndex, 1), inflightCapacity: tracker.maxInflight)
                progress.recentActive = true
                tracker.progress[change.nodeID] = progress
            }
        case .removeNode:
            voters.remove(change.nodeID)
            tracker.progress[change.nodeID] = nil
            tracker.votes[change.nodeID] = nil
        case .updateNode:
            break
        case .addLearnerNode:
            preconditionFailure("learners are not supported yet")
        }
        tracker.voters = MajorityConfig(voters)
        switchedConfiguration()
        return ConfState(voters: tracker.voters.sortedVoters)
    }

    /// After a configuration change a leader may commit more (a smaller quorum) and must reach
    /// new members. A leader that removed itself keeps leading (etcd 3.4's raft; its server then
    /// stops the member) unless `stepDownOnRemoval` makes it step down into the next term.
    private mutating func switchedConfiguration() {
        if state == .leader && tracker.progress[id] == nil && stepDownOnRemoval {
            becomeFollower(term: term + 1, lead: noneNodeID)
            return
        }
        guard state == .leader, tracker.progress[id] != nil, !tracker.voters.voters.isEmpty else { return }
        if maybeCommit() {
            broadcastAppend()
        } else {
            for nodeID in tracker.sortedIDs where nodeID != id { maybeSendAppend(to: nodeID, sendIfEmpty: false) }
        }
    }

    /// Conf-change entries among committed but unapplied ones: while there are any, a node must
    /// not campaign (it could lead under a configuration that is about to change).
    var hasUnappliedConfChange: Bool {
        guard raftLog.committed > raftLog.applied else { return false }
        let pending = raftLog.slice(raftLog.applied + 1, raftLog.committed + 1, maxSize: noSizeLimit)
        return pending.contains { $0.type != .normal }
    }

    /// Admits at most one unapplied conf change at a time: a proposal for a second one has that
    /// entry replaced by an empty normal entry (etcd does the same), so it silently has no effect.
    mutating func admitConfChanges(_ entries: inout [Entry]) {
        for position in entries.indices where entries[position].type != .normal {
            if pendingConfIndex > raftLog.applied {
                entries[position] = Entry()
            } else {
                pendingConfIndex = raftLog.lastIndex + UInt64(position) + 1
            }
        }
    }
}
