import EtcdIO
import Raft
import XCTest

@testable import WAL

final class WriteAheadLogTests: XCTestCase {
    private let directory = "/data/member/wal"

    private func entries(_ range: ClosedRange<UInt64>, term: UInt64 = 1) -> [Entry] {
        range.map { Entry(term: term, index: $0, data: [UInt8](repeating: UInt8($0 & 0xFF), count: Int($0 % 700))) }
    }

    private func newFileSystem() throws -> SimulatedFileSystem {
        let fileSystem = SimulatedFileSystem()
        try fileSystem.createDirectory("/data/member", permissions: 0o700)
        try fileSystem.syncDirectory("/data")
        try fileSystem.syncDirectory("/")
        return fileSystem
    }

    func testSegmentNames() throws {
        let name = SegmentName(sequence: 1, index: 0x2a)
        XCTAssertEqual(name.fileName, "0000000000000001-000000000000002a.wal")
        XCTAssertEqual(SegmentName(fileName: "0000000000000001-000000000000002a.wal"), name)
        XCTAssertNil(SegmentName(fileName: "0000000000000001-000000000000002A.wal"))
        XCTAssertNil(SegmentName(fileName: "0000000000000001-000000000000002a.wal.tmp"))
        XCTAssertNil(SegmentName(fileName: "1-2.wal"))
        XCTAssertEqual(try SegmentName.segments(in: ["0.tmp", "0000000000000001-0000000000000005.wal",
                                                     "0000000000000000-0000000000000000.wal"]),
                       [SegmentName(sequence: 0, index: 0), SegmentName(sequence: 1, index: 5)])
        XCTAssertThrowsError(try SegmentName.segments(in: ["0000000000000000-0000000000000000.wal",
                                                           "0000000000000002-0000000000000005.wal"]))
        let segments = [SegmentName(sequence: 0, index: 0), SegmentName(sequence: 1, index: 5), SegmentName(sequence: 2, index: 9)]
        XCTAssertEqual(SegmentName.searchIndex(segments, for: 7), 1)
        XCTAssertEqual(SegmentName.searchIndex(segments, for: 9), 2)
    }

