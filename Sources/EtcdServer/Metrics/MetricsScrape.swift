import EtcdBasics

/// The values a scrape reads from the server at that moment rather than counts as they happen:
/// raft's leader and indexes, the backend's sizes, the store's keys and revisions, identities.
/// `Services.metricsScrape()` fills it; tests build it by hand.
struct MetricsScrape {
    var memberID: MemberID
    var hasLeader: Bool
    var isLeader: Bool
    var isLearner: Bool
    /// Raft's commit index (etcd_server_proposals_committed_total).
    var committedIndex: UInt64
    /// The apply thread's applied index (etcd_server_proposals_applied_total).
    var appliedIndex: UInt64
    var dbSizeBytes: Int64
    var dbSizeInUseBytes: Int64
    /// Keys in the index (etcd_debugging_mvcc_keys_total; etcd's counts live keys only, ours
    /// also deleted ones until compaction, see `Services.metricsScrape`).
    var keyCount: Int
    var currentRevision: Int64
    var compactRevision: Int64
    /// `--quota-backend-bytes` in effect (etcd shows 0 when there is no quota).
    var quotaBytes: Int64
    var serverVersion: String
    /// Major.minor, as etcd labels it ("3.4").
    var clusterVersion: String
    /// swetcd's own release, for swetcd_build_info.
    var buildVersion: String
    /// nil leaves out the process_* and os_fd_* families (tests; platforms without /proc).
    var process: ProcessStats?
}

extension ServerMetrics {
    /// The `/metrics` page (Content-Type `text/plain; version=0.0.4; charset=utf-8`): this
    /// registry's counters plus what `scrape` read, in client_golang's layout.
    func render(_ scrape: MetricsScrape) -> [UInt8] {
        var text = ExpositionText()
        writeServer(scrape, to: &text)
        writeStorage(scrape, to: &text)
        writeNetwork(to: &text)
        grpc.write(to: &text)
        if let process = scrape.process { Self.writeProcess(process, to: &text) }
        return text.render()
    }

