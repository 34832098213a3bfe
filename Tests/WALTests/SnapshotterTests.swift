import EtcdBasics
import EtcdIO
import Raft
import XCTest

@testable import WAL

final class SnapshotterTests: XCTestCase {
    private let directory = "/data/member/snap"

    private func newSnapshotter() throws -> (SimulatedFileSystem, Snapshotter) {
        let fileSystem = SimulatedFileSystem()
        try fileSystem.createDirectory(directory, permissions: 0o700)
        for path in ["/data/member", "/data", "/"] { try fileSystem.syncDirectory(path) }
        return (fileSystem, Snapshotter(fileSystem: fileSystem, directory: directory))
    }

    private func snapshot(term: UInt64, index: UInt64, voters: [UInt64] = [1]) -> Snapshot {
        var confState = ConfState()
        confState.voters = voters
        return Snapshot(data: Array("state at \(index)".utf8),
                        metadata: SnapshotMetadata(confState: confState, index: index, term: term))
    }

    func testFileNameIsTermThenIndexInHex() {
        XCTAssertEqual(Snapshotter.fileName(term: 2, index: 0x21), "0000000000000002-0000000000000021.snap")
    }

    func testSaveThenLoadReturnsTheNewest() throws {
        let (fileSystem, snapshotter) = try newSnapshotter()
        XCTAssertNil(try snapshotter.load())
        try snapshotter.save(snapshot(term: 1, index: 10))
        try snapshotter.save(snapshot(term: 2, index: 20, voters: [1, 2, 3]))
        XCTAssertEqual(try fileSystem.listDirectory(directory),
                       ["0000000000000001-000000000000000a.snap", "0000000000000002-0000000000000014.snap"])
        XCTAssertEqual(try snapshotter.load(), snapshot(term: 2, index: 20, voters: [1, 2, 3]))
        // Durable: the file and its directory entry survive a crash.
        fileSystem.crash()
        XCTAssertEqual(try snapshotter.load(), snapshot(term: 2, index: 20, voters: [1, 2, 3]))
    }

    func testFileHoldsSnappbWithACastagnoliChecksumOfTheRaftSnapshot() throws {
        let (fileSystem, snapshotter) = try newSnapshotter()
        let saved = snapshot(term: 3, index: 7)
        try snapshotter.save(saved)
        let bytes = try XCTUnwrap(fileSystem.contents(of: directory + "/" + Snapshotter.fileName(term: 3, index: 7)))
        let raft = saved.serializedBytes()
        var expected: [UInt8] = [0x08]   // field 1, varint: the crc
        var crc = UInt64(CRC32C.checksum(raft))
        while crc >= 0x80 { expected.append(UInt8(crc & 0x7F) | 0x80); crc >>= 7 }
        expected.append(UInt8(crc))
        expected.append(0x12)            // field 2, bytes: the raftpb.Snapshot
        expected.append(UInt8(raft.count))
        expected += raft
        XCTAssertEqual(bytes, expected)
    }

    func testAnEmptySnapshotIsNotSaved() throws {
        let (fileSystem, snapshotter) = try newSnapshotter()
        try snapshotter.save(Snapshot())
        XCTAssertEqual(try fileSystem.listDirectory(directory), [])
    }

    func testACorruptedNewestFileIsRenamedBrokenAndTheOlderOneLoads() throws {
        let (fileSystem, snapshotter) = try newSnapshotter()
        try snapshotter.save(snapshot(term: 1, index: 10))
        try snapshotter.save(snapshot(term: 1, index: 20))
        let newest = directory + "/" + Snapshotter.fileName(term: 1, index: 20)
        let file = try fileSystem.open(newest, options: .readWrite, permissions: 0o600)
        try [UInt8(0xFF)].withUnsafeBytes { try file.write($0, at: 12) }   // inside the data
        try file.close()

        var broken: [(String, SnapshotError)] = []
        XCTAssertEqual(try snapshotter.load(reportBroken: { broken.append(($0, $1)) }), snapshot(term: 1, index: 10))
        XCTAssertEqual(broken.map(\.0), [newest])
        guard case .crcMismatch? = broken.first?.1 else { return XCTFail("\(broken)") }
        XCTAssertEqual(try fileSystem.listDirectory(directory),
                       ["0000000000000001-000000000000000a.snap", "0000000000000001-0000000000000014.snap.broken"])
    }

    func testEmptyAndTruncatedFilesAreBrokenToo() throws {
        let (fileSystem, snapshotter) = try newSnapshotter()
        try snapshotter.save(snapshot(term: 1, index: 10))
        try snapshotter.save(snapshot(term: 1, index: 20))
        try snapshotter.save(snapshot(term: 1, index: 30))
        let thirty = try fileSystem.open(directory + "/" + Snapshotter.fileName(term: 1, index: 30), options: .readWrite, permissions: 0)
        try thirty.truncate(to: 0)
        try thirty.close()
        let twenty = try fileSystem.open(directory + "/" + Snapshotter.fileName(term: 1, index: 20), options: .readWrite, permissions: 0)
        try twenty.truncate(to: try twenty.size() - 3)
        try twenty.close()
        var errors: [SnapshotError] = []
        XCTAssertEqual(try snapshotter.load(reportBroken: { errors.append($1) }), snapshot(term: 1, index: 10))
        XCTAssertEqual(errors.count, 2)
        guard case .empty? = errors.first, case .undecodable? = errors.last else { return XCTFail("\(errors)") }
    }

    func testLoadNewestAvailableSkipsASnapshotTheWALHasNoMarkerFor() throws {
        let (_, snapshotter) = try newSnapshotter()
        try snapshotter.save(snapshot(term: 1, index: 10))
        try snapshotter.save(snapshot(term: 2, index: 20))   // its marker never reached the WAL
        let markers = [WALSnapshot(), WALSnapshot(index: 10, term: 1)]
        XCTAssertEqual(try snapshotter.loadNewestAvailable(walSnapshots: markers), snapshot(term: 1, index: 10))
        // A marker with the right index but another term is not the same snapshot.
        XCTAssertNil(try snapshotter.loadNewestAvailable(walSnapshots: [WALSnapshot(index: 20, term: 1)]))
        XCTAssertEqual(try snapshotter.load(), snapshot(term: 2, index: 20))
    }

    /// A crash at any step of a save leaves either no new file, a file set aside as broken, or
    /// the complete snapshot; never a file that loads as something else.
    func testACrashAtEveryStepOfASaveNeverLoadsAPartialSnapshot() throws {
        let (base, snapshotter) = try newSnapshotter()
        try snapshotter.save(snapshot(term: 1, index: 10))
        var big = snapshot(term: 1, index: 20)
        big.data = (0..<3000).map { UInt8($0 % 251) }   // several sectors, so writes can tear
        let probe = base.clone()
        let before = probe.mutationCount
        try Snapshotter(fileSystem: probe, directory: directory).save(big)
        let steps = probe.mutationCount - before
        XCTAssertGreaterThanOrEqual(steps, 3)
        for step in 0...steps {
            for seed in 0..<4 as Range<UInt64> {
                let fileSystem = base.clone()
                let snapshotter = Snapshotter(fileSystem: fileSystem, directory: directory)
                fileSystem.stopAfter(mutations: step)
                let saved = (try? snapshotter.save(big)) != nil
                fileSystem.crash(.seeded(seed))
                let loaded = try snapshotter.load()
                if saved { XCTAssertEqual(loaded, big, "step \(step) seed \(seed)") }
                XCTAssertTrue(loaded == big || loaded == snapshot(term: 1, index: 10), "step \(step) seed \(seed)")
            }
        }
    }
}
