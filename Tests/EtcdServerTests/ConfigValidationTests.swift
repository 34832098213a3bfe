import XCTest
@testable import EtcdServer

/// etcd's checks after parsing, with etcd 3.4.23's messages (exit status 1).
final class ConfigValidationTests: XCTestCase {
    private func assertRefused(_ arguments: [String], _ message: String, exitCode: Int32 = 1,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(configError(arguments), ConfigError(message: message, exitCode: exitCode, showsUsage: false),
                       file: file, line: line)
    }

    func testListenClientURLsNeedAdvertisedOnes() {
        assertRefused(["--listen-client-urls", "http://127.0.0.1:26379"],
                      "--advertise-client-urls is required when --listen-client-urls is set explicitly")
    }

    func testElectionAndHeartbeat() {
        assertRefused(clientURLArguments + ["--heartbeat-interval", "300"],
                      "--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]")
        assertRefused(["--heartbeat-interval=0"], "--heartbeat-interval must be >0 (set to 0ms)")
        assertRefused(["--election-timeout=0"], "--election-timeout must be >0 (set to 0ms)")
        assertRefused(["--election-timeout=60000"], "--election-timeout[60000ms] is too long, and should be set less than 50000ms")
        XCTAssertNoThrow(try runConfig(["--heartbeat-interval=200", "--election-timeout=1000"]))
    }

    func testBindURLsMustBeIPsOrLocalhost() {
        assertRefused(["--listen-peer-urls", "http://example.com:2380"], "expected IP in URL for binding (http://example.com:2380)")
        XCTAssertNoThrow(try runConfig(["--listen-peer-urls", "http://[::1]:26380,http://0.0.0.0:26380,unix://sock:1"]))
    }

