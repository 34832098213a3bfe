import XCTest

@testable import EtcdServer

/// The text a Prometheus scraper reads, byte for byte as client_golang (etcd's library) writes
/// it: dashboards and alert rules written against etcd's `/metrics` parse ours the same way.
final class MetricsExpositionTests: XCTestCase {
    private func page(_ build: (inout ExpositionText) -> Void) -> String {
        var text = ExpositionText()
        build(&text)
        return String(decoding: text.render(), as: UTF8.self)
    }

    func testNumbersAreFormattedAsGoFormatFloatG() {
        let cases: [(Double, String)] = [
            (0, "0"), (1, "1"), (5, "5"), (20480, "20480"), (123456, "123456"),
            (1_000_000, "1e+06"), (25_223_168, "2.5223168e+07"), (2_147_483_648, "2.147483648e+09"),
            (1_795_575_648.52, "1.79557564852e+09"), (Double(UInt64.max), "1.8446744073709552e+19"),
            (0.001, "0.001"), (0.0001, "0.0001"), (0.00001, "1e-05"), (0.000198911, "0.000198911"),
            (0.010395979, "0.010395979"), (1.024, "1.024"), (8.192, "8.192"), (3.2768, "3.2768"),
            (0.1, "0.1"), (-1, "-1"), (-0.5, "-0.5"), (1.5e-7, "1.5e-07"), (1e21, "1e+21"),
            (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(ExpositionText.formatNumber(value), expected, "\(value)")
        }
    }

    func testCounterAndGaugeFamilies() {
        let text = page { text in
            text.counter("etcd_server_proposals_failed_total", help: "The total number of failed proposals seen.", 3)
            text.gauge("etcd_server_has_leader", help: "Whether or not a leader exists. 1 is existence, 0 is not.", 1)
        }
        XCTAssertEqual(text, """
            # HELP etcd_server_has_leader Whether or not a leader exists. 1 is existence, 0 is not.
            # TYPE etcd_server_has_leader gauge
            etcd_server_has_leader 1
            # HELP etcd_server_proposals_failed_total The total number of failed proposals seen.
            # TYPE etcd_server_proposals_failed_total counter
            etcd_server_proposals_failed_total 3

            """, "families sorted by name, HELP then TYPE then the sample")
    }

    func testLabelledSeriesAreSortedByLabelValuesAndEscaped() {
        let text = page { text in
            text.add("etcd_network_peer_sent_bytes_total", help: "The total number of bytes sent to peers.", kind: .counter,
                     samples: [
                        .init(labels: [("To", "fd422379fda50e48")], value: 1_000_000),
                        .init(labels: [("To", "91bc3c398fb3c146")], value: 42),
                     ])
            text.info("etcd_server_version", help: "Which \"version\" \\ runs.\nSecond line.",
                      label: "server_version", value: "a\\b\"c\nd")
        }
        XCTAssertEqual(text, """
            # HELP etcd_network_peer_sent_bytes_total The total number of bytes sent to peers.
            # TYPE etcd_network_peer_sent_bytes_total counter
            etcd_network_peer_sent_bytes_total{To="91bc3c398fb3c146"} 42
            etcd_network_peer_sent_bytes_total{To="fd422379fda50e48"} 1e+06
            # HELP etcd_server_version Which "version" \\\\ runs.\\nSecond line.
            # TYPE etcd_server_version gauge
            etcd_server_version{server_version="a\\\\b\\"c\\nd"} 1

            """)
    }

    func testAFamilyWithoutSeriesIsLeftOff() {
        let text = page { text in
            text.add("etcd_network_peer_round_trip_time_seconds", help: "Round-Trip-Time histogram between peers",
                     kind: .histogram, samples: [])
            text.gauge("etcd_server_has_leader", help: "h", 0)
        }
        XCTAssertEqual(text, """
            # HELP etcd_server_has_leader h
            # TYPE etcd_server_has_leader gauge
            etcd_server_has_leader 0

            """, "as client_golang gathers a vector with no series")
    }

    func testHistogramBucketsAreCumulativeWithInfSumAndCount() {
        let histogram = Histogram(upperBounds: [0.25, 0.5, 1])
        for value in [0.125, 0.25, 0.375, 0.75, 2] { histogram.observe(value) }
        let text = page { text in
            text.add("etcd_disk_wal_fsync_duration_seconds", help: "The latency distributions of fsync called by WAL.",
                     kind: .histogram,
                     samples: ExpositionText.histogramSamples(histogram.snapshot, upperBounds: histogram.upperBounds))
        }
        XCTAssertEqual(text, """
            # HELP etcd_disk_wal_fsync_duration_seconds The latency distributions of fsync called by WAL.
            # TYPE etcd_disk_wal_fsync_duration_seconds histogram
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.25"} 2
            etcd_disk_wal_fsync_duration_seconds_bucket{le="0.5"} 3
            etcd_disk_wal_fsync_duration_seconds_bucket{le="1"} 4
            etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} 5
            etcd_disk_wal_fsync_duration_seconds_sum 3.5
            etcd_disk_wal_fsync_duration_seconds_count 5

            """, "an observation equal to a bound counts in that bound's bucket")
    }

    func testHistogramLabelsComeBeforeLe() {
        let samples = ExpositionText.histogramSamples(Histogram.Snapshot(cumulativeCounts: [1, 1], sum: 0.25, count: 1),
                                                      upperBounds: [0.5], labels: [("To", "8e9e05c52164694d")])
        let text = page { $0.add("etcd_network_peer_round_trip_time_seconds", help: "h", kind: .histogram, samples: samples) }
        XCTAssertEqual(text, """
            # HELP etcd_network_peer_round_trip_time_seconds h
            # TYPE etcd_network_peer_round_trip_time_seconds histogram
            etcd_network_peer_round_trip_time_seconds_bucket{To="8e9e05c52164694d",le="0.5"} 1
            etcd_network_peer_round_trip_time_seconds_bucket{To="8e9e05c52164694d",le="+Inf"} 1
            etcd_network_peer_round_trip_time_seconds_sum{To="8e9e05c52164694d"} 0.25
            etcd_network_peer_round_trip_time_seconds_count{To="8e9e05c52164694d"} 1

            """)
    }

    func testEtcdBucketBoundsPrintAsEtcdPrintsThem() {
        let wal = Histogram.exponentialBounds(start: 0.001, factor: 2, count: 14).map(ExpositionText.formatNumber)
        XCTAssertEqual(wal, ["0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512",
                             "1.024", "2.048", "4.096", "8.192"])
        let rtt = Histogram.exponentialBounds(start: 0.0001, factor: 2, count: 16).map(ExpositionText.formatNumber)
        XCTAssertEqual(rtt, ["0.0001", "0.0002", "0.0004", "0.0008", "0.0016", "0.0032", "0.0064", "0.0128", "0.0256",
                             "0.0512", "0.1024", "0.2048", "0.4096", "0.8192", "1.6384", "3.2768"])
    }

    func testNameValidity() {
        XCTAssertTrue(ExpositionText.isValidName("etcd_server_has_leader"))
        XCTAssertTrue(ExpositionText.isValidName("a:b_C9"))
        XCTAssertFalse(ExpositionText.isValidName("9lives"))
        XCTAssertFalse(ExpositionText.isValidName("etcd-server"))
        XCTAssertFalse(ExpositionText.isValidName(""))
    }
}
