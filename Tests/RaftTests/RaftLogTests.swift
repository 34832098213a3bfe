// RaftLog, UnstableLog and MemoryStorage: the log matching rules and the size limits.

@testable import Raft
import XCTest

final class RaftLogTests: XCTestCase {
    func testMemoryStorageAppendReplacesTheConflictingSuffix() throws {
        let storage = MemoryStorage()
        storage.append(entries([1, 1, 2]))
        storage.append(entries([3, 3], from: 3))
        XCTAssertEqual(storage.storedEntries.map(\.term), [1, 1, 3, 3])
        XCTAssertEqual(try storage.lastIndex(), 4)
        XCTAssertEqual(try storage.term(at: 0), 0)
        XCTAssertThrowsError(try storage.term(at: 5))
    }

    func testStorageEntriesHonourTheSizeLimitButReturnAtLeastOne() throws {
        let storage = MemoryStorage()
        storage.append(entries([1, 1, 1]))
        let one = UInt64(Entry(term: 1, index: 1).encodedSize)
        XCTAssertEqual(try storage.entries(from: 1, to: 4, maxSize: 0).count, 1)
        XCTAssertEqual(try storage.entries(from: 1, to: 4, maxSize: one * 2).count, 2)
        XCTAssertEqual(try storage.entries(from: 1, to: 4, maxSize: noSizeLimit).count, 3)
    }

    func testFindConflictNamesTheFirstDifferingOrNewEntry() {
        var log = RaftLog(storage: MemoryStorage(), maxNextEntriesBytes: noSizeLimit)
        log.append(entries([1, 2, 3]))
        XCTAssertEqual(log.findConflict([]), 0)
        XCTAssertEqual(log.findConflict(entries([1, 2, 3])), 0)
        XCTAssertEqual(log.findConflict(entries([2, 3, 4], from: 2)), 4)
        XCTAssertEqual(log.findConflict(entries([4, 4], from: 2)), 2)
        XCTAssertEqual(log.findConflict(entries([3, 4], from: 3)), 4)
    }

    func testMaybeAppendRefusesAMismatchAndTruncatesAConflict() {
        var log = RaftLog(storage: MemoryStorage(), maxNextEntriesBytes: noSizeLimit)
        log.append(entries([1, 2, 3]))
        // Previous entry does not match: refused, log untouched.
        XCTAssertNil(log.maybeAppend(index: 3, logTerm: 2, committed: 3, entries: entries([4], from: 4)))
        XCTAssertEqual(log.lastIndex, 3)
        // Matches at 1; entries from 2 on conflict and are replaced; commit follows the leader
        // but not past the last new entry.
        XCTAssertEqual(log.maybeAppend(index: 1, logTerm: 1, committed: 5, entries: entries([4], from: 2)), 2)
        XCTAssertEqual(log.lastIndex, 2)
        XCTAssertEqual(log.term(at: 2), 4)
        XCTAssertEqual(log.committed, 2)
    }

    func testCommitOnlyCountsEntriesOfTheGivenTerm() {
        var log = RaftLog(storage: MemoryStorage(), maxNextEntriesBytes: noSizeLimit)
        log.append(entries([1, 1, 2]))
        XCTAssertFalse(log.maybeCommit(maxIndex: 2, term: 2))
        XCTAssertEqual(log.committed, 0)
        XCTAssertTrue(log.maybeCommit(maxIndex: 3, term: 2))
        XCTAssertEqual(log.committed, 3)
    }

    func testFindConflictByTermSkipsAWholeTerm() {
        var log = RaftLog(storage: MemoryStorage(), maxNextEntriesBytes: noSizeLimit)
        log.append(entries([1, 3, 3, 3, 5]))
        XCTAssertEqual(log.findConflictByTerm(index: 5, term: 4), 4)
        XCTAssertEqual(log.findConflictByTerm(index: 4, term: 2), 1)
        XCTAssertEqual(log.findConflictByTerm(index: 5, term: 5), 5)
    }

    func testSliceSpansStorageAndUnstableAndStableToDropsPersistedEntries() {
        let storage = MemoryStorage()
        storage.append(entries([1, 1]))
        var log = RaftLog(storage: storage, maxNextEntriesBytes: noSizeLimit)
        log.append(entries([2, 2], from: 3))
        XCTAssertEqual(log.slice(1, 5, maxSize: noSizeLimit).map(\.index), [1, 2, 3, 4])
        XCTAssertEqual(log.slice(2, 4, maxSize: 0).map(\.index), [2])
        storage.append(log.unstableEntries)
        log.stable(to: 4, term: 2)
        XCTAssertTrue(log.unstableEntries.isEmpty)
        XCTAssertEqual(log.unstable.offset, 5)
        // A stale acknowledgement (wrong term) changes nothing.
        log.append(entries([3], from: 5))
        log.stable(to: 5, term: 2)
        XCTAssertEqual(log.unstableEntries.count, 1)
    }

    func testUpToDateComparesLastTermThenLength() {
        var log = RaftLog(storage: MemoryStorage(), maxNextEntriesBytes: noSizeLimit)
        log.append(entries([1, 2, 2]))
        XCTAssertTrue(log.isUpToDate(lastIndex: 1, lastTerm: 3))
        XCTAssertTrue(log.isUpToDate(lastIndex: 3, lastTerm: 2))
        XCTAssertFalse(log.isUpToDate(lastIndex: 2, lastTerm: 2))
        XCTAssertFalse(log.isUpToDate(lastIndex: 9, lastTerm: 1))
    }

    func testMajorityCommittedIndexAndVotes() {
        let config = MajorityConfig([1, 2, 3])
        let acked: [NodeID: UInt64] = [1: 5, 2: 3]
        XCTAssertEqual(config.committedIndex { acked[$0] }, 3)
        XCTAssertEqual(config.voteResult([1: true]), .pending)
        XCTAssertEqual(config.voteResult([1: true, 2: true]), .won)
        XCTAssertEqual(config.voteResult([1: true, 2: false, 3: false]), .lost)
    }

    func testInflightsBoundTheWindow() {
        var window = Inflights(capacity: 3)
        for index: UInt64 in [2, 4, 6] { window.add(index) }
        XCTAssertTrue(window.isFull)
        window.freeLE(4)
        XCTAssertEqual(window.count, 1)
        window.add(8)
        window.freeFirstOne()
        XCTAssertEqual(window.count, 1)
    }
}
