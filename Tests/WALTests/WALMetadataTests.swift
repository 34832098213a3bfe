import EtcdIO
import Raft
import XCTest

@testable import WAL

final class WALMetadataTests: XCTestCase {
    /// etcdserverpb.Metadata: NodeID field 1, ClusterID field 2, both written even at zero.
    func testGoldenBytes() throws {
        XCTAssertEqual(WALMetadata(nodeID: 0x8e9e05c52164694d, clusterID: 0xcdf818194e3a8c32).serializedBytes(),
                       [0x08, 0xcd, 0xd2, 0x91, 0x8b, 0xd2, 0xb8, 0x81, 0xcf, 0x8e, 0x01,
                        0x10, 0xb2, 0x98, 0xea, 0xf1, 0x94, 0x83, 0x86, 0xfc, 0xcd, 0x01])
        XCTAssertEqual(WALMetadata().serializedBytes(), [0x08, 0x00, 0x10, 0x00])
        XCTAssertEqual(try WALMetadata(serializedBytes: [0x10, 0x05]), WALMetadata(nodeID: 0, clusterID: 5))
    }

    func testANewLogCarriesItsMetadataThroughReopen() throws {
        let fileSystem = SimulatedFileSystem()
        try fileSystem.createDirectory("/data/member", permissions: 0o700)
        let metadata = WALMetadata(nodeID: 0x1234, clusterID: 0xabcdef)
        let log = try WriteAheadLog.create(fileSystem: fileSystem, directory: "/data/member/wal", metadata: metadata,
                                           segmentBytes: 1 << 16)
        try log.close()
        let (reopened, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: "/data/member/wal", segmentBytes: 1 << 16)
        try reopened.close()
        XCTAssertEqual(contents.metadata, metadata.serializedBytes())
        XCTAssertEqual(try contents.decodedMetadata(), metadata)
    }

    /// The metadata record of a real etcd 3.4 WAL decodes to the member and cluster IDs.
    func testMetadataOfARealEtcdLog() throws {
        var decoder = RecordDecoder()
        let segment = try decoder.decodeSegment(etcdWALSegment(), file: "etcd.wal", isLastSegment: true)
        let record = try XCTUnwrap(segment.records.first { $0.recordType == .metadata })
        let metadata = try WALMetadata(serializedBytes: record.data ?? [])
        XCTAssertNotEqual(metadata.nodeID, 0)
        XCTAssertNotEqual(metadata.clusterID, 0)
        XCTAssertEqual(metadata.serializedBytes(), record.data)
    }
}
