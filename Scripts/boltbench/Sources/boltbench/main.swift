// boltbench: BoltStore's side of the BoltStore vs Go bbolt micro-benchmark.
//
//   boltbench DIR     runs every workload in DIR (creates seq.db and rand.db there)
//
// The Go side is `boltcheck bench DIR` (Scripts/boltcheck/main.go); Scripts/bench-bolt.sh runs
// both, interleaved, and tabulates. The two programs must stay workload-for-workload identical:
// same keys (8-byte big-endian), same 100-byte value, same SplitMix64 seeds, same transaction
// boundaries, same output lines. Durable commits as in production (fdatasync, no NoSync).
//
// Output, one line each (parsed by the script):
//   result NAME ops=N ns=N      a timed workload: N operations in N nanoseconds
//   file NAME bytes=N           a database file's size after the workloads
//   rss peak_kib=N              the process's peak resident set size (getrusage ru_maxrss)
import BoltStore
import EtcdIO
import Glibc

/// Keys written by each put workload.
let keyCount = 100_000
/// Puts per write transaction (each commit is two fdatasyncs: pages, then meta).
let putsPerTransaction = 1_000
/// Every value is this long.
let valueBytes = 100
/// Point gets, all in one read transaction.
let getCount = 100_000
/// Keys visited by one cursor scan (the seek's entry, then nexts).
let scanKeys = 10_000
/// Scans, each in its own read transaction from a seeded start.
let scanRepeats = 100

/// Seeds of the three random streams (the Go side uses the same).
let randomKeySeed: UInt64 = 1
let getPickSeed: UInt64 = 2
let scanStartSeed: UInt64 = 3

let bucketName = Array("bench".utf8)

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, and trivially identical in Swift and Go.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

func report(_ name: String, ops: Int, since start: UInt64) {
    print("result \(name) ops=\(ops) ns=\(monotonicNanoseconds() - start)")
}

func fail(_ message: String) -> Never {
    var stderr = FileDescriptorOutput(descriptor: 2)
    print("boltbench: \(message)", to: &stderr)
    exit(2)
}

struct FileDescriptorOutput: TextOutputStream {
    let descriptor: Int32
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = Glibc.write(descriptor, &bytes, bytes.count)
    }
}

/// Puts `keys` (in order) with the shared value, `putsPerTransaction` per durable commit.
func putAll(_ keys: [UInt64], into database: Database, value: [UInt8]) throws {
    var next = 0
    while next < keys.count {
        let end = min(next + putsPerTransaction, keys.count)
        let tx = try database.beginWrite()
        guard let bucket = tx.bucket(named: bucketName) else { fail("bucket missing") }
        try value.withUnsafeBytes { valueBuffer in
            for i in next..<end {
                var key = keys[i].bigEndian
                try withUnsafeBytes(of: &key) { try bucket.put($0, valueBuffer) }
            }
        }
        try tx.commit()
        next = end
    }
}

func openFresh(_ path: String) throws -> Database {
    let database = try Database.open(path: path, fileSystem: PosixFileSystem())
    try database.update { tx in _ = try tx.createBucket(named: bucketName) }
    return database
}

func fileBytes(_ path: String) -> Int64 {
    var status = stat()
    guard stat(path, &status) == 0 else { fail("stat \(path) failed") }
    return Int64(status.st_size)
}

func run(directory: String) throws {
    let value = (0..<valueBytes).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
    let sequentialKeys = (0..<keyCount).map { UInt64($0) }
    var random = SplitMix64(state: randomKeySeed)
    let randomKeys = (0..<keyCount).map { _ in random.next() }
    var checksum = 0

    // (1) sequential puts
    let sequentialPath = directory + "/seq.db"
    let sequential = try openFresh(sequentialPath)
    var start = monotonicNanoseconds()
    try putAll(sequentialKeys, into: sequential, value: value)
    report("seq_put", ops: keyCount, since: start)

    // (2) random puts
    let randomPath = directory + "/rand.db"
    let randomDatabase = try openFresh(randomPath)
    start = monotonicNanoseconds()
    try putAll(randomKeys, into: randomDatabase, value: value)
    report("rand_put", ops: keyCount, since: start)

    // (3) point gets of random existing keys (from the random-key file), one read transaction
    var picks = SplitMix64(state: getPickSeed)
    start = monotonicNanoseconds()
    try randomDatabase.view { tx in
        guard let bucket = tx.bucket(named: bucketName) else { fail("bucket missing") }
        for _ in 0..<getCount {
            var key = randomKeys[Int(picks.next() % UInt64(keyCount))].bigEndian
            guard let found = withUnsafeBytes(of: &key, { bucket.getBorrowed($0) }) else { fail("key missing") }
            checksum &+= found.count
        }
    }
    report("get", ops: getCount, since: start)

    // (4) cursor scans from a seek (sequential file); ops are keys visited
    var starts = SplitMix64(state: scanStartSeed)
    start = monotonicNanoseconds()
    for _ in 0..<scanRepeats {
        try sequential.view { tx in
            guard let bucket = tx.bucket(named: bucketName) else { fail("bucket missing") }
            var cursor = bucket.cursor()
            var key = (starts.next() % UInt64(keyCount - scanKeys)).bigEndian
            var entry = withUnsafeBytes(of: &key) { cursor.seekBorrowed($0) }
            var visited = 0
            while visited < scanKeys, let current = entry {
                checksum &+= current.value.count
                visited += 1
                entry = cursor.nextBorrowed()
            }
            if visited != scanKeys { fail("scan visited \(visited) keys") }
        }
    }
    report("scan", ops: scanKeys * scanRepeats, since: start)

    try sequential.close()
    try randomDatabase.close()
    let expected = (getCount + scanKeys * scanRepeats) * valueBytes
    if checksum != expected { fail("read \(checksum) value bytes, expected \(expected)") }
    print("file seq bytes=\(fileBytes(sequentialPath))")
    print("file rand bytes=\(fileBytes(randomPath))")
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("rss peak_kib=\(usage.ru_maxrss)")
}

let arguments = CommandLine.arguments
if arguments.count != 2 { fail("usage: boltbench DIR") }
do {
    try run(directory: arguments[1])
} catch {
    fail("\(error)")
}
