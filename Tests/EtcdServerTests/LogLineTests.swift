import XCTest
@testable import EtcdServer

/// swetcd's log lines must be byte-for-byte what etcd's zap logger writes, so log shippers and
/// grep patterns written for etcd keep working. The goldens are real zap output (etcd 3.4.23's
/// vendored zap with etcd's `DefaultZapLoggerConfig`).
final class LogLineTests: XCTestCase {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    func testMatchesEtcdsOwnLine() {
        let line = LogLine.encode(
            level: .info, timestamp: LogTimestamp(secondsSinceEpoch: 1_795_533_846, nanoseconds: 26_900_000),
            caller: "embed/etcd.go:117", message: "configuring peer listeners",
            fields: [.strings("listen-peer-urls", ["http://127.0.0.1:26380"])])
        XCTAssertEqual(text(line), #"{"level":"info","ts":"2026-11-24T15:24:06.026Z","caller":"embed/etcd.go:117","msg":"configuring peer listeners","listen-peer-urls":["http://127.0.0.1:26380"]}"# + "\n")
    }

    func testEscapingAndFieldTypesMatchZap() {
        let line = LogLine.encode(
            level: .info, timestamp: LogTimestamp(secondsSinceEpoch: 1_795_534_285, nanoseconds: 318_000_000),
            caller: "zapt/main.go:13", message: "esc \"q\" \\ \n\r\t \u{01}\u{1f}\u{7f} <>&é 日本",
            fields: [.string("k\"ey", "v\u{0}al"), .int("n", -42), .bool("b", true), .strings("arr", ["a", "b\"c"]),
                     .duration("d", .milliseconds(1500)), .duration("d2", .nanoseconds(1_666_260)),
                     .duration("d3", .seconds(90 * 60)), .strings("empty", [])])
        let expected: [UInt8] = Array(#"{"level":"info","ts":"2026-11-24T15:31:25.318Z","caller":"zapt/main.go:13","msg":"esc \"q\" \\ \n\r\t \u0001\u001f"#.utf8)
            + [0x7f] + Array(#" <>&é 日本","k\"ey":"v\u0000al","n":-42,"b":true,"arr":["a","b\"c"],"d":"1.5s","d2":"1.66626ms","d3":"1h30m0s","empty":[]}"#.utf8) + [0x0a]
        XCTAssertEqual(text(line), text(expected))
        XCTAssertEqual(line, expected)
    }

    func testEtcdErrorLineQuotesTheError() {
        let line = LogLine.encode(
            level: .warn, timestamp: LogTimestamp(secondsSinceEpoch: 1_795_533_846, nanoseconds: 0),
            caller: "etcdmain/etcd.go:176", message: "failed to start etcd",
            fields: [.error("couldn't find local name \"foo\" in the initial cluster configuration")])
        XCTAssertEqual(text(line), #"{"level":"warn","ts":"2026-11-24T15:24:06.000Z","caller":"etcdmain/etcd.go:176","msg":"failed to start etcd","error":"couldn't find local name \"foo\" in the initial cluster configuration"}"# + "\n")
    }

    func testTimestampLayout() {
        XCTAssertEqual(LogTimestamp(secondsSinceEpoch: 951_782_400, nanoseconds: 5_999_999).formatted, "2000-02-29T00:00:00.005Z")
        XCTAssertEqual(LogTimestamp(secondsSinceEpoch: -1, nanoseconds: 999_000_000).formatted, "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(LogTimestamp(secondsSinceEpoch: 951_782_400, nanoseconds: 0, utcOffsetSeconds: 5400).formatted,
                       "2000-02-29T01:30:00.000+0130")
        XCTAssertEqual(LogTimestamp(secondsSinceEpoch: 951_782_400, nanoseconds: 0, utcOffsetSeconds: -18000).formatted,
                       "2000-02-28T19:00:00.000-0500")
    }

    func testLevelsOrderAndNames() {
        XCTAssertEqual(LogLevel.allCases.map(\.name), ["debug", "info", "warn", "error", "panic", "fatal"])
        XCTAssertEqual(LogLevel(name: "warn"), .warn)
        XCTAssertNil(LogLevel(name: "warning"))
        let logger = Logger(minimumLevel: .warn, fileDescriptors: [])
        XCTAssertFalse(logger.isEnabled(.info))
        XCTAssertTrue(logger.isEnabled(.error))
    }

    func testLogOutputsMapToDescriptors() {
        let mapped = Logger.standardDescriptors(forOutputs: ["stderr", "default", "stdout", "/var/log/etcd.log"])
        XCTAssertEqual(mapped.descriptors, [2, 1])
        XCTAssertEqual(mapped.unsupported, ["/var/log/etcd.log"])
    }

    func testLoggerWritesWholeLinesToItsDescriptor() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]) }
        let logger = Logger(minimumLevel: .info, fileDescriptors: [fds[1]])
        logger.debug("dropped")
        logger.info("kept", [.int("n", 1)])
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(fds[0], &buffer, buffer.count)
        let line = String(decoding: buffer[0..<max(count, 0)], as: UTF8.self)
        XCTAssertTrue(line.hasPrefix(#"{"level":"info","ts":""#), line)
        XCTAssertTrue(line.contains(#","caller":"EtcdServerTests/LogLineTests.swift:"#), line)
        XCTAssertTrue(line.hasSuffix(#","msg":"kept","n":1}"# + "\n"), line)
        XCTAssertEqual(line.filter { $0 == "\n" }.count, 1)
    }
}
