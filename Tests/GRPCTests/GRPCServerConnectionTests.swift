import GRPC
import HTTP2
import XCTest

/// End-to-end behaviour of `GRPCServerConnection` against a real nghttp2 client session, over
/// in-memory pipes (see `H2TestClient`). Each test states what a gRPC client observes.
final class GRPCServerConnectionTests: XCTestCase {
    private let grpcOK = [HTTP2HeaderField(":status", "200"), HTTP2HeaderField("content-type", "application/grpc")]

    private func connection(_ configuration: GRPCServerConfiguration = GRPCServerConfiguration())
        -> (GRPCServerConnection, H2TestClient) {
        let server = GRPCServerConnection(configuration: configuration)
        return (server, H2TestClient(server: server))
    }

    /// Records events; optionally answers each completed unary call by echoing its message.
    private final class Recorder {
        var events: [String] = []
        var messages: [Int32: [[UInt8]]] = [:]
        var started: [Int32: (path: String, timeout: Int64?, metadata: [(name: String, value: String)])] = [:]

        func record(_ event: GRPCServerEvent) {
            switch event {
            case .callStarted(let id, let path, let timeout, let metadata):
                events.append("start \(id.streamID) \(path)")
                started[id.streamID] = (path, timeout, metadata)
            case .message(let id, let bytes):
                events.append("message \(id.streamID) \(bytes.count)")
                messages[id.streamID, default: []].append(bytes)
            case .halfClosed(let id):
                events.append("halfClosed \(id.streamID)")
            case .cancelled(let id):
                events.append("cancelled \(id.streamID)")
            case .plainRequest(let id, let head):
                events.append("plain \(id.streamID) \(head.method) \(head.target)")
            case .plainBody(let id, let bytes):
                events.append("plainBody \(id.streamID) \(bytes.count)")
            }
        }
    }

    private func send(_ server: GRPCServerConnection, _ id: Int32, _ payload: [UInt8]) {
        server.sendMessage(GRPCCallID(streamID: id), payloadSize: payload.count) { $0 += payload }
    }

    // MARK: Unary

