import EtcdBasics

/// A change to the membership's durable copy in the backend, as `ClusterMembership` returns it
/// and `MembershipBackend` performs it.
enum MembershipWrite: Equatable, Sendable {
    /// Puts the member's JSON under its hex ID in `members` (add, promote, update, attributes).
    case saveMember(ClusterMember)
    /// Deletes the member from `members` and marks its ID in `members_removed`.
    case removeMember(MemberID)
    /// Puts the version under `clusterVersion` in `cluster`.
    case saveClusterVersion(String)
}
