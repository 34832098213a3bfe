import EtcdIO
import Raft
import XCTest

@testable import WAL

final class WALSyncAndLockTests: XCTestCase {
    private let directory = "/data/member/wal"
    /// Small segments so a few dozen entries cut several.
    private let segmentBytes: Int64 = 4096

    private func entries(_ range: ClosedRange<UInt64>, term: UInt64 = 1) -> [Entry] {
        range.map { Entry(term: term, index: $0, data: [UInt8](repeating: UInt8($0 & 0xFF), count: 500)) }
    }

    private func newLog() throws -> (SimulatedFileSystem, WriteAheadLog) {
        let fileSystem = SimulatedFileSystem()
        try fileSystem.createDirectory("/data/member", permissions: 0o700)
        for path in ["/data", "/"] { try fileSystem.syncDirectory(path) }
        let log = try WriteAheadLog.create(fileSystem: fileSystem, directory: directory,
                                           metadata: WALMetadata(nodeID: 1, clusterID: 2), segmentBytes: segmentBytes)
        return (fileSystem, log)
    }

    private func allCalls(_ fileSystem: SimulatedFileSystem) -> [Int] {
        FileOperation.allCases.map { fileSystem.callCount(of: $0) }
    }

    // MARK: Syncing

    func testSavingNothingTouchesNoFile() throws {
        let (fileSystem, log) = try newLog()
        let before = allCalls(fileSystem)
        try log.save(hardState: HardState(), entries: [], mustSync: true)
        try log.save(hardState: HardState(), entries: [])
        XCTAssertEqual(allCalls(fileSystem), before)
    }

