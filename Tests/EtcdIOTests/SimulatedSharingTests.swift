// Sharing the simulated disk: between threads (each call is atomic) and between test cases
// (a prepared state cloned per crash point).

import Dispatch
import Glibc
import Synchronization
import XCTest
@testable import EtcdIO

final class SimulatedSharingTests: XCTestCase {
    /// Readers racing a writer never see half of one write: each page read is one write's bytes.
    func testEachCallIsAtomicAcrossThreads() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [UInt8](repeating: 0, count: 4096), at: 0)
        let mixedReads = Atomic<Int>(0)
        let failedCalls = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            for round in 1...300 {
                if worker == 0 {
                    let page = [UInt8](repeating: UInt8(round % 256), count: 4096)
                    do { try write(file, page, at: 0) } catch { failedCalls.add(1, ordering: .relaxed) }
                } else {
                    guard let page = try? read(file, count: 4096, at: 0) else {
                        failedCalls.add(1, ordering: .relaxed)
                        continue
                    }
                    if Set(page).count != 1 { mixedReads.add(1, ordering: .relaxed) }
                }
            }
        }
        XCTAssertEqual(mixedReads.load(ordering: .relaxed), 0)
        XCTAssertEqual(failedCalls.load(ordering: .relaxed), 0)
        XCTAssertEqual(fs.callCount(of: .read), 600)
        XCTAssertEqual(fs.callCount(of: .write), 301)
    }

    func testACloneCarriesDurableAndUnsyncedStateButNothingElse() throws {
        let fs = SimulatedFileSystem()
        try fs.createDirectory("/member", permissions: 0o700)
        try fs.syncDirectory("/")
        let file = try fs.open("/member/db", options: [.readWrite, .create], permissions: 0o600)
        try fs.syncDirectory("/member")
        try write(file, [1], at: 0)
        try file.dataSync()
        try write(file, [2], at: 1)
        try file.lockExclusive()
        fs.failCall(.open)

        let copy = fs.clone()
        XCTAssertEqual(copy.contents(of: "/member/db"), [1, 2])
        XCTAssertEqual(copy.callCount(of: .write), 0)
        let opened = try copy.open("/member/db", options: .readWrite, permissions: 0)   // no fault here
        try opened.lockExclusive()                                                     // nor the lock
        try write(opened, [3], at: 2)
        XCTAssertEqual(fs.contents(of: "/member/db"), [1, 2], "the original is untouched")
        copy.crash()
        XCTAssertEqual(copy.contents(of: "/member/db"), [1])
        XCTAssertEqual(fs.contents(of: "/member/db"), [1, 2])
    }

    /// A hook may hold the last reference to a file; replacing it must release that file (whose
    /// deinit takes the disk's lock) outside the lock.
    func testReplacingAHookThatHoldsTheLastReferenceToAFile() throws {
        let fs = SimulatedFileSystem()
        do {
            let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
            try file.lockExclusive()
            fs.setFaultHook { _, _, _ in file.path == "" ? EIO : nil }
        }
        fs.clearFaults()
        let again = try fs.open("/db", options: .readWrite, permissions: 0)
        try again.lockExclusive()   // the dropped handle gave its lock back
    }
}
