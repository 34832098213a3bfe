import EtcdBasics
import EtcdProto
import GRPC
import XCTest

@testable import EtcdServer

/// The registry's page as a whole (every family well formed, etcd's names present) and the
/// counting rules the server relies on. Each test uses its own registry: the shared one is
/// counted into by whatever else runs in the process.
final class MetricsRegistryTests: XCTestCase {
    private let scrape = MetricsScrape(
        memberID: MemberID(0xb7ba_4509_2ef1_b1db), hasLeader: true, isLeader: true, isLearner: false,
        committedIndex: 5, appliedIndex: 4, dbSizeBytes: 20480, dbSizeInUseBytes: 16384, keyCount: 1,
        currentRevision: 2, compactRevision: -1, quotaBytes: 2_147_483_648, serverVersion: "3.4.23",
        clusterVersion: "3.4", buildVersion: "0.1.0", process: nil)

    private func lines(_ metrics: ServerMetrics, _ scrape: MetricsScrape? = nil) -> [String] {
        String(decoding: metrics.render(scrape ?? self.scrape), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The sample lines of `name` (exact family member: `name` or `name{...}`).
    private func samples(_ lines: [String], _ name: String) -> [String] {
        lines.filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
    }

    func testAFreshPageIsWellFormed() throws {
        let page = lines(ServerMetrics(), { var s = scrape; s.process = ProcessStats.current(); return s }())
        try checkExposition(page)
    }

    func testAFreshPageShowsEtcdsServerFamilies() {
        let page = lines(ServerMetrics())
        XCTAssertEqual(samples(page, "etcd_server_has_leader"), ["etcd_server_has_leader 1"])
        XCTAssertEqual(samples(page, "etcd_server_is_leader"), ["etcd_server_is_leader 1"])
        XCTAssertEqual(samples(page, "etcd_server_proposals_committed_total"), ["etcd_server_proposals_committed_total 5"])
        XCTAssertEqual(samples(page, "etcd_server_proposals_applied_total"), ["etcd_server_proposals_applied_total 4"])
        XCTAssertEqual(samples(page, "etcd_server_id"), ["etcd_server_id{server_id=\"b7ba45092ef1b1db\"} 1"])
        XCTAssertEqual(samples(page, "etcd_server_version"), ["etcd_server_version{server_version=\"3.4.23\"} 1"])
        XCTAssertEqual(samples(page, "etcd_cluster_version"), ["etcd_cluster_version{cluster_version=\"3.4\"} 1"])
        XCTAssertEqual(samples(page, "etcd_server_quota_backend_bytes"), ["etcd_server_quota_backend_bytes 2.147483648e+09"])
        XCTAssertEqual(samples(page, "etcd_mvcc_db_total_size_in_bytes"), ["etcd_mvcc_db_total_size_in_bytes 20480"])
        XCTAssertEqual(samples(page, "etcd_debugging_mvcc_db_total_size_in_bytes"),
                       ["etcd_debugging_mvcc_db_total_size_in_bytes 20480"])
        XCTAssertEqual(samples(page, "etcd_mvcc_db_total_size_in_use_in_bytes"),
                       ["etcd_mvcc_db_total_size_in_use_in_bytes 16384"])
        XCTAssertEqual(samples(page, "etcd_debugging_mvcc_compact_revision"), ["etcd_debugging_mvcc_compact_revision -1"])
        XCTAssertTrue(page.contains("# TYPE etcd_server_proposals_applied_total gauge"), "etcd declares it a gauge")
        XCTAssertEqual(samples(page, "etcd_disk_wal_fsync_duration_seconds_bucket").count, 15, "14 bounds and +Inf")
        XCTAssertEqual(samples(page, "etcd_disk_wal_fsync_duration_seconds_bucket").last,
                       "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"+Inf\"} 0")
    }

    func testAFreshPagePreregistersEtcd34sGRPCMethods() {
        let page = lines(ServerMetrics())
        let preregistered = EtcdMethod.allCases.filter(GRPCServerMetrics.isPreregistered)
        XCTAssertEqual(preregistered.count, 39, "etcd 3.4's etcdserverpb methods (its page adds grpc.health's two)")
        XCTAssertEqual(samples(page, "grpc_server_started_total").count, 39)
        XCTAssertEqual(samples(page, "grpc_server_msg_sent_total").count, 39)
        XCTAssertEqual(samples(page, "grpc_server_handled_total").count, 39 * 17, "every method with every code")
        XCTAssertEqual(samples(page, "grpc_server_handled_total").first,
                       "grpc_server_handled_total{grpc_code=\"Aborted\",grpc_method=\"Alarm\",grpc_service=\"etcdserverpb.Maintenance\",grpc_type=\"unary\"} 0",
                       "sorted by label values, code first")
        XCTAssertTrue(page.contains(
            "grpc_server_started_total{grpc_method=\"LeaseKeepAlive\",grpc_service=\"etcdserverpb.Lease\",grpc_type=\"bidi_stream\"} 0"))
        XCTAssertFalse(page.contains { $0.contains("v3lockpb") || $0.contains("AuthStatus") },
                       "methods etcd 3.4 does not preregister appear only once called")
    }

    func testGRPCCountsMoveTheirSeries() {
        let metrics = ServerMetrics()
        metrics.grpcStarted(.put)
        metrics.grpcReceived(.put)
        metrics.grpcSent(.put)
        metrics.grpcHandled(.put, code: .ok)
        metrics.grpcStarted(.lock)
        metrics.grpcHandled(.lock, code: .cancelled)
        let page = lines(metrics)
        let put = "grpc_method=\"Put\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\""
        XCTAssertTrue(page.contains("grpc_server_started_total{\(put)} 1"))
        XCTAssertTrue(page.contains("grpc_server_msg_received_total{\(put)} 1"))
        XCTAssertTrue(page.contains("grpc_server_msg_sent_total{\(put)} 1"))
        XCTAssertTrue(page.contains("grpc_server_handled_total{grpc_code=\"OK\",\(put)} 1"))
        XCTAssertTrue(page.contains("grpc_server_handled_total{grpc_code=\"Unknown\",\(put)} 0"))
        let lock = "grpc_method=\"Lock\",grpc_service=\"v3lockpb.Lock\",grpc_type=\"unary\""
        XCTAssertTrue(page.contains("grpc_server_started_total{\(lock)} 1"))
        XCTAssertTrue(page.contains("grpc_server_handled_total{grpc_code=\"Canceled\",\(lock)} 1"), "grpc-go's spelling")
        XCTAssertEqual(page.filter { $0.contains(lock) }.count, 2, "only the touched series of a late method")
    }

    func testMethodOrdinalsFollowDeclarationOrder() {
        for (index, method) in EtcdMethod.allCases.enumerated() {
            XCTAssertEqual(GRPCServerMetrics.ordinal(method), index, "\(method)")
        }
    }

    func testLeaderChangesCountAsEtcdCountsThem() {
        let metrics = ServerMetrics()
        for leader: UInt64 in [0, 1, 1, 0, 1, 2, 2, 0, 0, 3] { metrics.leaderObserved(leader) }
        XCTAssertEqual(metrics.leaderChanges.value, 4, "1, 1 again after none, 2, 3; none and repeats are not changes")
    }

    func testCountersGaugesAndHistogramsMoveThePage() {
        let metrics = ServerMetrics()
        metrics.proposalsFailed.add(2)
        metrics.proposalsPending.set(7)
        metrics.healthSuccesses.increment()
        metrics.healthFailures.add(3)
        metrics.watchers.add(2)
        metrics.watchers.add(-1)
        metrics.applyFinished(nanoseconds: ServerMetrics.slowApplyNanoseconds)
        metrics.applyFinished(nanoseconds: ServerMetrics.slowApplyNanoseconds + 1)
        metrics.backendCommitDuration.observe(nanoseconds: 3_000_000)
        let page = lines(metrics)
        XCTAssertEqual(samples(page, "etcd_server_proposals_failed_total"), ["etcd_server_proposals_failed_total 2"])
        XCTAssertEqual(samples(page, "etcd_server_proposals_pending"), ["etcd_server_proposals_pending 7"])
        XCTAssertEqual(samples(page, "etcd_server_health_success"), ["etcd_server_health_success 1"])
        XCTAssertEqual(samples(page, "etcd_server_health_failures"), ["etcd_server_health_failures 3"])
        XCTAssertEqual(samples(page, "etcd_debugging_mvcc_watcher_total"), ["etcd_debugging_mvcc_watcher_total 1"])
        XCTAssertEqual(samples(page, "etcd_server_slow_apply_total"), ["etcd_server_slow_apply_total 1"],
                       "slow means over 100 ms")
        let commit = samples(page, "etcd_disk_backend_commit_duration_seconds_bucket")
        XCTAssertEqual(commit[1], "etcd_disk_backend_commit_duration_seconds_bucket{le=\"0.002\"} 0")
        XCTAssertEqual(commit[2], "etcd_disk_backend_commit_duration_seconds_bucket{le=\"0.004\"} 1")
        XCTAssertEqual(samples(page, "etcd_disk_backend_commit_duration_seconds_sum"),
                       ["etcd_disk_backend_commit_duration_seconds_sum 0.003"])
    }

    func testPeerFamiliesAreLabelledByHexIDAndBounded() {
        let metrics = ServerMetrics()
        metrics.peerSentBytes.add(100, for: MemberID(0xfd42_2379_fda5_0e48))
        metrics.peerSentBytes.add(50, for: MemberID(0x91bc_3c39_8fb3_c146))
        metrics.peerSentBytes.add(1, for: MemberID(0xfd42_2379_fda5_0e48))
        metrics.peerReceivedBytes.add(9, for: MemberID(0x91bc_3c39_8fb3_c146))
        metrics.peerRoundTrip.observe(0.0003, for: MemberID(0x91bc_3c39_8fb3_c146))
        let page = lines(metrics)
        XCTAssertEqual(samples(page, "etcd_network_peer_sent_bytes_total"), [
            "etcd_network_peer_sent_bytes_total{To=\"91bc3c398fb3c146\"} 50",
            "etcd_network_peer_sent_bytes_total{To=\"fd422379fda50e48\"} 101",
        ])
        XCTAssertEqual(samples(page, "etcd_network_peer_received_bytes_total"),
                       ["etcd_network_peer_received_bytes_total{From=\"91bc3c398fb3c146\"} 9"])
        XCTAssertEqual(samples(page, "etcd_network_peer_round_trip_time_seconds_bucket").count, 17)
        XCTAssertTrue(page.contains(
            "etcd_network_peer_round_trip_time_seconds_bucket{To=\"91bc3c398fb3c146\",le=\"0.0004\"} 1"))

        let family = PeerCounterFamily()
        for id in 1...UInt64(PeerSlots.peersMax + 10) { family.add(1, for: MemberID(id)) }
        XCTAssertEqual(family.values.count, PeerSlots.peersMax, "peers beyond the bound are not counted")
    }

    func testProcStatIsParsedFromAfterTheCommandName() throws {
        // proc(5) fields; the command name holds a space and a parenthesis.
        let line = "4242 (sw etcd) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 130 0 0 20 0 12 0 "
            + "98765 1048576000 6158 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let stat = try XCTUnwrap(ProcessStats.ProcStat(statText: line))
        XCTAssertEqual(stat.userTicks, 250)
        XCTAssertEqual(stat.systemTicks, 130)
        XCTAssertEqual(stat.startTicks, 98765)
        XCTAssertEqual(stat.virtualBytes, 1_048_576_000)
        XCTAssertEqual(stat.residentPages, 6158)
        XCTAssertEqual(ProcessStats.bootTime(statText: "cpu  1 2 3\nbtime 1795570000\nprocesses 9\n"), 1_795_570_000)
        XCTAssertEqual(Services.majorMinor("3.4.0"), "3.4")
    }

    func testThisProcessReportsItsStats() throws {
        let stats = ProcessStats.current()
        XCTAssertGreaterThan(try XCTUnwrap(stats.residentBytes), 0)
        XCTAssertGreaterThan(try XCTUnwrap(stats.openFileDescriptors), 2, "at least stdin, stdout, stderr")
        XCTAssertGreaterThan(try XCTUnwrap(stats.startTimeSeconds), 1_600_000_000, "Unix seconds, not ticks")
        XCTAssertNotNil(stats.maxFileDescriptors)
    }

    // MARK: - A strict reader of the text format

    /// Checks what a Prometheus scraper would reject or misread: every sample's family has its
    /// HELP and TYPE first, each family appears once, names and labels are valid, every sample
    /// is a number, no series repeats, histograms end in +Inf, _sum and _count.
    private func checkExposition(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(lines.last, "", "the page ends with a newline", file: file, line: line)
        var families: [String: String] = [:]
        var current: (name: String, kind: String)?
        var pendingHelp: String?
        var series = Set<String>()
        var lastBucketLe: [String: String] = [:]
        for text in lines.dropLast() {
            if text.hasPrefix("# HELP ") {
                let parts = text.dropFirst(7).split(separator: " ", maxSplits: 1)
                let name = String(parts[0])
                XCTAssertNil(families[name], "family \(name) twice", file: file, line: line)
                pendingHelp = name
                continue
            }
            if text.hasPrefix("# TYPE ") {
                let parts = text.dropFirst(7).split(separator: " ")
                XCTAssertEqual(parts.count, 2, text, file: file, line: line)
                let name = String(parts[0]), kind = String(parts[1])
                XCTAssertEqual(pendingHelp, name, "TYPE right after its HELP: \(text)", file: file, line: line)
                XCTAssertTrue(["counter", "gauge", "histogram"].contains(kind), text, file: file, line: line)
                XCTAssertTrue(ExpositionText.isValidName(name), name, file: file, line: line)
                families[name] = kind
                current = (name, kind)
                pendingHelp = nil
                continue
            }
            let family = try XCTUnwrap(current, "sample before any TYPE: \(text)", file: file, line: line)
            let valueStart = try XCTUnwrap(text.lastIndex(of: " "), text, file: file, line: line)
            let key = String(text[..<valueStart])
            let valueText = String(text[text.index(after: valueStart)...])
            XCTAssertTrue(Double(valueText) != nil || ["+Inf", "-Inf", "NaN"].contains(valueText),
                          "value of \(text)", file: file, line: line)
            XCTAssertTrue(series.insert(key).inserted, "series twice: \(key)", file: file, line: line)
            let name = String(key.prefix { $0 != "{" })
            let allowed = family.kind == "histogram"
                ? ["_bucket", "_sum", "_count"].map { family.name + $0 } : [family.name]
            XCTAssertTrue(allowed.contains(name), "\(name) under family \(family.name)", file: file, line: line)
            if key.contains("{") {
                XCTAssertTrue(key.hasSuffix("}"), key, file: file, line: line)
                let body = key.drop { $0 != "{" }.dropFirst().dropLast()
                for pair in body.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    XCTAssertEqual(parts.count, 2, key, file: file, line: line)
                    XCTAssertTrue(ExpositionText.isValidName(String(parts[0])), key, file: file, line: line)
                    XCTAssertTrue(parts[1].hasPrefix("\"") && parts[1].hasSuffix("\""), key, file: file, line: line)
                }
            }
            if name.hasSuffix("_bucket") {
                lastBucketLe[family.name] = key.components(separatedBy: "le=\"").last.map { String($0.prefix { $0 != "\"" }) }
            }
            if name.hasSuffix("_sum") && family.kind == "histogram" {
                XCTAssertEqual(lastBucketLe[family.name], "+Inf", "buckets end in +Inf before _sum", file: file, line: line)
            }
        }
        XCTAssertNil(pendingHelp, "HELP without TYPE", file: file, line: line)
        for name in ["etcd_server_has_leader", "etcd_disk_wal_fsync_duration_seconds", "grpc_server_handled_total",
                     "process_cpu_seconds_total", "process_start_time_seconds", "process_open_fds"] {
            XCTAssertNotNil(families[name], "\(name) on the page", file: file, line: line)
        }
        let names = families.keys.sorted()
        XCTAssertEqual(lines.filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) }, names,
                       "families in name order", file: file, line: line)
    }
}
