import Glibc

/// etcd's upper bound on `--election-timeout`, in milliseconds.
let electionTimeoutMsMax: UInt64 = 50_000

extension ServerConfig {
    /// etcd's `embed.Config.Validate` and its logging setup checks, in etcd's order, with etcd's
    /// messages.
    mutating func validate(flags: FlagParser, warnings: inout [String]) throws(ConfigError) {
        try validateLogging(flags: flags, warnings: &warnings)
        for urls in [listenPeerURLs, listenClientURLs, listenMetricsURLs] {
            try Self.checkBindURLs(urls)
        }
        if let reason = Self.emptyHostReason(initialAdvertisePeerURLs) {
            let joined = initialAdvertisePeerURLs.map(\.description).joined(separator: ",")
            throw .invalid("--initial-advertise-peer-urls \(goQuote(joined)) must be \"host:port\" (\(reason))")
        }
        if let reason = Self.emptyHostReason(advertiseClientURLs) {
            let joined = advertiseClientURLs.map(\.description).joined(separator: ",")
            throw .invalid("--advertise-client-urls \(goQuote(joined)) must be \"host:port\" (\(reason))")
        }
        let bootstrapWays = [!discoveryURL.isEmpty, !initialClusterText.isEmpty, !discoverySRV.isEmpty]
        if bootstrapWays.filter({ $0 }).count > 1 {
            throw .invalid("multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"")
        }
        try validateTiming()
        if advertiseClientURLs.isEmpty && !mayBeProxy {
            throw .invalid("--advertise-client-urls is required when --listen-client-urls is set explicitly")
        }
        switch flags.string("auto-compaction-mode") {
        case "", "periodic": autoCompactionMode = .periodic
        case "revision": autoCompactionMode = .revision
        case let other: throw .invalid("unknown auto-compaction-mode \(goQuote(other))")
        }
        if experimentalEnableLeaseCheckpoint && !experimentalEnableLeaseCheckpointPersist {
            warnings.append("Detected that checkpointing is enabled without persistence. Consider enabling experimental-enable-lease-checkpoint-persist")
        }
        if experimentalEnableLeaseCheckpointPersist && !experimentalEnableLeaseCheckpoint {
            throw .invalid("setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint")
        }
        if experimentalLeaseCheckpointInterval <= .zero {
            throw .invalid("--experimental-lease-checkpoint-interval must be >0 (set to \(GoValueParsing.formatDuration(experimentalLeaseCheckpointInterval)))")
        }
    }

    private func validateTiming() throws(ConfigError) {
        if heartbeatIntervalMs == 0 {
            throw .invalid("--heartbeat-interval must be >0 (set to \(heartbeatIntervalMs)ms)")
        }
        if electionTimeoutMs == 0 {
            throw .invalid("--election-timeout must be >0 (set to \(electionTimeoutMs)ms)")
        }
        if heartbeatIntervalMs.multipliedReportingOverflow(by: 5).partialValue > electionTimeoutMs {
            throw .invalid("--election-timeout[\(electionTimeoutMs)ms] should be at least as 5 times as --heartbeat-interval[\(heartbeatIntervalMs)ms]")
        }
        if electionTimeoutMs > electionTimeoutMsMax {
            throw .invalid("--election-timeout[\(electionTimeoutMs)ms] is too long, and should be set less than \(electionTimeoutMsMax)ms")
        }
    }

    /// etcd's `setupLogging` checks: the deprecated `--log-output`, the logger name, the outputs
    /// each logger allows, and the level.
    private mutating func validateLogging(flags: FlagParser, warnings: inout [String]) throws(ConfigError) {
        let deprecatedOutputs = flags.strings("log-output")
        if deprecatedOutputs.count > logOutputs.count {
            warnings.append("'--log-output' flag has been deprecated! Please use '--log-outputs'!")
            logOutputs = deprecatedOutputs
        } else if deprecatedOutputs.count == logOutputs.count {
            if deprecatedOutputs.count > 1 {
                throw .invalid("both '--log-output' and '--log-outputs' are set; only set '--log-outputs'")
            }
            if deprecatedOutputs.isEmpty {
                throw .invalid("either '--log-output' or '--log-outputs' flag must be set")
            }
            if deprecatedOutputs == logOutputs && deprecatedOutputs[0] != "default" {
                throw .invalid("'--log-output=\(goQuoteList(deprecatedOutputs))' and '--log-outputs=\(goQuoteList(logOutputs))' are incompatible; only set --log-outputs")
            }
            if deprecatedOutputs != ["default"] {
                warnings.append("[WARNING] Deprecated '--log-output' flag is set to \(goQuoteList(deprecatedOutputs)); please use '--log-outputs' flag")
            }
        }
        if debug {
            warnings.append("[WARNING] Deprecated '--debug' flag is set to true (use '--log-level=debug' instead")
        }
        switch logger {
        case "capnslog":
            if logOutputs.count != 1 {
                throw .invalid("--logger=capnslog supports only 1 value in '--log-outputs', got \(goQuoteList(logOutputs))")
            }
            if !["default", "stderr", "stdout"].contains(logOutputs[0]) {
                throw .invalid("unknown log-output \(goQuote(logOutputs[0])) (only supports \"default\", \"stderr\", \"stdout\")")
            }
        case "zap":
            if logOutputs.count > 1 && logOutputs.contains("default") {
                throw .invalid("multi logoutput for \"default\" is not supported yet")
            }
        default:
            throw .invalid("unknown logger option \(goQuote(logger))")
        }
        let levelName = flags.string("log-level")
        guard let level = LogLevel(name: levelName) else {
            // etcd panics here (exit status 2).
            throw ConfigError(message: "unknown level \(goQuote(levelName))", exitCode: 2, showsUsage: false)
        }
        logLevel = level
    }

    /// etcd binds only to IP addresses or `localhost`, never to other host names.
    static func checkBindURLs(_ urls: [EtcdURL]) throws(ConfigError) {
        for url in urls where !url.isUnixSocket {
            if url.host == "localhost" || isIPAddress(url.host) { continue }
            throw .invalid("expected IP in URL for binding (\(url))")
        }
    }

    private static func emptyHostReason(_ urls: [EtcdURL]) -> String? {
        urls.first(where: { $0.host.isEmpty }).map { "unexpected empty host (\($0))" }
    }

    /// Whether `text` is an IPv4 or IPv6 address (Go's `net.ParseIP` succeeds).
    static func isIPAddress(_ text: String) -> Bool {
        var buffer = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buffer) { raw in
            inet_pton(AF_INET, text, raw.baseAddress) == 1 || inet_pton(AF_INET6, text, raw.baseAddress) == 1
        }
    }

