extension ServerConfig {
    /// Reads `swetcd`'s command line and environment exactly as `etcd` 3.4 reads its own.
    ///
    /// Pure: nothing is printed, no file is touched, no process exits. On a bad command line the
    /// error carries etcd's message and exit status (2 for flag syntax, 1 for failed checks).
    /// Checks that depend on the data directory (the initial cluster naming this member, its
    /// peer URLs matching) are in `verifyBootstrap()`, which the server runs only when it finds
    /// no WAL, as etcd does.
    ///
    /// - Parameters:
    ///   - arguments: the command line without the program name.
    ///   - environment: the process environment; only `ETCD_*` keys matter.
    public static func parse(arguments: [String], environment: [String: String]) throws(ConfigError) -> ConfigCommand {
        var flags = FlagParser()
        if try flags.parseArguments(arguments) == .helpRequested {
            return .printHelp(HelpText.usage + HelpText.flags)
        }
        if let stray = flags.remaining.first {
            throw .invalid("'\(stray)' is not a valid flag")
        }
        if flags.values["version"] == .bool(true) {
            return .printVersion(EtcdVersion.versionText)
        }
        let configFile = flags.string("config-file").isEmpty ? (environment["ETCD_CONFIG_FILE"] ?? "") : flags.string("config-file")
        if !configFile.isEmpty {
            throw .invalid("--config-file is not supported by swetcd; pass flags or ETCD_* environment variables instead (config file \(goQuote(configFile)))")
        }
        try flags.applyEnvironment(environment)

        var config = ServerConfig(flags)
        var warnings = flags.warnings
        // etcd drops the default advertised client URL when only the listen URL is given, so
        // the check below refuses to advertise localhost by accident.
        if flags.isSet("listen-client-urls") && !flags.isSet("advertise-client-urls") && !config.mayBeProxy {
            config.advertiseClientURLs = []
        }
        let hasDiscovery = !config.discoveryURL.isEmpty || !config.discoverySRV.isEmpty || !config.discoverySRVName.isEmpty
        if hasDiscovery && !flags.isSet("initial-cluster") {
            config.initialClusterText = ""
        }
        try config.validate(flags: flags, warnings: &warnings)
        config.deriveDefaults(warnings: &warnings)
        try config.parseInitialCluster()
        for spec in FlagTable.all where flags.isSet(spec.name) && !spec.isImplemented {
            warnings.append("swetcd does not implement --\(spec.name) yet; the value is accepted and ignored")
        }
        return .run(config, warnings: warnings)
    }

    /// Copies every flag's value into its typed field.
    init(_ flags: FlagParser) {
        self.init()
        name = flags.string("name")
        dataDir = flags.string("data-dir")
        walDir = flags.string("wal-dir")
        snapshotCount = flags.uint("snapshot-count")
        heartbeatIntervalMs = flags.uint("heartbeat-interval")
        electionTimeoutMs = flags.uint("election-timeout")
        initialElectionTickAdvance = flags.bool("initial-election-tick-advance")
        listenPeerURLs = flags.urls("listen-peer-urls")
        listenClientURLs = flags.urls("listen-client-urls")
        maxSnapshots = flags.uint("max-snapshots")
        maxWALs = flags.uint("max-wals")
        quotaBackendBytes = flags.int("quota-backend-bytes")
        backendBatchInterval = flags.duration("backend-batch-interval")
        backendBatchLimit = flags.int("backend-batch-limit")
        maxTxnOps = Int(clamping: flags.uint("max-txn-ops"))
        maxRequestBytes = Int(clamping: flags.uint("max-request-bytes"))
        maxConcurrentStreams = UInt32(clamping: flags.uint("max-concurrent-streams"))
        grpcKeepAliveMinTime = flags.duration("grpc-keepalive-min-time")
        grpcKeepAliveInterval = flags.duration("grpc-keepalive-interval")
        grpcKeepAliveTimeout = flags.duration("grpc-keepalive-timeout")
        copyClusteringFlags(flags)
        copySecurityFlags(flags)
        copyOtherFlags(flags)
        usedEnvironment = flags.usedEnvironment
    }

    private mutating func copyClusteringFlags(_ flags: FlagParser) {
        initialAdvertisePeerURLs = flags.urls("initial-advertise-peer-urls")
        advertiseClientURLs = flags.urls("advertise-client-urls")
        initialClusterText = flags.string("initial-cluster")
        initialClusterToken = flags.string("initial-cluster-token")
        initialClusterState = InitialClusterState(rawValue: flags.string("initial-cluster-state")) ?? .new
        discoveryURL = flags.string("discovery")
        discoveryProxy = flags.string("discovery-proxy")
        discoverySRV = flags.string("discovery-srv")
        discoverySRVName = flags.string("discovery-srv-name")
        strictReconfigCheck = flags.bool("strict-reconfig-check")
        preVote = flags.bool("pre-vote")
        autoCompactionRetention = flags.string("auto-compaction-retention")
        enableV2 = flags.bool("enable-v2")
    }

