import BoltStore
import EtcdBasics
import EtcdIO
import EtcdProto
import XCTest

@testable import MVCC

/// The store on etcd's backend file: what a commit made durable comes back after a crash,
/// nothing else does, and an interrupted compaction is finished on open.
final class BackendStoreTests: XCTestCase {
    private func open(_ fs: SimulatedFileSystem) throws -> (Backend, KVStore) {
        let backend = try Backend(database: try Database.open(path: "/db", fileSystem: fs))
        return (backend, try KVStore.open(on: backend))
    }

    func testCommittedWritesSurviveACrashAndUncommittedOnesDoNot() throws {
        let fs = SimulatedFileSystem()
        var (backend, store) = try open(fs)
        _ = store.write { $0.put(key: Array("a".utf8), value: Array("1".utf8)) }
        _ = store.write { $0.put(key: Array("b".utf8), value: Array("2".utf8)) }
        _ = store.write { $0.deleteRange(.key(Array("a".utf8))) }
        try backend.commit()
        let committed = try store.range(.from([]))
        let committedHash = try store.hashByRevision(0)
        _ = store.write { $0.put(key: Array("c".utf8), value: Array("3".utf8)) }   // never committed

        fs.crash(.loseUnsynced)
        (backend, store) = try open(fs)
        XCTAssertEqual(try store.range(.from([])), committed)
        XCTAssertEqual(store.currentRevision, 4)
        XCTAssertEqual(try store.hashByRevision(0), committedHash)
        XCTAssertEqual(try store.range(.key(Array("a".utf8)), options: RangeOptions(revision: 2)).kvs.first?.value,
                       Array("1".utf8), "history survives too")
    }

    func testRandomWorkloadReopensToTheLastCommitUnderSeededCrashes() throws {
        for seed in UInt64(1)...8 {
            let fs = SimulatedFileSystem()
            var (backend, store) = try open(fs)
            var generator = seed
            func next(_ bound: Int) -> Int {
                generator = generator &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((generator >> 33) % UInt64(bound))
            }
            var lastCommitted = try store.range(.from([]))
            var lastRevision = store.currentRevision
            for step in 0..<300 {
                let key = [UInt8(next(20))]
                if next(4) == 0 {
                    _ = store.write { $0.deleteRange(.key(key)) }
                } else {
                    _ = store.write { $0.put(key: key, value: [UInt8(truncatingIfNeeded: step)]) }
                }
                if next(10) == 0 {
                    try backend.commit()
                    lastCommitted = try store.range(.from([]))
                    lastRevision = store.currentRevision
                }
            }
            fs.crash(.seeded(seed))
            (backend, store) = try open(fs)
            XCTAssertEqual(try store.range(.from([])), lastCommitted, "seed \(seed)")
            XCTAssertEqual(store.currentRevision, lastRevision, "seed \(seed)")
        }
    }

    func testCompactionIsRecordedAndAnInterruptedOneIsFinishedOnOpen() throws {
        let fs = SimulatedFileSystem()
        var (backend, store) = try open(fs)
        for value in 1...5 { _ = store.write { $0.put(key: Array("k".utf8), value: [UInt8(value)]) } }  // 2...6
        try store.compact(3)
        try backend.commit()
        // As if the process died after scheduling a compaction at 5 but before removing anything.
        let meta = backend.writeTransaction().bucket(named: Backend.BucketName.meta)!
        try meta.put(Backend.MetaKey.scheduledCompactRevision, Revision(main: 5).bytes)
        try backend.commit()

        fs.crash(.loseUnsynced)
        (backend, store) = try open(fs)
        XCTAssertEqual(store.compactedRevision, 5, "the scheduled compaction was finished on open")
        XCTAssertThrowsError(try store.range(.from([]), options: RangeOptions(revision: 4)))
        XCTAssertEqual(try store.range(.from([])).kvs.first?.value, [5])
        XCTAssertEqual(store.storedRevisionCount, 2, "records below 5 but the newest are gone")
    }

    /// A compaction's removal steps are committed one by one; if the steps that removed every
    /// record up to the compaction (here: a key put and then deleted) were committed but the
    /// one recording it finished was not, the file holds no record at the scheduled revision.
    /// Reopening must still finish the compaction and keep counting from there, not refuse it
    /// as a future revision.
    func testAnInterruptedCompactionThatAlreadyRemovedTheNewestRecordsIsFinishedOnOpen() throws {
        let fs = SimulatedFileSystem()
        var (backend, store) = try open(fs)
        _ = store.write { $0.put(key: Array("k".utf8), value: [1]) }  // 2
        _ = store.write { _ = $0.deleteRange(.key(Array("k".utf8))) }  // 3
        try store.compactLogically(3)
        XCTAssertTrue(store.continueCompaction(recordsMax: 2) == false, "both records removed, finish not yet seen")
        try backend.commit()

        fs.crash(.loseUnsynced)
        (backend, store) = try open(fs)
        XCTAssertEqual(store.compactedRevision, 3)
        XCTAssertEqual(store.currentRevision, 3)
        XCTAssertEqual(store.storedRevisionCount, 0)
        XCTAssertEqual(store.write { $0.put(key: Array("k".utf8), value: [2]) }.revision, 4)
    }
}
