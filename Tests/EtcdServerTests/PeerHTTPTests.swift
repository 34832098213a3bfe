import XCTest

@testable import EtcdServer

/// The HTTP/1.1 subset peers speak: heads, Content-Length and chunked bodies, keep-alive.
final class PeerHTTPTests: XCTestCase {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testRequestHeadRoundTripsAndLooksUpFieldsIgnoringCase() throws {
        let head = PeerHTTPRequestHead(method: "POST", target: "/raft?x=1", headers: PeerHTTPHeaders([
            ("Host", "a:2380"), ("Content-Length", "3"), ("X-Etcd-Cluster-Id", "ab"),
        ]))
        var wire: [UInt8] = []
        head.encode(appendingTo: &wire)
        XCTAssertEqual(wire, bytes("POST /raft?x=1 HTTP/1.1\r\nHost: a:2380\r\nContent-Length: 3\r\nX-Etcd-Cluster-Id: ab\r\n\r\n"))
        let parsed = try PeerHTTPRequestHead(parsing: wire[..<(wire.count - 4)])
        XCTAssertEqual(parsed, head)
        XCTAssertEqual(parsed.path, "/raft")
        XCTAssertEqual(parsed.headers.value(for: "x-etcd-cluster-ID"), "ab")
    }

    func testKeepAliveCarriesConsecutiveRequestsAndTheirBodies() throws {
        let wire = bytes("POST /raft HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
            + "GET /version HTTP/1.1\r\n\r\n"
            + "POST /raft HTTP/1.1\r\ncontent-length:  2 \r\nConnection: close\r\n\r\nde")
        for pieceSize in [1, 5, wire.count] {
            let events = try PeerTestSupport.readAll(wire, role: .server, pieceSize: pieceSize)
            XCTAssertEqual(events.count, 8, "\(events)")
            guard case .requestHead(let first) = events[0], case .requestHead(let second) = events[3],
                  case .requestHead(let third) = events[5] else { return XCTFail("\(events)") }
            XCTAssertEqual([first.path, second.path, third.path], ["/raft", "/version", "/raft"])
            XCTAssertEqual(events[1], .body(ArraySlice(bytes("abc"))))
            XCTAssertEqual(events[4], .end, "a GET without length has no body")
            XCTAssertEqual(events[6], .body(ArraySlice(bytes("de"))))
            XCTAssertTrue(first.isKeepAlive)
            XCTAssertFalse(third.isKeepAlive)
        }
    }

    func testChunkedBodyWithExtensionsAndTrailerDecodesAcrossAnySplit() throws {
        let wire = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n")
        for pieceSize in [1, 2, 7, wire.count] {
            let events = try PeerTestSupport.readAll(wire, role: .client, pieceSize: pieceSize)
            XCTAssertEqual(events.dropFirst(), [.body(ArraySlice(bytes("abc0123456789"))), .end], "pieces of \(pieceSize)")
        }
    }

    func testChunkedEncoderWritesHexSizesAndTheLastChunk() {
        var wire: [UInt8] = []
        PeerChunkedEncoder.encodeChunk(Array(repeating: UInt8(7), count: 26), appendingTo: &wire)
        PeerChunkedEncoder.encodeChunk([], appendingTo: &wire)
        PeerChunkedEncoder.encodeEnd(appendingTo: &wire)
        XCTAssertEqual(wire, bytes("1a\r\n") + Array(repeating: 7, count: 26) + bytes("\r\n0\r\n\r\n"))
    }

    func testLargeBodiesComeOutInBoundedPieces() throws {
        let body = [UInt8](repeating: 1, count: 3 * PeerHTTPReader.bodyPieceBytesMax + 5)
        var reader = PeerHTTPReader(role: .server)
        reader.append(bytes("POST /raft HTTP/1.1\r\nContent-Length: \(body.count)\r\n\r\n") + body)
        var total = 0
        while let event = try reader.next() {
            if case .body(let piece) = event {
                XCTAssertLessThanOrEqual(piece.count, PeerHTTPReader.bodyPieceBytesMax)
                total += piece.count
            }
        }
        XCTAssertEqual(total, body.count)
    }

    func testResponseWithoutLengthRunsUntilTheConnectionCloses() throws {
        let events = try PeerTestSupport.readAll(bytes("HTTP/1.0 200 OK\r\n\r\nhello"), role: .client, closeAtEnd: true)
        XCTAssertEqual(events.dropFirst(), [.body(ArraySlice(bytes("hello"))), .end])
    }

    func testConnectionClosedInsideABodyIsTruncated() throws {
        var reader = PeerHTTPReader(role: .server)
        reader.append(bytes("POST /raft HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"))
        while try reader.next() != nil {}
        XCTAssertThrowsError(try reader.connectionClosed()) { XCTAssertEqual($0 as? PeerHTTPError, .truncated) }
    }

    func testMalformedAndOversizedHeadsAreRefused() {
        let cases: [(String, PeerHTTPError)] = [
            ("GARBAGE\r\n\r\n", .malformedRequestLine),
            ("GET /raft HTTP/2.0\r\n\r\n", .unsupportedVersion),
            ("GET /raft HTTP/1.1\r\n folded: x\r\n\r\n", .malformedHeaderField),
            ("GET /raft HTTP/1.1\r\nno colon\r\n\r\n", .malformedHeaderField),
            ("POST /raft HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
            ("POST /raft HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", .invalidContentLength),
            ("POST /raft HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding),
            ("POST /raft HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .malformedChunk),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try PeerTestSupport.readAll(bytes(text), role: .server), text) {
                XCTAssertEqual($0 as? PeerHTTPError, expected, text)
            }
        }
        var reader = PeerHTTPReader(role: .server)
        reader.append(bytes("GET /raft HTTP/1.1\r\nX: ") + [UInt8](repeating: 0x61, count: PeerHTTPReader.headBytesMax))
        XCTAssertThrowsError(try reader.next()) {
            XCTAssertEqual($0 as? PeerHTTPError, .headTooLarge(limit: PeerHTTPReader.headBytesMax))
        }
    }

    func testResponseHeadParsesStatusAndNoBodyStatuses() throws {
        let head = try PeerHTTPResponseHead(parsing: ArraySlice(bytes("HTTP/1.1 412 Precondition Failed\r\nContent-Length: 20")))
        XCTAssertEqual(head.status, 412)
        XCTAssertEqual(head.reason, "Precondition Failed")
        XCTAssertEqual(try PeerHTTPBodyFraming.ofResponse(head), .contentLength(20))
        let noContent = PeerHTTPResponseHead(status: 204, headers: PeerHTTPHeaders([("Content-Length", "5")]))
        XCTAssertEqual(try PeerHTTPBodyFraming.ofResponse(noContent), .none)
        XCTAssertThrowsError(try PeerHTTPResponseHead(parsing: ArraySlice(bytes("HTTP/1.1 20 OK"))))
    }
}
