@testable import BoltStore
import EtcdIO
import XCTest

/// Power loss at every point of a commit leaves the last committed state (or the new one, once
/// its meta is durable), and the file always reopens consistent.
final class CrashTests: XCTestCase {
    /// State 1: 400 keys with value "one". The commit under test rewrites them as "two", adds
    /// 400 more and grows the file.
    private func prepare() throws -> SimulatedFileSystem {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", fileSystem: fs)
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("k"))
            for i in 0..<400 { try b.put(key(i), bytes("one")) }
        }
        try db.close()
        return fs
    }

    private func secondCommit(_ tx: Transaction) throws {
        let b = tx.bucket(named: bytes("k"))!
        for i in 0..<800 { try b.put(key(i), [UInt8](repeating: 2, count: 100)) }
    }

    private enum Outcome: Equatable { case first, second }

    /// Reopens and says which state the file holds (failing on anything else).
    private func reopenedState(_ fs: SimulatedFileSystem, _ label: String) throws -> Outcome {
        let db = try Database.open(path: "/db", fileSystem: fs)
        defer { try? db.close() }
        return try db.view { tx in
            checkConsistency(tx)
            let all = contents(tx.bucket(named: bytes("k"))!)
            if all.count == 400 && all.allSatisfy({ $0.1 == bytes("one") }) { return .first }
            if all.count == 800 && all.allSatisfy({ $0.1 == [UInt8](repeating: 2, count: 100) }) { return .second }
            XCTFail("\(label): file holds neither state (\(all.count) keys)")
            return .first
        }
    }

    func testCrashAfterEachNamedCommitStep() throws {
        let prepared = try prepare()
        for step in CommitStep.allCases {
            for outcome in [CrashOutcome.loseUnsynced, .keepUnsynced] {
                let fs = prepared.clone()
                var options = Database.Options()
                options.commitHook = { $0 != step }
                let db = try Database.open(path: "/db", fileSystem: fs, options: options)
                let tx = try db.beginWrite()
                try secondCommit(tx)
                XCTAssertThrowsError(try tx.commit()) { XCTAssertEqual($0 as? BoltError, .commitInterrupted(step)) }
                XCTAssertThrowsError(try db.beginWrite()) { XCTAssertEqual($0 as? BoltError, .previousCommitFailed) }
                fs.crash(outcome)
                let durable = step == .metaSynced || (step == .metaWritten && outcome == .keepUnsynced)
                XCTAssertEqual(try reopenedState(fs, "\(step) \(outcome)"), durable ? .second : .first,
                               "crash after \(step) with \(outcome)")
            }
        }
    }

    /// Cuts the commit after every single file mutation, then loses, keeps or tears the
    /// unsynced writes (seeded): the file reopens to one of the two states, and to the new one
    /// whenever commit returned.
    func testCrashAfterEveryMutationWithTornWrites() throws {
        let prepared = try prepare()
        let probe = prepared.clone()
        let db = try Database.open(path: "/db", fileSystem: probe)
        let before = probe.mutationCount
        try db.update { try secondCommit($0) }
        let steps = probe.mutationCount - before
        try db.close()
        XCTAssertGreaterThanOrEqual(steps, 5, "grow (truncate, sync), pages, sync, meta, sync")
        var sawSecond = false
        for cut in 0...steps {
            for seed: UInt64 in [1, 2] {
                let fs = prepared.clone()
                let db = try Database.open(path: "/db", fileSystem: fs)
                fs.stopAfter(mutations: cut)
                let tx = try db.beginWrite()
                try secondCommit(tx)
                let committed = (try? tx.commit()) != nil
                fs.crash(.seeded(seed &* 1000 &+ UInt64(cut)))
                let state = try reopenedState(fs, "cut \(cut) seed \(seed)")
                if committed { XCTAssertEqual(state, .second, "commit returned but the crash lost it (cut \(cut))") }
                sawSecond = sawSecond || state == .second
            }
        }
        XCTAssertTrue(sawSecond)
    }

    func testFailedSyncIsReportedAndTheOldStateSurvives() throws {
        let fs = try prepare()
        let db = try Database.open(path: "/db", fileSystem: fs)
        fs.failCall(.dataSync)
        let tx = try db.beginWrite()
        try secondCommit(tx)
        XCTAssertThrowsError(try tx.commit()) {
            guard case .io(let error) = $0 as? BoltError else { return XCTFail("want io, got \($0)") }
            XCTAssertEqual(error.errno, EIO)
        }
        try db.view { tx in XCTAssertEqual(tx.bucket(named: bytes("k"))!.get(key(0)), bytes("one")) }
        fs.crash()
        XCTAssertEqual(try reopenedState(fs, "failed sync"), .first)
    }
}
