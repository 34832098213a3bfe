/// The lessor's numbers, etcd's where etcd has them.
enum LeaseLimits {
    /// The largest TTL a grant may ask for, in seconds (etcd's `MaxLeaseTTL`, about 285 years).
    static let ttlMaxSeconds: Int64 = 9_000_000_000
    /// Expired leases revoked per second at most (etcd's `leaseRevokeRate`), so a mass expiry
    /// becomes a steady stream of revokes instead of one burst that stalls the log.
    static let revokesPerSecondMax = 1_000
    /// How often the leader looks for expired leases (etcd's lessor loop: every 500 ms), and so
    /// at most `revokesPerSecondMax / 2` revokes per look.
    static let expiryCheckIntervalNanoseconds: Int64 = 500_000_000
    static var revokesPerCheckMax: Int { revokesPerSecondMax / 2 }
    /// An expired lease handed out for revoking is handed out again after this if it still
    /// exists (its revoke was lost, say to a leader change): etcd's `expiredLeaseRetryInterval`.
    static let expiredRetryNanoseconds: Int64 = 3_000_000_000
    /// On promotion, leases are spread so that at most this many expire in any one second
    /// (etcd's `3 * leaseRevokeRate / 4`), leaving room for the leases that pile up anyway.
    static var promotedExpiriesPerSecondMax: Int { 3 * revokesPerSecondMax / 4 }
    /// Lease checkpoints in one raft entry at most (etcd's `maxLeaseCheckpointBatchSize`)...
    static let checkpointsPerEntryMax = 1_000
    /// ...and such entries proposed per expiry check at most (etcd's `leaseCheckpointRate / 2`).
    static let checkpointEntriesPerCheckMax = 500

    /// The shortest TTL a lease gets, in seconds: etcd's `minTTL`, the time a new leader may
    /// take to be elected (1.5 election timeouts, counted in whole heartbeats), rounded up to
    /// whole seconds. A grant asking for less gets this.
    static func ttlMinSeconds(heartbeatMilliseconds: Int64, electionMilliseconds: Int64) -> Int64 {
        precondition(heartbeatMilliseconds > 0 && electionMilliseconds > 0)
        let electionTicks = electionMilliseconds / heartbeatMilliseconds
        let minimumMilliseconds = (3 * electionTicks / 2) * heartbeatMilliseconds
        return (minimumMilliseconds + 999) / 1000
    }
}