    func testAdvertisedURLsNeedAHost() {
        assertRefused(["--advertise-client-urls", "http://:2379"],
                      #"--advertise-client-urls "http://:2379" must be "host:port" (unexpected empty host (http://:2379))"#)
    }

    func testOneBootstrapMethod() {
        assertRefused(["--discovery", "https://discovery.etcd.io/x", "--initial-cluster", "default=http://localhost:2380"],
                      #"multiple discovery or bootstrap flags are set. Choose one of "initial-cluster", "discovery" or "discovery-srv""#)
    }

    func testDiscoveryClearsDefaultInitialCluster() throws {
        let (config, _) = try runConfig(["--discovery", "https://discovery.etcd.io/x"])
        XCTAssertEqual(config.initialClusterText, "")
        XCTAssertEqual(config.initialCluster, [])
    }

    func testCompactionModeAndLeaseCheckpoint() throws {
        assertRefused(["--auto-compaction-mode=daily"], #"unknown auto-compaction-mode "daily""#)
        XCTAssertEqual(try runConfig(["--auto-compaction-mode=revision"]).0.autoCompactionMode, .revision)
        assertRefused(["--experimental-enable-lease-checkpoint-persist"],
                      "setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint")
        assertRefused(["--experimental-lease-checkpoint-interval=0s"], "--experimental-lease-checkpoint-interval must be >0 (set to 0s)")
        XCTAssertNil(LeaseCheckpointing(try runConfig([]).0), "off unless asked for")
        let (config, warnings) = try runConfig(["--experimental-enable-lease-checkpoint", "--experimental-enable-lease-checkpoint-persist",
                                                "--experimental-lease-checkpoint-interval=90s"])
        XCTAssertEqual(LeaseCheckpointing(config), LeaseCheckpointing(intervalNanoseconds: 90_000_000_000, persists: true))
        XCTAssertFalse(warnings.contains { $0.contains("does not implement") }, "\(warnings)")
        XCTAssertEqual(LeaseCheckpointing(try runConfig(["--experimental-enable-lease-checkpoint"]).0)?.intervalNanoseconds,
                       LeaseCheckpointing.defaultIntervalNanoseconds, "etcd's 5 minutes")
    }

    func testImplementedFlagsDoNotWarnAndOthersDo() throws {
        let (_, warnings) = try runConfig(clientURLArguments + ["--cors", "https://a.example:8443", "--host-whitelist", "a.example",
                                                                "--listen-metrics-urls", "http://127.0.0.1:26381",
                                                                "--enable-grpc-gateway=false"])
        XCTAssertFalse(warnings.contains { $0.contains("does not implement") }, "\(warnings)")
        let (batch, batchWarnings) = try runConfig(["--experimental-compaction-batch-limit=50", "--unsafe-no-fsync"])
        XCTAssertEqual(batch.experimentalCompactionBatchLimit, 50)
        XCTAssertTrue(batch.unsafeNoFsync)
        XCTAssertFalse(batchWarnings.contains { $0.contains("does not implement") }, "\(batchWarnings)")
        let (_, unimplemented) = try runConfig(["--metrics", "extensive"])
        XCTAssertTrue(unimplemented.contains { $0.contains("does not implement --metrics") }, "\(unimplemented)")
    }

    func testLoggingOptions() throws {
        assertRefused(["--logger=foo"], #"unknown logger option "foo""#)
        assertRefused(["--log-level=bogus"], #"unknown level "bogus""#, exitCode: 2)
        assertRefused(["--log-outputs=stderr,stdout"], #"--logger=capnslog supports only 1 value in '--log-outputs', got ["stderr" "stdout"]"#)
        assertRefused(["--logger=zap", "--log-outputs=default,stderr"], #"multi logoutput for "default" is not supported yet"#)
        let (config, _) = try runConfig(["--logger=zap", "--log-level=debug", "--log-outputs=stderr,stdout"])
        XCTAssertEqual(config.logLevel, .debug)
        XCTAssertEqual(config.logOutputs, ["stderr", "stdout"])
    }

    /// etcd refuses these when it starts serving ("failed to start etcd"), after the flags parsed.
    private func assertStartRefused(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (config, _) = try runConfig(arguments)
        XCTAssertThrowsError(try config.verifyStart(), file: file, line: line) { error in
            XCTAssertEqual((error as? ConfigError)?.message, message, file: file, line: line)
        }
    }

    func testHTTPSNeedsCertificates() throws {
        try assertStartRefused(clientURLArguments + ["--listen-peer-urls", "https://127.0.0.1:26380"],
                               "cannot listen on TLS for 127.0.0.1:26380: KeyFile and CertFile are not presented")
        try assertStartRefused(["--listen-client-urls", "https://127.0.0.1:26379", "--advertise-client-urls", "https://127.0.0.1:26379"],
                               "TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.1:26379 with HTTPS scheme")
        try assertStartRefused(["--cipher-suites", "TLS_BOGUS"], #"unexpected TLS cipher suite "TLS_BOGUS""#)
        let (config, _) = try runConfig(["--listen-client-urls", "https://127.0.0.1:26379", "--advertise-client-urls",
                                         "https://127.0.0.1:26379", "--cert-file=c.pem", "--key-file=k.pem"])
        XCTAssertEqual(config.clientTLS.certFile, "c.pem")
        XCTAssertNoThrow(try runConfig(clientURLArguments + ["--listen-peer-urls", "https://127.0.0.1:26380", "--peer-auto-tls"]))
    }

    func testBootstrapNeedsThisMemberInTheInitialCluster() throws {
        let (config, _) = try runConfig(["--name", "foo", "--initial-cluster", "bar=http://localhost:2380"])
        XCTAssertThrowsError(try config.verifyBootstrap()) { error in
            XCTAssertEqual((error as? ConfigError)?.message, #"couldn't find local name "foo" in the initial cluster configuration"#)
        }
        XCTAssertThrowsError(try config.verifyJoinExisting())
    }

    func testBootstrapNeedsAdvertisedPeerURLsToMatch() throws {
        let (config, _) = try runConfig(clientURLArguments + ["--initial-advertise-peer-urls", "http://127.0.0.1:26380"])
        XCTAssertThrowsError(try config.verifyBootstrap()) { error in
            XCTAssertEqual((error as? ConfigError)?.message,
                           #"--initial-cluster has default=http://localhost:2380 but missing from --initial-advertise-peer-urls=http://127.0.0.1:26380 (resolved urls: "http://127.0.0.1:26380" != "http://localhost:2380")"#)
        }
        let (extra, _) = try runConfig(["--name", "a", "--initial-advertise-peer-urls", "http://10.0.0.1:2380,http://10.0.0.2:2380",
                                        "--initial-cluster", "a=http://10.0.0.1:2380"])
        XCTAssertThrowsError(try extra.verifyBootstrap()) { error in
            XCTAssertEqual((error as? ConfigError)?.message,
                           "--initial-advertise-peer-urls has http://10.0.0.2:2380 but missing from --initial-cluster=a=http://10.0.0.1:2380,a=http://10.0.0.2:2380")
        }
    }

    func testEmptyNameIsListedAsDefaultButCannotBootstrap() throws {
        let (config, _) = try runConfig(["--name="])
        XCTAssertEqual(config.initialClusterText, "default=http://localhost:2380")
        XCTAssertEqual(config.dataDir, ".etcd")
        XCTAssertThrowsError(try config.verifyBootstrap()) { error in
            XCTAssertEqual((error as? ConfigError)?.message, #"couldn't find local name "" in the initial cluster configuration"#)
        }
    }

    func testBootstrapRefusesDuplicateURLs() throws {
        let (config, _) = try runConfig(["--name", "a", "--initial-advertise-peer-urls", "http://10.0.0.1:2380",
                                         "--initial-cluster", "a=http://10.0.0.1:2380,b=http://10.0.0.1:2380"])
        XCTAssertThrowsError(try config.verifyBootstrap()) { error in
            XCTAssertEqual((error as? ConfigError)?.message,
                           "initial cluster a=http://10.0.0.1:2380,b=http://10.0.0.1:2380 has duplicate url")
        }
    }

    func testMalformedInitialClusterIsRefused() {
        assertRefused(["--initial-cluster", "a"], "URL scheme must be http, https, unix, or unixs: ")
    }
}
