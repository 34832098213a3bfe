import Foundation
import XCTest
import EtcdProto
import GRPC

@testable import EtcdServer

/// The client port's HTTP/1.1 side, sans sockets: requests in, gRPC call events and endpoint
/// requests out, answers written as etcd's gateway and handlers write them.
final class GatewaySessionTests: XCTestCase {
    // MARK: - Telling HTTP/2 from HTTP/1.1

    func testSniffWaitsForTheWholePrefaceThenPicksHTTP2() {
        let preface = ClientProtocolSniff.http2Preface
        XCTAssertEqual(ClientProtocolSniff.classify(Array(preface.prefix(3))), .undecided)
        XCTAssertEqual(ClientProtocolSniff.classify(preface), .http2)
        XCTAssertEqual(ClientProtocolSniff.classify(preface + [0, 0]), .http2)
    }

    func testSniffTakesAnHTTP1RequestLineAndRefusesAnythingElse() {
        XCTAssertEqual(ClientProtocolSniff.classify(Array("GET /health HTTP/1.1\r\n".utf8)), .http1)
        XCTAssertEqual(ClientProtocolSniff.classify(Array("POST /v3/kv/put HTTP/1.0\r\nHost: x\r\n".utf8)), .http1)
        XCTAssertEqual(ClientProtocolSniff.classify(Array("GET /health HTT".utf8)), .undecided)
        // etcd's transcript for this one: the connection closes without an answer.
        XCTAssertEqual(ClientProtocolSniff.classify(Array("GARBAGE\r\n\r\n".utf8)), .neither)
        XCTAssertEqual(ClientProtocolSniff.classify(Array("GET / HTTP/2.0\r\n".utf8)), .neither)
        XCTAssertEqual(ClientProtocolSniff.classify(Array(repeating: UInt8(ascii: "A"), count: 4096)), .neither)
    }

    // MARK: - Endpoints

