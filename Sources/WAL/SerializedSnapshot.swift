// The body of a `.snap` file: etcd's snappb.Snapshot (etcdserver/api/snap/snappb/snap.proto),
//
//   field 1  crc   uint32 (varint), written even when zero: CRC-32C (Castagnoli) of `data`
//   field 2  data  bytes: a raftpb.Snapshot, encoded
//
// The crc is what makes a `.snap` file safe to write in place: a file cut short or torn by a
// crash either fails to decode or fails the checksum, and is then set aside as `*.broken`.

import EtcdBasics
import ProtoWire
import Raft

/// snappb.Snapshot: a raftpb.Snapshot's bytes and their checksum.
public struct SerializedSnapshot: ProtoMessage, Sendable, Hashable {
    public var crc: UInt32 = 0
    /// nil when the field is absent (etcd then reports an empty snapshot).
    public var data: [UInt8]? = nil

    public init() {}

    /// The envelope etcd writes for `snapshot`: its encoding and that encoding's CRC-32C.
    public init(wrapping snapshot: Snapshot) {
        let data = snapshot.serializedBytes()
        self.crc = CRC32C.checksum(data)
        self.data = data
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: crc = try reader.readUInt32(tag)
            case 2: data = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        var size = 1 + ProtoSize.varint(UInt64(crc))
        if let data { size += 1 + ProtoSize.varint(UInt64(data.count)) + data.count }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, UInt64(crc))
        if let data { writer.writeLengthDelimitedField(field: 2, data) }
    }

    public static var goTypeName: String { "snapshot" }

    /// The raft snapshot inside, after etcd's checks (snap.Read): data present and crc non-zero,
    /// the checksum matching, the bytes decoding. `path` names the file in errors.
    public func unwrapped(path: String) throws(SnapshotError) -> Snapshot {
        guard let data, !data.isEmpty, crc != 0 else { throw .empty(path: path) }
        let actual = CRC32C.checksum(data)
        guard actual == crc else { throw .crcMismatch(path: path, stored: crc, computed: actual) }
        do { return try Snapshot(serializedBytes: data) } catch {
            throw .undecodable(path: path, reason: "\(error)")
        }
    }
}
