// Seeded crashes: some unsynced writes make it, some don't, some tear at 512-byte sectors, and a
// seed always replays to the same disk.

import XCTest
@testable import EtcdIO

final class SimulatedTornWriteTests: XCTestCase {
    private static let fileBytes = 8192
    /// Unsynced writes over a synced file of zeros, non-overlapping and not sector-aligned.
    private static let writes: [(offset: Int, count: Int)] = [(100, 1500), (2048, 2048), (5000, 3000)]

    /// Replays one fixed history and crashes it with `seed`; returns the file afterwards.
    private func crashed(seed: UInt64) throws -> [UInt8] {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        try fs.syncDirectory("/")
        try file.truncate(to: Int64(Self.fileBytes))
        try file.dataSync()
        for (number, range) in Self.writes.enumerated() {
            try write(file, [UInt8](repeating: UInt8(number + 1), count: range.count), at: Int64(range.offset))
        }
        fs.crash(.seeded(seed))
        return try XCTUnwrap(fs.contents(of: "/db"))
    }

    func testTheSameSeedGivesTheSameDisk() throws {
        for seed: UInt64 in [0, 1, 7, 12345, .max] {
            XCTAssertEqual(try crashed(seed: seed), try crashed(seed: seed), "seed \(seed)")
        }
    }

    func testEachSectorOfAWriteSurvivesWholeOrNotAtAll() throws {
        let sector = SimulatedFileSystem.sectorBytes
        for seed: UInt64 in 0..<64 {
            let bytes = try crashed(seed: seed)
            XCTAssertEqual(bytes.count, Self.fileBytes, "the synced size never shrinks here")
            for (number, range) in Self.writes.enumerated() {
                var start = range.offset
                while start < range.offset + range.count {
                    let end = min((start / sector + 1) * sector, range.offset + range.count)
                    let piece = Set(bytes[start..<end])
                    XCTAssertTrue(piece == [0] || piece == [UInt8(number + 1)],
                                  "seed \(seed): bytes \(start)..<\(end) mix old and new: \(piece)")
                    start = end
                }
            }
        }
    }

    /// Across seeds, every outcome a recovery must cope with shows up: a write lost, a write whole,
    /// a write torn (some sectors new, some old), and a later write kept while an earlier was lost.
    func testSeedsCoverLostWholeTornAndReorderedWrites() throws {
        var sawLost = false, sawWhole = false, sawTorn = false, sawReordered = false
        for seed: UInt64 in 0..<64 {
            let bytes = try crashed(seed: seed)
            let newCounts = Self.writes.enumerated().map { number, range in
                bytes[range.offset..<(range.offset + range.count)].filter { $0 == UInt8(number + 1) }.count
            }
            for (count, range) in zip(newCounts, Self.writes) {
                if count == 0 { sawLost = true }
                if count == range.count { sawWhole = true }
                if count > 0 && count < range.count { sawTorn = true }
            }
            if newCounts[0] == 0 && newCounts[2] == Self.writes[2].count { sawReordered = true }
        }
        XCTAssertTrue(sawLost && sawWhole && sawTorn && sawReordered,
                      "lost \(sawLost) whole \(sawWhole) torn \(sawTorn) reordered \(sawReordered)")
    }

    func testSyncedBytesSurviveEverySeed() throws {
        for seed: UInt64 in 0..<32 {
            let fs = SimulatedFileSystem()
            let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
            try fs.syncDirectory("/")
            try write(file, [UInt8](repeating: 0xAB, count: 1024), at: 0)
            try file.dataSync()
            try write(file, [UInt8](repeating: 0xCD, count: 1024), at: 1024)
            fs.crash(.seeded(seed))
            let bytes = try XCTUnwrap(fs.contents(of: "/db"))
            XCTAssertEqual(Array(bytes.prefix(1024)), [UInt8](repeating: 0xAB, count: 1024), "seed \(seed)")
            XCTAssertTrue(bytes.dropFirst(1024).allSatisfy { $0 == 0xCD || $0 == 0 }, "seed \(seed)")
        }
    }
}
