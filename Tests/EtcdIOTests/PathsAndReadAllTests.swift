import EtcdIO
import XCTest

final class PathsAndReadAllTests: XCTestCase {
    func testParentDirectoryIsWhatToFsyncAfterCreatingAName() {
        XCTAssertEqual(parentDirectory(of: "data/member/wal"), "data/member")
        XCTAssertEqual(parentDirectory(of: "/db"), "/")
        XCTAssertEqual(parentDirectory(of: "db"), ".")
    }

    func testReadFileReturnsEveryByteWritten() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("f", options: [.readWrite, .create], permissions: 0o600)
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try bytes.withUnsafeBytes { try file.write($0, at: 0) }
        try file.close()
        XCTAssertEqual(try fs.readFile("f"), bytes)
        XCTAssertThrowsError(try fs.readFile("missing"))
    }
}
