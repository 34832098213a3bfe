// Wire codecs for InternalRaftRequest.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension RequestHeader: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, id)
        size += ProtoSize.string(field: 2, username)
        size += ProtoSize.uint64(field: 3, authRevision)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, id)
        writer.writeString(field: 2, username)
        writer.writeUInt64(field: 3, authRevision)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            case 2: username = try reader.readString(tag)
            case 3: authRevision = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension InternalRaftRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, id)
        size += ProtoSize.message(field: 2, v2)
        size += ProtoSize.message(field: 3, range)
        size += ProtoSize.message(field: 4, put)
        size += ProtoSize.message(field: 5, deleteRange)
        size += ProtoSize.message(field: 6, txn)
        size += ProtoSize.message(field: 7, compaction)
        size += ProtoSize.message(field: 8, leaseGrant)
        size += ProtoSize.message(field: 9, leaseRevoke)
        size += ProtoSize.message(field: 10, alarm)
        size += ProtoSize.message(field: 11, leaseCheckpoint)
        size += ProtoSize.message(field: 100, header)
        size += ProtoSize.message(field: 1000, authEnable)
        size += ProtoSize.message(field: 1011, authDisable)
        size += ProtoSize.message(field: 1012, authenticate)
        size += ProtoSize.message(field: 1100, authUserAdd)
        size += ProtoSize.message(field: 1101, authUserDelete)
        size += ProtoSize.message(field: 1102, authUserGet)
        size += ProtoSize.message(field: 1103, authUserChangePassword)
        size += ProtoSize.message(field: 1104, authUserGrantRole)
        size += ProtoSize.message(field: 1105, authUserRevokeRole)
        size += ProtoSize.message(field: 1106, authUserList)
        size += ProtoSize.message(field: 1107, authRoleList)
        size += ProtoSize.message(field: 1200, authRoleAdd)
        size += ProtoSize.message(field: 1201, authRoleDelete)
        size += ProtoSize.message(field: 1202, authRoleGet)
        size += ProtoSize.message(field: 1203, authRoleGrantPermission)
        size += ProtoSize.message(field: 1204, authRoleRevokePermission)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, id)
        writer.writeMessage(field: 2, v2)
        writer.writeMessage(field: 3, range)
        writer.writeMessage(field: 4, put)
        writer.writeMessage(field: 5, deleteRange)
        writer.writeMessage(field: 6, txn)
        writer.writeMessage(field: 7, compaction)
        writer.writeMessage(field: 8, leaseGrant)
        writer.writeMessage(field: 9, leaseRevoke)
        writer.writeMessage(field: 10, alarm)
        writer.writeMessage(field: 11, leaseCheckpoint)
        writer.writeMessage(field: 100, header)
        writer.writeMessage(field: 1000, authEnable)
        writer.writeMessage(field: 1011, authDisable)
        writer.writeMessage(field: 1012, authenticate)
        writer.writeMessage(field: 1100, authUserAdd)
        writer.writeMessage(field: 1101, authUserDelete)
        writer.writeMessage(field: 1102, authUserGet)
        writer.writeMessage(field: 1103, authUserChangePassword)
        writer.writeMessage(field: 1104, authUserGrantRole)
        writer.writeMessage(field: 1105, authUserRevokeRole)
        writer.writeMessage(field: 1106, authUserList)
        writer.writeMessage(field: 1107, authRoleList)
        writer.writeMessage(field: 1200, authRoleAdd)
        writer.writeMessage(field: 1201, authRoleDelete)
        writer.writeMessage(field: 1202, authRoleGet)
        writer.writeMessage(field: 1203, authRoleGrantPermission)
        writer.writeMessage(field: 1204, authRoleRevokePermission)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            case 2: v2 = try reader.readMessage(tag, depth: depth, as: Request.self)
            case 3: range = try reader.readMessage(tag, depth: depth, as: RangeRequest.self)
            case 4: put = try reader.readMessage(tag, depth: depth, as: PutRequest.self)
            case 5: deleteRange = try reader.readMessage(tag, depth: depth, as: DeleteRangeRequest.self)
            case 6: txn = try reader.readMessage(tag, depth: depth, as: TxnRequest.self)
            case 7: compaction = try reader.readMessage(tag, depth: depth, as: CompactionRequest.self)
            case 8: leaseGrant = try reader.readMessage(tag, depth: depth, as: LeaseGrantRequest.self)
            case 9: leaseRevoke = try reader.readMessage(tag, depth: depth, as: LeaseRevokeRequest.self)
            case 10: alarm = try reader.readMessage(tag, depth: depth, as: AlarmRequest.self)
            case 11:
                leaseCheckpoint = try reader.readMessage(tag, depth: depth, as: LeaseCheckpointRequest.self)
            case 100: header = try reader.readMessage(tag, depth: depth, as: RequestHeader.self)
            case 1000: authEnable = try reader.readMessage(tag, depth: depth, as: AuthEnableRequest.self)
            case 1011: authDisable = try reader.readMessage(tag, depth: depth, as: AuthDisableRequest.self)
            case 1012:
                authenticate = try reader.readMessage(tag, depth: depth, as: InternalAuthenticateRequest.self)
            case 1100: authUserAdd = try reader.readMessage(tag, depth: depth, as: AuthUserAddRequest.self)
            case 1101:
                authUserDelete = try reader.readMessage(tag, depth: depth, as: AuthUserDeleteRequest.self)
            case 1102: authUserGet = try reader.readMessage(tag, depth: depth, as: AuthUserGetRequest.self)
            case 1103:
                authUserChangePassword = try reader.readMessage(tag, depth: depth, as: AuthUserChangePasswordRequest.self)
            case 1104:
                authUserGrantRole = try reader.readMessage(tag, depth: depth, as: AuthUserGrantRoleRequest.self)
            case 1105:
                authUserRevokeRole = try reader.readMessage(tag, depth: depth, as: AuthUserRevokeRoleRequest.self)
            case 1106: authUserList = try reader.readMessage(tag, depth: depth, as: AuthUserListRequest.self)
            case 1107: authRoleList = try reader.readMessage(tag, depth: depth, as: AuthRoleListRequest.self)
            case 1200: authRoleAdd = try reader.readMessage(tag, depth: depth, as: AuthRoleAddRequest.self)
            case 1201:
                authRoleDelete = try reader.readMessage(tag, depth: depth, as: AuthRoleDeleteRequest.self)
            case 1202: authRoleGet = try reader.readMessage(tag, depth: depth, as: AuthRoleGetRequest.self)
            case 1203:
                authRoleGrantPermission = try reader.readMessage(tag, depth: depth, as: AuthRoleGrantPermissionRequest.self)
            case 1204:
                authRoleRevokePermission = try reader.readMessage(tag, depth: depth, as: AuthRoleRevokePermissionRequest.self)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension EmptyResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        0
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            try reader.skipField(tag)
        }
    }
}

extension InternalAuthenticateRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        size += ProtoSize.string(field: 2, password)
        size += ProtoSize.string(field: 3, simpleToken)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
        writer.writeString(field: 2, password)
        writer.writeString(field: 3, simpleToken)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: password = try reader.readString(tag)
            case 3: simpleToken = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}
