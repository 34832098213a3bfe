// raftpb.ConfChange, ConfChangeSingle and ConfChangeV2: the payloads of conf-change entries.
// Only the codecs exist so far; applying them (tracker/confchange) is a later step.

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
public struct ConfChange: ProtoMessage, Sendable, Hashable {
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
public struct ConfChangeV2: ProtoMessage, Sendable, Hashable {
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
