// Computing the next configuration from the current one and a list of single-node changes, by
// simple change or through joint consensus (Raft thesis §4.3). Pure: the result is returned, and
// Raft.switchToConfig installs it.
//
// Joint consensus, in three configurations:
//   C_old                 voters=(1 2 3)
//   enterJoint(v4, r3)    voters=(1 2 4)&&(1 2 3)    every decision needs a majority of both
//   leaveJoint()          voters=(1 2 4)              node 3's progress is dropped
// A voter of C_old demoted to learner while joint still votes in the outgoing half, so it waits in
// learners_next and becomes a learner on leaving.

/// Applies conf changes to a tracker's configuration and progress. etcd's `confchange.Changer`.
///
/// Every operation checks the configuration's invariants before and after (a violation is a
/// programmer error) and throws `ConfChangeError` for a change that is invalid where it lands.
public struct Changer: Sendable {
    /// A configuration with the progress that goes with it: what `Raft.switchToConfig` installs.
    public struct Outcome: Sendable {
        public var config: TrackerConfig
        public var progress: [NodeID: Progress]
    }

    public let tracker: ProgressTracker
    /// The leader's last log index: new nodes are probed from here.
    public let lastIndex: UInt64

    public init(tracker: ProgressTracker, lastIndex: UInt64) {
        self.tracker = tracker
        self.lastIndex = lastIndex
    }

    /// Enters a joint configuration: the current voters become the outgoing half, `changes` are
    /// applied to the incoming half. `autoLeave` records whether raft leaves it by itself.
    public func enterJoint(autoLeave: Bool, changes: [ConfChangeSingle]) throws(ConfChangeError) -> Outcome {
        var outcome = checkedCopy()
        guard !outcome.config.isJoint else { throw .alreadyJoint }
        guard !outcome.config.voters.incoming.voters.isEmpty else { throw .zeroVoterJoint }
        outcome.config.voters.outgoing = outcome.config.voters.incoming
        try apply(changes, to: &outcome)
        outcome.config.autoLeave = autoLeave
        return checked(outcome)
    }

    /// Leaves a joint configuration: learners-next become learners, and outgoing voters that are
    /// in neither the incoming half nor the learners lose their progress.
    public func leaveJoint() throws(ConfChangeError) -> Outcome {
        var outcome = checkedCopy()
        guard outcome.config.isJoint else { throw .notJoint }
        for id in outcome.config.learnersNext {
            outcome.config.learners.insert(id)
            outcome.progress[id]!.isLearner = true
        }
        outcome.config.learnersNext = []
        for id in outcome.config.voters.outgoing.voters
        where !outcome.config.voters.incoming.voters.contains(id) && !outcome.config.learners.contains(id) {
            outcome.progress[id] = nil
        }
        outcome.config.voters.outgoing = MajorityConfig([])
        outcome.config.autoLeave = false
        return checked(outcome)
    }

    /// Applies `changes` without joint consensus. Allowed only outside a joint configuration and
    /// when at most one voter is added or removed, so the old and new majorities overlap.
    public func simple(changes: [ConfChangeSingle]) throws(ConfChangeError) -> Outcome {
        var outcome = checkedCopy()
        guard !outcome.config.isJoint else { throw .simpleInJoint }
        try apply(changes, to: &outcome)
        let before = tracker.config.voters.incoming.voters
        let after = outcome.config.voters.incoming.voters
        guard before.symmetricDifference(after).count <= 1 else { throw .moreThanOneVoterChanged }
        return checked(outcome)
    }

    // MARK: Single changes

    /// Applies each change to the incoming half in order; node ID 0 is skipped (etcd ignores it).
    private func apply(_ changes: [ConfChangeSingle], to outcome: inout Outcome) throws(ConfChangeError) {
        for change in changes where change.nodeID != noneNodeID {
            switch change.type {
            case .addNode: makeVoter(change.nodeID, in: &outcome)
            case .addLearnerNode: makeLearner(change.nodeID, in: &outcome)
            case .removeNode: remove(change.nodeID, from: &outcome)
            case .updateNode: break  // Raft tracks nothing an update could change.
            }
        }
        guard !outcome.config.voters.incoming.voters.isEmpty else { throw .removedAllVoters }
    }

