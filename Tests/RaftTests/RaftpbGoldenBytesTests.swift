// Golden bytes for the raftpb messages the WAL stores and peers exchange. Each literal was produced
// by protoc from `raftpbFixtureProto` (RaftpbFixtureProto.swift) (etcd's raft.proto without gogo options), e.g.
//     printf 'term: 2 vote: 3 commit: 150' | protoc --encode=raftpb.HardState \
//         -I /tmp /tmp/raftpb.proto | xxd -p
// Setting every non-nullable field explicitly in the text makes protoc write it even at zero, which
// is what gogo's non-nullable marshaler does, so these are the bytes etcd writes.

import Raft
import XCTest

private func hex(_ text: String) -> [UInt8] {
    let digits = Array(text)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

final class RaftpbGoldenBytesTests: XCTestCase {
    private func check<M: Equatable & Sendable>(
        _ message: M, _ literal: String, encode: (M) -> [UInt8], decode: ([UInt8]) throws -> M,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertEqual(encode(message), hex(literal), file: file, line: line)
        XCTAssertEqual(try decode(hex(literal)), message, file: file, line: line)
    }

    func testEntryWritesTypeTermIndexAlwaysAndDataOnlyWhenPresent() throws {
        try check(Entry(term: 5, index: 300, data: Array("put".utf8)), "0800100518ac022203707574",
                  encode: { $0.serializedBytes() }, decode: { try Entry(serializedBytes: $0) })
        try check(Entry(term: 1, index: 1), "080010011801",
                  encode: { $0.serializedBytes() }, decode: { try Entry(serializedBytes: $0) })
    }

    func testHardState() throws {
        try check(HardState(term: 2, vote: 3, commit: 150), "08021003189601",
                  encode: { $0.serializedBytes() }, decode: { try HardState(serializedBytes: $0) })
    }

    func testConfStateIsUnpackedAndAlwaysCarriesAutoLeave() throws {
        try check(ConfState(voters: [1, 2, 3], learners: [4]), "08010802080310042800",
                  encode: { $0.serializedBytes() }, decode: { try ConfState(serializedBytes: $0) })
        // A packed run (what a proto3 encoder would write) decodes to the same voters.
        XCTAssertEqual(try ConfState(serializedBytes: hex("0a03010203")).voters, [1, 2, 3])
    }

    func testSnapshot() throws {
        let snapshot = Snapshot(
            data: Array("img".utf8),
            metadata: SnapshotMetadata(confState: ConfState(voters: [1]), index: 10, term: 2))
        try check(snapshot, "0a03696d67120a0a0408012800100a1802",
                  encode: { $0.serializedBytes() }, decode: { try Snapshot(serializedBytes: $0) })
    }

    func testMessageAlwaysCarriesItsNonNullableFieldsAndAnEmptySnapshot() throws {
        let append = Message(type: .app, to: 2, from: 1, term: 3, logTerm: 2, index: 7,
                             entries: [Entry(term: 3, index: 8, data: Array("x".utf8))], commit: 7)
        try check(append, "0803100218012003280230073a0908001003180822017840074a0a12080a0228001000180050005800",
                  encode: { $0.serializedBytes() }, decode: { try Message(serializedBytes: $0) })
        var response = Message(type: .appResp, to: 1, from: 2, term: 3, index: 5, reject: true, rejectHint: 4)
        response.context = Array("c".utf8)
        try check(response, "08041001180220032800300540004a0a12080a0228001000180050015804620163",
                  encode: { $0.serializedBytes() }, decode: { try Message(serializedBytes: $0) })
    }

    func testConfChanges() throws {
        try check(ConfChange(id: 7, type: .removeNode, nodeID: 9), "080710011809",
                  encode: { $0.serializedBytes() }, decode: { try ConfChange(serializedBytes: $0) })
        let v2 = ConfChangeV2(transition: .jointExplicit, changes: [ConfChangeSingle(type: .addLearnerNode, nodeID: 5)],
                              context: Array("z".utf8))
        try check(v2, "08021204080310051a017a",
                  encode: { $0.serializedBytes() }, decode: { try ConfChangeV2(serializedBytes: $0) })
    }

    func testMessageTypeNumbersAreEtcds() {
        XCTAssertEqual(MessageType.preVoteResp.rawValue, 18)
        XCTAssertEqual(MessageType.readIndex.rawValue, 15)
        XCTAssertEqual(MessageType.heartbeatResp.rawValue, 9)
        XCTAssertEqual(MessageType.allCases.count, 19)
    }
}