    func testMustSyncFalseWritesWithoutFdatasync() throws {
        let (fileSystem, log) = try newLog()
        let syncs = fileSystem.callCount(of: .dataSync)
        let writes = fileSystem.callCount(of: .write)
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 1), entries: entries(1...1), mustSync: false)
        XCTAssertEqual(fileSystem.callCount(of: .dataSync), syncs)
        XCTAssertEqual(fileSystem.callCount(of: .write), writes + 1)
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 1), entries: entries(2...2), mustSync: true)
        XCTAssertEqual(fileSystem.callCount(of: .dataSync), syncs + 1)
    }

    /// etcd's rule when the caller does not say: only a commit change is written unsynced.
    func testDefaultSyncFollowsEtcdsMustSyncRule() throws {
        let (fileSystem, log) = try newLog()
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 0), entries: [])
        let afterVote = fileSystem.callCount(of: .dataSync)
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 0), entries: entries(1...1))
        XCTAssertEqual(fileSystem.callCount(of: .dataSync), afterVote + 1)
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 1), entries: [])
        XCTAssertEqual(fileSystem.callCount(of: .dataSync), afterVote + 1)
        try log.save(hardState: HardState(term: 2, vote: 0, commit: 1), entries: [])
        XCTAssertEqual(fileSystem.callCount(of: .dataSync), afterVote + 2)
        XCTAssertTrue(WriteAheadLog.mustSync(HardState(term: 1, vote: 2, commit: 0), previous: HardState(term: 1, vote: 0, commit: 0), entryCount: 0))
        XCTAssertFalse(WriteAheadLog.mustSync(HardState(term: 1, vote: 2, commit: 9), previous: HardState(term: 1, vote: 2, commit: 0), entryCount: 0))
    }

    /// An unsynced save is lost by a crash unless something synced after it; `sync` and `close`
    /// make it durable.
    func testUnsyncedRecordsBecomeDurableOnSyncOrClose() throws {
        let (fileSystem, log) = try newLog()
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 1), entries: entries(1...1), mustSync: false)
        try log.sync()
        try log.save(hardState: HardState(term: 1, vote: 1, commit: 2), entries: entries(2...2), mustSync: false)
        try log.close()
        fileSystem.crash()
        let (reopened, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes)
        try reopened.close()
        XCTAssertEqual(contents.entries, entries(1...2))
        XCTAssertEqual(contents.hardState.commit, 2)
    }

    // MARK: Locks

    /// Saves 60 entries: about 7 to a segment.
    private func fillSegments(_ log: WriteAheadLog) throws {
        for index in 1...60 as ClosedRange<UInt64> {
            try log.save(hardState: HardState(term: 1, vote: 1, commit: index), entries: entries(index...index))
        }
    }

    func testEverySegmentIsLockedUntilReleasedAndASecondOpenFails() throws {
        let (fileSystem, log) = try newLog()
        try fillSegments(log)
        let names = try fileSystem.listDirectory(directory)
        XCTAssertGreaterThanOrEqual(names.count, 6)
        XCTAssertFalse(names.contains { $0.hasSuffix(".tmp") })
        XCTAssertEqual(log.lockedSegments.map(\.fileName), names)
        for name in names { XCTAssertTrue(fileSystem.isLocked(directory + "/" + name), name) }

        XCTAssertThrowsError(try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes)) { error in
            guard case .locked(let file)? = error as? WALError else { return XCTFail("\(error)") }
            XCTAssertTrue(file.hasPrefix(self.directory + "/"))
            XCTAssertTrue("\(error)".hasPrefix("fileutil: file already locked"))
        }
        // The failed open let go of what it had locked: after close, the log opens again.
        try log.close()
        for name in names { XCTAssertFalse(fileSystem.isLocked(directory + "/" + name), name) }
        let (reopened, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes)
        XCTAssertEqual(contents.entries, entries(1...60))
        XCTAssertEqual(reopened.lockedSegments.map(\.fileName), names)
        try reopened.close()
    }

    /// etcd's worked example: holding 1…6, releasing to 4 frees 1 and 2 (3 may hold index 3);
    /// releasing to 5 frees 1, 2 and 3.
    func testReleaseLockFollowsEtcdsRule() {
        let held = (1...6 as ClosedRange<UInt64>).map { SegmentName(sequence: $0 - 1, index: $0) }
        XCTAssertEqual(WriteAheadLog.locksToRelease(held, to: 4), 2)
        XCTAssertEqual(WriteAheadLog.locksToRelease(held, to: 5), 3)
        XCTAssertEqual(WriteAheadLog.locksToRelease(held, to: 2), 0)
        XCTAssertEqual(WriteAheadLog.locksToRelease(held, to: 1), 0)
        XCTAssertEqual(WriteAheadLog.locksToRelease(held, to: 100), 5)   // never the tail
        XCTAssertEqual(WriteAheadLog.locksToRelease(Array(held.prefix(1)), to: 100), 0)
    }

    func testReleaseThenPurgeKeepsTheNewestAndNeverRemovesALockedSegment() throws {
        let (fileSystem, log) = try newLog()
        try fillSegments(log)
        let names = try fileSystem.listDirectory(directory)
        XCTAssertGreaterThanOrEqual(names.count, 8, "enough segments to purge beyond 5")

        // Nothing released: every segment is locked, so nothing goes, whatever `keep` says.
        XCTAssertEqual(try purgeFiles(fileSystem: fileSystem, directory: directory, suffix: "wal", keep: 1), [])

        // A snapshot at index 45: the segments wholly before the one holding 44 are released.
        try log.saveSnapshot(WALSnapshot(index: 45, term: 1))
        let released = log.releaseLock(to: 45)
        XCTAssertFalse(released.isEmpty)
        XCTAssertEqual(released + log.lockedSegments, names.compactMap { SegmentName(fileName: $0) })
        let firstKept = log.lockedSegments[0]
        XCTAssertLessThan(firstKept.index, 45)
        for segment in released { XCTAssertFalse(fileSystem.isLocked(directory + "/" + segment.fileName)) }

        // keep 1: only released segments go; the locked ones stay though beyond the count.
        let removed = try purgeFiles(fileSystem: fileSystem, directory: directory, suffix: "wal", keep: 1)
        XCTAssertEqual(removed, released.map(\.fileName))
        XCTAssertEqual(try fileSystem.listDirectory(directory), log.lockedSegments.map(\.fileName))

        // The log still recovers from the snapshot.
        try log.close()
        let contents = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory,
                                              snapshot: WALSnapshot(index: 45, term: 1), segmentBytes: segmentBytes).contents
        XCTAssertEqual(contents.entries, entries(46...60))
    }

    func testPurgeKeepsTheFiveNewestByName() throws {
        let fileSystem = SimulatedFileSystem()
        try fileSystem.createDirectory("/snap", permissions: 0o700)
        let names = (1...8).map { Snapshotter.fileName(term: 1, index: UInt64($0)) } + ["db", "x.snap.broken"]
        for name in names { try fileSystem.open("/snap/" + name, options: [.write, .create], permissions: 0o600).close() }
        let removed = try purgeFiles(fileSystem: fileSystem, directory: "/snap", suffix: "snap", keep: maxSnapshotFilesDefault)
        XCTAssertEqual(removed, Array(names.prefix(3)))
        XCTAssertEqual(try fileSystem.listDirectory("/snap"), Array(names[3...]).sorted())
        XCTAssertEqual(try purgeFiles(fileSystem: fileSystem, directory: "/snap", suffix: "snap", keep: 5), [])

        // keep 0 keeps everything (etcd's flags: 0 is unlimited).
        XCTAssertEqual(purgeCandidates(names: names, suffix: "snap", keep: 0), [])
        XCTAssertEqual(purgeCandidates(names: ["b.wal", "a.wal", "c.wal", "a.wal.tmp"], suffix: "wal", keep: 2), ["a.wal"])
    }

    func testPurgeStopsAtTheFirstLockedFile() throws {
        let fileSystem = SimulatedFileSystem()
        try fileSystem.createDirectory("/w", permissions: 0o700)
        for name in ["1.wal", "2.wal", "3.wal", "4.wal"] {
            try fileSystem.open("/w/" + name, options: [.write, .create], permissions: 0o600).close()
        }
        let holder = try fileSystem.open("/w/2.wal", options: .read, permissions: 0)
        try holder.lockExclusive()
        XCTAssertEqual(try purgeFiles(fileSystem: fileSystem, directory: "/w", suffix: "wal", keep: 1), ["1.wal"])
        XCTAssertEqual(try fileSystem.listDirectory("/w"), ["2.wal", "3.wal", "4.wal"])
        try holder.close()
    }

    // MARK: Valid snapshot entries

    func testValidSnapshotEntriesListsMarkersUpToTheCommitIndex() throws {
        let (fileSystem, log) = try newLog()
        for index in 1...20 as ClosedRange<UInt64> {
            try log.save(hardState: HardState(term: 1, vote: 1, commit: index - 1), entries: entries(index...index))
        }
        try log.saveSnapshot(WALSnapshot(index: 10, term: 1))
        try log.saveSnapshot(WALSnapshot(index: 19, term: 1))
        try log.saveSnapshot(WALSnapshot(index: 20, term: 1))   // beyond commit 19: not valid
        // Readable while the log holds its locks.
        XCTAssertEqual(try WriteAheadLog.validSnapshotEntries(fileSystem: fileSystem, directory: directory),
                       [WALSnapshot(), WALSnapshot(index: 10, term: 1), WALSnapshot(index: 19, term: 1)])
        try log.close()
    }
}