    /// Adds `id` as an incoming voter, promoting it if it was a learner (its progress is kept).
    private func makeVoter(_ id: NodeID, in outcome: inout Outcome) {
        guard outcome.progress[id] != nil else {
            addProgress(id, isLearner: false, to: &outcome)
            return
        }
        outcome.progress[id]!.isLearner = false
        outcome.config.learners.remove(id)
        outcome.config.learnersNext.remove(id)
        outcome.config.voters.incoming.voters.insert(id)
    }

    /// Makes `id` a learner. A voter of the outgoing half still votes there until the joint
    /// configuration is left, so it goes to learners-next instead.
    private func makeLearner(_ id: NodeID, in outcome: inout Outcome) {
        guard let progress = outcome.progress[id] else {
            addProgress(id, isLearner: true, to: &outcome)
            return
        }
        if progress.isLearner { return }
        remove(id, from: &outcome)
        outcome.progress[id] = progress  // keep what we know of its log
        if outcome.config.voters.outgoing.voters.contains(id) {
            outcome.config.learnersNext.insert(id)
        } else {
            outcome.progress[id]!.isLearner = true
            outcome.config.learners.insert(id)
        }
    }

    /// Removes `id` from the incoming half and the learners; its progress stays while it is an
    /// outgoing voter. Removing an unknown node is a no-op.
    private func remove(_ id: NodeID, from outcome: inout Outcome) {
        guard outcome.progress[id] != nil else { return }
        outcome.config.voters.incoming.voters.remove(id)
        outcome.config.learners.remove(id)
        outcome.config.learnersNext.remove(id)
        if !outcome.config.voters.outgoing.voters.contains(id) { outcome.progress[id] = nil }
    }

    /// A new node, probed from the last index (at least 1, since `match < next`). It counts as
    /// recently active so that CheckQuorum gives it a round to answer before counting it dead.
    private func addProgress(_ id: NodeID, isLearner: Bool, to outcome: inout Outcome) {
        if isLearner {
            outcome.config.learners.insert(id)
        } else {
            outcome.config.voters.incoming.voters.insert(id)
        }
        var progress = Progress(match: 0, next: max(lastIndex, 1), inflightCapacity: tracker.maxInflight)
        progress.isLearner = isLearner
        progress.recentActive = true
        outcome.progress[id] = progress
    }

    // MARK: Invariants

    private func checkedCopy() -> Outcome {
        checked(Outcome(config: tracker.config, progress: tracker.progress))
    }

    private func checked(_ outcome: Outcome) -> Outcome {
        Self.checkInvariants(outcome)
        return outcome
    }

    /// Every node of the configuration has progress; learners-next are outgoing voters not yet
    /// marked learner; learners are in neither half and are marked; a non-joint configuration has
    /// no learners-next and no auto-leave.
    static func checkInvariants(_ outcome: Outcome) {
        let config = outcome.config
        for id in config.voters.voters.union(config.learners).union(config.learnersNext) {
            precondition(outcome.progress[id] != nil, "no progress for \(id)")
        }
        for id in config.learnersNext {
            precondition(config.voters.outgoing.voters.contains(id), "\(id) is in LearnersNext, but not Voters[1]")
            precondition(!outcome.progress[id]!.isLearner, "\(id) is in LearnersNext, but is already marked as learner")
        }
        for id in config.learners {
            precondition(!config.voters.contains(id), "\(id) is in Learners and a voter")
            precondition(outcome.progress[id]!.isLearner, "\(id) is in Learners, but is not marked as learner")
        }
        if !config.isJoint {
            precondition(config.learnersNext.isEmpty, "LearnersNext must be empty when not joint")
            precondition(!config.autoLeave, "AutoLeave must be false when not joint")
        }
    }
}