    func testCreateSaveReopenReadsEverythingBack() throws {
        let fileSystem = try newFileSystem()
        let log = try WriteAheadLog.create(fileSystem: fileSystem, directory: directory, metadata: [1, 2, 3], segmentBytes: 1 << 16)
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 0), entries: entries(1...3))
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 3), entries: entries(4...5))
        // A new leader overwrites index 5 onward.
        try log.save(hardState: HardState(term: 2, vote: 2, commit: 4), entries: entries(5...6, term: 2))
        try log.close()
        XCTAssertEqual(try fileSystem.listDirectory(directory), ["0000000000000000-0000000000000000.wal"])

        let (reopened, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: 1 << 16)
        XCTAssertEqual(contents.metadata, [1, 2, 3])
        XCTAssertEqual(contents.hardState, HardState(term: 2, vote: 2, commit: 4))
        XCTAssertEqual(contents.entries, entries(1...4) + entries(5...6, term: 2))
        XCTAssertEqual(reopened.lastIndex, 6)
        // Appends after reopening continue the crc chain.
        try reopened.save(hardState: HardState(term: 2, vote: 2, commit: 7), entries: entries(7...7, term: 2))
        try reopened.close()
        XCTAssertEqual(try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: 1 << 16).contents.entries.count, 7)
    }

    func testCreateRefusesAnExistingLog() throws {
        let fileSystem = try newFileSystem()
        try WriteAheadLog.create(fileSystem: fileSystem, directory: directory, metadata: [], segmentBytes: 1 << 16).close()
        XCTAssertThrowsError(try WriteAheadLog.create(fileSystem: fileSystem, directory: directory, metadata: [], segmentBytes: 1 << 16))
    }

    func testReadingFromASnapshotMarker() throws {
        let fileSystem = try newFileSystem()
        let log = try WriteAheadLog.create(fileSystem: fileSystem, directory: directory, metadata: [], segmentBytes: 1 << 16)
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 5), entries: entries(1...5))
        try log.saveSnapshot(WALSnapshot(index: 3, term: 1))
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 6), entries: entries(6...6))
        try log.close()
        let contents = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory,
                                              snapshot: WALSnapshot(index: 3, term: 1), segmentBytes: 1 << 16).contents
        XCTAssertEqual(contents.entries, entries(4...6))
        XCTAssertThrowsError(try WriteAheadLog.open(fileSystem: fileSystem, directory: directory,
                                                    snapshot: WALSnapshot(index: 3, term: 2), segmentBytes: 1 << 16))
        XCTAssertThrowsError(try WriteAheadLog.open(fileSystem: fileSystem, directory: directory,
                                                    snapshot: WALSnapshot(index: 4, term: 1), segmentBytes: 1 << 16))
    }

    func testFlippedByteInTheMiddleRefusesToOpenAndNamesTheFile() throws {
        let fileSystem = try newFileSystem()
        let log = try WriteAheadLog.create(fileSystem: fileSystem, directory: directory, metadata: [], segmentBytes: 1 << 16)
        for batch in 0..<10 as Range<UInt64> {
            try log.save(hardState: HardState(term: 1, vote: 1, commit: batch * 10), entries: entries(batch * 10 + 1...batch * 10 + 10))
        }
        try log.close()
        let path = directory + "/0000000000000000-0000000000000000.wal"
        let file = try fileSystem.open(path, options: .readWrite, permissions: 0o600)
        var byte: [UInt8] = [0]
        _ = try byte.withUnsafeMutableBytes { try file.read(into: $0, at: 2000) }
        byte[0] ^= 0x40
        try byte.withUnsafeBytes { try file.write($0, at: 2000) }
        try file.dataSync()
        try file.close()
        XCTAssertThrowsError(try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: 1 << 16)) { error in
            guard case .corrupt(let named, let offset, _) = error as? WALError else { return XCTFail("\(error)") }
            XCTAssertEqual(named, path)
            XCTAssertLessThanOrEqual(offset, 2000)
        }
    }

    /// Synced batches always read back; an interrupted batch leaves at most a whole-entry prefix
    /// of itself, never a torn record; appends continue after recovery.
    func testCrashDuringAnUnsyncedBatchKeepsSyncedRecordsAndCutsTheTornTail() throws {
        for seed in 0..<20 as Range<UInt64> {
            let fileSystem = try newFileSystem()
            let log = try WriteAheadLog.create(fileSystem: fileSystem, directory: directory, metadata: [7], segmentBytes: 1 << 16)
            let batches = Int(seed % 5) + 1
            var acknowledged: [Entry] = []
            for batch in 0..<batches {
                let batchEntries = entries(UInt64(batch * 4 + 1)...UInt64(batch * 4 + 4))
                try log.save(hardState: HardState(term: 1, vote: 1, commit: UInt64(batch * 4)), entries: batchEntries)
                acknowledged += batchEntries
            }
            let pending = entries(UInt64(batches * 4 + 1)...UInt64(batches * 4 + 6))
            fileSystem.failCall(.dataSync)
            XCTAssertThrowsError(try log.save(hardState: HardState(term: 1, vote: 1, commit: 9), entries: pending))
            fileSystem.crash(.seeded(seed))

            let (reopened, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: 1 << 16)
            XCTAssertEqual(Array(contents.entries.prefix(acknowledged.count)), acknowledged, "seed \(seed)")
            let extra = Array(contents.entries.dropFirst(acknowledged.count))
            XCTAssertEqual(extra, Array(pending.prefix(extra.count)), "seed \(seed)")

            let next = (contents.entries.last?.index ?? 0) + 1
            try reopened.save(hardState: HardState(term: 2, vote: 1, commit: next), entries: entries(next...next, term: 2))
            try reopened.close()
            fileSystem.crash()
            let again = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: 1 << 16).contents
            XCTAssertEqual(again.entries, contents.entries + entries(next...next, term: 2), "seed \(seed)")
            XCTAssertEqual(again.hardState, HardState(term: 2, vote: 1, commit: next))
        }
    }
}
