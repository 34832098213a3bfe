import XCTest

@testable import EtcdServer

/// bcrypt as etcd stores passwords: "$2a$" hashes at `--bcrypt-cost`, readable by Go's
/// `x/crypto/bcrypt` and able to read its hashes.
final class BcryptHasherTests: XCTestCase {
    /// Made by Go's `bcrypt.GenerateFromPassword([]byte("swetcd-secret"), 10)`
    /// (golang.org/x/crypto/bcrypt, the package etcd 3.4 uses).
    private let goHashCost10 = Array("$2a$10$IZCUPMB3AmaCGw2YMZQYQ.i4VVW5QmaZT60j0Z2DZVVof6VDD5RdW".utf8)
    /// `bcrypt.GenerateFromPassword([]byte("root-pw"), 4)`.
    private let goHashCost4 = Array("$2a$04$V14eku6ptqwmGn4atcMdmeWU4jZYKF9meXjN383lI7ChN6UvdPdly".utf8)

    func testAHashAtTheDefaultCostIsEtcdsFormatAndVerifies() throws {
        let hasher = BcryptHasher()
        let hash = try hasher.hash("s3cret")
        let text = String(decoding: hash, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("$2a$10$"), text)
        XCTAssertEqual(hash.count, 60)
        XCTAssertTrue(hasher.verify("s3cret", hash: hash))
        XCTAssertFalse(hasher.verify("s3cret ", hash: hash))
        XCTAssertFalse(hasher.verify("", hash: hash))
    }

    func testEachHashHasItsOwnSalt() throws {
        let hasher = BcryptHasher(cost: 4)
        let first = try hasher.hash("same")
        let second = try hasher.hash("same")
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(hasher.verify("same", hash: second))
    }

    func testHashesMadeByGoVerify() {
        let hasher = BcryptHasher()
        XCTAssertTrue(hasher.verify("swetcd-secret", hash: goHashCost10))
        XCTAssertFalse(hasher.verify("swetcd-secreT", hash: goHashCost10))
        XCTAssertTrue(hasher.verify("root-pw", hash: goHashCost4), "the hash's own cost counts, not the hasher's")
        XCTAssertFalse(hasher.verify("root-p", hash: goHashCost4))
    }

    func testTheCostIsTakenFromTheSettingWithEtcdsFallback() throws {
        XCTAssertTrue(String(decoding: try BcryptHasher(cost: 4).hash("x"), as: UTF8.self).hasPrefix("$2a$04$"))
        XCTAssertEqual(BcryptHasher(cost: 3).cost, 10)
        XCTAssertEqual(BcryptHasher(cost: 32).cost, 10)
        XCTAssertEqual(BcryptHasher(cost: 31).cost, 31)
    }

    func testAnEmptyPasswordHashesAndVerifies() throws {
        let hasher = BcryptHasher(cost: 4)
        let hash = try hasher.hash("")
        XCTAssertTrue(hasher.verify("", hash: hash))
        XCTAssertFalse(hasher.verify("x", hash: hash))
    }

    func testWhatIsNoBcryptHashNeverVerifies() {
        let hasher = BcryptHasher()
        XCTAssertFalse(hasher.verify("", hash: []))
        XCTAssertFalse(hasher.verify("pw", hash: Array("pw".utf8)))
        XCTAssertFalse(hasher.verify("pw", hash: Array("$1$abc$def".utf8)))
        XCTAssertFalse(hasher.verify("swetcd-secret", hash: Array(goHashCost10.dropLast(5))))
        XCTAssertFalse(hasher.verify("swetcd-secret", hash: goHashCost10 + [0]))
    }
}
