/// Lease checkpointing (etcd's `--experimental-enable-lease-checkpoint`): the leader records
/// each long lease's remaining time in the log now and then, so that a new leader counts from
/// what was left instead of granting the whole TTL again. Without it, a lease that is never
/// kept alive but outlives every leader (a TTL of hours, leaders changing every few minutes)
/// would never expire.
struct LeaseCheckpointing: Sendable, Equatable {
    /// How long after being scheduled a lease is checkpointed (etcd: 5 minutes; etcd 3.6's
    /// `--experimental-lease-checkpoint-interval`). Only leases whose TTL is longer get one.
    let intervalNanoseconds: Int64
    /// Whether applied checkpoints are written to the `lease` bucket too
    /// (`--experimental-enable-lease-checkpoint-persist`), so that they survive a restart.
    let persists: Bool

    static let defaultIntervalNanoseconds: Int64 = 5 * 60 * 1_000_000_000
}

extension LeaseCheckpointing {
    /// The configuration's choice: nil unless `--experimental-enable-lease-checkpoint`.
    init?(_ configuration: ServerConfig) {
        guard configuration.experimentalEnableLeaseCheckpoint else { return nil }
        self.init(intervalNanoseconds: configuration.experimentalLeaseCheckpointInterval.nanoseconds,
                  persists: configuration.experimentalEnableLeaseCheckpointPersist)
    }
}
