import EtcdBasics
import EtcdProto
import XCTest

@testable import MVCC

/// A store rebuilt from its stored records (what happens on every start once the records live in
/// the backend file) answers every read exactly as the store that wrote them, and carries on
/// from the same revision.
final class KVStoreRestoreTests: XCTestCase {
    private struct SplitMix64 {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    func testRestoredStoreAnswersEveryRevisionLikeTheOriginal() throws {
        for seed in UInt64(1)...40 {
            var random = SplitMix64(state: seed)
            let original = KVStore()
            for _ in 0..<200 { applyRandomOperation(to: original, &random) }

            let restored = KVStore(restoringFrom: copy(of: original.storage),
                                   compactedRevision: original.compactedRevision)
            XCTAssertEqual(restored.currentRevision, original.currentRevision, "seed \(seed)")
            XCTAssertEqual(restored.compactedRevision, original.compactedRevision, "seed \(seed)")
            let lowest = max(original.compactedRevision, 1)
            for revision in lowest...original.currentRevision {
                XCTAssertEqual(try restored.range(.from([]), options: RangeOptions(revision: revision)),
                               try original.range(.from([]), options: RangeOptions(revision: revision)),
                               "seed \(seed) revision \(revision)")
            }
            XCTAssertEqual(try restored.hashByRevision(0), try original.hashByRevision(0), "seed \(seed)")

            // Both continue identically: versions and create revisions survived the restart.
            for _ in 0..<50 {
                var twin = random
                applyRandomOperation(to: original, &random)
                applyRandomOperation(to: restored, &twin)
            }
            XCTAssertEqual(try restored.range(.from([])), try original.range(.from([])), "seed \(seed) after writes")
        }
    }

    func testATombstoneOfAKeyCompactedAwayIsSkipped() throws {
        let original = KVStore()
        _ = original.write { $0.put(key: [1], value: [1]) }        // 2
        _ = original.write { $0.deleteRange(.key([1])) }           // 3
        _ = original.write { $0.put(key: [2], value: [2]) }        // 4
        try original.compact(3)
        let restored = KVStore(restoringFrom: copy(of: original.storage), compactedRevision: 3)
        XCTAssertEqual(try restored.range(.from([])), try original.range(.from([])))
        XCTAssertFalse(restored.index.hasKey([1]), "a key deleted at or before the compaction is gone")
    }

    private func applyRandomOperation(to store: KVStore, _ random: inout SplitMix64) {
        let key = [UInt8(random.next(12))]
        switch random.next(10) {
        case 0..<5:
            _ = store.write { $0.put(key: key, value: [UInt8(random.next(256))], lease: LeaseID(Int64(random.next(3)))) }
        case 5..<7:
            _ = store.write { $0.deleteRange(.key(key)) }
        case 7..<9:
            let other = [UInt8(random.next(12))]
            _ = store.write { txn in
                txn.put(key: key, value: [1])
                _ = txn.deleteRange(.key(other))
                txn.put(key: other, value: [2])
            }
        default:
            let target = store.compactedRevision + 1 + Int64(random.next(Int(max(1, store.currentRevision - store.compactedRevision))))
            try? store.compact(min(target, store.currentRevision))
        }
    }

    private func copy(of storage: any RevisionStorage) -> MemoryRevisionStorage {
        let copy = MemoryRevisionStorage()
        storage.forEachRecord { revision, kv, isTombstone in copy.append(revision, kv, isTombstone: isTombstone) }
        return copy
    }
}
