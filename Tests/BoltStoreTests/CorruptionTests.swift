@testable import BoltStore
import EtcdIO
import XCTest

/// A damaged file is refused with a reason, never served.
final class CorruptionTests: XCTestCase {
    /// A small committed database's bytes.
    private func goodFile() throws -> [UInt8] {
        let (fs, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("k"))
            for i in 0..<300 { try b.put(key(i), [UInt8](repeating: 5, count: 50)) }
        }
        try db.close()
        return try fileBytes(fs, "/db")
    }

    private func open(_ file: [UInt8]) throws(BoltError) -> Database {
        let fs = SimulatedFileSystem()
        try! writeFileBytes(fs, "/db", file)
        return try Database.open(path: "/db", fileSystem: fs)
    }

    private func assertRefused(_ file: [UInt8], _ expected: (BoltError) -> Bool, _ message: String,
                               line: UInt = #line) {
        do {
            let db = try open(file)
            try? db.close()
            XCTFail("opened a corrupt file: \(message)", line: line)
        } catch {
            XCTAssertTrue(expected(error), "\(message): got \(error)", line: line)
        }
    }

    func testOneBadMetaFallsBackToTheOther() throws {
        var file = try goodFile()
        let db = try open(file)
        let txid = try db.view { $0.id }
        try db.close()
        // Damage the newer meta (txid % 2): the older one is used.
        file[(Int(txid) % 2) * 4096 + 16 + 40] ^= 0xFF
        let fallback = try open(file)
        XCTAssertEqual(try fallback.view { $0.id }, txid - 1)
        try fallback.close()
    }

    func testBothMetasWithBadChecksumsAreRefused() throws {
        var file = try goodFile()
        file[16 + 48] ^= 0x01
        file[4096 + 16 + 48] ^= 0x01
        assertRefused(file, { $0 == .checksum }, "both checksums bad")
    }

    func testBadMagicIsRefusedAsInvalid() throws {
        var file = try goodFile()
        file[16] ^= 0xFF
        file[4096 + 16] ^= 0xFF
        assertRefused(file, { $0 == .invalid }, "bad magic")
        XCTAssertEqual(BoltError.invalid.description, "invalid database")
    }

    func testWrongVersionIsRefused() throws {
        var file = try goodFile()
        file[20] = 3
        file[4096 + 20] = 3
        assertRefused(file, { $0 == .versionMismatch }, "version 3")
    }

    func testTruncatedFileIsRefused() throws {
        let file = try goodFile()
        let highWater = file.withUnsafeBytes { raw in
            max(Meta.read(from: raw.baseAddress! + 16).pgid, Meta.read(from: raw.baseAddress! + 4096 + 16).pgid)
        }
        assertRefused(Array(file[0..<(Int(highWater - 1) * 4096)]), {
            if case .truncated = $0 { return true } else { return false }
        }, "cut short")
        assertRefused(Array(file[0..<4096]), {
            if case .truncated = $0 { return true } else { return false }
        }, "one page")
        assertRefused(Array(repeating: 0, count: 100), { _ in true }, "garbage")
    }

    func testMetaPointingPastTheEndIsRefused() throws {
        var file = try goodFile()
        // Rewrite both metas with a root page beyond the high-water mark, checksums valid.
        for page in 0..<2 {
            file.withUnsafeMutableBytes { raw in
                let base = raw.baseAddress! + page * 4096
                var meta = Meta.read(from: base + 16)
                meta.root.root = meta.pgid + 10
                meta.checksum = meta.computeChecksum()
                meta.write(to: base + 16)
            }
        }
        assertRefused(file, { if case .corruptPage = $0 { return true } else { return false } }, "root past end")
    }

    func testSecondOpenOfALockedFileFails() throws {
        let (fs, db) = try openSimulated()
        XCTAssertThrowsError(try Database.open(path: "/db", fileSystem: fs)) {
            guard case .io = $0 as? BoltError else { return XCTFail("want an io error, got \($0)") }
        }
        try db.close()
    }
}
