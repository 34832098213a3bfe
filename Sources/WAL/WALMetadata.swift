// The metadata record of every WAL segment: etcd writes an etcdserverpb.Metadata there
// (etcdserver/etcdserverpb/etcdserver.proto), naming the member and the cluster the log belongs
// to, so a data directory cannot be mistaken for another member's.
//
// Both fields are proto2 uint64 that gogo declares non-nullable, so etcd writes them even at zero.

import EtcdIO
import ProtoWire

/// etcdserverpb.Metadata: who wrote this log. Field 1 `NodeID`, field 2 `ClusterID`, varints.
public struct WALMetadata: ProtoMessage, Sendable, Hashable {
    /// The member ID (etcd's NodeID) of the member that owns the log.
    public var nodeID: UInt64 = 0
    /// The cluster the member belongs to.
    public var clusterID: UInt64 = 0

    public init() {}

    public init(nodeID: UInt64, clusterID: UInt64) {
        self.nodeID = nodeID
        self.clusterID = clusterID
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: nodeID = try reader.readUInt64(tag)
            case 2: clusterID = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int { 2 + ProtoSize.varint(nodeID) + ProtoSize.varint(clusterID) }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, nodeID)
        writer.writeVarintField(field: 2, clusterID)
    }

    public static var goTypeName: String { "Metadata" }
}

extension WALContents {
    /// The metadata record decoded as etcd's Metadata. Throws `WALError.inconsistent` if the
    /// bytes are not one (a log written by something other than an etcd server).
    public func decodedMetadata() throws(WALError) -> WALMetadata {
        do { return try WALMetadata(serializedBytes: metadata) } catch {
            throw .inconsistent("bad Metadata record: \(error)")
        }
    }
}

extension WriteAheadLog {
    /// Creates a new log whose metadata record is `metadata` (what etcd's server writes).
    public static func create(
        fileSystem: any FileSystem, directory: String, metadata: WALMetadata, segmentBytes: Int64 = segmentBytesDefault
    ) throws(WALError) -> WriteAheadLog {
        try create(fileSystem: fileSystem, directory: directory, metadata: metadata.serializedBytes(),
                   segmentBytes: segmentBytes)
    }
}
