// Fault injection and stopping the world: how tests of BoltStore and the WAL cut and fail the disk.

import Glibc
import XCTest
@testable import EtcdIO

final class SimulatedFaultTests: XCTestCase {
    func testAScheduledFaultFailsExactlyTheNthCallAndNothingElse() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        fs.failCall(.dataSync, number: 3, errno: ENOSPC)
        try file.dataSync()
        try file.dataSync()
        XCTAssertThrowsError(try file.dataSync()) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "fdatasync", path: "/db", errno: ENOSPC))
        }
        try file.dataSync()
        try file.sync()   // another operation never counted toward it
        XCTAssertEqual(fs.callCount(of: .dataSync), 4)
        XCTAssertEqual(fs.callCount(of: .sync), 1)
    }

    func testAFailedCallHasNoEffect() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        try fs.syncDirectory("/")
        try write(file, [1], at: 0)
        fs.failCall(.write)
        XCTAssertThrowsError(try write(file, [2, 2], at: 0))
        XCTAssertEqual(fs.contents(of: "/db"), [1])
        fs.failCall(.dataSync)
        XCTAssertThrowsError(try file.dataSync())
        fs.crash()
        XCTAssertEqual(fs.contents(of: "/db"), [], "the failed fdatasync made nothing durable")
        fs.failCall(.rename, errno: EXDEV)
        XCTAssertThrowsError(try fs.rename("/db", to: "/other"))
        XCTAssertEqual(try fs.listDirectory("/"), ["db"])
    }

    func testFaultsCanBeLimitedToAPathAndCanRepeat() throws {
        let fs = SimulatedFileSystem()
        let wal = try fs.open("/0.wal", options: [.readWrite, .create], permissions: 0o600)
        let db = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        fs.failCall(.write, number: 2, path: "/db", repeating: true)
        try write(db, [1], at: 0)
        try write(wal, [1], at: 0)
        try write(wal, [1], at: 1)
        for _ in 0..<3 { XCTAssertThrowsError(try write(db, [2], at: 1)) }
        try write(wal, [1], at: 2)
        fs.clearFaults()
        try write(db, [2], at: 1)
    }

    func testAHookSeesEachCallWithItsNumber() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        fs.setFaultHook { operation, path, number in
            operation == .write && path == "/db" && number % 2 == 0 ? EIO : nil
        }
        try write(file, [1], at: 0)
        XCTAssertThrowsError(try write(file, [1], at: 1))
        try write(file, [1], at: 2)
        fs.setFaultHook(nil)
        try write(file, [1], at: 3)
        XCTAssertEqual(fs.contents(of: "/db"), [1, 0, 1, 1])
    }

    /// A miniature of bbolt's commit (data page, fdatasync, meta page, fdatasync) cut after every
    /// step and crashed: the file always reopens to either the old or the new committed state.
    func testStoppingTheWorldAtEveryStepOfACommit() throws {
        func setUp() throws -> (SimulatedFileSystem, any File) {
            let fs = SimulatedFileSystem()
            let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
            try fs.syncDirectory("/")
            try write(file, [0, 0], at: 0)   // meta byte 0 says which data byte (1) is live
            try file.dataSync()
            return (fs, file)
        }
        func commit(_ file: any File) throws {
            try write(file, [0xD1], at: 1)    // data
            try file.dataSync()
            try write(file, [1], at: 0)       // meta
            try file.dataSync()
        }
        let (measure, measureFile) = try setUp()
        let before = measure.mutationCount
        try commit(measureFile)
        let steps = measure.mutationCount - before
        XCTAssertEqual(steps, 4)

        var outcomes: [[UInt8]] = []
        for cut in 0...steps {
            let (fs, file) = try setUp()
            fs.stopAfter(mutations: cut)
            let isCommitted = (try? commit(file)) != nil
            XCTAssertEqual(isCommitted, cut == steps, "cut \(cut)")
            XCTAssertEqual(fs.isStopped, cut < steps)
            if cut < steps {
                XCTAssertThrowsError(try file.size()) { XCTAssertEqual(($0 as? IOError)?.errno, EIO) }
            }
            fs.crash()
            XCTAssertFalse(fs.isStopped)
            outcomes.append(try XCTUnwrap(fs.contents(of: "/db")))
        }
        XCTAssertEqual(outcomes, [[0, 0], [0, 0], [0, 0xD1], [0, 0xD1], [1, 0xD1]])
    }

    func testOpenIsAMutationOnlyWhenItMayCreateOrTruncate() throws {
        let fs = SimulatedFileSystem()
        try fs.open("/db", options: [.readWrite, .create], permissions: 0o600).close()
        XCTAssertEqual(fs.mutationCount, 1)
        try fs.open("/db", options: .read, permissions: 0).close()
        _ = try fs.listDirectory("/")
        XCTAssertEqual(fs.mutationCount, 1)
        XCTAssertEqual(fs.callCount(of: .open), 2)
        XCTAssertEqual(fs.callCount(of: .close), 2)
    }
}
