// Why a membership change cannot be applied to a configuration (etcd's confchange errors).

/// A conf change that is invalid on the configuration it was applied to. The descriptions are
/// etcd's error texts, word for word, since operators grep logs for them.
public enum ConfChangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Entering joint consensus from a configuration that is already joint.
    case alreadyJoint
    /// Entering joint consensus from a configuration without voters.
    case zeroVoterJoint
    /// Leaving joint consensus from a configuration that is not joint.
    case notJoint
    /// A simple change while a joint configuration is in force (leave it first).
    case simpleInJoint
    /// A simple change that adds or removes more than one voter (use joint consensus).
    case moreThanOneVoterChanged
    /// The changes leave the incoming configuration without any voter.
    case removedAllVoters

    public var description: String {
        switch self {
        case .alreadyJoint: "config is already joint"
        case .zeroVoterJoint: "can't make a zero-voter config joint"
        case .notJoint: "can't leave a non-joint config"
        case .simpleInJoint: "can't apply simple config change in joint config"
        case .moreThanOneVoterChanged: "more than one voter changed without entering joint config"
        case .removedAllVoters: "removed all voters"
        }
    }
}