    /// The HTTP Content-Type of `render`'s page.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private func writeServer(_ scrape: MetricsScrape, to text: inout ExpositionText) {
        text.gauge("etcd_server_has_leader", help: "Whether or not a leader exists. 1 is existence, 0 is not.",
                   scrape.hasLeader ? 1 : 0)
        text.gauge("etcd_server_is_leader", help: "Whether or not this member is a leader. 1 if is, 0 otherwise.",
                   scrape.isLeader ? 1 : 0)
        text.gauge("etcd_server_is_learner", help: "Whether or not this member is a learner. 1 if is, 0 otherwise.",
                   scrape.isLearner ? 1 : 0)
        text.counter("etcd_server_leader_changes_seen_total", help: "The number of leader changes seen.",
                     leaderChanges.value)
        // etcd declares these two as gauges (it sets them to raft's indexes).
        text.gauge("etcd_server_proposals_committed_total", help: "The total number of consensus proposals committed.",
                   Double(scrape.committedIndex))
        text.gauge("etcd_server_proposals_applied_total", help: "The total number of consensus proposals applied.",
                   Double(scrape.appliedIndex))
        text.gauge("etcd_server_proposals_pending", help: "The current number of pending proposals to commit.",
                   Double(max(proposalsPending.value, 0)))
        text.counter("etcd_server_proposals_failed_total", help: "The total number of failed proposals seen.",
                     proposalsFailed.value)
        text.counter("etcd_server_slow_apply_total",
                     help: "The total number of slow apply requests (likely overloaded from slow disk).", slowApplies.value)
        text.counter("etcd_server_heartbeat_send_failures_total",
                     help: "The total number of leader heartbeat send failures (likely overloaded from slow disk).",
                     heartbeatSendFailures.value)
        text.counter("etcd_server_health_success", help: "The total number of successful health checks",
                     healthSuccesses.value)
        text.counter("etcd_server_health_failures", help: "The total number of failed health checks",
                     healthFailures.value)
        text.gauge("etcd_server_quota_backend_bytes", help: "Current backend storage quota size in bytes.",
                   Double(scrape.quotaBytes))
        text.info("etcd_server_id", help: "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.",
                  label: "server_id", value: String(scrape.memberID.rawValue, radix: 16))
        text.info("etcd_server_version", help: "Which version is running. 1 for 'server_version' label with current version.",
                  label: "server_version", value: scrape.serverVersion)
        text.info("etcd_cluster_version",
                  help: "Which version is running. 1 for 'cluster_version' label with current cluster version",
                  label: "cluster_version", value: scrape.clusterVersion)
        text.info("swetcd_build_info", help: "Which swetcd release is running. 1 for 'version' label with its version.",
                  label: "version", value: scrape.buildVersion)
    }

    private func writeStorage(_ scrape: MetricsScrape, to text: inout ExpositionText) {
        let physicalHelp = "Total size of the underlying database physically allocated in bytes."
        text.gauge("etcd_mvcc_db_total_size_in_bytes", help: physicalHelp, Double(scrape.dbSizeBytes))
        text.gauge("etcd_debugging_mvcc_db_total_size_in_bytes", help: physicalHelp, Double(scrape.dbSizeBytes))
        text.gauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                   help: "Total size of the underlying database logically in use in bytes.", Double(scrape.dbSizeInUseBytes))
        text.gauge("etcd_debugging_mvcc_keys_total", help: "Total number of keys.", Double(scrape.keyCount))
        text.gauge("etcd_debugging_mvcc_current_revision", help: "The current revision of store.",
                   Double(scrape.currentRevision))
        text.gauge("etcd_debugging_mvcc_compact_revision", help: "The revision of the last compaction in store.",
                   Double(scrape.compactRevision))
        text.gauge("etcd_debugging_mvcc_watcher_total", help: "Total number of watchers.", Double(max(watchers.value, 0)))
        // etcd 3.6's name for the same gauge (promoted out of debugging); dashboards use either.
        text.gauge("etcd_mvcc_watcher_total", help: "Total number of watchers.", Double(max(watchers.value, 0)))
        text.gauge("etcd_debugging_mvcc_watch_stream_total", help: "Total number of watch streams.",
                   Double(max(watchStreams.value, 0)))
        text.add("etcd_disk_wal_fsync_duration_seconds", help: "The latency distributions of fsync called by WAL.",
                 kind: .histogram,
                 samples: ExpositionText.histogramSamples(walFsyncDuration.snapshot, upperBounds: walFsyncDuration.upperBounds))
        text.add("etcd_disk_backend_commit_duration_seconds", help: "The latency distributions of commit called by backend.",
                 kind: .histogram,
                 samples: ExpositionText.histogramSamples(backendCommitDuration.snapshot,
                                                          upperBounds: backendCommitDuration.upperBounds))
    }

    private func writeNetwork(to text: inout ExpositionText) {
        text.counter("etcd_network_client_grpc_received_bytes_total",
                     help: "The total number of bytes received from grpc clients.", clientGRPCReceivedBytes.value)
        text.counter("etcd_network_client_grpc_sent_bytes_total",
                     help: "The total number of bytes sent to grpc clients.", clientGRPCSentBytes.value)
        text.add("etcd_network_peer_sent_bytes_total", help: "The total number of bytes sent to peers.", kind: .counter,
                 samples: peerSentBytes.values.map {
                     ExpositionText.Sample(labels: [("To", $0.peer.description)], value: Double($0.value))
                 })
        text.add("etcd_network_peer_received_bytes_total", help: "The total number of bytes received from peers.",
                 kind: .counter,
                 samples: peerReceivedBytes.values.map {
                     ExpositionText.Sample(labels: [("From", $0.peer.description)], value: Double($0.value))
                 })
        // Series by peer, in the order of their IDs' text (client_golang sorts by label value).
        let roundTrips = peerRoundTrip.values.sorted { $0.peer.description < $1.peer.description }
        text.add("etcd_network_peer_round_trip_time_seconds", help: "Round-Trip-Time histogram between peers",
                 kind: .histogram,
                 samples: roundTrips.flatMap {
                     ExpositionText.histogramSamples($0.histogram.snapshot, upperBounds: $0.histogram.upperBounds,
                                                     labels: [("To", $0.peer.description)])
                 })
    }

    private static func writeProcess(_ process: ProcessStats, to text: inout ExpositionText) {
        if let value = process.cpuSeconds {
            text.add("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
                     kind: .counter, samples: [ExpositionText.Sample(value: value)])
        }
        if let value = process.openFileDescriptors {
            text.gauge("process_open_fds", help: "Number of open file descriptors.", Double(value))
            text.gauge("os_fd_used", help: "The number of used file descriptors.", Double(value))
        }
        if let value = process.maxFileDescriptors {
            text.gauge("process_max_fds", help: "Maximum number of open file descriptors.", value)
            text.gauge("os_fd_limit", help: "The file descriptor limit.", value)
        }
        if let value = process.residentBytes {
            text.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.", value)
        }
        if let value = process.virtualBytes {
            text.gauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.", value)
        }
        if let value = process.maxVirtualBytes {
            text.gauge("process_virtual_memory_max_bytes", help: "Maximum amount of virtual memory available in bytes.",
                       value)
        }
        if let value = process.startTimeSeconds {
            text.gauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.", value)
        }
    }
}