final class WALCutCrashTests: XCTestCase {
    private let directory = "/data/member/wal"
    private let segmentBytes: Int64 = 4096

    private func entries(_ range: ClosedRange<UInt64>) -> [Entry] {
        range.map { Entry(term: 1, index: $0, data: [UInt8](repeating: UInt8($0 & 0xFF), count: 500)) }
    }

    /// A crash at every step of a save that cuts a new segment (old tail cut and synced, new
    /// segment built under a .tmp name, synced, renamed, directory synced) loses nothing that was
    /// acknowledged, never leaves a segment without its header, and the log keeps working.
    func testACrashAtEveryStepOfACutRecovers() throws {
        let base = SimulatedFileSystem()
        try base.createDirectory("/data/member", permissions: 0o700)
        for path in ["/data", "/"] { try base.syncDirectory(path) }
        let log = try WriteAheadLog.create(fileSystem: base, directory: directory, metadata: WALMetadata(nodeID: 1, clusterID: 2),
                                           segmentBytes: segmentBytes)
        var acknowledged: [Entry] = []
        var next: UInt64 = 1
        // Fill the first segment up to the entry that will cut it.
        while log.lockedSegments.count == 1 {
            let probe = base.clone()
            let copy = try WriteAheadLog.open(fileSystem: probe, directory: directory, segmentBytes: segmentBytes).log
            try copy.save(hardState: HardState(term: 1, vote: 1, commit: next), entries: entries(next...next))
            let cuts = copy.lockedSegments.count > 1
            try copy.close()
            if cuts { break }
            try log.save(hardState: HardState(term: 1, vote: 1, commit: next), entries: entries(next...next))
            acknowledged += entries(next...next)
            next += 1
        }
        try log.close()

        let probe = base.clone()
        let probeLog = try WriteAheadLog.open(fileSystem: probe, directory: directory, segmentBytes: segmentBytes).log
        let before = probe.mutationCount
        try probeLog.save(hardState: HardState(term: 1, vote: 1, commit: next), entries: entries(next...next))
        let steps = probe.mutationCount - before
        XCTAssertEqual(probeLog.lockedSegments.count, 2)
        try probeLog.close()
        XCTAssertGreaterThanOrEqual(steps, 7)

        for step in 0...steps {
            for outcome in [CrashOutcome.loseUnsynced, .keepUnsynced, .seeded(UInt64(step))] {
                let fileSystem = base.clone()
                let (cutting, _) = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes)
                fileSystem.stopAfter(mutations: step)
                let saved = (try? cutting.save(hardState: HardState(term: 1, vote: 1, commit: next), entries: entries(next...next))) != nil
                fileSystem.crash(outcome)
                let label = "step \(step) of \(steps), \(outcome)"
                let (reopened, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes)
                XCTAssertEqual(Array(contents.entries.prefix(acknowledged.count)), acknowledged, label)
                if saved { XCTAssertEqual(contents.entries, acknowledged + entries(next...next), label) }
                let last = contents.entries.last?.index ?? 0
                try reopened.save(hardState: HardState(term: 1, vote: 1, commit: last + 1), entries: entries(last + 1...last + 12))
                try reopened.close()
                let again = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes)
                XCTAssertEqual(again.contents.entries.last?.index, last + 12, label)
                try again.log.close()
            }
        }
    }
}
