import XCTest
import Foundation
@testable import EtcdServer

/// JWT auth tokens (`--auth-token jwt,...`): what a member signs, another member with the key
/// accepts; what is expired, tampered with, or signed otherwise, no member accepts.
final class JWTTokensTests: XCTestCase {
    // Throwaway keys made with openssl for these tests only.
    static let rsaPrivate = """
-----BEGIN PRIVATE KEY-----
MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAOXGK7JyV2zGEoMc
ghq8HKILLxCwJW2SDOt/7aIREJXm4brx9/AZ4qL2q6rvvDAfHZj13rYCUGeQGCLU
4LWK75bjEnOwQHl/jRq2KDFh47ZS9OkdVlyO/dvQsLYSsfLSrx6bMTmgPFEWM5Se
TSDnWUY7/Hi5VWP+iLy24M9/0r+5AgMBAAECgYEAtWXk+4UPhf09girQgADAbiF8
L6WQdtdVwdoGJeto958F2EvM3M3iwZsR3epT3H3EJQz+nRxok8oLc/wxxsD/8dUx
OcMtVfprHXy/31VjOSRtK/BeRhB1DyEgOBgyV8JbZNr1CiD9bD4E/Dz+1uCkjPLg
hgdAYoIK9UYREV4Ix70CQQDzpbDlhpn0a99weJsPvHTfUejV776rDwom9KujWa31
do9sRPUEpwYwZYWWdbrzxtrbL6ctG2/dWh387odNNZIvAkEA8WxrcwnnqMW0nY8b
0v1ADuF/EQRtonx60P1Sie7GWPeqmRIsbBXfb85Voy5CbE3Hcl4mKcGFzIkvXlgS
wTtalwJBALVWp59dG+6v7uAd04LVx8KCiyHXSvizu+GcjraIQ5ICyOJTPG1XBqM0
nEWMoDVZ1n/2Kp3G4u5DaThcK7WKXp8CQQC/fl8QJYgh34fu/cd1KLl51DUku112
58PHJ1gj3khn4zLnLXoc1ZCgL4rP326CV4Ne3PzqW/0UCrCO5c8ihEDLAkBbYWwE
uN0YimQjVTEN6KJ+hCSM1ZCoYJYC1B2EuRaXvSSqD4LfE9K5e1PTQ/ZACA1s1emx
18QCGeUBR7haFvWT
-----END PRIVATE KEY-----
"""
    static let rsaPublic = """
-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDlxiuycldsxhKDHIIavByiCy8Q
sCVtkgzrf+2iERCV5uG68ffwGeKi9quq77wwHx2Y9d62AlBnkBgi1OC1iu+W4xJz
sEB5f40atigxYeO2UvTpHVZcjv3b0LC2ErHy0q8emzE5oDxRFjOUnk0g51lGO/x4
uVVj/oi8tuDPf9K/uQIDAQAB
-----END PUBLIC KEY-----
"""
    static let ecPrivate = """
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIGtPB5yO34wTmcaKCVsTGE1sbE2xA+kfJI0SEZ+pi8SooAoGCCqGSM49
AwEHoUQDQgAE7q7R2jFj5JOWltlAj2O/YQzQEeC+hJ+u6xMVpVF3J5kquhN7ghNW
PR/xjE4xvNo50X471EzGtrC/BXRcPL1rNg==
-----END EC PRIVATE KEY-----
"""
    static let ecPublic = """
-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7q7R2jFj5JOWltlAj2O/YQzQEeC+
hJ+u6xMVpVF3J5kquhN7ghNWPR/xjE4xvNo50X471EzGtrC/BXRcPL1rNg==
-----END PUBLIC KEY-----
"""

    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "swetcd-jwt-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in [("rsa.key", Self.rsaPrivate), ("rsa.pub", Self.rsaPublic), ("ec.key", Self.ecPrivate), ("ec.pub", Self.ecPublic)] {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func tokens(_ options: String) throws -> JWTTokens {
        try JWTTokens(option: "jwt," + options.replacingOccurrences(of: "DIR", with: directory))
    }

    func testASignedTokenCarriesItsUserAndRevisionForEveryAlgorithm() throws {
        for (method, key) in [("RS256", "rsa"), ("RS512", "rsa"), ("PS256", "rsa"), ("ES256", "ec")] {
            let signer = try tokens("priv-key=DIR/\(key).key,sign-method=\(method)")
            let token = try XCTUnwrap(signer.assign(user: "alice", revision: 7, nowUnixSeconds: 1_000))
            XCTAssertEqual(token.split(separator: ".").count, 3)
            let info = try XCTUnwrap(signer.info(token: token, nowUnixSeconds: 1_000), method)
            XCTAssertEqual(info.user, "alice")
            XCTAssertEqual(info.revision, 7)
            // A member holding only the public key checks it too, and cannot sign.
            let verifier = try tokens("pub-key=DIR/\(key).pub,sign-method=\(method)")
            XCTAssertEqual(verifier.info(token: token, nowUnixSeconds: 1_000)?.user, "alice", method)
            XCTAssertNil(verifier.assign(user: "alice", revision: 7, nowUnixSeconds: 1_000))
        }
    }

    func testTheClaimsAreEtcdsAndTheTokenExpiresAfterItsTTL() throws {
        let signer = try tokens("priv-key=DIR/rsa.key,sign-method=RS256,ttl=10m")
        let token = try XCTUnwrap(signer.assign(user: "bob", revision: 3, nowUnixSeconds: 1_000))
        let parts = token.split(separator: ".")
        XCTAssertEqual(JWTTokens.decodeBase64URL(parts[0]).map { String(decoding: $0, as: UTF8.self) }, #"{"alg":"RS256","typ":"JWT"}"#)
        XCTAssertEqual(JWTTokens.decodeBase64URL(parts[1]).map { String(decoding: $0, as: UTF8.self) },
                       #"{"exp":1600,"revision":3,"username":"bob"}"#)
        XCTAssertNotNil(signer.info(token: token, nowUnixSeconds: 1_599))
        XCTAssertNil(signer.info(token: token, nowUnixSeconds: 1_600), "expired: golang-jwt wants now before exp")
    }

    /// golang-jwt's MapClaims rules, which decide for etcd (`e2e-auth-jwt.sh` compares them).
    func testTimeClaimsAreCheckedAsEtcdsJWTLibraryChecksThem() throws {
        func holds(_ json: String, now: Int64 = 1_000) throws -> Bool {
            guard case .object(let claims) = try JSONValue(parsing: Array(json.utf8)) else { throw XCTSkip("not an object") }
            return JWTTokens.timeClaimsHold(claims, nowUnixSeconds: now)
        }
        XCTAssertTrue(try holds(#"{}"#), "every time claim is optional")
        XCTAssertTrue(try holds(#"{"exp":1001}"#))
        XCTAssertFalse(try holds(#"{"exp":1000}"#))
        XCTAssertTrue(try holds(#"{"exp":1000.5}"#, now: 999), "fractions are cut to the second")
        XCTAssertFalse(try holds(#"{"exp":1000.5}"#))
        XCTAssertTrue(try holds(#"{"exp":0}"#), "0 means no expiry")
        XCTAssertFalse(try holds(#"{"exp":null}"#), "present but not a number")
        XCTAssertFalse(try holds(#"{"exp":"2000"}"#))
        XCTAssertFalse(try holds(#"{"exp":1e300}"#), "Go's conversion of a float out of int64's range on amd64")
        XCTAssertTrue(try holds(#"{"nbf":1000,"iat":1000}"#), "not-before and issued-at may be now")
        XCTAssertFalse(try holds(#"{"nbf":1001}"#))
        XCTAssertFalse(try holds(#"{"iat":1001}"#))
        XCTAssertFalse(try holds(#"{"nbf":"soon"}"#))
        XCTAssertTrue(try holds(#"{"iat":0,"nbf":0}"#))
    }

    func testTheIdentityIsTheUsernameAndTheRevisionConvertedAsGoConvertsAFloat() throws {
        func identity(_ json: String) throws -> (user: String, revision: UInt64)? {
            guard case .object(let claims) = try JSONValue(parsing: Array(json.utf8)) else { throw XCTSkip("not an object") }
            return JWTTokens.identity(claims, nowUnixSeconds: 1_000)
        }
        XCTAssertEqual(try identity(#"{"revision":4.0,"username":"bob"}"#)?.revision, 4)
        XCTAssertEqual(try identity(#"{"revision":4.9,"username":"bob"}"#)?.revision, 4)
        XCTAssertEqual(try identity(#"{"revision":0,"username":"bob"}"#)?.revision, 0, "refused later, as etcd's user-empty")
        XCTAssertNil(try identity(#"{"revision":"4","username":"bob"}"#), "etcd 3.4.23 itself panics on this one")
        XCTAssertNil(try identity(#"{"revision":-1,"username":"bob"}"#))
        XCTAssertNil(try identity(#"{"revision":4}"#), "no username")
        XCTAssertNil(try identity(#"{"revision":4,"username":"bob","exp":999}"#), "expired")
    }

    func testATamperedOrForeignTokenIsRefused() throws {
        let signer = try tokens("priv-key=DIR/rsa.key,sign-method=RS256")
        let token = try XCTUnwrap(signer.assign(user: "alice", revision: 1, nowUnixSeconds: 0))
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = JWTTokens.base64URL(Array(#"{"exp":9999999999,"revision":1,"username":"root"}"#.utf8))
        XCTAssertNil(signer.info(token: parts.joined(separator: "."), nowUnixSeconds: 0), "claims changed under the signature")
        let other = try tokens("priv-key=DIR/ec.key,sign-method=ES256")
        let foreign = try XCTUnwrap(other.assign(user: "alice", revision: 1, nowUnixSeconds: 0))
        XCTAssertNil(signer.info(token: foreign, nowUnixSeconds: 0), "another algorithm and key")
        XCTAssertNil(signer.info(token: "not.a.token", nowUnixSeconds: 0))
        XCTAssertNil(signer.info(token: "", nowUnixSeconds: 0))
    }

    func testBadOptionsAreEtcdsInvalidAuthOptions() throws {
        for options in ["priv-key=DIR/rsa.key", "priv-key=DIR/rsa.key,sign-method=HS999", "sign-method=RS256",
                        "priv-key=DIR/missing.key,sign-method=RS256", "priv-key=DIR/rsa.key,sign-method=ES256",
                        "priv-key=DIR/rsa.key,sign-method=RS256,ttl=soon"] {
            XCTAssertThrowsError(try tokens(options), options) { error in
                XCTAssertEqual((error as? ConfigError)?.message, "auth: invalid auth options", options)
            }
        }
    }

    func testBase64URLRoundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            let text = JWTTokens.base64URL(bytes)
            XCTAssertFalse(text.contains("=") || text.contains("+") || text.contains("/"))
            XCTAssertEqual(JWTTokens.decodeBase64URL(Substring(text)), bytes)
        }
    }
}
