// Re-proves the golden literals: runs protoc on each case's text format and compares with the hex
// in GoldenCases.swift. CI installs protoc (Debian `protobuf-compiler`); without it this test fails
// on purpose, so the literals are never trusted unchecked.

import Foundation
import XCTest

final class ProtocCrossCheckTests: XCTestCase {
    /// The package's Protos/ directory, found from this file's location.
    private var protosDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // EtcdProtoTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // package root
            .appendingPathComponent("Protos")
    }

    private func findProtoc() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("protoc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs protoc once with `arguments`, feeding it `input`; returns its standard output.
    private func runProtoc(_ protoc: URL, _ arguments: [String], input: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = protoc
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let messages = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "protoc: \(String(decoding: messages, as: UTF8.self))")
        return [UInt8](output)
    }

    /// Splits protoc's encoding of the batch message into its length-delimited fields' payloads.
    ///
    /// Written independently of ProtoReader (tags and lengths only) so that the check does not lean
    /// on the decoder under test.
    private func splitBatch(_ bytes: [UInt8]) -> [Int: [UInt8]] {
        var payloads: [Int: [UInt8]] = [:]
        var index = 0
        func varint() -> Int {
            var value = 0
            var shift = 0
            while true {
                let byte = bytes[index]
                index += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while index < bytes.count {
            let tag = varint()
            precondition(tag & 7 == 2, "batch fields are messages")
            let length = varint()
            payloads[tag >> 3] = Array(bytes[index..<index + length])
            index += length
        }
        return payloads
    }

    func testProtocStillEncodesEveryGoldenCaseToItsLiteral() throws {
        guard let protoc = findProtoc() else {
            XCTFail("protoc not found on PATH: install protobuf-compiler to re-prove the golden bytes")
            return
        }
        // One protoc run for all cases: a batch message with case i as field i. A message field's
        // payload is exactly the standalone encoding of that message.
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swetcd-golden-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let imports = Set(Golden.cases.map(\.protoFile)).sorted().map { "import \"\($0)\";" }
        let fields = Golden.cases.enumerated().map { "  .\($1.protoType) case\($0 + 1) = \($0 + 1);" }
        let batchProto = (["syntax = \"proto3\";", "package goldenbatch;"] + imports
            + ["message Batch {"] + fields + ["}"]).joined(separator: "\n")
        try batchProto.write(to: directory.appendingPathComponent("batch.proto"), atomically: true, encoding: .utf8)
        let text = Golden.cases.enumerated().map { "case\($0 + 1) { \($1.text) }" }.joined(separator: "\n")
        let output = try runProtoc(protoc, ["--encode=goldenbatch.Batch", "-I", protosDirectory.path,
                                            "-I", directory.path, "batch.proto"], input: text)
        let payloads = splitBatch(output)
        for (number, golden) in zip(1..., Golden.cases) {
            XCTAssertEqual(payloads[number], golden.bytes, golden.label)
        }
    }

    func testProtosCompile() throws {
        guard let protoc = findProtoc() else {
            XCTFail("protoc not found on PATH: install protobuf-compiler to check Protos/")
            return
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: protosDirectory.path)
            .filter { $0.hasSuffix(".proto") }.sorted()
        XCTAssertEqual(files, ["auth.proto", "etcdserver.proto", "kv.proto", "lease.proto", "raft_internal.proto", "rpc.proto",
                               "v3election.proto", "v3lock.proto"])
        let process = Process()
        process.executableURL = protoc
        process.arguments = ["-I", protosDirectory.path, "--descriptor_set_out=/dev/null"]
            + files.map { protosDirectory.appendingPathComponent($0).path }
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "protoc rejects Protos/")
    }
}
