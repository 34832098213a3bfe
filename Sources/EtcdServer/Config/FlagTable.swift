/// Every flag etcd 3.4.23's `etcd` command accepts, with etcd's defaults. The order is the order
/// of `--help`; lookups go through `FlagTable.byName`.
enum FlagTable {
    static func url(_ text: String) -> FlagValue {
        // The defaults are fixed, valid URLs; failing to parse one is a programmer error.
        guard let urls = try? EtcdURL.parseList(text) else { preconditionFailure("bad default URL \(text)") }
        return .urls(urls)
    }

    static let all: [FlagSpec] = member + clustering + security + auth + monitoring + logging
        + proxy + experimental + unsafe + deprecated + general

    static let byName: [String: FlagSpec] = {
        var table: [String: FlagSpec] = [:]
        for spec in all { table[spec.name] = spec }
        return table
    }()

    private static let member: [FlagSpec] = [
        FlagSpec("name", .string, .string("default"), .member, implemented: true, "Human-readable name for this member."),
        FlagSpec("data-dir", .string, .string(""), .member, shown: "'${name}.etcd'", implemented: true, "Path to the data directory."),
        FlagSpec("wal-dir", .string, .string(""), .member, implemented: true, "Path to a dedicated WAL directory."),
        FlagSpec("snapshot-count", .uint, .uint(100_000), .member, implemented: true, "Committed transactions that trigger a snapshot to disk."),
        FlagSpec("heartbeat-interval", .uint, .uint(100), .member, implemented: true, "Time (in milliseconds) of a heartbeat interval."),
        FlagSpec("election-timeout", .uint, .uint(1000), .member, implemented: true, "Time (in milliseconds) for an election to time out."),
        FlagSpec("initial-election-tick-advance", .bool, .bool(true), .member, "Fast-forward initial election ticks on boot for a faster election."),
        FlagSpec("listen-peer-urls", .urls(exceptions: [""]), url("http://localhost:2380"), .member, implemented: true, "URLs to listen on for peer traffic."),
        FlagSpec("listen-client-urls", .urls(exceptions: [""]), url("http://localhost:2379"), .member, implemented: true, "URLs to listen on for client traffic."),
        FlagSpec("max-snapshots", .uint, .uint(5), .member, implemented: true, "Snapshot files to retain (0 is unlimited)."),
        FlagSpec("max-wals", .uint, .uint(5), .member, implemented: true, "WAL files to retain (0 is unlimited)."),
        FlagSpec("quota-backend-bytes", .int, .int(0), .member, implemented: true, "Raise an alarm when the backend exceeds this size (0 means the default quota)."),
        FlagSpec("backend-batch-interval", .duration, .duration(.zero), .member, shown: "''", implemented: true, "Longest time before a backend transaction commits."),
        FlagSpec("backend-batch-limit", .int, .int(0), .member, implemented: true, "Most operations before a backend transaction commits."),
        FlagSpec("max-txn-ops", .uint, .uint(128), .member, implemented: true, "Most operations allowed in one transaction."),
        FlagSpec("max-request-bytes", .uint, .uint(1_572_864), .member, implemented: true, "Largest client request, in bytes, the server accepts."),
        FlagSpec("max-concurrent-streams", .uint32, .uint(UInt64(UInt32.max)), .member, shown: "'math.MaxUint32'", implemented: true, "Most concurrent streams each client may open."),
        FlagSpec("grpc-keepalive-min-time", .duration, .duration(.seconds(5)), .member, "Shortest interval a client should wait between pings."),
        FlagSpec("grpc-keepalive-interval", .duration, .duration(.seconds(7200)), .member, "How often the server pings a connection to check it is alive (0 disables)."),
        FlagSpec("grpc-keepalive-timeout", .duration, .duration(.seconds(20)), .member, "How long to wait for a ping reply before closing the connection (0 disables)."),
    ]

    private static let clustering: [FlagSpec] = [
        FlagSpec("initial-advertise-peer-urls", .urls(exceptions: [""]), url("http://localhost:2380"), .clustering, implemented: true, "This member's peer URLs, advertised to the rest of the cluster."),
        FlagSpec("initial-cluster", .string, .string("default=http://localhost:2380"), .clustering, implemented: true, "Initial cluster configuration for bootstrapping."),
        FlagSpec("initial-cluster-state", .choice(["new", "existing"]), .string("new"), .clustering, implemented: true, "Initial cluster state ('new' or 'existing')."),
        FlagSpec("initial-cluster-token", .string, .string("etcd-cluster"), .clustering, implemented: true, "Initial cluster token; keeps separate clusters from talking to each other."),
        FlagSpec("advertise-client-urls", .urls(exceptions: [""]), url("http://localhost:2379"), .clustering, implemented: true, "This member's client URLs, advertised to clients."),
        FlagSpec("discovery", .string, .string(""), .clustering, "Discovery URL used to bootstrap the cluster."),
        FlagSpec("discovery-fallback", .choice(["proxy", "exit"]), .string("proxy"), .clustering, "What to do ('exit' or 'proxy') when the discovery service fails."),
        FlagSpec("discovery-proxy", .string, .string(""), .clustering, "HTTP proxy for traffic to the discovery service."),
        FlagSpec("discovery-srv", .string, .string(""), .clustering, "DNS SRV domain used to bootstrap the cluster."),
        FlagSpec("discovery-srv-name", .string, .string(""), .clustering, "Suffix of the DNS SRV name queried when bootstrapping."),
        FlagSpec("strict-reconfig-check", .bool, .bool(true), .clustering, implemented: true, "Refuse membership changes that would lose quorum."),
        FlagSpec("pre-vote", .bool, .bool(false), .clustering, implemented: true, "Run an extra raft election phase (pre-vote)."),
        FlagSpec("auto-compaction-retention", .string, .string("0"), .clustering, "Auto compaction retention (0 disables auto compaction)."),
        FlagSpec("auto-compaction-mode", .string, .string("periodic"), .clustering, "How to read auto-compaction-retention: 'periodic' (a duration, hours without a unit) or 'revision'."),
        FlagSpec("enable-v2", .bool, .bool(false), .clustering, "Accept etcd V2 client requests."),
    ]

