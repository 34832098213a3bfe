import BoltStore
import EtcdIO
import Foundation
import XCTest

/// The file format judged by bbolt itself: a file BoltStore writes passes Go bbolt's `Tx.Check`
/// and reads back identically through Go bbolt, and a file Go bbolt writes reads identically
/// through BoltStore. Go bbolt runs as `Scripts/boltcheck.sh` (built from Debian's bbolt source;
/// CI installs golang-go and golang-github-coreos-bbolt-dev).
final class GoBboltCrossCheckTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "boltcross-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if ProcessInfo.processInfo.environment["BOLTCROSS_KEEP"] == nil { try? FileManager.default.removeItem(atPath: directory) }
    }

    func testFileWrittenByBoltStorePassesBboltCheckAndReadsTheSameInGo() throws {
        let path = directory + "/swift.db"
        let db = try Database.open(path: path, fileSystem: PosixFileSystem())
        try db.update { tx in
            let small = try tx.createBucket(named: Array("small".utf8))
            try small.put(Array("k".utf8), Array("v".utf8))
            try small.put(Array("empty".utf8), [])
            let many = try tx.createBucket(named: Array("many".utf8))
            for i in 0..<3000 {
                try many.put(Array(String(format: "key-%05d", i).utf8), Array(String(repeating: "x", count: i % 97).utf8))
            }
            try many.put(Array("big".utf8), [UInt8](repeating: 0xAB, count: 20_000))   // overflow pages
            let parent = try tx.createBucket(named: Array("parent".utf8))
            let child = try parent.createBucket(named: Array("child".utf8))       // inline bucket
            try child.put([0x00, 0xFF], [0x01])
            _ = try parent.createBucket(named: Array("empty-child".utf8))
        }
        try db.update { tx in
            let many = tx.bucket(named: Array("many".utf8))!
            for i in stride(from: 0, to: 3000, by: 3) {                               // freelist entries
                try many.delete(Array(String(format: "key-%05d", i).utf8))
            }
        }
        let ourDump = try db.view { tx in dump(tx) }
        try db.close()

        let check = try boltcheck(["check", path])
        XCTAssertEqual(check.status, 0, "bbolt's Tx.Check refused our file:\n\(check.output)")
        let goDump = try boltcheck(["dump", path])
        XCTAssertEqual(goDump.status, 0, goDump.output)
        XCTAssertEqual(goDump.output, ourDump)
    }

    func testFileWrittenByGoBboltReadsTheSameInBoltStore() throws {
        let path = directory + "/go.db"
        var spec = "bucket 616161\nput 616161 01 02\nput 616161 03 -\nbucket 626262\nnested 626262 636363\nput 626262/636363 0a 0b\ncommit\n"
        for i in 0..<2500 { spec += "put 616161 \(hex(Array(String(format: "k%06d", i).utf8))) \(hex([UInt8](repeating: UInt8(i % 251), count: i % 50 + 1)))\n" }
        spec += "put 626262 ff \(hex([UInt8](repeating: 7, count: 12_000)))\ncommit\n"
        for i in stride(from: 0, to: 2500, by: 2) { spec += "delete 616161 \(hex(Array(String(format: "k%06d", i).utf8)))\n" }
        let specPath = directory + "/spec.txt"
        try spec.write(toFile: specPath, atomically: true, encoding: .utf8)
        let write = try boltcheck(["write", path, specPath])
        XCTAssertEqual(write.status, 0, write.output)
        let goDump = try boltcheck(["dump", path])
        XCTAssertEqual(goDump.status, 0, goDump.output)

        let db = try Database.open(path: path, fileSystem: PosixFileSystem())
        XCTAssertEqual(try db.view { tx in dump(tx) }, goDump.output)
        // And BoltStore can keep writing to Go's file without bbolt objecting.
        try db.update { tx in try tx.bucket(named: Array("aaa".utf8))!.put(Array("new".utf8), Array("value".utf8)) }
        try db.close()
        let check = try boltcheck(["check", path])
        XCTAssertEqual(check.status, 0, "bbolt's Tx.Check refused the file after our write:\n\(check.output)")
    }

    /// etcd writes its backend with bbolt's NoFreelistSync (the meta names no freelist page), so
    /// every etcd data directory has such a file: BoltStore rebuilds the freelist from the page
    /// tree, reads the same data, and its next commits leave a file bbolt's check accepts (every
    /// page reachable or free, none both).
    func testFileWrittenWithoutAFreelistByGoBboltOpensAndStaysConsistent() throws {
        let path = directory + "/nofreelist.db"
        var spec = "bucket 616161\nbucket 626262\nnested 626262 636363\nput 626262/636363 0a 0b\ncommit\n"
        for i in 0..<3000 { spec += "put 616161 \(hex(Array(String(format: "k%06d", i).utf8))) \(hex([UInt8](repeating: UInt8(i % 251), count: i % 60 + 1)))\n" }
        spec += "put 626262 ff \(hex([UInt8](repeating: 7, count: 9_000)))\ncommit\n"
        // Deletes free pages: the file then has free pages that only a rebuild can find.
        for i in stride(from: 0, to: 3000, by: 3) { spec += "delete 616161 \(hex(Array(String(format: "k%06d", i).utf8)))\n" }
        spec += "delete 626262 ff\ncommit\n"
        let specPath = directory + "/spec-nofreelist.txt"
        try spec.write(toFile: specPath, atomically: true, encoding: .utf8)
        let write = try boltcheck(["write-nofreelist", path, specPath])
        XCTAssertEqual(write.status, 0, write.output)
        let goDump = try boltcheck(["dump", path])
        XCTAssertEqual(goDump.status, 0, goDump.output)

        let db = try Database.open(path: path, fileSystem: PosixFileSystem())
        XCTAssertEqual(try db.view { tx in dump(tx) }, goDump.output)
        XCTAssertGreaterThan(db.freePageCounts.free, 0, "the rebuilt freelist found none of the pages the deletes freed")
        for round in 0..<3 {
            try db.update { tx in
                let bucket = tx.bucket(named: Array("aaa".utf8))!
                for i in 0..<500 { try bucket.put(Array("r\(round)-\(i)".utf8), [UInt8](repeating: 9, count: 100)) }
            }
        }
        try db.close()
        let check = try boltcheck(["check", path])
        XCTAssertEqual(check.status, 0, "bbolt's Tx.Check refused the file after our writes:\n\(check.output)")
    }

    // MARK: - boltcheck's canonical dump, computed by BoltStore

    private func dump(_ tx: Transaction) -> String {
        var out = ""
        func descend(_ path: [[UInt8]], _ bucket: Bucket) {
            let name = path.map(hex).joined(separator: "/")
            out += "bucket \(name)\n"
            var cursor = bucket.cursor()
            var entry = cursor.firstBorrowed()
            while let current = entry {
                let key = Array(current.key)
                if current.isBucket {
                    descend(path + [key], bucket.nestedBucket(named: key)!)
                } else {
                    out += "put \(name) \(hex(key)) \(current.value.isEmpty ? "-" : hex(Array(current.value)))\n"
                }
                entry = cursor.nextBorrowed()
            }
        }
        for name in tx.bucketNames() { descend([name], tx.bucket(named: name)!) }
        return out
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private func boltcheck(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent("Scripts/boltcheck.sh")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
