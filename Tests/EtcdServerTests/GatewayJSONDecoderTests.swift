import XCTest
import EtcdProto
import ProtoWire
@testable import EtcdServer

/// JSON request bodies read as etcd 3.4.23's gateway reads them (jsonpb behind grpc-gateway v1);
/// every error text below is the `"error"` etcd answered for the same body.
final class GatewayJSONDecoderTests: XCTestCase {
    private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func decode<M: ProtoMessage>(_ json: String, _ schema: ProtoSchema, as type: M.Type = M.self) throws -> M {
        try M(serializedBytes: try ProtoJSONDecoder.decode(b(json), as: schema))
    }

    private func errorText(_ json: String, _ schema: ProtoSchema = .rangeRequest, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            _ = try ProtoJSONDecoder.decode(b(json), as: schema)
            XCTFail("decoded \(json)", file: file, line: line)
            return nil
        } catch {
            return error.description
        }
    }

    func testBothNameStylesAndLastKeyWins() throws {
        let expected = RangeRequest(key: b("foo"), rangeEnd: [0], sortOrder: .descend, keysOnly: true)
        XCTAssertEqual(try decode(#"{"key":"Zm9v","range_end":"AA==","sort_order":"DESCEND","keys_only":true}"#, .rangeRequest), expected)
        XCTAssertEqual(try decode(#"{"key":"Zm9v","rangeEnd":"AA==","sortOrder":"DESCEND","keysOnly":true}"#, .rangeRequest), expected)
        XCTAssertEqual(try decode(#"{"key":"YQ==","k\u0065y":"Zm9v", "rangeEnd":"AA==","sortOrder":2,"keysOnly":true}"#, .rangeRequest), expected,
                       "escaped keys match, the last duplicate wins, enums by number")
        // Both styles given: the lowerCamel one wins (etcd answered prev_kv for this put).
        XCTAssertEqual(try decode(#"{"key":"dA==","prevKv":true,"prev_kv":false}"#, .putRequest), PutRequest(key: b("t"), prevKv: true))
        // Case matters; unknown keys are ignored (AllowUnknownFields).
        XCTAssertEqual(try decode(#"{"KEY":"Zm9v","foo":{"x":[1,2]}}"#, .rangeRequest), RangeRequest())
    }

    func testIntegersAsNumbersOrStrings() throws {
        XCTAssertEqual(try decode(#"{"revision":"3","limit":3}"#, .rangeRequest), RangeRequest(limit: 3, revision: 3))
        XCTAssertEqual(try decode(#"{"limit":" 5 ","revision":-1}"#, .rangeRequest), RangeRequest(limit: 5, revision: -1))
        XCTAssertEqual(try decode(#"{"limit":-9223372036854775808}"#, .rangeRequest), RangeRequest(limit: .min))
        XCTAssertEqual(try decode(#"{"ID":"18446744073709551615"}"#, .memberRemoveRequest), MemberRemoveRequest(id: .max))
        XCTAssertEqual(try decode(#"{"TTL":60,"ID":100}"#, .leaseGrantRequest), { var r = LeaseGrantRequest(); r.ttl = 60; r.id = 100; return r }())
        XCTAssertEqual(try decode(#"{"key":"Zm9v","limit":null,"range_end":null}"#, .rangeRequest), RangeRequest(key: b("foo")))
        XCTAssertEqual(try decode(#"{"key":[102,111,111]}"#, .rangeRequest), RangeRequest(key: b("foo")), "a []byte also takes an array")
    }

    func testEmptyBodiesAndTrailingBytes() throws {
        XCTAssertEqual(try ProtoJSONDecoder.decode([], as: .rangeRequest), [])
        XCTAssertEqual(try ProtoJSONDecoder.decode(b(" \n "), as: .rangeRequest), [])
        XCTAssertEqual(try ProtoJSONDecoder.decode(b("null"), as: .rangeRequest), [])
        XCTAssertEqual(try decode(#"{"key":"Zm9v"} x"#, .rangeRequest), RangeRequest(key: b("foo")), "json.Decoder reads one value")
    }

    func testTxnWithOneofsAndNesting() throws {
        let json = #"""
        {"compare":[{"key":"Zm9v","target":"VERSION","result":"GREATER","version":"0"},
                    {"key":"Zm9v","target":"VALUE","value":""},{"target":"LEASE","lease":null}],
         "success":[{"request_range":{"key":"Zm9v"}},{"requestPut":{"key":"YQ==","value":"","prev_kv":true}},
                    {"request_txn":{"success":[{"request_delete_range":{"key":"Yg==","prevKv":true}}]}}],
         "failure":[{"request_delete_range":{"key":"Zm9v"}}]}
        """#
        let expected = TxnRequest(
            compare: [
                Compare(result: .greater, target: .version, key: b("foo"), targetUnion: .version(0)),
                Compare(result: .equal, target: .value, key: b("foo"), targetUnion: .value([])),
                Compare(result: .equal, target: .lease, targetUnion: .lease(0)),
            ],
            success: [
                RequestOp(request: .requestRange(RangeRequest(key: b("foo")))),
                RequestOp(request: .requestPut(PutRequest(key: b("a"), prevKv: true))),
                RequestOp(request: .requestTxn(TxnRequest(success: [
                    RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: b("b"), prevKv: true))),
                ]))),
            ],
            failure: [RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: b("foo"))))])
        XCTAssertEqual(try decode(json, .txnRequest), expected)
        XCTAssertEqual(try ProtoJSONDecoder.decode(b(json), as: .txnRequest), expected.serializedBytes(), "gogo's field order")
    }

    /// Every message of a complete streaming body, in order, as the gateway decodes them one by one.
    private func decodeStream(_ body: [UInt8], as schema: ProtoSchema) throws -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var offset = 0
        while case let .message(bytes, end) = try ProtoJSONDecoder.decodeNext(body, from: offset, isComplete: true, as: schema) {
            messages.append(bytes)
            offset = end
        }
        return messages
    }

    func testStreamOfConcatenatedWatchRequests() throws {
        let body = b(#" {"create_request":{"key":"Zm9v","start_revision":"4","filters":["NOPUT",1],"prev_kv":true}}"#
                     + "\n" + #"{"cancel_request":{"watch_id":2}}{"progress_request":{}}  "#)
        let create = WatchCreateRequest(key: b("foo"), startRevision: 4, filters: [.noPut, .noDelete], prevKv: true)
        let expected = [
            WatchRequest(requestUnion: .createRequest(create)),
            WatchRequest(requestUnion: .cancelRequest(WatchCancelRequest(watchId: 2))),
            WatchRequest(requestUnion: .progressRequest(WatchProgressRequest())),
        ]
        let messages = try decodeStream(body, as: .watchRequest)
        XCTAssertEqual(try messages.map { try WatchRequest(serializedBytes: $0) }, expected)

        // Fed a growing body, a cut-off value waits for more bytes and resumes at the same offset.
        let cut = Array(body[..<40])
        XCTAssertEqual(try ProtoJSONDecoder.decodeNext(cut, from: 0, isComplete: false, as: .watchRequest), .needsMoreBytes)
        guard case let .message(first, end) = try ProtoJSONDecoder.decodeNext(body, from: 0, isComplete: false, as: .watchRequest) else {
            return XCTFail("no first message")
        }
        XCTAssertEqual(try WatchRequest(serializedBytes: first), expected[0])
        XCTAssertEqual(try ProtoJSONDecoder.decodeNext(Array(body[..<(end + 1)]), from: end, isComplete: false, as: .watchRequest), .needsMoreBytes)
        XCTAssertEqual(try ProtoJSONDecoder.decodeNext(body, from: body.count - 2, isComplete: true, as: .watchRequest), .endOfBody)
        XCTAssertThrowsError(try ProtoJSONDecoder.decodeNext(cut, from: 0, isComplete: true, as: .watchRequest)) {
            XCTAssertEqual(($0 as? GatewayJSONError)?.description, "unexpected EOF")
        }
    }

    func testSyntaxErrorTexts() {
        XCTAssertEqual(errorText(#"{"key":"Zm9v""#), "unexpected EOF")
        XCTAssertEqual(errorText(#"{"key":"Zm9v","#), "unexpected EOF")
        XCTAssertEqual(errorText(#"{"key":x}"#), "invalid character 'x' looking for beginning of value")
        XCTAssertEqual(errorText(#"{"key":"Zm9v",}"#), "invalid character '}' looking for beginning of object key string")
        XCTAssertEqual(errorText(#"{"key":"Zm9v" "x":1}"#), #"invalid character '"' after object key:value pair"#)
        XCTAssertEqual(errorText(#"{"key" 1}"#), "invalid character '1' after object key")
        XCTAssertEqual(errorText(#"{"key":tru}"#), "invalid character '}' in literal true (expecting 'e')")
        XCTAssertEqual(errorText(#"{"limit":01}"#), "invalid character '1' after object key:value pair")
        XCTAssertEqual(errorText(#"{"limit":-}"#), "invalid character '}' in numeric literal")
        XCTAssertEqual(errorText(#"{"limit":1.}"#), "invalid character '}' after decimal point in numeric literal")
        XCTAssertEqual(errorText(#"{"limit":1e}"#), "invalid character '}' in exponent of numeric literal")
        XCTAssertEqual(errorText(#"{"key":"\q"}"#), "invalid character 'q' in string escape code")
        XCTAssertEqual(errorText(#"{"key":"\u00"}"#), #"invalid character '"' in \u hexadecimal character escape"#)
        XCTAssertEqual(errorText("{\"key\":\"\u{1}\"}"), #"invalid character '\x01' in string literal"#)
        XCTAssertEqual(errorText(#"{"key":é}"#), "invalid character 'Ã' looking for beginning of value")
        XCTAssertEqual(errorText(#"{"a":[1 2]}"#), "invalid character '2' after array element")
    }

    func testValueErrorTexts() {
        XCTAssertEqual(errorText(#"{"key":1}"#), "json: cannot unmarshal number into Go value of type []uint8")
        XCTAssertEqual(errorText(#"{"key":{}}"#), "json: cannot unmarshal object into Go value of type []uint8")
        XCTAssertEqual(errorText(#"{"key":[102,300]}"#), "json: cannot unmarshal number 300 into Go value of type uint8")
        XCTAssertEqual(errorText(#"{"revision":"abc"}"#), "invalid character 'a' looking for beginning of value")
        XCTAssertEqual(errorText(#"{"limit":"3x"}"#), "invalid character 'x' after top-level value")
        XCTAssertEqual(errorText(#"{"limit":""}"#), "unexpected end of JSON input")
        XCTAssertEqual(errorText(#"{"limit":true}"#), "json: cannot unmarshal bool into Go value of type int64")
        XCTAssertEqual(errorText(#"{"limit":"true"}"#), "json: cannot unmarshal bool into Go value of type int64")
        XCTAssertEqual(errorText(#"{"limit":[1]}"#), "json: cannot unmarshal array into Go value of type int64")
        XCTAssertEqual(errorText(#"{"limit":{}}"#), "json: cannot unmarshal object into Go value of type int64")
        XCTAssertEqual(errorText(#"{"limit":1e2}"#), "json: cannot unmarshal number 1e2 into Go value of type int64")
        XCTAssertEqual(errorText(#"{"limit":"1.0"}"#), "json: cannot unmarshal number 1.0 into Go value of type int64")
        XCTAssertEqual(errorText(#"{"limit":9223372036854775808}"#),
                       "json: cannot unmarshal number 9223372036854775808 into Go value of type int64")
        XCTAssertEqual(errorText(#"{"serializable":1}"#), "json: cannot unmarshal number into Go value of type bool")
        XCTAssertEqual(errorText(#"{"keys_only":"true"}"#), "json: cannot unmarshal string into Go value of type bool")
        XCTAssertEqual(errorText(#"[1]"#), "json: cannot unmarshal array into Go value of type map[string]json.RawMessage")
        XCTAssertEqual(errorText(#""x""#), "json: cannot unmarshal string into Go value of type map[string]json.RawMessage")
        XCTAssertEqual(errorText(#"{"peerURLs":"x"}"#, .memberAddRequest),
                       "json: cannot unmarshal string into Go value of type []json.RawMessage")
    }

    func testBase64AndEnumErrorTexts() {
        XCTAssertEqual(errorText(#"{"key":"Zm9v!"}"#), "illegal base64 data at input byte 4")
        XCTAssertEqual(errorText(#"{"key":"Zm9"}"#), "illegal base64 data at input byte 0")
        XCTAssertEqual(errorText(#"{"key":"Zm9-_w"}"#), "illegal base64 data at input byte 3", "URL-safe base64 is refused")
        XCTAssertEqual(errorText(#"{"key":"Zm=v"}"#), "illegal base64 data at input byte 2")
        XCTAssertEqual(errorText(#"{"key":"Zg="}"#), "illegal base64 data at input byte 3")
        XCTAssertEqual(errorText(#"{"key":"Zg"}"#), "illegal base64 data at input byte 0")
        XCTAssertEqual(errorText(#"{"key":"Zg===="}"#), "illegal base64 data at input byte 4")
        XCTAssertEqual(errorText(#"{"sort_order":"BAD"}"#), #"unknown value "BAD" for enum etcdserverpb.RangeRequest_SortOrder"#)
        XCTAssertEqual(errorText(#"{"sort_target":"value"}"#), #"unknown value "value" for enum etcdserverpb.RangeRequest_SortTarget"#)
        XCTAssertEqual(errorText(#"{"sort_order":"desc\u0065nd"}"#), #"unknown value "desc\\u0065nd" for enum etcdserverpb.RangeRequest_SortOrder"#)
        XCTAssertEqual(errorText(#"{"sort_order":true}"#), "json: cannot unmarshal bool into Go value of type etcdserverpb.RangeRequest_SortOrder")
        XCTAssertEqual(errorText(#"{"sort_order":99999999999}"#),
                       "json: cannot unmarshal number 99999999999 into Go value of type etcdserverpb.RangeRequest_SortOrder")
        XCTAssertEqual(errorText(#"{"compare":[{"key":"Zm9v","result":"NOPE"}]}"#, .txnRequest),
                       #"unknown value "NOPE" for enum etcdserverpb.Compare_CompareResult"#)
        XCTAssertEqual(errorText(#"{"create_request":{"filters":["NOPUT",1,"x"]}}"#, .watchRequest),
                       #"unknown value "x" for enum etcdserverpb.WatchCreateRequest_FilterType"#)
        XCTAssertEqual(errorText(#"{"create_request":{"filters":"NOPUT"}}"#, .watchRequest),
                       #"invalid target "slice" for enum etcdserverpb.WatchCreateRequest_FilterType"#)
        XCTAssertEqual(errorText(#"{"create_request":{"filters":[true]}}"#, .watchRequest),
                       "json: cannot unmarshal bool into Go value of type etcdserverpb.WatchCreateRequest_FilterType")
    }

    func testBase64AcceptsWhatGoAccepts() throws {
        XCTAssertEqual(try decode(#"{"key":"Zm9v\nYg==\r\n"}"#, .rangeRequest), RangeRequest(key: b("foob")), "newlines are skipped")
        XCTAssertEqual(try decode(#"{"key":"","value":"AP8="}"#, .putRequest), PutRequest(value: [0, 0xFF]))
    }

    func testHostileNestingIsRefused() {
        let deep = String(repeating: "[", count: GatewayJSONScanner.nestingDepthMax + 1)
        XCTAssertEqual(errorText(#"{"x":"# + deep), "exceeded max depth")
        var txn = "{}"
        for _ in 0...70 { txn = #"{"success":[{"request_txn":\#(txn)}]}"# }
        XCTAssertEqual(errorText(txn, .txnRequest), "proto: messages nested deeper than 64")
    }
}
