import EtcdBasics
import EtcdProto
import GRPC
import Synchronization

/// The process's metrics, under etcd 3.4's names (what `/metrics` serves). One registry per
/// process, as etcd uses Prometheus' global one; tests make their own instances.
///
/// This holds only what must be counted as it happens. Values that live elsewhere (leader,
/// indexes, backend size, keys) are read when a scrape asks (`MetricsScrape`), so nothing on the
/// request path keeps them twice. Every update is a relaxed atomic: callable from any thread.
final class ServerMetrics: Sendable {
    static let shared = ServerMetrics()

    // MARK: etcd_server_*

    /// etcd_server_leader_changes_seen_total: a new, known leader appeared (see `leaderObserved`).
    let leaderChanges = Counter()
    /// etcd_server_proposals_pending: proposals handed to raft whose entry has not applied yet.
    let proposalsPending = Gauge()
    /// etcd_server_proposals_failed_total: proposals refused by raft or never applied in time.
    let proposalsFailed = Counter()
    /// etcd_server_slow_apply_total: applies that took longer than `slowApplyNanoseconds`.
    let slowApplies = Counter()
    /// etcd's warnApplyDuration: an apply slower than this is logged and counted as slow.
    static let slowApplyNanoseconds: Int64 = 100_000_000
    /// etcd_server_heartbeat_send_failures_total.
    let heartbeatSendFailures = Counter()
    /// etcd_server_health_success / etcd_server_health_failures: `/health` answers.
    let healthSuccesses = Counter()
    let healthFailures = Counter()
    /// The last leader `leaderObserved` saw (0: none yet).
    private let lastLeader = Atomic<UInt64>(0)

    // MARK: etcd_disk_*

    /// etcd_disk_wal_fsync_duration_seconds: 1 ms to 8.192 s, doubling (wal/metrics.go).
    let walFsyncDuration = Histogram(upperBounds: Histogram.exponentialBounds(start: 0.001, factor: 2, count: 14))
    /// etcd_disk_backend_commit_duration_seconds: same buckets (mvcc/backend/metrics.go).
    let backendCommitDuration = Histogram(upperBounds: Histogram.exponentialBounds(start: 0.001, factor: 2, count: 14))

    // MARK: etcd_network_*

    /// etcd_network_peer_round_trip_time_seconds{To}: 0.1 ms to 3.2768 s, doubling.
    let peerRoundTrip = PeerHistogramFamily(upperBounds: Histogram.exponentialBounds(start: 0.0001, factor: 2, count: 16))
    /// etcd_network_peer_sent_bytes_total{To} / etcd_network_peer_received_bytes_total{From}.
    let peerSentBytes = PeerCounterFamily()
    let peerReceivedBytes = PeerCounterFamily()
    /// etcd_network_client_grpc_sent_bytes_total / _received_bytes_total.
    let clientGRPCSentBytes = Counter()
    let clientGRPCReceivedBytes = Counter()

    // MARK: etcd_debugging_mvcc_* (watch side)

    /// etcd_debugging_mvcc_watcher_total: watchers across every event loop's registry.
    let watchers = Gauge()
    /// etcd_debugging_mvcc_watch_stream_total: open Watch streams.
    let watchStreams = Gauge()

    // MARK: grpc_server_*

    let grpc = GRPCServerMetrics()

    init() {}

    /// Raft's soft state changed: counts a leader change when a leader is known and differs
    /// from the leader of the previous soft state, none included (etcd's raft.go rule: losing
    /// the leader is not a change; a leader after none is, even the same one). Called by the
    /// raft thread only.
    func leaderObserved(_ leader: UInt64) {
        let previous = lastLeader.exchange(leader, ordering: .relaxed)
        if leader != 0 && leader != previous { leaderChanges.increment() }
    }
}

extension ServerMetrics {
    /// One committed entry applied in `nanoseconds` (the apply thread, per entry).
    @inline(__always)
    func applyFinished(nanoseconds: Int64) {
        if nanoseconds > Self.slowApplyNanoseconds { slowApplies.increment() }
    }

    /// gRPC counting for the event loop (see `GRPCServerMetrics`).
    @inline(__always)
    func grpcStarted(_ method: EtcdMethod) { grpc.callStarted(method) }

    @inline(__always)
    func grpcHandled(_ method: EtcdMethod, code: GRPCStatusCode) { grpc.callHandled(method, code: code) }

    @inline(__always)
    func grpcReceived(_ method: EtcdMethod) { grpc.messageReceived(method) }

    @inline(__always)
    func grpcSent(_ method: EtcdMethod) { grpc.messageSent(method) }
}
