@testable import GRPC
import XCTest

/// The field checks grpc-go's HTTP/2 framer applies to request headers, field by field.
final class HeaderFieldValidityTests: XCTestCase {
    private func isMalformed(_ fields: [(String, String)]) -> Bool {
        var validity = HeaderFieldValidity()
        for (name, value) in fields {
            var name = name
            var value = value
            name.withUTF8 { nameBytes in value.withUTF8 { validity.check(name: nameBytes, value: $0) } }
        }
        return validity.isMalformed
    }

    func testRequestsAsClientsSendThemPass() {
        XCTAssertFalse(isMalformed([(":method", "POST"), (":scheme", "http"), (":path", "/etcdserverpb.KV/Range"),
                                    (":authority", "http://127.0.0.1:2379"), ("content-type", "application/grpc"),
                                    ("te", "trailers"), ("user-agent", "grpc-go/1.26.0\tx"), ("x-custom_1~", "v")]))
    }

    func testWhatTheFramerRefuses() {
        XCTAssertTrue(isMalformed([("Token", "a")]), "upper-case name")
        XCTAssertTrue(isMalformed([("", "a")]), "empty name")
        XCTAssertTrue(isMalformed([("to ken", "a")]), "space in name")
        XCTAssertTrue(isMalformed([("token", "a\r\nb")]), "CR/LF in value")
        XCTAssertTrue(isMalformed([("token", "a\u{7f}")]), "DEL in value")
        XCTAssertTrue(isMalformed([("token", "a"), (":path", "/x")]), "pseudo field after a regular one")
        XCTAssertTrue(isMalformed([(":path", "/x"), (":path", "/y")]), "repeated pseudo field")
        XCTAssertTrue(isMalformed([(":status", "200")]), "response pseudo field in a request")
    }
}