    private static let security: [FlagSpec] = [
        FlagSpec("cert-file", .string, .string(""), .security, implemented: true, "Client server TLS cert file."),
        FlagSpec("key-file", .string, .string(""), .security, implemented: true, "Client server TLS key file."),
        FlagSpec("client-cert-auth", .bool, .bool(false), .security, implemented: true, "Require client certificates."),
        FlagSpec("client-crl-file", .string, .string(""), .security, implemented: true, "Client certificate revocation list file."),
        FlagSpec("client-cert-allowed-hostname", .string, .string(""), .security, "Allowed TLS hostname for client cert authentication."),
        FlagSpec("trusted-ca-file", .string, .string(""), .security, implemented: true, "Client server TLS trusted CA cert file."),
        FlagSpec("auto-tls", .bool, .bool(false), .security, implemented: true, "Client TLS with generated certificates."),
        FlagSpec("peer-cert-file", .string, .string(""), .security, implemented: true, "Peer server TLS cert file."),
        FlagSpec("peer-key-file", .string, .string(""), .security, implemented: true, "Peer server TLS key file."),
        FlagSpec("peer-client-cert-auth", .bool, .bool(false), .security, implemented: true, "Require peer client certificates."),
        FlagSpec("peer-trusted-ca-file", .string, .string(""), .security, implemented: true, "Peer server TLS trusted CA file."),
        FlagSpec("peer-cert-allowed-cn", .string, .string(""), .security, implemented: true, "Required CN of client certs on the peer endpoint."),
        FlagSpec("peer-cert-allowed-hostname", .string, .string(""), .security, "Allowed TLS hostname for peer authentication."),
        FlagSpec("peer-auto-tls", .bool, .bool(false), .security, implemented: true, "Peer TLS with generated certificates when no peer key and cert are given."),
        FlagSpec("peer-crl-file", .string, .string(""), .security, implemented: true, "Peer certificate revocation list file."),
        FlagSpec("tls-min-version", .string, .string("TLS1.2"), .security, implemented: true, "Minimum TLS version for client and peer connections: TLS1.2 or TLS1.3 (etcd 3.5's flag)."),
        FlagSpec("tls-max-version", .string, .string(""), .security, implemented: true, "Maximum TLS version for client and peer connections: TLS1.2 or TLS1.3; empty for the library's (etcd 3.5's flag)."),
        FlagSpec("cipher-suites", .strings, .strings([]), .security, implemented: true, "Comma-separated TLS cipher suites for clients and peers (empty: the TLS library's defaults)."),
        FlagSpec("cors", .origins, .strings(["*"]), .security, implemented: true, "Comma-separated CORS origins (empty or * allows all)."),
        FlagSpec("host-whitelist", .uniqueStrings, .strings(["*"]), .security, implemented: true, "Hostnames accepted from HTTP clients when not secure (empty or * allows all)."),
        FlagSpec("experimental-peer-skip-client-san-verification", .bool, .bool(false), .security, "Skip SAN verification of peer client certificates."),
    ]

    private static let auth: [FlagSpec] = [
        FlagSpec("auth-token", .string, .string("simple"), .auth, implemented: true, "Auth token type and options ('simple' or 'jwt')."),
        FlagSpec("bcrypt-cost", .uint, .uint(10), .auth, shown: "10", implemented: true, "bcrypt cost for hashing auth passwords (4 to 31)."),
        FlagSpec("auth-token-ttl", .uint, .uint(300), .auth, shown: "300", implemented: true, "Lifetime (in seconds) of a simple auth token."),
    ]

    private static let monitoring: [FlagSpec] = [
        FlagSpec("enable-pprof", .bool, .bool(false), .monitoring, "Serve runtime profiling data under /debug/pprof/ on the client URL."),
        FlagSpec("metrics", .string, .string("basic"), .monitoring, "Detail of exported metrics ('basic' or 'extensive')."),
        FlagSpec("listen-metrics-urls", .urls(exceptions: [""]), .urls([]), .monitoring, implemented: true, "URLs to listen on for the metrics and health endpoints."),
    ]

