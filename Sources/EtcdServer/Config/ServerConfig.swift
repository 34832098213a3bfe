/// What `swetcd` was asked to do.
public enum ConfigCommand: Sendable {
    /// Start a server. `warnings` are etcd's warnings about the command line plus one for each
    /// flag swetcd accepts but does not act on yet; the caller logs each at warn level.
    case run(ServerConfig, warnings: [String])
    /// Print this text to stdout and exit 0 (`--version`).
    case printVersion(String)
    /// Print this text to stdout and exit 0 (`--help`, `-h`).
    case printHelp(String)
}

/// `--initial-cluster-state`.
public enum InitialClusterState: String, Sendable {
    case new
    case existing
}

/// `--auto-compaction-mode`.
public enum AutoCompactionMode: String, Sendable {
    case periodic
    case revision
}

/// One member of `--initial-cluster`: a name and every peer URL given for it, sorted (etcd's
/// `types.URLsMap` entry).
public struct InitialClusterMember: Equatable, Sendable {
    public var name: String
    public var peerURLs: [EtcdURL]
    public init(name: String, peerURLs: [EtcdURL]) {
        self.name = name
        self.peerURLs = peerURLs
    }
}

/// TLS files and checks for one side (client or peer), as etcd's `transport.TLSInfo`.
public struct TLSFiles: Equatable, Sendable {
    public var certFile = ""
    public var keyFile = ""
    public var trustedCAFile = ""
    public var crlFile = ""
    public var clientCertAuth = false
    public var allowedHostname = ""
    /// Peer side only (`--peer-cert-allowed-cn`).
    public var allowedCN = ""
    /// Peer side only (`--experimental-peer-skip-client-san-verification`).
    public var skipClientSANVerification = false
    /// `--auto-tls` / `--peer-auto-tls`: generate a self-signed certificate when none is given.
    public var autoTLS = false

    /// etcd treats TLS as configured when either the cert or the key file is given.
    public var isEmpty: Bool { certFile.isEmpty && keyFile.isEmpty }
}

/// The v2 proxy's settings (swetcd has no proxy; kept so the flags validate as in etcd).
public struct ProxyConfig: Equatable, Sendable {
    public var mode = "off"
    public var failureWaitMs: UInt64 = 5000
    public var refreshIntervalMs: UInt64 = 30000
    public var dialTimeoutMs: UInt64 = 1000
    public var writeTimeoutMs: UInt64 = 5000
    public var readTimeoutMs: UInt64 = 0
    public var discoveryFallback = "proxy"
}

/// The server's configuration: every flag of `etcd` 3.4 as a typed value, after etcd's defaults,
/// `ETCD_*` environment variables and derivations (data dir from name, initial cluster from name
/// and advertised peer URLs) have been applied. Built by `ServerConfig.parse`.
public struct ServerConfig: Sendable {
    // Member
    public var name = "default"
    /// `--data-dir`, or `<name>.etcd` when not given.
    public var dataDir = "default.etcd"
    /// `--wal-dir`; empty means `<data-dir>/member/wal`.
    public var walDir = ""
    public var snapshotCount: UInt64 = 100_000
    public var heartbeatIntervalMs: UInt64 = 100
    public var electionTimeoutMs: UInt64 = 1000
    public var initialElectionTickAdvance = true
    public var listenPeerURLs: [EtcdURL] = []
    public var listenClientURLs: [EtcdURL] = []
    public var maxSnapshots: UInt64 = 5
    public var maxWALs: UInt64 = 5
    /// 0 means etcd's default quota (2 GiB).
    public var quotaBackendBytes: Int64 = 0
    /// Zero means etcd's default (100 ms).
    public var backendBatchInterval: Duration = .zero
    /// Zero means etcd's default (10,000).
    public var backendBatchLimit: Int64 = 0
    public var maxTxnOps = 128
    public var maxRequestBytes = 1_572_864
    public var maxConcurrentStreams: UInt32 = .max
    public var grpcKeepAliveMinTime: Duration = .seconds(5)
    public var grpcKeepAliveInterval: Duration = .seconds(7200)
    public var grpcKeepAliveTimeout: Duration = .seconds(20)

    // Clustering
    public var initialAdvertisePeerURLs: [EtcdURL] = []
    public var advertiseClientURLs: [EtcdURL] = []
    /// `--initial-cluster` as given (after etcd's derivation from `--name`); empty when
    /// bootstrapping by discovery.
    public var initialClusterText = "default=http://localhost:2380"
    /// `initialClusterText` parsed, members in the order first named.
    public var initialCluster: [InitialClusterMember] = []
    public var initialClusterToken = "etcd-cluster"
    public var initialClusterState = InitialClusterState.new
    public var discoveryURL = ""
    public var discoveryProxy = ""
    public var discoverySRV = ""
    public var discoverySRVName = ""
    public var strictReconfigCheck = true
    public var preVote = false
    /// A duration (`1h`, or hours without a unit in periodic mode) or a revision count.
    public var autoCompactionRetention = "0"
    public var autoCompactionMode = AutoCompactionMode.periodic
    public var enableV2 = false

    // Security
    public var clientTLS = TLSFiles()
    public var peerTLS = TLSFiles()
    public var cipherSuites: [String] = []
    /// `--tls-min-version` / `--tls-max-version` (etcd 3.5's): "TLS1.2", "TLS1.3", "" for none.
    public var tlsMinVersion = "TLS1.2"
    public var tlsMaxVersion = ""
    public var corsOrigins: [String] = ["*"]
    public var hostWhitelist: [String] = ["*"]

    // Auth
    public var authToken = "simple"
    public var bcryptCost: UInt64 = 10
    public var authTokenTTLSeconds: UInt64 = 300

    // Monitoring
    public var enablePprof = false
    public var metrics = "basic"
    public var listenMetricsURLs: [EtcdURL] = []
    public var enableGRPCGateway = true

    // Logging
    /// `zap` or `capnslog`; swetcd writes zap's JSON either way.
    public var logger = "capnslog"
    public var logOutputs: [String] = ["default"]
    public var logLevel = LogLevel.info
    public var debug = false
    public var logPackageLevels = ""

    // Proxy, experimental, unsafe
    public var proxy = ProxyConfig()
    public var experimentalInitialCorruptCheck = false
    public var experimentalCorruptCheckTime: Duration = .zero
    public var experimentalEnableV2V3 = ""
    public var experimentalBackendFreelistType = ""
    public var experimentalEnableLeaseCheckpoint = false
    public var experimentalEnableLeaseCheckpointPersist = false
    public var experimentalLeaseCheckpointInterval: Duration = .seconds(300)
    public var experimentalCompactionBatchLimit: Int64 = 0
    public var experimentalWatchProgressNotifyInterval: Duration = .zero
    public var experimentalWarningApplyDuration: Duration = .milliseconds(100)
    public var forceNewCluster = false
    public var unsafeNoFsync = false

    /// `ETCD_*` variables that set a flag, as `KEY=value` (etcd logs each at info level).
    public var usedEnvironment: [String] = []

    public init() {}

    /// Election timeout in heartbeat ticks (etcd's `ElectionTicks`).
    public var electionTicks: Int { Int(electionTimeoutMs / heartbeatIntervalMs) }
    /// The peer URLs `--initial-cluster` lists for this member's name.
    public var initialClusterPeerURLs: [EtcdURL]? { initialCluster.first { $0.name == name }?.peerURLs }
}
