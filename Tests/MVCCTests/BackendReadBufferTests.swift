import BoltStore
import EtcdBasics
import EtcdIO
import EtcdProto
import XCTest

@testable import MVCC

/// The backend's read buffer: writes applied but not yet committed (the backend commits on
/// etcd's batch interval, not per write) are visible to every read, Range and HashKV alike,
/// exactly as they will be after the commit and exactly as a store kept in memory sees them;
/// a crash loses exactly the uncommitted batch, and the consistent index goes with it.
final class BackendReadBufferTests: XCTestCase {
    private func open(_ fs: SimulatedFileSystem) throws -> (Backend, KVStore) {
        let backend = try Backend(database: try Database.open(path: "/db", fileSystem: fs))
        return (backend, try KVStore.open(on: backend))
    }

    private func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

    /// The worked example every test starts from, applied to `store`:
    ///
    ///     rev 2: put a=1        rev 5: put c=3
    ///     rev 3: put b=2        rev 6: put a=4
    ///     rev 4: delete a       rev 7: delete b
    private func applyHistory(to store: KVStore) {
        _ = store.write { $0.put(key: bytes("a"), value: bytes("1")) }
        _ = store.write { $0.put(key: bytes("b"), value: bytes("2")) }
        _ = store.write { $0.deleteRange(.key(bytes("a"))) }
        _ = store.write { $0.put(key: bytes("c"), value: bytes("3")) }
        _ = store.write { $0.put(key: bytes("a"), value: bytes("4")) }
        _ = store.write { $0.deleteRange(.key(bytes("b"))) }
    }

    /// The keys and values visible at `revision` (0: current), as "key=value" strings.
    private func snapshot(_ store: KVStore, at revision: Int64 = 0) throws -> [String] {
        try store.range(.from([]), options: RangeOptions(revision: revision)).kvs.map {
            String(decoding: $0.key, as: UTF8.self) + "=" + String(decoding: $0.value, as: UTF8.self)
        }
    }

    /// The records the `key` bucket holds in the last commit, read straight from the file.
    private func committedRecordCount(_ backend: Backend) -> Int {
        backend.withReadTransaction { tx in
            var records = 0
            tx.bucket(named: Backend.BucketName.key)?.forEach { _ in records += 1 }
            return records
        }
    }

    // MARK: - Reads with a batch open

    func testRangeSeesUncommittedWritesAtEveryRevision() throws {
        let (backend, store) = try open(SimulatedFileSystem())
        applyHistory(to: store)
        XCTAssertTrue(backend.hasOpenBatch)
        XCTAssertEqual(committedRecordCount(backend), 0, "nothing is committed yet: reads come from the buffer")

        XCTAssertEqual(try snapshot(store), ["a=4", "c=3"])
        XCTAssertEqual(try snapshot(store, at: 2), ["a=1"])
        XCTAssertEqual(try snapshot(store, at: 3), ["a=1", "b=2"])
        XCTAssertEqual(try snapshot(store, at: 4), ["b=2"])
        XCTAssertEqual(try snapshot(store, at: 6), ["a=4", "b=2", "c=3"])
        let a = try XCTUnwrap(store.range(.key(bytes("a"))).kvs.first)
        XCTAssertEqual(a.createRevision, 6, "recreated after its delete")
        XCTAssertEqual(a.modRevision, 6)
        XCTAssertEqual(a.version, 1)
    }

    func testHashKVOfAnOpenBatchEqualsTheHashAfterCommitAndInMemory() throws {
        let (backend, store) = try open(SimulatedFileSystem())
        let memory = KVStore()
        applyHistory(to: store)
        applyHistory(to: memory)

        let expected = try memory.hashByRevision(0)
        XCTAssertEqual(try store.hashByRevision(0), expected, "open batch")
        XCTAssertEqual(try store.hashByRevision(4), try memory.hashByRevision(4), "open batch, older revision")

        try backend.commit()
        store.backendCommitted()
        XCTAssertFalse(backend.hasOpenBatch)
        XCTAssertEqual(committedRecordCount(backend), 6, "every record (tombstones too) is in the file")
        XCTAssertEqual(try store.hashByRevision(0), expected, "after commit")
        XCTAssertEqual(try store.hashByRevision(4), try memory.hashByRevision(4), "after commit, older revision")
    }

