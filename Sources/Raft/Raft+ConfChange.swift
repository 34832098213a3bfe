// Membership changes: simple ones (one voter at a time, any number of learners) and joint
// consensus (ConfChangeV2), as etcd 3.4's raft has them. The Changer (Confchange/) computes the
// next configuration; this file admits proposals, installs configurations and leaves joint
// configurations automatically.
//
// One conf change is pending at a time: a leader admits a new one only once the application has
// applied the previous one, so the configuration a proposal is checked against is the one it
// will be applied to.

extension Raft {
    /// Applies a committed conf change (V1 or V2) and returns the resulting ConfState.
    ///
    /// Called by the application when it applies an `EntryConfChange` or `EntryConfChangeV2`
    /// (never before it is committed). Adding a voter that exists and removing one that does not
    /// are no-ops, as in etcd. A change invalid on the current configuration is a broken invariant
    /// (etcd panics too): a leader admits only changes that apply cleanly (`admitConfChanges`).
    public mutating func applyConfChange(_ change: some ConfChangeConvertible) -> ConfState {
        let outcome: Changer.Outcome
        do {
            outcome = try nextConfiguration(change.asV2)
        } catch {
            preconditionFailure("cannot apply conf change \(change.asV2) to \(tracker.config): \(error)")
        }
        return switchToConfig(outcome.config, progress: outcome.progress)
    }

    /// Replaces the configuration with the one `confState` describes (a snapshot's), rebuilt by
    /// `Changer.restore` on an empty tracker. A ConfState raft could not have reached is a broken
    /// invariant.
    public mutating func applyConfState(_ confState: ConfState) {
        let outcome: Changer.Outcome
        do {
            outcome = try Changer.restore(confState, tracker: ProgressTracker(maxInflight: tracker.maxInflight),
                                          lastIndex: raftLog.lastIndex)
        } catch {
            preconditionFailure("unable to restore config \(confState): \(error)")
        }
        _ = switchToConfig(outcome.config, progress: outcome.progress)
    }

    /// What `change` makes of the current configuration: leave joint, enter joint, or simple.
    private func nextConfiguration(_ change: ConfChangeV2) throws(ConfChangeError) -> Changer.Outcome {
        let changer = Changer(tracker: tracker, lastIndex: raftLog.lastIndex)
        if change.isLeaveJoint { return try changer.leaveJoint() }
        if let autoLeave = change.enterJointAutoLeave {
            return try changer.enterJoint(autoLeave: autoLeave, changes: change.changes)
        }
        return try changer.simple(changes: change.changes)
    }

    /// Installs a configuration and reacts to it. A leader may commit more (a smaller quorum, or
    /// a joint configuration left) and must reach new members at once. A leader that removed
    /// itself (or was demoted to learner) keeps leading, as in etcd 3.4's raft whose server then
    /// stops the member, unless `stepDownOnRemoval` makes it step down into the next term.
    /// Whether this node may campaign follows the new configuration (`isPromotable`).
    @discardableResult
    mutating func switchToConfig(_ config: TrackerConfig, progress: [NodeID: Progress]) -> ConfState {
        tracker.config = config
        tracker.progress = progress
        let confState = tracker.confState
        let isStillVoter = tracker.progress[id].map { !$0.isLearner } ?? false
        guard state == .leader else { return confState }
        guard isStillVoter else {
            if stepDownOnRemoval { becomeFollower(term: term + 1, lead: noneNodeID) }
            return confState
        }
        guard !confState.voters.isEmpty else { return confState }
        // A transfer to a node that is no longer a voter can never complete.
        if leadTransferee != noneNodeID && !tracker.voters.contains(leadTransferee) {
            abortLeaderTransfer()
        }
        if maybeCommit() {
            releasePendingReadIndexMessages()
            broadcastAppend()
        } else {
            for nodeID in tracker.sortedIDs where nodeID != id { maybeSendAppend(to: nodeID, sendIfEmpty: false) }
        }
        return confState
    }

    /// Conf-change entries among committed but unapplied ones: while there are any, a node must
    /// not campaign (it could lead under a configuration that is about to change).
    var hasUnappliedConfChange: Bool {
        guard raftLog.committed > raftLog.applied else { return false }
        let pending = raftLog.slice(raftLog.applied + 1, raftLog.committed + 1, maxSize: noSizeLimit)
        return pending.contains { $0.type != .normal }
    }

    /// Admits at most one unapplied conf change at a time, and only one that applies cleanly to
    /// the current configuration. A refused one has its entry replaced by an empty normal entry,
    /// so it silently has no effect, as etcd does: when another is pending, when a joint
    /// configuration is in force and this is not the change leaving it, when there is no joint
    /// configuration to leave, when the bytes do not decode, or (beyond etcd, which would panic on
    /// applying it) when the Changer refuses it.
    mutating func admitConfChanges(_ entries: inout [Entry]) {
        for position in entries.indices where entries[position].type != .normal {
            if confChangeRefusal(entries[position]) != nil {
                entries[position] = Entry()
            } else {
                pendingConfIndex = raftLog.lastIndex + UInt64(position) + 1
            }
        }
    }

    /// Why a proposed conf-change entry is refused, or nil to admit it.
    func confChangeRefusal(_ entry: Entry) -> String? {
        guard let change = try? entry.decodedConfChange() else {
            return "conf change does not decode"
        }
        let wantsLeaveJoint = change.changes.isEmpty
        if pendingConfIndex > raftLog.applied {
            return "possible unapplied conf change at index \(pendingConfIndex) (applied to \(raftLog.applied))"
        }
        if tracker.config.isJoint && !wantsLeaveJoint { return "must transition out of joint config first" }
        if !tracker.config.isJoint && wantsLeaveJoint { return "not in joint state; refusing empty conf change" }
        do {
            _ = try nextConfiguration(change)
        } catch {
            return error.description
        }
        return nil
    }

    /// Leaves a joint configuration marked auto-leave once this leader has applied it (all its
    /// conf changes up to `pendingConfIndex`), by proposing the empty ConfChangeV2. Called when
    /// the application reports entries applied. A dropped proposal is tried again at a later
    /// report, since the configuration is still marked auto-leave.
    mutating func proposeLeaveJointIfDue() {
        guard state == .leader, tracker.config.autoLeave, raftLog.applied >= pendingConfIndex else { return }
        let leave = Entry(term: 0, index: 0, type: .confChangeV2, data: ConfChangeV2().serializedBytes())
        try? step(Message(type: .prop, from: id, entries: [leave]))
    }
}