    private mutating func copySecurityFlags(_ flags: FlagParser) {
        clientTLS.certFile = flags.string("cert-file")
        clientTLS.keyFile = flags.string("key-file")
        clientTLS.clientCertAuth = flags.bool("client-cert-auth")
        clientTLS.crlFile = flags.string("client-crl-file")
        clientTLS.allowedHostname = flags.string("client-cert-allowed-hostname")
        clientTLS.trustedCAFile = flags.string("trusted-ca-file")
        clientTLS.autoTLS = flags.bool("auto-tls")
        peerTLS.certFile = flags.string("peer-cert-file")
        peerTLS.keyFile = flags.string("peer-key-file")
        peerTLS.clientCertAuth = flags.bool("peer-client-cert-auth")
        peerTLS.trustedCAFile = flags.string("peer-trusted-ca-file")
        peerTLS.autoTLS = flags.bool("peer-auto-tls")
        peerTLS.crlFile = flags.string("peer-crl-file")
        peerTLS.allowedCN = flags.string("peer-cert-allowed-cn")
        peerTLS.allowedHostname = flags.string("peer-cert-allowed-hostname")
        peerTLS.skipClientSANVerification = flags.bool("experimental-peer-skip-client-san-verification")
        cipherSuites = flags.strings("cipher-suites")
        tlsMinVersion = flags.string("tls-min-version")
        tlsMaxVersion = flags.string("tls-max-version")
        corsOrigins = flags.strings("cors")
        hostWhitelist = flags.strings("host-whitelist")
    }

    private mutating func copyOtherFlags(_ flags: FlagParser) {
        authToken = flags.string("auth-token")
        bcryptCost = flags.uint("bcrypt-cost")
        authTokenTTLSeconds = flags.uint("auth-token-ttl")
        enablePprof = flags.bool("enable-pprof")
        metrics = flags.string("metrics")
        listenMetricsURLs = flags.urls("listen-metrics-urls")
        enableGRPCGateway = flags.bool("enable-grpc-gateway")
        logger = flags.string("logger")
        logOutputs = flags.strings("log-outputs")
        debug = flags.bool("debug")
        logPackageLevels = flags.string("log-package-levels")
        proxy.mode = flags.string("proxy")
        proxy.failureWaitMs = flags.uint("proxy-failure-wait")
        proxy.refreshIntervalMs = flags.uint("proxy-refresh-interval")
        proxy.dialTimeoutMs = flags.uint("proxy-dial-timeout")
        proxy.writeTimeoutMs = flags.uint("proxy-write-timeout")
        proxy.readTimeoutMs = flags.uint("proxy-read-timeout")
        proxy.discoveryFallback = flags.string("discovery-fallback")
        experimentalInitialCorruptCheck = flags.bool("experimental-initial-corrupt-check")
        experimentalCorruptCheckTime = flags.duration("experimental-corrupt-check-time")
        experimentalEnableV2V3 = flags.string("experimental-enable-v2v3")
        experimentalBackendFreelistType = flags.string("experimental-backend-bbolt-freelist-type")
        experimentalEnableLeaseCheckpoint = flags.bool("experimental-enable-lease-checkpoint")
        experimentalEnableLeaseCheckpointPersist = flags.bool("experimental-enable-lease-checkpoint-persist")
        experimentalLeaseCheckpointInterval = flags.duration("experimental-lease-checkpoint-interval")
        experimentalCompactionBatchLimit = flags.int("experimental-compaction-batch-limit")
        experimentalWatchProgressNotifyInterval = flags.duration("experimental-watch-progress-notify-interval")
        experimentalWarningApplyDuration = flags.duration("experimental-warning-apply-duration")
        forceNewCluster = flags.bool("force-new-cluster")
        unsafeNoFsync = flags.bool("unsafe-no-fsync")
    }

    /// etcd may run as a v2 proxy, which needs no advertised client URLs.
    var mayBeProxy: Bool {
        proxy.mode != "off" || (!discoveryURL.isEmpty && proxy.discoveryFallback == "proxy")
    }
}

extension FlagParser {
    // The table fixes each flag's kind; reading it as another kind is a programmer error.
    func string(_ name: String) -> String {
        guard case .string(let v)? = values[name] else { preconditionFailure("flag \(name) is not a string") }
        return v
    }
    func bool(_ name: String) -> Bool {
        guard case .bool(let v)? = values[name] else { preconditionFailure("flag \(name) is not a bool") }
        return v
    }
    func int(_ name: String) -> Int64 {
        guard case .int(let v)? = values[name] else { preconditionFailure("flag \(name) is not an int") }
        return v
    }
    func uint(_ name: String) -> UInt64 {
        guard case .uint(let v)? = values[name] else { preconditionFailure("flag \(name) is not a uint") }
        return v
    }
    func duration(_ name: String) -> Duration {
        guard case .duration(let v)? = values[name] else { preconditionFailure("flag \(name) is not a duration") }
        return v
    }
    func urls(_ name: String) -> [EtcdURL] {
        guard case .urls(let v)? = values[name] else { preconditionFailure("flag \(name) is not a URL list") }
        return v
    }
    func strings(_ name: String) -> [String] {
        guard case .strings(let v)? = values[name] else { preconditionFailure("flag \(name) is not a string list") }
        return v
    }
}