    /// The apply thread commits the backend without the store's write lock (readers keep
    /// reading), and drops the buffer only afterwards: a reader in between sees the batch both
    /// in the new commit and in the buffer, and must count it once.
    func testReadsBetweenCommitAndDroppingTheBufferCountEachRecordOnce() throws {
        let (backend, store) = try open(SimulatedFileSystem())
        let memory = KVStore()
        applyHistory(to: store)
        applyHistory(to: memory)

        try backend.commit()   // store.backendCommitted() not yet called
        XCTAssertEqual(try snapshot(store), ["a=4", "c=3"])
        XCTAssertEqual(try snapshot(store, at: 3), ["a=1", "b=2"])
        XCTAssertEqual(try store.hashByRevision(0), try memory.hashByRevision(0))
    }

    func testEverythingStaysReadableAcrossSeveralCommittedBatches() throws {
        let (backend, store) = try open(SimulatedFileSystem())
        let memory = KVStore()
        for round in 0..<4 {
            for key in ["x", "y", "z"] {
                let value = bytes("\(key)\(round)")
                _ = store.write { $0.put(key: bytes(key), value: value) }
                _ = memory.write { $0.put(key: bytes(key), value: value) }
            }
            if round % 2 == 0 {
                try backend.commit()
                store.backendCommitted()
            }
            // Half the rounds leave a batch open over earlier commits: reads span both.
            XCTAssertEqual(try snapshot(store), try snapshot(memory), "round \(round)")
            for revision in Int64(2)...store.currentRevision {
                XCTAssertEqual(try snapshot(store, at: revision), try snapshot(memory, at: revision),
                               "round \(round), revision \(revision)")
            }
            XCTAssertEqual(try store.hashByRevision(0), try memory.hashByRevision(0), "round \(round)")
        }
        XCTAssertEqual(store.storedRevisionCount, 12)
    }

    func testAWriteTransactionReadsItsOwnBatch() throws {
        let (_, store) = try open(SimulatedFileSystem())
        applyHistory(to: store)
        let seen = store.write { txn -> [[UInt8]] in
            _ = txn.put(key: bytes("d"), value: bytes("5"))
            return ((try? txn.range(.from([]))) ?? RangeResult(kvs: [], count: 0, revision: 0)).kvs.map(\.value)
        }.value
        XCTAssertEqual(seen, [bytes("4"), bytes("3"), bytes("5")])
    }

    // MARK: - Compaction with the batch open

    func testCompactionOfUncommittedRecordsHashesTheSameBeforeAndAfterCommit() throws {
        let (backend, store) = try open(SimulatedFileSystem())
        let memory = KVStore()
        applyHistory(to: store)          // revisions 2...7, all uncommitted
        applyHistory(to: memory)

        try store.compactLogically(5)
        try memory.compactLogically(5)
        XCTAssertEqual(try store.hashByRevision(0), try memory.hashByRevision(0), "logical half only")
        while !store.continueCompaction(recordsMax: 1) {
            XCTAssertEqual(try store.hashByRevision(0), try memory.hashByRevision(0), "part-way through removal")
        }
        while !memory.continueCompaction(recordsMax: .max) {}
        let beforeCommit = try store.hashByRevision(0)
        XCTAssertEqual(beforeCommit, try memory.hashByRevision(0))
        XCTAssertEqual(store.storedRevisionCount, memory.storedRevisionCount)
        XCTAssertEqual(try snapshot(store), ["a=4", "c=3"])
        XCTAssertEqual(try snapshot(store, at: 5), ["b=2", "c=3"])

        try backend.commit()
        store.backendCommitted()
        XCTAssertEqual(try store.hashByRevision(0), beforeCommit)
        XCTAssertEqual(committedRecordCount(backend), memory.storedRevisionCount)
        XCTAssertEqual(try snapshot(store), ["a=4", "c=3"])
    }

