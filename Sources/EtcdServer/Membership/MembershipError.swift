/// Why the membership refuses a conf change (etcd's `membership.Err*`). A committed change that
/// fails validation is applied to raft as a no-op and its proposer gets the error as an
/// `EtcdError` (see `EtcdError.init(_:)`).
enum MembershipError: Error, Equatable, Sendable {
    /// The member was removed before; a removed ID is never reused.
    case idRemoved
    /// A member with this ID exists already.
    case idExists
    /// No member has this ID.
    case idNotFound
    /// Another member uses one of these peer URLs.
    case peerURLExists
    /// Only a learner can be promoted.
    case memberNotLearner
    /// Adding the learner would exceed `ClusterMembership.learnersMax`.
    case tooManyLearners
}
