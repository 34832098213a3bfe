import EtcdBasics
import XCTest

/// CRC-32C against published check values and against an independent bit-at-a-time computation.
final class CRC32CTests: XCTestCase {
    func testStandardCheckValue() {
        // The catalogue check value of CRC-32C ("123456789").
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }

    func testRFC3720Vectors() {
        // iSCSI (RFC 3720, B.4): 32 zero bytes, 32 0xFF bytes, and 0...31 ascending.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
    }

    func testChainingEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let chained = CRC32C.update(CRC32C.checksum(Array(bytes[..<split])), Array(bytes[split...]))
            XCTAssertEqual(chained, CRC32C.checksum(bytes), "split at \(split)")
        }
    }

    func testSliceBy8AgreesWithBitwiseReferenceOnEveryLength() {
        let bytes = (0..<67).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 3) }
        for length in 0...bytes.count {
            let prefix = Array(bytes[..<length])
            XCTAssertEqual(CRC32C.checksum(prefix), bitwise(prefix), "length \(length)")
        }
    }

    private func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