    func testCompactionDeletingCommittedRecordsInAnOpenBatchHashesTheSameBeforeAndAfterCommit() throws {
        let (backend, store) = try open(SimulatedFileSystem())
        let memory = KVStore()
        applyHistory(to: store)
        applyHistory(to: memory)
        try backend.commit()             // revisions 2...7 committed
        store.backendCommitted()
        for value in ["5", "6", "7"] {   // revisions 8, 9, 10 in the open batch
            _ = store.write { $0.put(key: bytes("c"), value: bytes(value)) }
            _ = memory.write { $0.put(key: bytes("c"), value: bytes(value)) }
        }

        // Removes committed records (a@2, a@4, b@3, b@7, c@5) and a buffered one (c@8).
        try store.compact(9)
        try memory.compact(9)
        XCTAssertTrue(backend.hasOpenBatch)
        XCTAssertEqual(store.storedRevisionCount, 3, "a@6, c@9, c@10")
        let beforeCommit = try store.hashByRevision(0)
        XCTAssertEqual(beforeCommit, try memory.hashByRevision(0))
        XCTAssertEqual(try store.hashByRevision(10), try memory.hashByRevision(10))
        XCTAssertEqual(try snapshot(store), ["a=4", "c=7"])
        XCTAssertEqual(try snapshot(store, at: 9), ["a=4", "c=6"])

        try backend.commit()
        store.backendCommitted()
        XCTAssertEqual(try store.hashByRevision(0), beforeCommit)
        XCTAssertEqual(committedRecordCount(backend), memory.storedRevisionCount)
    }

    // MARK: - Crashes

    func testACrashLosesExactlyTheUncommittedBatchAndItsConsistentIndex() throws {
        let fs = SimulatedFileSystem()
        var (backend, store) = try open(fs)
        XCTAssertEqual(backend.consistentIndex(), 0, "a new file")
        applyHistory(to: store)
        backend.setConsistentIndex(7)
        try backend.commit()
        store.backendCommitted()
        XCTAssertEqual(backend.consistentIndex(), 7)
        let committed = try snapshot(store)
        let committedHash = try store.hashByRevision(0)

        _ = store.write { $0.put(key: bytes("lost"), value: bytes("x")) }
        _ = store.write { $0.deleteRange(.key(bytes("c"))) }
        backend.setConsistentIndex(9)
        XCTAssertEqual(backend.consistentIndex(), 7, "an uncommitted index is not yet the file's")
        XCTAssertEqual(try snapshot(store), ["a=4", "lost=x"], "the batch is visible before the crash")

        fs.crash(.loseUnsynced)
        (backend, store) = try open(fs)
        XCTAssertEqual(backend.consistentIndex(), 7, "the index of the last commit, not 9")
        XCTAssertEqual(try snapshot(store), committed)
        XCTAssertEqual(store.currentRevision, 7)
        XCTAssertEqual(try store.hashByRevision(0), committedHash)
        XCTAssertEqual(try snapshot(store, at: 3), ["a=1", "b=2"], "committed history survives")
    }

    func testTheConsistentIndexBecomesDurableOnlyWithTheEffectsOfItsEntries() throws {
        let fs = SimulatedFileSystem()
        var (backend, store) = try open(fs)
        _ = store.write { $0.put(key: bytes("k"), value: bytes("1")) }
        backend.setConsistentIndex(3)
        try backend.commit()
        store.backendCommitted()
        _ = store.write { $0.put(key: bytes("k"), value: bytes("2")) }
        backend.setConsistentIndex(4)
        try backend.commit()
        store.backendCommitted()

        fs.crash(.loseUnsynced)
        (backend, store) = try open(fs)
        XCTAssertEqual(backend.consistentIndex(), 4)
        XCTAssertEqual(try snapshot(store), ["k=2"])
        XCTAssertEqual(store.currentRevision, 3)
    }

    func testACrashDuringAnUncommittedCompactionKeepsTheCommittedHistory() throws {
        let fs = SimulatedFileSystem()
        var (backend, store) = try open(fs)
        applyHistory(to: store)
        backend.setConsistentIndex(6)
        try backend.commit()
        store.backendCommitted()
        let committedHash = try store.hashByRevision(0)

        try store.compact(6)             // removals and meta only in the open batch
        backend.setConsistentIndex(7)

        fs.crash(.loseUnsynced)
        (backend, store) = try open(fs)
        XCTAssertEqual(backend.consistentIndex(), 6)
        XCTAssertEqual(store.compactedRevision, -1, "the compaction was never committed")
        XCTAssertEqual(try snapshot(store, at: 2), ["a=1"])
        XCTAssertEqual(try store.hashByRevision(0), committedHash)
    }
}