    /// etcd's steps between parsing and starting: `--initial-cluster` follows `--name` when only
    /// the name was changed, and the data directory defaults to `<name>.etcd`.
    mutating func deriveDefaults(warnings: inout [String]) {
        if name != "default" && initialClusterText == "default=http://localhost:2380" {
            // etcd's InitialClusterFromName: an empty name still lists the member as "default".
            let listedName = name.isEmpty ? "default" : name
            initialClusterText = initialAdvertisePeerURLs.map { "\(listedName)=\($0)" }.joined(separator: ",")
        }
        if dataDir.isEmpty {
            dataDir = "\(name).etcd"
            warnings.append("'data-dir' was empty; using default data-dir=\(dataDir)")
        }
    }

    /// Parses `initialClusterText` as etcd's `types.NewURLsMap` does: `name=url` pairs separated
    /// by commas, a name repeated once per URL.
    mutating func parseInitialCluster() throws(ConfigError) {
        var members: [InitialClusterMember] = []
        for pair in initialClusterText.split(separator: ",") {
            let (memberName, urlText): (Substring, Substring)
            if let equals = pair.firstIndex(of: "=") {
                (memberName, urlText) = (pair[..<equals], pair[pair.index(after: equals)...])
            } else {
                (memberName, urlText) = (pair, "")
            }
            let url = try EtcdURL(parsing: String(urlText))
            if let index = members.firstIndex(where: { $0.name == memberName }) {
                members[index].peerURLs.append(url)
                members[index].peerURLs.sort()
            } else {
                members.append(InitialClusterMember(name: String(memberName), peerURLs: [url]))
            }
        }
        initialCluster = members
    }

    /// etcd refuses to listen on an https URL without a certificate (unless told to generate
    /// one); it checks peer listeners first.
    /// What etcd checks when it starts serving (`embed.StartEtcd`) rather than when it parses
    /// flags: the TLS settings. etcd logs these as "failed to start etcd" and exits 1.
    public func verifyStart() throws(ConfigError) {
        try checkTLS()
        _ = try TLSCipherSuites.openSSLCipherList(cipherSuites)
        _ = try tlsVersions()
        if authToken.hasPrefix("jwt") {
            _ = try JWTTokens(option: authToken)
        } else if authToken != "simple" {
            throw .invalid("auth: invalid auth options")
        }
    }

    /// `--tls-min-version` and `--tls-max-version` as protocol numbers (0 for none), with etcd
    /// 3.5's errors.
    func tlsVersions() throws(ConfigError) -> (minimum: Int32, maximum: Int32) {
        func version(_ text: String) throws(ConfigError) -> Int32 {
            switch text {
            case "": return 0
            case "TLS1.2": return 0x0303
            case "TLS1.3": return 0x0304
            default: throw .invalid("unexpected TLS version \"\(text)\" (must be one of: TLS1.2, TLS1.3)")
            }
        }
        let minimum = try version(tlsMinVersion)
        let maximum = try version(tlsMaxVersion)
        if maximum != 0 && minimum > maximum {
            throw .invalid("min version (\(tlsMinVersion)) is greater than max version (\(tlsMaxVersion))")
        }
        if minimum == 0x0304 && !cipherSuites.isEmpty {
            throw .invalid("cipher suites cannot be configured when only TLS1.3 or greater is supported")
        }
        return (max(minimum, 0x0303), maximum)
    }

    func checkTLS() throws(ConfigError) {
        if peerTLS.isEmpty && !peerTLS.autoTLS, let url = listenPeerURLs.first(where: \.isSecure) {
            throw .invalid("cannot listen on TLS for \(url.hostPort): KeyFile and CertFile are not presented")
        }
        if clientTLS.isEmpty && !clientTLS.autoTLS, let url = listenClientURLs.first(where: \.isSecure) {
            throw .invalid("TLS key/cert (--cert-file, --key-file) must be provided for client url \(url) with HTTPS scheme")
        }
    }
}

/// Go's `%q` of a `[]string`: `["a" "b"]`.
func goQuoteList(_ items: [String]) -> String {
    "[" + items.map(goQuote).joined(separator: " ") + "]"
}
