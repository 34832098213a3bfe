import XCTest

@testable import EtcdServer

/// A deterministic generator (SplitMix64) so that tokens are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Simple tokens as etcd 3.4's `auth/simple_token.go` issues them: "<16 letters>.<index>",
/// alive for the TTL after their last use, dropped with their user's password or the user, and
/// all of them when auth is turned off. Time is nanoseconds on a simulated clock.
final class SimpleTokenTests: XCTestCase {
    private let second: Int64 = 1_000_000_000

    private func enabledTokens(ttlSeconds: Int64 = 300) -> SimpleTokens {
        var tokens = SimpleTokens(ttlSeconds: ttlSeconds)
        tokens.enable()
        return tokens
    }

    func testAPrefixIsSixteenLettersDrawnFromTheGenerator() {
        var random = SplitMix64(state: 7)
        let first = SimpleTokens.generatePrefix(using: &random)
        let second = SimpleTokens.generatePrefix(using: &random)
        XCTAssertEqual(first.utf8.count, 16)
        XCTAssertTrue(first.utf8.allSatisfy { (65...90).contains($0) || (97...122).contains($0) }, first)
        XCTAssertNotEqual(first, second)
        var replay = SplitMix64(state: 7)
        XCTAssertEqual(SimpleTokens.generatePrefix(using: &replay), first, "same seed, same token")
    }

    func testATokenIsThePrefixDotTheIndexAndNamesItsUser() {
        var tokens = enabledTokens()
        let token = tokens.assign(user: "alice", prefix: "abcdefghijklmnop", index: 42, now: 0)
        XCTAssertEqual(token, "abcdefghijklmnop.42")
        XCTAssertEqual(SimpleTokens.index(of: token), 42)
        XCTAssertEqual(tokens.user(of: token, now: second), "alice")
        XCTAssertNil(tokens.user(of: "abcdefghijklmnoq.42", now: second))
    }

    func testAssignWithAGeneratorUsesAFreshPrefix() {
        var tokens = enabledTokens()
        var random = SplitMix64(state: 1)
        let token = tokens.assign(user: "alice", index: 9, now: 0, random: &random)
        var replay = SplitMix64(state: 1)
        XCTAssertEqual(token, SimpleTokens.generatePrefix(using: &replay) + ".9")
        XCTAssertEqual(tokens.user(of: token, now: 0), "alice")
    }

    func testATokenExpiresTheTTLAfterItsLastUse() {
        var tokens = enabledTokens(ttlSeconds: 300)
        let token = tokens.assign(user: "alice", prefix: "p", index: 1, now: 0)
        XCTAssertEqual(tokens.user(of: token, now: 300 * second), "alice", "valid up to the TTL")
        XCTAssertEqual(tokens.user(of: token, now: 599 * second), "alice", "the use at 300 s renewed it")
        XCTAssertEqual(tokens.user(of: token, now: 899 * second), "alice")
        XCTAssertNil(tokens.user(of: token, now: 1199 * second + 1))
        XCTAssertEqual(tokens.count, 0, "an expired token is dropped when seen")
        XCTAssertNil(tokens.user(of: token, now: 0), "and does not come back")
    }

    func testUnusedTokensAreSweptAfterTheirTTL() {
        var tokens = enabledTokens(ttlSeconds: 10)
        let early = tokens.assign(user: "alice", prefix: "p", index: 1, now: 0)
        let late = tokens.assign(user: "bob", prefix: "p", index: 2, now: 5 * second)
        tokens.removeExpired(now: 10 * second)
        XCTAssertEqual(tokens.count, 2)
        tokens.removeExpired(now: 10 * second + 1)
        XCTAssertEqual(tokens.count, 1)
        XCTAssertNil(tokens.user(of: early, now: 10 * second + 1))
        XCTAssertEqual(tokens.user(of: late, now: 10 * second + 1), "bob")
    }

    func testAZeroTTLMeansEtcdsDefault() {
        XCTAssertEqual(SimpleTokens(ttlSeconds: 0).ttlNanoseconds, 300 * second)
        XCTAssertEqual(SimpleTokens(ttlSeconds: 5).ttlNanoseconds, 5 * second)
    }

    func testInvalidatingAUserDropsOnlyTheirTokens() {
        var tokens = enabledTokens()
        let alice1 = tokens.assign(user: "alice", prefix: "p", index: 1, now: 0)
        let bob = tokens.assign(user: "bob", prefix: "p", index: 2, now: 0)
        let alice2 = tokens.assign(user: "alice", prefix: "q", index: 3, now: 0)
        tokens.invalidate(user: "alice")
        XCTAssertNil(tokens.user(of: alice1, now: 1))
        XCTAssertNil(tokens.user(of: alice2, now: 1))
        XCTAssertEqual(tokens.user(of: bob, now: 1), "bob")
    }

    func testDisablingDropsEveryTokenAndKeepsNoneUntilEnabled() {
        var tokens = enabledTokens()
        let token = tokens.assign(user: "alice", prefix: "p", index: 1, now: 0)
        tokens.disable()
        XCTAssertNil(tokens.user(of: token, now: 1))
        let unkept = tokens.assign(user: "alice", prefix: "p", index: 2, now: 1)
        XCTAssertEqual(unkept, "p.2", "the token is still returned, as etcd returns it")
        XCTAssertNil(tokens.user(of: unkept, now: 2))
        tokens.enable()
        XCTAssertNil(tokens.user(of: unkept, now: 3))
    }

    func testMalformedTokensHaveNoIndex() {
        for token in ["", "abc", "abc.", ".5x", "a.b.5", "abc.x", "abc.+5", "abc.-5", "abc. 5"] {
            XCTAssertNil(SimpleTokens.index(of: token), token)
        }
        XCTAssertEqual(SimpleTokens.index(of: ".5"), 5)
        XCTAssertEqual(SimpleTokens.index(of: "abc.007"), 7)
    }

    func testAMalformedTokenIsNeverAUsersEvenIfStored() {
        var tokens = enabledTokens()
        let token = tokens.assign(user: "alice", prefix: "a.b", index: 1, now: 0)
        XCTAssertNil(tokens.user(of: token, now: 0), "etcd splits on every dot")
    }
}
