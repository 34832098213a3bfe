import EtcdBasics
import Synchronization

/// Since when each peer has had a working stream (etcd's `transport.ActiveSince`): written by
/// the peer transport's threads as streams come and go, read by the Cluster service for
/// `--strict-reconfig-check` and by Status.
final class PeerConnectivity: Sendable {
    /// Monotonic nanoseconds at which each connected peer's stream came up.
    private let activeSince = Mutex<[MemberID: Int64]>([:])

    func markActive(_ id: MemberID, now: Int64) {
        activeSince.withLock { if $0[id] == nil { $0[id] = now } }
    }

    func markInactive(_ id: MemberID) {
        _ = activeSince.withLock { $0.removeValue(forKey: id) }
    }

    /// The peers connected now, and those connected for at least etcd's health interval.
    func activity(now: Int64) -> PeerActivity {
        let since = activeSince.withLock { $0 }
        let healthyBefore = now - Int64(PeerActivity.healthIntervalSeconds) * 1_000_000_000
        return PeerActivity(connected: Set(since.keys),
                            connectedForHealthInterval: Set(since.filter { $0.value <= healthyBefore }.keys))
    }
}
