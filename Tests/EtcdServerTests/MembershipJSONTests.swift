import EtcdBasics
import XCTest

@testable import EtcdServer

/// etcd's membership documents, spelled as Go's encoding/json spells them. Every golden string
/// here was printed by json.Marshal on etcd 3.4's own `membership` types (or read out of a
/// real etcd 3.4.23 data directory's `members` bucket, where noted).
final class MembershipJSONTests: XCTestCase {
    private let started = ClusterMember(id: MemberID(0xbdae9bbc11dd390d), name: "n1",
                                        peerURLs: ["http://127.0.0.1:23801", "http://localhost:23801"],
                                        clientURLs: ["http://127.0.0.1:23791"])
    private let learner = ClusterMember(id: MemberID(0x31c6be85c24548ac), peerURLs: ["http://127.0.0.1:23811"], isLearner: true)

    func testAStartedMemberIsWrittenAsEtcdWroteItIntoItsMembersBucket() {
        XCTAssertEqual(started.json, #"{"id":13668033151171901709,"peerURLs":["http://127.0.0.1:23801","http://localhost:23801"],"name":"n1","clientURLs":["http://127.0.0.1:23791"]}"#)
        XCTAssertEqual(started.raftAttributesJSON, #"{"peerURLs":["http://127.0.0.1:23801","http://localhost:23801"]}"#)
        XCTAssertEqual(started.attributesJSON, #"{"name":"n1","clientURLs":["http://127.0.0.1:23791"]}"#)
    }

    func testALearnerThatHasNotStartedHasIsLearnerAndNoAttributes() {
        XCTAssertEqual(learner.json, #"{"id":3586763634946427052,"peerURLs":["http://127.0.0.1:23811"],"isLearner":true}"#)
        XCTAssertEqual(learner.raftAttributesJSON, #"{"peerURLs":["http://127.0.0.1:23811"],"isLearner":true}"#)
        XCTAssertEqual(learner.attributesJSON, "{}")
        XCTAssertEqual(ClusterMember(id: MemberID(1), peerURLs: [], clientURLs: ["http://x:2379"]).attributesJSON,
                       #"{"clientURLs":["http://x:2379"]}"#)
    }

    func testStringsAreEscapedAsEncodingJSONEscapesThem() {
        let member = ClusterMember(id: MemberID(UInt64.max), name: "a<b>&\"\\\n\r\t\u{1}\u{1f}\u{2028}\u{2029}\u{7f} é😀",
                                   peerURLs: ["https://[::1]:2380"])
        XCTAssertEqual(member.json, #"{"id":18446744073709551615,"peerURLs":["https://[::1]:2380"],"name":"a\u003cb\u003e\u0026\"\\\n\r\t\u0001\u001f\u2028\u2029"# + "\u{7f}" + #" é😀"}"#)
    }

    func testAMemberWithoutPeerURLsWritesNullAsGoWritesANilSlice() {
        XCTAssertEqual(ClusterMember(id: MemberID(7), peerURLs: []).json, #"{"id":7,"peerURLs":null}"#)
    }

    func testEncodedMembersDecodeBackUnchanged() throws {
        for member in [started, learner, ClusterMember(id: MemberID(UInt64.max), name: "ü\n\"<", peerURLs: ["u"])] {
            XCTAssertEqual(try ClusterMember(decodingJSON: Array(member.json.utf8)), member)
        }
    }

    func testDecodingFollowsGoFieldRules() throws {
        // Field names match case-insensitively, unknown fields are skipped.
        XCTAssertEqual(try decode(#"{"ID":5,"PEERURLS":["u"],"islearner":true,"extra":{"a":[1,2]},"Name":"x"}"#),
                       ClusterMember(id: MemberID(5), name: "x", peerURLs: ["u"], isLearner: true))
        // The last of repeated keys wins; null leaves the zero value.
        XCTAssertEqual(try decode(#"{"id":5,"id":6,"peerURLs":null,"name":null}"#), ClusterMember(id: MemberID(6), peerURLs: []))
        XCTAssertEqual(try decode(#"{"id":5,"peerURLs":["a",null]}"#), ClusterMember(id: MemberID(5), peerURLs: ["a", ""]))
        // Escapes, surrogate pairs; a lone surrogate becomes U+FFFD.
        XCTAssertEqual(try decode(#"{"name":"\ud83d\ude00 \ud800x \u00e9\/"}"#).name, "😀 \u{FFFD}x é/")
        XCTAssertEqual(try decode(" {\"id\" : 18446744073709551615 }\n").id, MemberID(UInt64.max))
    }

    func testValuesOfTheWrongTypeAreRefusedAsGoRefusesThem() {
        for document in [#"{"id":"5"}"#, #"{"id":-1}"#, #"{"id":1.0}"#, #"{"id":1e2}"#, #"{"id":18446744073709551616}"#,
                         #"{"isLearner":1}"#, #"{"peerURLs":"u"}"#, #"{"peerURLs":[1]}"#, #"{"name":true}"#, "[]", "null"] {
            XCTAssertThrowsError(try decode(document), document)
        }
    }

    func testTheParserIsStrictAboutSyntax() {
        for document in ["", "{", #"{"id":1,}"#, #"{"id":01}"#, #"{id:1}"#, #"{"id":1} x"#, "{'id':1}", #"{"name":"a\x"}"#,
                         "{\"name\":\"a\nb\"}", #"{"id":-}"#, #"{"id":1.}"#, #"{"name":"\u12"}"#, #"{"a":tru}"#, #"{"a":[1 2]}"#] {
            XCTAssertThrowsError(try JSONValue(parsing: Array(document.utf8)), document)
        }
        let deep = String(repeating: "[", count: JSONValue.nestingDepthMax + 1) + String(repeating: "]", count: JSONValue.nestingDepthMax + 1)
        XCTAssertThrowsError(try JSONValue(parsing: Array(deep.utf8)))
        let allowed = String(repeating: "[", count: JSONValue.nestingDepthMax) + String(repeating: "]", count: JSONValue.nestingDepthMax)
        XCTAssertNoThrow(try JSONValue(parsing: Array(allowed.utf8)))
    }

    func testTheParserReadsEveryKindOfValue() throws {
        XCTAssertEqual(try JSONValue(parsing: Array(#"{"a":[true,false,null,-0.5e+3,"s",{}],"b":{"c":[]}}"#.utf8)),
                       .object([JSONField(key: "a", value: .array([.bool(true), .bool(false), .null, .number("-0.5e+3"), .string("s"), .object([])])),
                                JSONField(key: "b", value: .object([JSONField(key: "c", value: .array([]))]))]))
    }

    private func decode(_ document: String) throws -> ClusterMember {
        try ClusterMember(decodingJSON: Array(document.utf8))
    }
}
