import EtcdBasics
import Foundation
import ProtoWire
import XCTest

@testable import EtcdServer

/// The encodings a member writes into its raft log that etcd's code reads back: the WAL's
/// metadata record (etcdserverpb.Metadata), the bootstrap ConfChange's member JSON
/// (membership.Member) and the published attributes (membership.Attributes).
final class MemberLogEncodingTests: XCTestCase {
    private func identity(name: String, peerURLs: [String] = ["http://10.0.0.1:2380"],
                          clientURLs: [String] = ["http://10.0.0.1:2379"]) -> ServerIdentity {
        ServerIdentity(clusterID: ClusterID(0xcdf8_1819_4e3a_d3b0), memberID: MemberID(0x8e9e_05c5_2164_694d),
                       name: name, raft: RaftStatus(), peerURLs: peerURLs, clientURLs: clientURLs)
    }

    /// The JSON parsed as etcd's Go code would: an object of the given shape.
    private struct Member: Decodable, Equatable {
        var id: UInt64
        var peerURLs: [String]
        var name: String
    }

    private struct Attributes: Decodable, Equatable {
        var name: String
        var clientURLs: [String]?
    }

    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    func testMemberJSONCarriesTheIDAsAnExactNumberAndTheURLsAndName() throws {
        let json = MemberLog.memberJSON(identity(name: "infra1", peerURLs: ["http://a:2380", "http://b:2380"]))
        XCTAssertEqual(json, #"{"id":10276657743932975437,"peerURLs":["http://a:2380","http://b:2380"],"name":"infra1"}"#)
        XCTAssertEqual(try decode(Member.self, json),
                       Member(id: 0x8e9e_05c5_2164_694d, peerURLs: ["http://a:2380", "http://b:2380"], name: "infra1"))
    }

    func testNamesWithQuotesBackslashesAndControlCharactersStayValidJSON() throws {
        let awkward = "a\"b\\c\nd\te\u{1}f\u{1f} é 名前 </script>"
        let member = try decode(Member.self, MemberLog.memberJSON(identity(name: awkward, peerURLs: ["http://x\"y"])))
        XCTAssertEqual(member.name, awkward)
        XCTAssertEqual(member.peerURLs, ["http://x\"y"])
        let attributes = try decode(Attributes.self, MemberLog.attributesJSON(identity(name: awkward, clientURLs: ["u\\v"])))
        XCTAssertEqual(attributes, Attributes(name: awkward, clientURLs: ["u\\v"]))
        XCTAssertFalse(MemberLog.memberJSON(identity(name: awkward)).unicodeScalars.contains { $0.value < 0x20 },
                       "no raw control characters inside JSON strings")
    }

    func testAttributesJSONOmitsEmptyClientURLsAsEtcdDoes() throws {
        XCTAssertEqual(MemberLog.attributesJSON(identity(name: "n1", clientURLs: ["http://c:2379"])),
                       #"{"name":"n1","clientURLs":["http://c:2379"]}"#)
        XCTAssertEqual(MemberLog.attributesJSON(identity(name: "n1", clientURLs: [])), #"{"name":"n1"}"#)
        // Go's `omitempty` drops an empty name too.
        XCTAssertEqual(MemberLog.attributesJSON(identity(name: "", clientURLs: [])), "{}")
    }

    /// etcdserverpb.Metadata{NodeID = 1, ClusterID = 2}, both uint64 varints.
    func testMetadataIsEtcdsMetadataMessage() throws {
        let bytes = MemberLog.metadataBytes(memberID: MemberID(0x8e9e_05c5_2164_694d), clusterID: ClusterID(0xcdf8_1819_4e3a_d3b0))
        var fields: [Int: UInt64] = [:]
        var order: [Int] = []
        try bytes.withUnsafeBytes { buffer in
            var reader = ProtoReader(buffer)
            while let tag = try reader.nextTag() {
                order.append(tag.fieldNumber)
                fields[tag.fieldNumber] = try reader.readUInt64(tag)
            }
        }
        XCTAssertEqual(order, [1, 2])
        XCTAssertEqual(fields[1], 0x8e9e_05c5_2164_694d)
        XCTAssertEqual(fields[2], 0xcdf8_1819_4e3a_d3b0)
    }
}