    func testHealthIsAnEndpointRequestAnsweredInOrderOnAKeptAliveConnection() {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(session, "GET /health?exclude=NOSPACE HTTP/1.1\r\nHost: a\r\n\r\nGET /version HTTP/1.1\r\nHost: a\r\n\r\n"))
        let first = session.takeEndpointRequests()
        XCTAssertEqual(first.map(\.endpoint), [.health], "the second request waits for the first answer")
        XCTAssertEqual(first.first?.query, "exclude=NOSPACE")
        session.respond(first[0].call, status: 200, contentType: GatewayExchange.textType, body: Array(#"{"health":"true"}"#.utf8))
        let second = session.takeEndpointRequests()
        XCTAssertEqual(second.map(\.endpoint), [.version])
        session.respond(second[0].call, status: 200, contentType: GatewayExchange.jsonType, body: Array("{}".utf8))
        let answers = responses(output(of: session))
        XCTAssertEqual(answers.map(\.status), [200, 200])
        XCTAssertEqual(answers.first?.body, #"{"health":"true"}"#)
        XCTAssertEqual(answers.first?.headers["Content-Length"], "17")
        XCTAssertEqual(answers.first?.headers["Access-Control-Allow-Origin"], "*")
        XCTAssertFalse(session.isFinished)
    }

    func testUnknownPathsAndMethodsGetGoAnswers() {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(session, "GET /nope HTTP/1.1\r\n\r\nPOST /health HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
                           + "GET /v3/kv/range HTTP/1.1\r\n\r\nPOST /v3/kv/nothing HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
                           + "OPTIONS /v3/kv/put HTTP/1.1\r\n\r\n"))
        let answers = responses(output(of: session))
        XCTAssertEqual(answers.map(\.status), [404, 405, 405, 404, 200])
        XCTAssertEqual(answers.map(\.body), ["404 page not found\n", "Method Not Allowed\n", "Method Not Allowed\n", "Not Found\n", ""])
        XCTAssertEqual(answers[1].headers["Allow"], "GET", "etcd's own handlers name the allowed method")
        XCTAssertNil(answers[2].headers["Allow"], "grpc-gateway does not")
    }

    func testMetricsListenersServeNoGateway() {
        let session = GatewaySession(policy: .metricsOnly, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(session, "POST /v3/kv/range HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET /metrics HTTP/1.1\r\n\r\n"))
        XCTAssertEqual(session.takeEndpointRequests().map(\.endpoint), [.metrics])
        XCTAssertEqual(responses(output(of: session)).map(\.status), [404])
    }

    func testAccessPolicyCORSHostWhitelistAndDisabledGateway() throws {
        let policy = HTTPAccessPolicy(servesGateway: false, corsOrigins: ["http://ui.example"],
                                      hostWhitelist: ["etcd.example", "127.0.0.1"])
        let session = GatewaySession(policy: policy, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(session, "GET /nope HTTP/1.1\r\nHost: 127.0.0.1:2379\r\nOrigin: http://ui.example\r\n\r\n"
                           + "GET /nope HTTP/1.1\r\nHost: etcd.example\r\nOrigin: http://other.example\r\n\r\n"
                           + "POST /v3/kv/range HTTP/1.1\r\nHost: etcd.example\r\nContent-Length: 2\r\n\r\n{}"
                           + "GET /health HTTP/1.1\r\nHost: evil.example:2379\r\n\r\n"))
        XCTAssertTrue(drain(session).isEmpty, "--enable-grpc-gateway=false: no call")
        XCTAssertTrue(session.takeEndpointRequests().isEmpty, "a refused host reaches no endpoint")
        let answers = responses(output(of: session))
        XCTAssertEqual(answers.map(\.status), [404, 404, 404, 421])
        XCTAssertEqual(answers[0].headers["Access-Control-Allow-Origin"], "http://ui.example", "a listed origin is named")
        XCTAssertNil(answers[1].headers["Access-Control-Allow-Origin"], "an unlisted origin gets no CORS fields")
        XCTAssertEqual(answers[2].body, "404 page not found\n", "without the gateway /v3/ is Go's mux 404")
        XCTAssertTrue(answers[3].body.contains(#"etcd --host-whitelist "evil.example""#), answers[3].body)

        let tls = GatewaySession(policy: policy, isTLS: true, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(tls, "GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n"))
        XCTAssertEqual(tls.takeEndpointRequests().map(\.endpoint), [.health], "TLS requests are not host-checked")
    }

    // MARK: - Gateway calls

    func testAPutBecomesAGRPCCallAndItsReplyJSON() throws {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        let body = #"{"key":"Zm9v","value":"YmFy"}"#
        XCTAssertTrue(feed(session, "POST /v3beta/kv/put HTTP/1.1\r\nAuthorization: tok.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body))
        let events = drain(session)
        guard events.count == 3, case .callStarted(let call, let path, let timeout, let metadata) = events[0],
              case .message(call, let payload) = events[1], case .halfClosed(call) = events[2] else {
            return XCTFail("expected start, message, half-close; got \(events)")
        }
        XCTAssertEqual(path, "/etcdserverpb.KV/Put")
        XCTAssertNil(timeout)
        XCTAssertEqual(metadata.map(\.name), ["token"])
        XCTAssertEqual(metadata.first?.value, "tok.1")
        XCTAssertEqual(try PutRequest(serializedBytes: payload), PutRequest(key: Array("foo".utf8), value: Array("bar".utf8)))

        let reply = PutResponse(header: ResponseHeader(clusterId: 1, memberId: 2, revision: 3, raftTerm: 4))
        session.sendMessage(call, payloadSize: reply.encodedSize) { reply.encode(appendingTo: &$0) }
        session.finish(call, status: .ok)
        let answer = try XCTUnwrap(responses(output(of: session)).first)
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.headers["Content-Type"], "application/json")
        XCTAssertEqual(answer.headers["Grpc-Metadata-Content-Type"], "application/grpc")
        XCTAssertEqual(answer.body, #"{"header":{"cluster_id":"1","member_id":"2","revision":"3","raft_term":"4"}}"#)
    }

    func testAFailedCallAnswersWithGRPCGatewaysStatusAndBody() throws {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(session, "POST /v3/lease/revoke HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"ID\":\"1\"}"))
        guard case .callStarted(let call, _, _, _)? = drain(session).first else { return XCTFail("no call") }
        session.finish(call, status: GRPCStatus(.notFound, "etcdserver: requested lease not found"))
        let answer = try XCTUnwrap(responses(output(of: session)).first)
        XCTAssertEqual(answer.status, 404)
        XCTAssertEqual(answer.body, #"{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}"#)
    }

    func testBadJSONIsA400WithoutACall() throws {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(session, "POST /v3/kv/range HTTP/1.1\r\nContent-Length: 13\r\n\r\n{\"key\":\"Zm9v\","))
        XCTAssertTrue(drain(session).isEmpty)
        let answer = try XCTUnwrap(responses(output(of: session)).first)
        XCTAssertEqual(answer.status, 400)
        XCTAssertEqual(answer.body, #"{"error":"unexpected EOF","message":"unexpected EOF","code":3}"#)
        XCTAssertFalse(session.isFinished, "the body was read whole: the connection goes on")
    }

    func testAWatchStreamsResultLinesUntilTheCallEnds() throws {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        let body = #"{"create_request":{"key":"Zm9v"}} {"progress_request":{}}"#
        XCTAssertTrue(feed(session, "POST /v3/watch HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body))
        let events = drain(session)
        XCTAssertEqual(events.count, 4, "start, two requests from one body, half-close")
        guard case .callStarted(let call, "/etcdserverpb.Watch/Watch", _, _)? = events.first else { return XCTFail("\(events)") }
        let created = WatchResponse(header: ResponseHeader(revision: 3), created: true)
        let event = WatchResponse(header: ResponseHeader(revision: 4),
                                  events: [Event(type: .delete, kv: KeyValue(key: Array("foo".utf8), modRevision: 4))])
        for message in [created, event] {
            session.sendMessage(call, payloadSize: message.encodedSize) { message.encode(appendingTo: &$0) }
        }
        XCTAssertGreaterThan(session.pendingOutboundBytes(call), 0, "back-pressure sees what the socket has not taken")
        let streamedBytes = output(of: session)
        XCTAssertEqual(session.pendingOutboundBytes(call), 0)
        let streamed = try XCTUnwrap(responses(streamedBytes, untilEnd: false).first)
        XCTAssertEqual(streamed.headers["Transfer-Encoding"], "chunked")
        XCTAssertEqual(streamed.body, #"{"result":{"header":{"revision":"3"},"created":true}}"# + "\n"
                       + #"{"result":{"header":{"revision":"4"},"events":[{"type":"DELETE","kv":{"key":"Zm9v","mod_revision":"4"}}]}}"# + "\n")
        session.finish(call, status: GRPCStatus(.outOfRange, "etcdserver: mvcc: required revision has been compacted"))
        let tail = String(decoding: output(of: session), as: UTF8.self)
        XCTAssertTrue(tail.contains(#"{"error":{"grpc_code":11,"http_code":400,"message":"etcdserver: mvcc: required revision has been compacted","http_status":"Bad Request"}}"#), tail)
        XCTAssertTrue(tail.hasSuffix("0\r\n\r\n"), "the chunked body ends")
    }

    func testAWatchStartsAsItsFirstRequestArrivesInAnOpenChunkedBody() {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        let create = #"{"create_request":{"key":"Zm9v"}}"#
        XCTAssertTrue(feed(session, "POST /v3/watch HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                           + String(create.utf8.count, radix: 16) + "\r\n" + create + "\r\n"
                           + "5\r\n{\"pro\r\n"))
        let first = drain(session)
        XCTAssertEqual(first.count, 2, "the call and its first request, while the body goes on: \(first)")
        guard case .callStarted(let call, "/etcdserverpb.Watch/Watch", _, _)? = first.first,
              case .message(call, let payload)? = first.last else { return XCTFail("\(first)") }
        XCTAssertEqual(try WatchRequest(serializedBytes: payload),
                       WatchRequest(requestUnion: .createRequest(WatchCreateRequest(key: Array("foo".utf8)))))
        let tail = #"gress_request":{}}  {oops"#
        XCTAssertTrue(feed(session, String(tail.utf8.count, radix: 16) + "\r\n" + tail + "\r\n0\r\n\r\n"))
        let rest = drain(session)
        guard rest.count == 2, case .message(call, _) = rest[0], case .halfClosed(call) = rest[1] else {
            return XCTFail("the second request, then a value that does not decode closes the request side: \(rest)")
        }
        XCTAssertTrue(output(of: session).isEmpty, "the stream itself goes on")
    }

    func testConnectionCloseAndLostConnections() {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertTrue(feed(session, "POST /v3/watch HTTP/1.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"))
        guard case .callStarted(let call, _, _, _)? = drain(session).first else { return XCTFail("no call") }
        session.connectionLost()
        guard case .cancelled(call)? = drain(session).first else { return XCTFail("the watch is cancelled") }
        XCTAssertTrue(session.isFinished)
    }

    func testOversizedBodiesAreRefusedAndTheConnectionCloses() throws {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 16)
        let body = String(repeating: " ", count: 100_000)
        _ = feed(session, "POST /v3/kv/put HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        XCTAssertTrue(drain(session).isEmpty)
        let answer = try XCTUnwrap(responses(output(of: session)).first)
        XCTAssertEqual(answer.status, 429)
        XCTAssertEqual(answer.headers["Connection"], "close")
        XCTAssertTrue(session.isFinished)
    }

    func testMalformedRequestsGet400AndClose() {
        let session = GatewaySession(policy: .open, isTLS: false, maxRequestBytes: 1 << 20)
        XCTAssertFalse(feed(session, "GET /health HTTP/1.1\r\nbad header line\r\n\r\n"))
        XCTAssertTrue(String(decoding: output(of: session), as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        XCTAssertTrue(session.isFinished)
    }

    // MARK: - Helpers

    private func feed(_ session: GatewaySession, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { session.receive($0) }
    }

    private func drain(_ session: GatewaySession) -> [GRPCServerEvent] {
        var events: [GRPCServerEvent] = []
        session.drainEvents { events.append($0) }
        return events
    }

    private func output(of session: GatewaySession) -> [UInt8] {
        var bytes: [UInt8] = []
        session.output(into: &bytes, limitBytes: Int.max)
        return bytes
    }

    private struct Answer {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    /// Splits HTTP/1.1 answers: Content-Length bodies, or chunked ones de-chunked (to the
    /// bytes available when `untilEnd` is false).
    private func responses(_ bytes: [UInt8], untilEnd: Bool = true) -> [Answer] {
        var rest = bytes[...]
        func line() -> String? {
            guard let end = rest.firstIndex(of: 0x0A) else { return nil }
            let text = String(decoding: rest[..<end], as: UTF8.self)
            rest = rest[(end + 1)...]
            return text.hasSuffix("\r") ? String(text.dropLast()) : text
        }
        func take(_ count: Int) -> String {
            let piece = rest.prefix(count)
            rest = rest.dropFirst(count)
            return String(decoding: piece, as: UTF8.self)
        }
        var answers: [Answer] = []
        while let statusLine = line() {
            let status = Int(statusLine.split(separator: " ")[1]) ?? 0
            var headers: [String: String] = [:]
            while let field = line(), !field.isEmpty {
                let parts = field.split(separator: ":", maxSplits: 1)
                headers[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
            }
            var body = ""
            if let length = headers["Content-Length"].flatMap(Int.init) {
                body = take(length)
            } else if headers["Transfer-Encoding"] == "chunked" {
                while let sizeLine = line(), let size = Int(sizeLine, radix: 16) {
                    if size == 0 { _ = line(); break }
                    body += take(size)
                    _ = line()
                }
            }
            answers.append(Answer(status: status, headers: headers, body: body))
            if !untilEnd { break }
        }
        return answers
    }
}