    private static let logging: [FlagSpec] = [
        FlagSpec("logger", .string, .string("capnslog"), .logging, implemented: true, "'zap' for structured logging or 'capnslog'; swetcd always writes zap's JSON."),
        FlagSpec("log-outputs", .uniqueStrings, .strings(["default"]), .logging, implemented: true, "'stdout', 'stderr' or 'default', or comma-separated output targets."),
        FlagSpec("log-level", .string, .string("info"), .logging, implemented: true, "Log level: debug, info, warn, error, panic or fatal."),
    ]

    private static let proxy: [FlagSpec] = [
        FlagSpec("proxy", .choice(["off", "readonly", "on"]), .string("off"), .proxy, "Proxy mode ('off', 'readonly' or 'on')."),
        FlagSpec("proxy-failure-wait", .uint, .uint(5000), .proxy, shown: "5000", "Time (in milliseconds) an endpoint stays failed."),
        FlagSpec("proxy-refresh-interval", .uint, .uint(30000), .proxy, shown: "30000", "Time (in milliseconds) between endpoint refreshes."),
        FlagSpec("proxy-dial-timeout", .uint, .uint(1000), .proxy, shown: "1000", "Time (in milliseconds) for a dial to time out."),
        FlagSpec("proxy-write-timeout", .uint, .uint(5000), .proxy, shown: "5000", "Time (in milliseconds) for a write to time out."),
        FlagSpec("proxy-read-timeout", .uint, .uint(0), .proxy, shown: "0", "Time (in milliseconds) for a read to time out."),
    ]

    private static let experimental: [FlagSpec] = [
        FlagSpec("experimental-initial-corrupt-check", .bool, .bool(false), .experimental, "Check data corruption before serving client or peer traffic."),
        FlagSpec("experimental-corrupt-check-time", .duration, .duration(.zero), .experimental, "Time between cluster corruption checks."),
        FlagSpec("experimental-enable-v2v3", .string, .string(""), .experimental, "Serve v2 requests through the v3 backend under this prefix."),
        FlagSpec("experimental-backend-bbolt-freelist-type", .string, .string(""), .experimental, shown: "'array'", "bbolt freelist type ('array' or 'map')."),
        FlagSpec("experimental-enable-lease-checkpoint", .bool, .bool(false), .experimental, implemented: true, "Leader checkpoints lease TTLs to other members."),
        FlagSpec("experimental-enable-lease-checkpoint-persist", .bool, .bool(false), .experimental, implemented: true, "Persist checkpointed lease TTLs (needs experimental-enable-lease-checkpoint)."),
        // etcd 3.6's flag (3.4 fixes the interval at 5 minutes).
        FlagSpec("experimental-lease-checkpoint-interval", .duration, .duration(.seconds(300)), .experimental, shown: "'5m0s'", implemented: true, "Time between lease checkpoints (with experimental-enable-lease-checkpoint)."),
        FlagSpec("experimental-compaction-batch-limit", .int, .int(0), .experimental, shown: "1000", implemented: true, "Most revisions deleted in one compaction batch."),
        FlagSpec("experimental-watch-progress-notify-interval", .duration, .duration(.zero), .experimental, shown: "'10m'", implemented: true, "Interval of periodic watch progress notifications."),
        FlagSpec("experimental-warning-apply-duration", .duration, .duration(.milliseconds(100)), .experimental, "Warn when applying a request takes longer than this."),
    ]

    private static let unsafe: [FlagSpec] = [
        FlagSpec("force-new-cluster", .bool, .bool(false), .unsafe, "Force a new one-member cluster."),
        FlagSpec("unsafe-no-fsync", .bool, .bool(false), .unsafe, implemented: true, "Disable fsync; unsafe, loses data on a crash."),
    ]

    private static let deprecated: [FlagSpec] = [
        FlagSpec("debug", .bool, .bool(false), .deprecated, "Debug-level logging; use '--log-level=debug' instead."),
        FlagSpec("log-package-levels", .string, .string(""), .deprecated, "Per-package log levels (capnslog only)."),
        FlagSpec("log-output", .uniqueStrings, .strings(["default"]), .deprecated, "Old name of '--log-outputs'."),
    ]

    /// Flags outside the help sections: the config file, the gateway switch and `--version`.
    private static let general: [FlagSpec] = [
        FlagSpec("config-file", .string, .string(""), .member, "Path to a YAML configuration file (not supported by swetcd)."),
        FlagSpec("enable-grpc-gateway", .bool, .bool(true), .monitoring, implemented: true, "Serve the JSON gRPC gateway on the client port."),
        FlagSpec("version", .bool, .bool(false), .member, implemented: true, "Print the version and exit."),
    ]

    /// etcd 2 flags etcd 3.4 still accepts (as booleans) and ignores with a warning.
    static let ignoredNames: [String] = [
        "cluster-active-size", "cluster-remove-delay", "cluster-sync-interval", "config", "force",
        "max-result-buffer", "max-retry-attempts", "peer-heartbeat-interval", "peer-election-timeout",
        "retry-interval", "snapshot", "v", "vv", "test.coverprofile", "test.outputdir",
    ]
}
