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

    private func protocEncode(_ protoc: URL, _ golden: GoldenCase) throws -> [UInt8] {
        let process = Process()
        process.executableURL = protoc
        process.arguments = ["--encode=\(golden.protoType)", "-I", protosDirectory.path,
                             protosDirectory.appendingPathComponent(golden.protoFile).path]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(golden.text.utf8))
        try input.fileHandleForWriting.close()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0,
                       "protoc failed on \(golden.label): \(String(decoding: messages, as: UTF8.self))")
        return [UInt8](bytes)
    }

    func testProtocStillEncodesEveryGoldenCaseToItsLiteral() throws {
        guard let protoc = findProtoc() else {
            XCTFail("protoc not found on PATH: install protobuf-compiler to re-prove the golden bytes")
            return
        }
        for golden in Golden.cases {
            XCTAssertEqual(try protocEncode(protoc, golden), golden.bytes, golden.label)
        }
    }

    func testProtosCompile() throws {
        guard let protoc = findProtoc() else {
            XCTFail("protoc not found on PATH: install protobuf-compiler to check Protos/")
            return
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: protosDirectory.path)
            .filter { $0.hasSuffix(".proto") }.sorted()
        XCTAssertEqual(files, ["auth.proto", "kv.proto", "rpc.proto", "v3election.proto", "v3lock.proto"])
        let process = Process()
        process.executableURL = protoc
        process.arguments = ["-I", protosDirectory.path, "--descriptor_set_out=/dev/null"]
            + files.map { protosDirectory.appendingPathComponent($0).path }
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "protoc rejects Protos/")
    }
}
