// raftpb.ConfChange, ConfChangeSingle and ConfChangeV2: the payloads of conf-change entries.
// Raft applies them through Confchange/ (Raft+ConfChange.swift); both formats meet there as V2.

import ProtoWire

/// What a membership change does to one node.
public enum ConfChangeType: Int32, ProtoEnum, Sendable {
    case addNode = 0
    case removeNode = 1
    case updateNode = 2
    case addLearnerNode = 3
}

/// How a V2 change enters and leaves joint consensus.
public enum ConfChangeTransition: Int32, ProtoEnum, Sendable {
    case auto = 0
    case jointImplicit = 1
    case jointExplicit = 2
}

/// A single-node membership change (the V1 format etcd 3.4's server proposes).
/// Wire order: ID=1, Type=2, NodeID=3 (always written), Context=4 (when non-empty).
public struct ConfChange: ConfChangeConvertible, Sendable, Hashable {
    public var id: UInt64 = 0
    public var type: ConfChangeType = .addNode
    public var nodeID: NodeID = noneNodeID
    public var context: [UInt8] = []

    public init() {}

    public init(id: UInt64 = 0, type: ConfChangeType, nodeID: NodeID, context: [UInt8] = []) {
        self.id = id
        self.type = type
        self.nodeID = nodeID
        self.context = context
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            case 2: type = try reader.readEnum(tag)
            case 3: nodeID = try reader.readUInt64(tag)
            case 4: context = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        var size = 3 + ProtoSize.varint(id) + ProtoSize.varint(UInt64(bitPattern: Int64(type.rawValue)))
            + ProtoSize.varint(nodeID)
        if !context.isEmpty { size += 1 + ProtoSize.varint(UInt64(context.count)) + context.count }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, id)
        writer.writeVarintField(field: 2, UInt64(bitPattern: Int64(type.rawValue)))
        writer.writeVarintField(field: 3, nodeID)
        writer.writeBytes(field: 4, context)
    }
}

/// One step of a V2 change.
public struct ConfChangeSingle: ProtoMessage, Sendable, Hashable {
    public var type: ConfChangeType = .addNode
    public var nodeID: NodeID = noneNodeID

    public init() {}

    public init(type: ConfChangeType, nodeID: NodeID) {
        self.type = type
        self.nodeID = nodeID
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: type = try reader.readEnum(tag)
            case 2: nodeID = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        2 + ProtoSize.varint(UInt64(bitPattern: Int64(type.rawValue))) + ProtoSize.varint(nodeID)
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, UInt64(bitPattern: Int64(type.rawValue)))
        writer.writeVarintField(field: 2, nodeID)
    }
}

/// A membership change of any number of steps, possibly through joint consensus.
public struct ConfChangeV2: ConfChangeConvertible, Sendable, Hashable {
    public var transition: ConfChangeTransition = .auto
    public var changes: [ConfChangeSingle] = []
    public var context: [UInt8] = []

    public init() {}

    public init(transition: ConfChangeTransition = .auto, changes: [ConfChangeSingle], context: [UInt8] = []) {
        self.transition = transition
        self.changes = changes
        self.context = context
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: transition = try reader.readEnum(tag)
            case 2: changes.append(try reader.readMessage(tag, depth: depth))
            case 3: context = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        var size = 1 + ProtoSize.varint(UInt64(bitPattern: Int64(transition.rawValue)))
        for change in changes {
            let changeSize = change.encodedSize
            size += 1 + ProtoSize.varint(UInt64(changeSize)) + changeSize
        }
        if !context.isEmpty { size += 1 + ProtoSize.varint(UInt64(context.count)) + context.count }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, UInt64(bitPattern: Int64(transition.rawValue)))
        writer.writeMessages(field: 2, changes)
        writer.writeBytes(field: 3, context)
    }
}

/// Either format of conf change, as raft applies it: a V2 change. etcd's `pb.ConfChangeI`.
public protocol ConfChangeConvertible: ProtoMessage {
    /// The entry type that carries this format in the log.
    static var entryType: EntryType { get }
    /// The same change as a `ConfChangeV2` (etcd's `AsV2`).
    var asV2: ConfChangeV2 { get }
}

extension ConfChange {
    public static var entryType: EntryType { .confChange }

    /// One step, no explicit transition: applied as a simple change, never joint.
    public var asV2: ConfChangeV2 {
        ConfChangeV2(transition: .auto, changes: [ConfChangeSingle(type: type, nodeID: nodeID)], context: context)
    }
}

extension ConfChangeV2 {
    public static var entryType: EntryType { .confChangeV2 }

    public var asV2: ConfChangeV2 { self }

    /// nil for a simple change; for one that enters joint consensus, whether the joint
    /// configuration is to be left automatically (etcd's `EnterJoint()`). Joint consensus is used
    /// whenever more than one node changes or a transition is asked for explicitly (even where a
    /// simple change would be safe, which depends on the configuration it lands on).
    public var enterJointAutoLeave: Bool? {
        guard transition != .auto || changes.count > 1 else { return nil }
        return transition != .jointExplicit
    }

    /// Whether this is the empty change that leaves a joint configuration (context aside).
    public var isLeaveJoint: Bool {
        transition == .auto && changes.isEmpty
    }
}

extension Entry {
    /// The conf change this entry carries, as V2; nil for a normal entry. Throws when the bytes
    /// do not decode.
    public func decodedConfChange() throws(ProtoDecodeError) -> ConfChangeV2? {
        switch type {
        case .normal: nil
        case .confChange: try ConfChange(serializedBytes: data).asV2
        case .confChangeV2: try ConfChangeV2(serializedBytes: data)
        }
    }
}