    func testUnaryRoundTripSendsHeadersMessageAndExactTrailers() {
        let (server, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(path: "/etcdserverpb.KV/Put", body: grpcFrame([1, 2, 3]))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Put", "message 1 3", "halfClosed 1"])
        XCTAssertEqual(recorder.messages[1], [[1, 2, 3]])

        send(server, id, [9, 8, 7, 6])
        server.finish(GRPCCallID(streamID: id), status: .ok)
        client.pump(handler: recorder.record)

        let stream = client.streams[id]!
        XCTAssertEqual(stream.responseHeaders, grpcOK)
        XCTAssertEqual(stream.data, [0, 0, 0, 0, 4, 9, 8, 7, 6])
        XCTAssertEqual(stream.trailers, [HTTP2HeaderField("grpc-status", "0"), HTTP2HeaderField("grpc-message", "")])
        XCTAssertTrue(stream.isClosed)
        XCTAssertEqual(stream.closeCode, .noError)
        XCTAssertNil(stream.resetCode, "the client had half-closed: no RST_STREAM needed")
        XCTAssertEqual(server.openCallCount, 0)
        XCTAssertEqual(recorder.events.count, 3, "a finished call produces no further events")
    }

    func testUnaryRoundTripSurvivesOneByteSocketReads() {
        let (server, client) = connection()
        client.serverReadSize = 1
        let recorder = Recorder()
        let id = client.startCall(headers: [HTTP2HeaderField("token", String(repeating: "t", count: 300))],
                                  body: grpcFrame(Array(repeating: 5, count: 100)))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "message 1 100", "halfClosed 1"])
        XCTAssertEqual(recorder.started[1]!.metadata.first { $0.name == "token" }?.value.count, 300)
        send(server, id, [])
        server.finish(GRPCCallID(streamID: id), status: .ok)
        client.pump(handler: recorder.record)
        XCTAssertEqual(client.streams[id]!.data, [0, 0, 0, 0, 0])
        XCTAssertEqual(client.streams[id]!.trailers.first?.value, "0")
    }

    func testTakeEventsHandsOverEventsInOrderOnce() {
        let (server, client) = connection()
        client.startCall(path: "/a/b", body: grpcFrame([1], [2]))
        client.startCall(path: "/a/c", body: grpcFrame([3]))
        client.pump(drainsEvents: false)
        let recorder = Recorder()
        server.takeEvents().forEach(recorder.record)
        // Wire order: the client's nghttp2 sends both HEADERS before any DATA.
        XCTAssertEqual(recorder.events, ["start 1 /a/b", "start 3 /a/c", "message 1 1", "message 1 1",
                                         "halfClosed 1", "message 3 1", "halfClosed 3"])
        XCTAssertTrue(server.takeEvents().isEmpty)
    }

    func testTinyReceiveBatchBudgetStillDeliversEverythingInOrder() {
        let (_, client) = connection(GRPCServerConfiguration(receiveBatchBytesMax: 1))
        let recorder = Recorder()
        let payloads = (0..<50).map { index in [UInt8](repeating: UInt8(index), count: 300) }
        var body: [UInt8] = []
        for payload in payloads { body += grpcFrame(payload) }
        for index in 0..<3 {
            client.startCall(path: "/p/\(index)", headers: [HTTP2HeaderField("token", "abc"), HTTP2HeaderField("x", "y")],
                             body: body)
        }
        client.pump(handler: recorder.record)
        for id: Int32 in [1, 3, 5] {
            XCTAssertEqual(recorder.messages[id], payloads)
            XCTAssertEqual(recorder.started[id]!.metadata.map { $0.name }, ["token", "x"])
        }
        XCTAssertEqual(recorder.events.filter { $0.hasPrefix("halfClosed") }.count, 3)
    }

    func testMetadataKeepsApplicationHeadersAndDropsReservedOnes() {
        let (_, client) = connection()
        let recorder = Recorder()
        client.startCall(headers: [HTTP2HeaderField("authorization", "abc"), HTTP2HeaderField("token", "t1"),
                                   HTTP2HeaderField("user-agent", "grpc-go/1.33.3"),
                                   HTTP2HeaderField("grpc-accept-encoding", "identity"),
                                   HTTP2HeaderField("grpc-timeout", "5S"), HTTP2HeaderField("hasleader", "true")])
        client.pump(handler: recorder.record)
        let started = recorder.started[1]!
        XCTAssertEqual(started.metadata.map { "\($0.name)=\($0.value)" },
                       ["authorization=abc", "token=t1", "user-agent=grpc-go/1.33.3",
                        "grpc-accept-encoding=identity", "hasleader=true"])
        XCTAssertEqual(started.timeout, 5_000_000_000)
    }

    func testContentSubtypeIsEchoedInResponse() {
        let (server, client) = connection()
        let id = client.startCall(contentType: "application/grpc+proto", body: grpcFrame([]))
        client.pump()
        server.finish(GRPCCallID(streamID: id), status: .ok)
        client.pump()
        XCTAssertEqual(client.streams[id]!.responseHeaders[1], HTTP2HeaderField("content-type", "application/grpc+proto"))
    }

    // MARK: Streaming

    func testServerStreamingDeliversManyMessagesInOrder() {
        let (server, client) = connection()
        let id = client.startCall(path: "/etcdserverpb.Watch/Watch", body: grpcFrame([0]))
        client.pump()
        for index in 0..<1000 {
            send(server, id, Array(repeating: UInt8(index % 251), count: index % 37))
        }
        server.finish(GRPCCallID(streamID: id), status: .ok)
        client.pump()
        let messages = grpcMessages(client.streams[id]!.data)
        XCTAssertEqual(messages.count, 1000)
        for (index, message) in messages.enumerated() {
            XCTAssertEqual(message, Array(repeating: UInt8(index % 251), count: index % 37))
        }
        XCTAssertEqual(client.streams[id]!.trailers.first, HTTP2HeaderField("grpc-status", "0"))
    }

    func testBidirectionalStreamingEchoesEachMessageAsItArrives() {
        let (server, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(path: "/etcdserverpb.Watch/Watch", endStream: false)
        client.pump(handler: recorder.record)
        for round in 0..<200 {
            client.send(id, grpcFrame([UInt8(round % 256), 1]))
            client.pump { event in
                recorder.record(event)
                if case .message(let call, let bytes) = event {
                    server.sendMessage(call, payloadSize: bytes.count) { $0 += bytes }
                }
            }
            XCTAssertEqual(grpcMessages(client.streams[id]!.data).count, round + 1)
        }
        client.send(id, [], endStream: true)
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events.last, "halfClosed 1")
        server.finish(GRPCCallID(streamID: id), status: .ok)
        client.pump()
        let echoed = grpcMessages(client.streams[id]!.data)
        XCTAssertEqual(echoed.map { $0[0] }, (0..<200).map { UInt8($0 % 256) })
        XCTAssertTrue(client.streams[id]!.isClosed)
    }

    func testMessageSplitAcrossManyDataFramesIsReassembled() {
        let (_, client) = connection()
        client.dataChunkLimit = 7
        let recorder = Recorder()
        let payload = (0..<5000).map { UInt8($0 % 256) }
        client.startCall(body: grpcFrame(payload))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.messages[1], [payload])
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "message 1 5000", "halfClosed 1"])
    }

    func testManyMessagesInOneDataFrameAreEachDelivered() {
        let (_, client) = connection()
        let recorder = Recorder()
        let payloads = (0..<100).map { [UInt8]([UInt8($0), UInt8($0)]) }
        var body: [UInt8] = []
        for payload in payloads { body += grpcFrame(payload) }
        XCTAssertLessThan(body.count, 16_384, "fits one DATA frame")
        client.startCall(body: body)
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.messages[1], payloads)
        XCTAssertEqual(recorder.events.filter { $0.hasPrefix("message") }.count, 100)
    }

    // MARK: Status and trailers

    func testTrailersOnlyErrorWhenNoMessageWasSent() {
        let (server, client) = connection()
        let id = client.startCall(body: grpcFrame([1]))
        client.pump()
        server.finish(GRPCCallID(streamID: id), status: GRPCStatus(.notFound, "etcdserver: key not found"))
        client.pump()
        let stream = client.streams[id]!
        XCTAssertEqual(stream.headerFrameCount, 1)
        XCTAssertTrue(stream.hasEndStreamOnHeaders)
        XCTAssertEqual(stream.responseHeaders, grpcOK + [HTTP2HeaderField("grpc-status", "5"),
                                                         HTTP2HeaderField("grpc-message", "etcdserver: key not found")])
        XCTAssertEqual(stream.dataFrameCount, 0)
    }

    func testGRPCMessageIsPercentEncodedOnTheWire() {
        let (server, client) = connection()
        let id = client.startCall(body: grpcFrame([1]))
        client.pump()
        let message = "clé 100% sûr\nnext line"
        server.finish(GRPCCallID(streamID: id), status: GRPCStatus(.invalidArgument, message))
        client.pump()
        let sent = client.streams[id]!.responseHeaders.last!
        XCTAssertEqual(sent, HTTP2HeaderField("grpc-message", "cl%C3%A9 100%25 s%C3%BBr%0Anext line"))
        XCTAssertEqual(GRPCStatus.percentDecoded(sent.value), message)
    }

    func testFinishIsIdempotent() {
        let (server, client) = connection()
        let id = client.startCall(body: grpcFrame([1]))
        client.pump()
        server.finish(GRPCCallID(streamID: id), status: .ok)
        server.finish(GRPCCallID(streamID: id), status: GRPCStatus(.internal, "late"))
        client.pump()
        XCTAssertEqual(client.streams[id]!.responseHeaders.dropFirst(2).first, HTTP2HeaderField("grpc-status", "0"))
        XCTAssertEqual(client.streams[id]!.headerFrameCount, 1)
    }

    // MARK: Rejections as grpc-go makes them

    func testOversizedDeclaredLengthFailsWithResourceExhaustedBeforeBuffering() {
        let (_, client) = connection(GRPCServerConfiguration(maxReceiveMessageBytes: 1024))
        let recorder = Recorder()
        // Declares a 4 GiB message but sends only the prefix and 3 bytes, stream left open.
        let id = client.startCall(body: [0, 0xff, 0xff, 0xff, 0xf0, 1, 2, 3], endStream: false)
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "cancelled 1"])
        let stream = client.streams[id]!
        XCTAssertEqual(stream.responseHeaders, grpcOK + [
            HTTP2HeaderField("grpc-status", "8"),
            HTTP2HeaderField("grpc-message", "grpc: received message larger than max (4294967280 vs. 1024)")])
        XCTAssertEqual(stream.resetCode, .noError, "grpc-go resets a stream the client is still sending on")
        XCTAssertTrue(stream.isClosed)
    }

    func testCompressedFlagWithoutEncodingIsInternal() {
        let (_, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(body: grpcFrame([1, 2], compressed: true))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "cancelled 1"])
        XCTAssertEqual(Array(client.streams[id]!.responseHeaders.suffix(2)), [
            HTTP2HeaderField("grpc-status", "13"),
            HTTP2HeaderField("grpc-message", "grpc: compressed flag set with identity or empty encoding")])
    }

    func testUnsupportedEncodingIsUnimplementedTrailersOnly() {
        let (_, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(headers: [HTTP2HeaderField("grpc-encoding", "gzip")], body: grpcFrame([1], compressed: true))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, [], "the server never sees the call")
        XCTAssertEqual(client.streams[id]!.responseHeaders, grpcOK + [
            HTTP2HeaderField("grpc-status", "12"),
            HTTP2HeaderField("grpc-message", "grpc: Decompressor is not installed for grpc-encoding \"gzip\"")])
    }

    func testIdentityEncodingIsAccepted() {
        let (_, client) = connection()
        let recorder = Recorder()
        client.startCall(headers: [HTTP2HeaderField("grpc-encoding", "identity")], body: grpcFrame([1]))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "message 1 1", "halfClosed 1"])
    }

    func testNonGRPCContentTypeIsResetWithProtocolError() {
        let (_, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(contentType: "application/json", body: Array("{}".utf8))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, [])
        XCTAssertEqual(client.streams[id]!.resetCode, .protocolError)
        XCTAssertEqual(client.streams[id]!.headerFrameCount, 0)
    }

    func testPlainRequestsAreReportedAndAnsweredWhenAccepted() {
        let (server, client) = connection()
        server.acceptsPlainHTTP = true
        let recorder = Recorder()
        let id = client.startCall(path: "/v3/kv/range", contentType: "application/json", body: Array(#"{"key":"YQ=="}"#.utf8))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["plain 1 POST /v3/kv/range", "plainBody 1 14", "halfClosed 1"])
        server.startPlainResponse(GRPCCallID(streamID: id), status: 404, headers: [("content-type", "text/plain")])
        server.appendPlainBody(GRPCCallID(streamID: id), Array("Not Found\n".utf8))
        server.endPlainResponse(GRPCCallID(streamID: id))
        client.pump(handler: recorder.record)
        let stream = client.streams[id]!
        XCTAssertTrue(stream.responseHeaders.contains(HTTP2HeaderField(":status", "404")))
        XCTAssertEqual(String(decoding: stream.data, as: UTF8.self), "Not Found\n")
        XCTAssertTrue(stream.isClosed)
        XCTAssertNil(stream.resetCode)
        XCTAssertFalse(recorder.events.contains("cancelled 1"), "an answered plain request is not cancelled")
    }

    func testMalformedTimeoutIsResetWithProtocolError() {
        let (_, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(headers: [HTTP2HeaderField("grpc-timeout", "10x")], body: grpcFrame([1]))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, [])
        XCTAssertEqual(client.streams[id]!.resetCode, .protocolError)
    }

    func testHeaderListOverLimitIsResetWithFrameSizeError() {
        let (_, client) = connection(GRPCServerConfiguration(maxHeaderListBytes: 4096))
        let recorder = Recorder()
        let id = client.startCall(headers: [HTTP2HeaderField("token", String(repeating: "x", count: 5000))])
        let next = client.startCall()
        client.pump(handler: recorder.record)
        XCTAssertEqual(client.streams[id]!.resetCode, .frameSizeError)
        XCTAssertEqual(recorder.events, ["start 3 /etcdserverpb.KV/Range", "halfClosed 3"],
                       "the next stream on the connection is unaffected")
        XCTAssertEqual(next, 3)
    }

    func testInvalidHeaderFieldResetsOnlyItsStream() {
        let (_, client) = connection()
        let recorder = Recorder()
        let bad = client.startCall(headers: [HTTP2HeaderField("token", "a"), HTTP2HeaderField("split", "a\r\nb"),
                                             HTTP2HeaderField("later", "b")])
        client.startCall(path: "/ok/after", headers: [HTTP2HeaderField("token", "c")])
        client.pump(handler: recorder.record)
        XCTAssertEqual(client.streams[bad]!.resetCode, .protocolError, "CR/LF are not allowed in field values")
        XCTAssertEqual(recorder.events, ["start 3 /ok/after", "halfClosed 3"])
        XCTAssertEqual(recorder.started[3]!.metadata.map { "\($0.name)=\($0.value)" }, ["token=c"])
    }

    func testAURLAsAuthorityIsServedAsGrpcGoServesIt() {
        // etcdctl's --cluster commands dial members by their client URLs and send them whole.
        let (_, client) = connection()
        let recorder = Recorder()
        client.startCall(authority: "http://127.0.0.1:2379")
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "halfClosed 1"])
    }

    func testFieldsGrpcGosFramerRefusesResetTheirStream() {
        let (_, client) = connection()
        let recorder = Recorder()
        // (nghttp2's client lower-cases names, so an upper-case one cannot be sent from here;
        // HeaderFieldValidityTests covers it.)
        let pseudoAfterRegular = client.startCall(headers: [HTTP2HeaderField(":path", "/x")])
        let controlByte = client.startCall(headers: [HTTP2HeaderField("token", "a\u{0}b")])
        let tabIsFine = client.startCall(headers: [HTTP2HeaderField("token", "a\tb")])
        client.pump(handler: recorder.record)
        for id in [pseudoAfterRegular, controlByte] {
            XCTAssertEqual(client.streams[id]!.resetCode, .protocolError, "stream \(id)")
        }
        XCTAssertEqual(recorder.events, ["start \(tabIsFine) /etcdserverpb.KV/Range", "halfClosed \(tabIsFine)"])
    }

    func testBodyEndingMidMessageFailsTheCall() {
        let (_, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(body: Array(grpcFrame([1, 2, 3, 4]).prefix(7)))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "cancelled 1"])
        XCTAssertEqual(Array(client.streams[id]!.responseHeaders.suffix(2)), [
            HTTP2HeaderField("grpc-status", "2"), HTTP2HeaderField("grpc-message", "unexpected EOF")])
    }

    // MARK: Cancellation and connection lifetime

    func testClientResetCancelsTheCallAndLaterResponsesAreNoOps() {
        let (server, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(endStream: false)
        client.pump(handler: recorder.record)
        client.reset(id)
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "cancelled 1"])

        var wrote = false
        server.sendMessage(GRPCCallID(streamID: id), payloadSize: 1) { $0.append(1); wrote = true }
        server.finish(GRPCCallID(streamID: id), status: .ok)
        XCTAssertFalse(wrote)
        var output: [UInt8] = []
        server.output(into: &output)
        XCTAssertEqual(output, [], "nothing is sent for a cancelled call")
        XCTAssertEqual(server.pendingOutboundBytes(GRPCCallID(streamID: id)), 0)
        XCTAssertEqual(server.openCallCount, 0)
    }

    func testClientResetMidMessageCancelsWithoutDeliveringThePartialMessage() {
        let (server, client) = connection()
        let recorder = Recorder()
        let id = client.startCall(body: Array(grpcFrame(Array(repeating: 1, count: 100)).prefix(50)), endStream: false)
        client.pump(handler: recorder.record)
        client.reset(id)
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "cancelled 1"])
        XCTAssertEqual(server.openCallCount, 0)
    }

    func testPingIsAnsweredWithoutInvolvingTheServer() {
        let (server, client) = connection()
        client.pump()
        client.ping()
        client.pump()
        XCTAssertEqual(client.pingAcksReceived, 1)
        XCTAssertFalse(server.hasEvents)
    }

    func testConnectionLostCancelsEveryUnfinishedCall() {
        let (server, client) = connection()
        let recorder = Recorder()
        let ids = (0..<3).map { _ in client.startCall(endStream: false) }
        client.pump(handler: recorder.record)
        server.finish(GRPCCallID(streamID: ids[1]), status: .ok)
        server.connectionLost()
        server.connectionLost()
        server.drainEvents(recorder.record)
        XCTAssertEqual(recorder.events.suffix(2), ["cancelled 1", "cancelled 5"])
        XCTAssertEqual(server.openCallCount, 0)
    }

    func testConnectionErrorQueuesGoAwayThenFinishes() {
        let server = GRPCServerConnection()
        let magic = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        let settings: [UInt8] = [0, 0, 0, 0x4, 0, 0, 0, 0, 0]
        let dataOnStreamZero: [UInt8] = [0, 0, 1, 0x0, 0, 0, 0, 0, 0, 42]  // PROTOCOL_ERROR (RFC 9113 §6.1)
        _ = (magic + settings + dataOnStreamZero).withUnsafeBytes { server.receive($0) }
        XCTAssertTrue(server.wantsWrite)
        var output: [UInt8] = []
        server.output(into: &output)
        // Walk the frames written: the last is GOAWAY (type 7) carrying PROTOCOL_ERROR.
        var index = 0
        var last: (type: UInt8, payload: ArraySlice<UInt8>)?
        while index + 9 <= output.count {
            let length = Int(output[index]) << 16 | Int(output[index + 1]) << 8 | Int(output[index + 2])
            last = (output[index + 3], output[(index + 9)..<(index + 9 + length)])
            index += 9 + length
        }
        XCTAssertEqual(index, output.count)
        XCTAssertEqual(last?.type, 0x7)
        XCTAssertEqual(last.map { Array($0.payload.dropFirst(4).prefix(4)) }, [0, 0, 0, 1])
        XCTAssertTrue(server.isFinished)
    }

    func testGarbageInsteadOfPrefaceClosesTheConnection() {
        let server = GRPCServerConnection()
        let request = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        XCTAssertFalse(request.withUnsafeBytes { server.receive($0) })
        XCTAssertTrue(server.isFinished)
        XCTAssertTrue(server.takeEvents().isEmpty)
    }

    func testStreamsBeyondMaxConcurrentAreRefused() {
        let (server, client) = connection(GRPCServerConfiguration(maxConcurrentStreams: 2))
        let recorder = Recorder()
        // The client opens three streams before it has read the server's SETTINGS.
        let ids = (0..<3).map { _ in client.startCall(endStream: false) }
        client.pump(handler: recorder.record)
        XCTAssertEqual(client.serverMaxConcurrentStreams, 2)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range", "start 3 /etcdserverpb.KV/Range"])
        XCTAssertEqual(client.streams[ids[2]]!.resetCode, .refusedStream)
        XCTAssertEqual(server.openCallCount, 2)
    }

    func testCompliantClientWaitsForAFreeStreamSlot() {
        let (server, client) = connection(GRPCServerConfiguration(maxConcurrentStreams: 1))
        let recorder = Recorder()
        client.pump()  // exchange SETTINGS first
        let first = client.startCall(endStream: false)
        let second = client.startCall()
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events, ["start 1 /etcdserverpb.KV/Range"], "the second call waits in the client")
        server.finish(GRPCCallID(streamID: first), status: .ok)
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.events.suffix(2), ["start 3 /etcdserverpb.KV/Range", "halfClosed 3"])
        XCTAssertEqual(second, 3)
        XCTAssertNil(client.goAway)
    }

    func testLargeResponseFlowsAsTheClientOpensItsWindow() {
        let (server, client) = connection()
        let id = client.startCall(body: grpcFrame([1]))
        client.pump()
        let chunk = (0..<65_536).map { UInt8($0 % 253) }
        for _ in 0..<64 { send(server, id, chunk) }  // 4 MiB, far beyond the client's 64 KiB window
        server.finish(GRPCCallID(streamID: id), status: .ok)
        XCTAssertEqual(server.pendingOutboundBytes(GRPCCallID(streamID: id)), 64 * (65_536 + 5))
        client.pump()
        let messages = grpcMessages(client.streams[id]!.data)
        XCTAssertEqual(messages.count, 64)
        XCTAssertTrue(messages.allSatisfy { $0 == chunk })
        XCTAssertEqual(client.streams[id]!.trailers.first, HTTP2HeaderField("grpc-status", "0"))
        XCTAssertEqual(server.pendingOutboundBytes(GRPCCallID(streamID: id)), 0)
    }

    func testOutputRespectsItsByteLimitAndResumes() {
        let (server, client) = connection()
        let id = client.startCall(body: grpcFrame([1]))
        client.pump()
        send(server, id, Array(repeating: 7, count: 60_000))
        var output: [UInt8] = []
        server.output(into: &output, limitBytes: 1000)
        XCTAssertLessThan(output.count, 1000 + 16_384 + 9, "stops after the frame that crossed the limit")
        XCTAssertTrue(server.wantsWrite)
    }

    func testLargeUploadIsReplenishedWithWindowUpdates() {
        let configuration = GRPCServerConfiguration(maxReceiveMessageBytes: 2 << 20,
                                                    initialStreamWindowBytes: 65_535,
                                                    connectionWindowBytes: 65_535)
        let (_, client) = connection(configuration)
        let recorder = Recorder()
        let payload = (0..<(1 << 20)).map { UInt8($0 % 239) }
        client.startCall(path: "/etcdserverpb.KV/Put", body: grpcFrame(payload))
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.messages[1], [payload])
        XCTAssertGreaterThan(client.windowUpdatesReceived, 16, "1 MiB through 64 KiB windows needs many updates")
    }

    func testGoAwayLetsRunningCallsFinishThenEndsTheConnection() {
        let (server, client) = connection()
        let recorder = Recorder()
        let first = client.startCall(endStream: false)
        let second = client.startCall(body: grpcFrame([1]))
        client.pump(handler: recorder.record)
        server.goAway()
        client.pump(handler: recorder.record)
        XCTAssertEqual(client.goAway?.lastStreamID, second)
        XCTAssertEqual(client.goAway?.errorCode, .noError)
        XCTAssertFalse(server.isFinished, "calls are still running")

        server.finish(GRPCCallID(streamID: second), status: .ok)
        client.send(first, grpcFrame([2]), endStream: true)
        client.pump(handler: recorder.record)
        XCTAssertEqual(recorder.messages[first], [[2]])
        XCTAssertFalse(server.isFinished)
        server.finish(GRPCCallID(streamID: first), status: .ok)
        client.pump(handler: recorder.record)
        XCTAssertTrue(client.streams[first]!.isClosed)
        XCTAssertTrue(server.isFinished)
    }
}
