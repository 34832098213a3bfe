@testable import BoltStore
import EtcdIO
import XCTest

/// A small deterministic generator (SplitMix64) so every run replays the same operations.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// BoltStore against a sorted in-memory model: seeded random puts, deletes, commits,
/// rollbacks and reopens; after every transaction the file must hold exactly the model's
/// committed state and pass the consistency check.
final class ModelTests: XCTestCase {
    private typealias Model = [[UInt8]: [UInt8]]

    func testRandomOperationsMatchASortedModel() throws {
        for seed: UInt64 in [1, 2, 3] { try run(seed: seed, transactions: 80) }
    }

    private func run(seed: UInt64, transactions: Int) throws {
        var rng = SplitMix64(state: seed)
        let fs = SimulatedFileSystem()
        var db = try Database.open(path: "/db", fileSystem: fs)
        var committed: [String: Model] = [:]
        let bucketNames = ["a", "b", "nested"]
        var operations = 0
        for _ in 0..<transactions {
            var working = committed
            let tx = try db.beginWrite()
            for _ in 0..<rng.below(60) {
                let name = bucketNames[rng.below(bucketNames.count)]
                let bucket = try tx.createBucketIfNotExists(named: bytes(name))
                let target = name == "nested" ? try bucket.createBucketIfNotExists(named: bytes("inner")) : bucket
                // Keys from a small space so updates and deletes hit existing keys.
                let k = Array(bytes("key-\(rng.below(400))"))
                if rng.below(40) == 0 {
                    // A run of deletes empties whole leaves, so rebalance merges and collapses.
                    let start = rng.below(400)
                    for n in start..<min(400, start + 150) {
                        let doomed = Array(bytes("key-\(n)"))
                        try target.delete(doomed)
                        working[name, default: [:]][doomed] = nil
                    }
                } else if rng.below(4) == 0 {
                    try target.delete(k)
                    working[name, default: [:]][k] = nil
                } else {
                    let v = [UInt8](repeating: UInt8(rng.below(256)), count: rng.below(3) == 0 ? rng.below(3000) : rng.below(40))
                    try target.put(k, v)
                    working[name, default: [:]][k] = v
                }
                operations += 1
            }
            if rng.below(8) == 0 && !working.isEmpty && rng.below(2) == 0 {
                let victim = bucketNames[rng.below(bucketNames.count)]
                if tx.bucket(named: bytes(victim)) != nil {
                    try tx.deleteBucket(named: bytes(victim))
                    working[victim] = nil
                }
            }
            if rng.below(5) == 0 {
                tx.rollback()
            } else {
                try tx.commit()
                committed = working
            }
            if rng.below(10) == 0 {
                try db.close()
                db = try Database.open(path: "/db", fileSystem: fs)
            }
            try db.view { tx in
                checkConsistency(tx)
                for name in bucketNames {
                    let bucket = tx.bucket(named: bytes(name))
                    let model = committed[name]
                    XCTAssertEqual(bucket == nil, model == nil, "seed \(seed): bucket \(name) existence")
                    guard let bucket, let model else { continue }
                    let target = name == "nested" ? bucket.nestedBucket(named: bytes("inner"))! : bucket
                    let actual = contents(target)
                    let expected = model.sorted { $0.key.lexicographicallyPrecedes($1.key) }
                    XCTAssertTrue(actual.map(\.0) == expected.map(\.key), "seed \(seed): keys of \(name)")
                    XCTAssertTrue(actual.map(\.1) == expected.map(\.value), "seed \(seed): values of \(name)")
                }
            }
        }
        XCTAssertGreaterThan(operations, 1000)
        try db.close()
    }
}
