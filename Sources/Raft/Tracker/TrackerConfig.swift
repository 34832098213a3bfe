// The membership a leader tracks: voters (possibly joint), learners, and what the joint phase will
// turn into learners when it ends.

/// A configuration of voters and learners. etcd's `tracker.Config`.
///
/// Invariants (checked by `Changer`): a learner is never a voter of either half; `learnersNext`
/// holds only outgoing voters demoted while joint (they become learners on leaving); outside a
/// joint configuration `learnersNext` is empty and `autoLeave` is false.
public struct TrackerConfig: Sendable, Equatable, CustomStringConvertible {
    public var voters: JointConfig
    /// Nodes that receive the log but neither vote nor count towards commit.
    public var learners: Set<NodeID>
    /// Outgoing voters to become learners when the joint configuration is left. A node cannot be
    /// a learner and a voter at once, so a voter of the outgoing half demoted while joint waits here.
    public var learnersNext: Set<NodeID>
    /// Whether the leader leaves this joint configuration by itself once it is applied (it
    /// proposes an empty `ConfChangeV2`); otherwise the application must propose that.
    public var autoLeave: Bool

    public init(voters: JointConfig = JointConfig(), learners: Set<NodeID> = [],
                learnersNext: Set<NodeID> = [], autoLeave: Bool = false) {
        self.voters = voters
        self.learners = learners
        self.learnersNext = learnersNext
        self.autoLeave = autoLeave
    }

    public var isJoint: Bool { voters.isJoint }

    /// `voters=(1 2)&&(1) learners=(3) learners_next=(4) autoleave`, as etcd logs it; empty parts
    /// are left out.
    public var description: String {
        var text = "voters=\(voters)"
        if !learners.isEmpty { text += " learners=\(MajorityConfig(learners))" }
        if !learnersNext.isEmpty { text += " learners_next=\(MajorityConfig(learnersNext))" }
        if autoLeave { text += " autoleave" }
        return text
    }
}
