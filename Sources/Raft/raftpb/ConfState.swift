// raftpb.ConfState: the membership a snapshot (or an applied conf change) leaves behind.

import ProtoWire

/// The voters and learners of a configuration (and, during joint consensus, the outgoing half).
///
/// The repeated uint64 fields are proto2 unpacked: one tag per element, as etcd writes them; the
/// decoder accepts the packed form too. `autoLeave` is non-nullable, so it is always written.
public struct ConfState: ProtoMessage, Sendable, Hashable {
    public var voters: [NodeID] = []
    public var learners: [NodeID] = []
    public var votersOutgoing: [NodeID] = []
    public var learnersNext: [NodeID] = []
    public var autoLeave: Bool = false

    public init() {}

    public init(voters: [NodeID], learners: [NodeID] = []) {
        self.voters = voters
        self.learners = learners
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try Self.readIDs(tag, &reader, into: &voters)
            case 2: try Self.readIDs(tag, &reader, into: &learners)
            case 3: try Self.readIDs(tag, &reader, into: &votersOutgoing)
            case 4: try Self.readIDs(tag, &reader, into: &learnersNext)
            case 5: autoLeave = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    /// Reads one element (unpacked, etcd's form) or a packed run of them.
    private static func readIDs(
        _ tag: FieldTag, _ reader: inout ProtoReader, into ids: inout [NodeID]
    ) throws(ProtoDecodeError) {
        guard tag.wireType == .lengthDelimited else {
            ids.append(try reader.readUInt64(tag))
            return
        }
        let run = try reader.readBytes(tag)
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for byte in run {
            guard shift < 64 else { throw .integerOverflow }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                ids.append(value)
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        guard shift == 0 else { throw .truncated }
    }

    public var encodedSize: Int {
        var size = 2
        for list in [voters, learners, votersOutgoing, learnersNext] {
            for id in list { size += 1 + ProtoSize.varint(id) }
        }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        for (field, list) in [(1, voters), (2, learners), (3, votersOutgoing), (4, learnersNext)] {
            for id in list { writer.writeVarintField(field: field, id) }
        }
        writer.writeVarintField(field: 5, autoLeave ? 1 : 0)
    }
}
