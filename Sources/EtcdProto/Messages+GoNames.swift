// The names etcd's gogo-protobuf decoder prints in its errors, for every message swetcd decodes.
//
// gogo names a message by its Go type ("proto: RangeRequest: illegal tag 0 (wire type 0)") and a
// field by its Go struct field, gogo's CamelCase of the proto name ("proto: wrong wireType = 0 for
// field Key"; range_end is RangeEnd, prev_kv PrevKv, peerURLs PeerURLs; a oneof member is named
// by its own field, as RequestRange or CreateRevision). A field listed here is one the message
// declares: wire type 6 or 7 on it is a wrong wire type, on any other field an illegal one. So
// each table lists exactly the fields its codec decodes; EtcdProtoTests checks the two agree.

import ProtoWire

// MARK: etcdserverpb (rpc.proto)

extension ResponseHeader {
    public static var goTypeName: String { "ResponseHeader" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ClusterId"
        case 2: "MemberId"
        case 3: "Revision"
        case 4: "RaftTerm"
        default: nil
        }
    }
}

extension RangeRequest {
    public static var goTypeName: String { "RangeRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Key"
        case 2: "RangeEnd"
        case 3: "Limit"
        case 4: "Revision"
        case 5: "SortOrder"
        case 6: "SortTarget"
        case 7: "Serializable"
        case 8: "KeysOnly"
        case 9: "CountOnly"
        case 10: "MinModRevision"
        case 11: "MaxModRevision"
        case 12: "MinCreateRevision"
        case 13: "MaxCreateRevision"
        default: nil
        }
    }
}

extension RangeResponse {
    public static var goTypeName: String { "RangeResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Kvs"
        case 3: "More"
        case 4: "Count"
        default: nil
        }
    }
}

extension PutRequest {
    public static var goTypeName: String { "PutRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Key"
        case 2: "Value"
        case 3: "Lease"
        case 4: "PrevKv"
        case 5: "IgnoreValue"
        case 6: "IgnoreLease"
        default: nil
        }
    }
}

extension PutResponse {
    public static var goTypeName: String { "PutResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "PrevKv"
        default: nil
        }
    }
}

extension DeleteRangeRequest {
    public static var goTypeName: String { "DeleteRangeRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Key"
        case 2: "RangeEnd"
        case 3: "PrevKv"
        default: nil
        }
    }
}

extension DeleteRangeResponse {
    public static var goTypeName: String { "DeleteRangeResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Deleted"
        case 3: "PrevKvs"
        default: nil
        }
    }
}

extension RequestOp {
    public static var goTypeName: String { "RequestOp" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "RequestRange"
        case 2: "RequestPut"
        case 3: "RequestDeleteRange"
        case 4: "RequestTxn"
        default: nil
        }
    }
}

extension ResponseOp {
    public static var goTypeName: String { "ResponseOp" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ResponseRange"
        case 2: "ResponsePut"
        case 3: "ResponseDeleteRange"
        case 4: "ResponseTxn"
        default: nil
        }
    }
}

extension Compare {
    public static var goTypeName: String { "Compare" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Result"
        case 2: "Target"
        case 3: "Key"
        case 4: "Version"
        case 5: "CreateRevision"
        case 6: "ModRevision"
        case 7: "Value"
        case 8: "Lease"
        case 64: "RangeEnd"
        default: nil
        }
    }
}

extension TxnRequest {
    public static var goTypeName: String { "TxnRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Compare"
        case 2: "Success"
        case 3: "Failure"
        default: nil
        }
    }
}

extension TxnResponse {
    public static var goTypeName: String { "TxnResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Succeeded"
        case 3: "Responses"
        default: nil
        }
    }
}

extension CompactionRequest {
    public static var goTypeName: String { "CompactionRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Revision"
        case 2: "Physical"
        default: nil
        }
    }
}

extension CompactionResponse {
    public static var goTypeName: String { "CompactionResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension HashRequest {
    public static var goTypeName: String { "HashRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension HashKVRequest {
    public static var goTypeName: String { "HashKVRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Revision"
        default: nil
        }
    }
}

extension HashKVResponse {
    public static var goTypeName: String { "HashKVResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Hash"
        case 3: "CompactRevision"
        default: nil
        }
    }
}

extension HashResponse {
    public static var goTypeName: String { "HashResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Hash"
        default: nil
        }
    }
}

extension SnapshotRequest {
    public static var goTypeName: String { "SnapshotRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension SnapshotResponse {
    public static var goTypeName: String { "SnapshotResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "RemainingBytes"
        case 3: "Blob"
        default: nil
        }
    }
}

extension WatchRequest {
    public static var goTypeName: String { "WatchRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "CreateRequest"
        case 2: "CancelRequest"
        case 3: "ProgressRequest"
        default: nil
        }
    }
}

extension WatchCreateRequest {
    public static var goTypeName: String { "WatchCreateRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Key"
        case 2: "RangeEnd"
        case 3: "StartRevision"
        case 4: "ProgressNotify"
        case 5: "Filters"
        case 6: "PrevKv"
        case 7: "WatchId"
        case 8: "Fragment"
        default: nil
        }
    }
}

extension WatchCancelRequest {
    public static var goTypeName: String { "WatchCancelRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "WatchId"
        default: nil
        }
    }
}

extension WatchProgressRequest {
    public static var goTypeName: String { "WatchProgressRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension WatchResponse {
    public static var goTypeName: String { "WatchResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "WatchId"
        case 3: "Created"
        case 4: "Canceled"
        case 5: "CompactRevision"
        case 6: "CancelReason"
        case 7: "Fragment"
        case 11: "Events"
        default: nil
        }
    }
}

extension LeaseGrantRequest {
    public static var goTypeName: String { "LeaseGrantRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "TTL"
        case 2: "ID"
        default: nil
        }
    }
}

extension LeaseGrantResponse {
    public static var goTypeName: String { "LeaseGrantResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "ID"
        case 3: "TTL"
        case 4: "Error"
        default: nil
        }
    }
}

extension LeaseRevokeRequest {
    public static var goTypeName: String { "LeaseRevokeRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        default: nil
        }
    }
}

extension LeaseRevokeResponse {
    public static var goTypeName: String { "LeaseRevokeResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension LeaseCheckpoint {
    public static var goTypeName: String { "LeaseCheckpoint" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "Remaining_TTL"
        default: nil
        }
    }
}

extension LeaseCheckpointRequest {
    public static var goTypeName: String { "LeaseCheckpointRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Checkpoints"
        default: nil
        }
    }
}

extension LeaseCheckpointResponse {
    public static var goTypeName: String { "LeaseCheckpointResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension LeaseKeepAliveRequest {
    public static var goTypeName: String { "LeaseKeepAliveRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        default: nil
        }
    }
}

extension LeaseKeepAliveResponse {
    public static var goTypeName: String { "LeaseKeepAliveResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "ID"
        case 3: "TTL"
        default: nil
        }
    }
}

extension LeaseTimeToLiveRequest {
    public static var goTypeName: String { "LeaseTimeToLiveRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "Keys"
        default: nil
        }
    }
}

extension LeaseTimeToLiveResponse {
    public static var goTypeName: String { "LeaseTimeToLiveResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "ID"
        case 3: "TTL"
        case 4: "GrantedTTL"
        case 5: "Keys"
        default: nil
        }
    }
}

extension LeaseLeasesRequest {
    public static var goTypeName: String { "LeaseLeasesRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension LeaseStatus {
    public static var goTypeName: String { "LeaseStatus" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        default: nil
        }
    }
}

extension LeaseLeasesResponse {
    public static var goTypeName: String { "LeaseLeasesResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Leases"
        default: nil
        }
    }
}

extension Member {
    public static var goTypeName: String { "Member" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "Name"
        case 3: "PeerURLs"
        case 4: "ClientURLs"
        case 5: "IsLearner"
        default: nil
        }
    }
}

extension MemberAddRequest {
    public static var goTypeName: String { "MemberAddRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "PeerURLs"
        case 2: "IsLearner"
        default: nil
        }
    }
}

extension MemberAddResponse {
    public static var goTypeName: String { "MemberAddResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Member"
        case 3: "Members"
        default: nil
        }
    }
}

extension MemberRemoveRequest {
    public static var goTypeName: String { "MemberRemoveRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        default: nil
        }
    }
}

extension MemberRemoveResponse {
    public static var goTypeName: String { "MemberRemoveResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Members"
        default: nil
        }
    }
}

extension MemberUpdateRequest {
    public static var goTypeName: String { "MemberUpdateRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "PeerURLs"
        default: nil
        }
    }
}

extension MemberUpdateResponse {
    public static var goTypeName: String { "MemberUpdateResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Members"
        default: nil
        }
    }
}

extension MemberListRequest {
    public static var goTypeName: String { "MemberListRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension MemberListResponse {
    public static var goTypeName: String { "MemberListResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Members"
        default: nil
        }
    }
}

extension MemberPromoteRequest {
    public static var goTypeName: String { "MemberPromoteRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        default: nil
        }
    }
}

extension MemberPromoteResponse {
    public static var goTypeName: String { "MemberPromoteResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Members"
        default: nil
        }
    }
}

extension DefragmentRequest {
    public static var goTypeName: String { "DefragmentRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension DefragmentResponse {
    public static var goTypeName: String { "DefragmentResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension MoveLeaderRequest {
    public static var goTypeName: String { "MoveLeaderRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "TargetID"
        default: nil
        }
    }
}

extension MoveLeaderResponse {
    public static var goTypeName: String { "MoveLeaderResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AlarmRequest {
    public static var goTypeName: String { "AlarmRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Action"
        case 2: "MemberID"
        case 3: "Alarm"
        default: nil
        }
    }
}

extension AlarmMember {
    public static var goTypeName: String { "AlarmMember" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "MemberID"
        case 2: "Alarm"
        default: nil
        }
    }
}

extension AlarmResponse {
    public static var goTypeName: String { "AlarmResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Alarms"
        default: nil
        }
    }
}

extension StatusRequest {
    public static var goTypeName: String { "StatusRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension StatusResponse {
    public static var goTypeName: String { "StatusResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Version"
        case 3: "DbSize"
        case 4: "Leader"
        case 5: "RaftIndex"
        case 6: "RaftTerm"
        case 7: "RaftAppliedIndex"
        case 8: "Errors"
        case 9: "DbSizeInUse"
        case 10: "IsLearner"
        default: nil
        }
    }
}

extension AuthEnableRequest {
    public static var goTypeName: String { "AuthEnableRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension AuthDisableRequest {
    public static var goTypeName: String { "AuthDisableRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension AuthenticateRequest {
    public static var goTypeName: String { "AuthenticateRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Password"
        default: nil
        }
    }
}

extension AuthUserAddRequest {
    public static var goTypeName: String { "AuthUserAddRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Password"
        case 3: "Options"
        default: nil
        }
    }
}

extension AuthUserGetRequest {
    public static var goTypeName: String { "AuthUserGetRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        default: nil
        }
    }
}

extension AuthUserDeleteRequest {
    public static var goTypeName: String { "AuthUserDeleteRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        default: nil
        }
    }
}

extension AuthUserChangePasswordRequest {
    public static var goTypeName: String { "AuthUserChangePasswordRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Password"
        default: nil
        }
    }
}

extension AuthUserGrantRoleRequest {
    public static var goTypeName: String { "AuthUserGrantRoleRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "User"
        case 2: "Role"
        default: nil
        }
    }
}

extension AuthUserRevokeRoleRequest {
    public static var goTypeName: String { "AuthUserRevokeRoleRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Role"
        default: nil
        }
    }
}

extension AuthRoleAddRequest {
    public static var goTypeName: String { "AuthRoleAddRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        default: nil
        }
    }
}

extension AuthRoleGetRequest {
    public static var goTypeName: String { "AuthRoleGetRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Role"
        default: nil
        }
    }
}

extension AuthUserListRequest {
    public static var goTypeName: String { "AuthUserListRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension AuthRoleListRequest {
    public static var goTypeName: String { "AuthRoleListRequest" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension AuthRoleDeleteRequest {
    public static var goTypeName: String { "AuthRoleDeleteRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Role"
        default: nil
        }
    }
}

extension AuthRoleGrantPermissionRequest {
    public static var goTypeName: String { "AuthRoleGrantPermissionRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Perm"
        default: nil
        }
    }
}

extension AuthRoleRevokePermissionRequest {
    public static var goTypeName: String { "AuthRoleRevokePermissionRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Role"
        case 2: "Key"
        case 3: "RangeEnd"
        default: nil
        }
    }
}

extension AuthEnableResponse {
    public static var goTypeName: String { "AuthEnableResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthDisableResponse {
    public static var goTypeName: String { "AuthDisableResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthStatusRequest {
    public static var goTypeName: String { "AuthStatusRequest" }
}

extension AuthStatusResponse {
    public static var goTypeName: String { "AuthStatusResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Enabled"
        case 3: "AuthRevision"
        default: nil
        }
    }
}

extension AuthenticateResponse {
    public static var goTypeName: String { "AuthenticateResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Token"
        default: nil
        }
    }
}

extension AuthUserAddResponse {
    public static var goTypeName: String { "AuthUserAddResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthUserGetResponse {
    public static var goTypeName: String { "AuthUserGetResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Roles"
        default: nil
        }
    }
}

extension AuthUserDeleteResponse {
    public static var goTypeName: String { "AuthUserDeleteResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthUserChangePasswordResponse {
    public static var goTypeName: String { "AuthUserChangePasswordResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthUserGrantRoleResponse {
    public static var goTypeName: String { "AuthUserGrantRoleResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthUserRevokeRoleResponse {
    public static var goTypeName: String { "AuthUserRevokeRoleResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthRoleAddResponse {
    public static var goTypeName: String { "AuthRoleAddResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthRoleGetResponse {
    public static var goTypeName: String { "AuthRoleGetResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Perm"
        default: nil
        }
    }
}

extension AuthRoleListResponse {
    public static var goTypeName: String { "AuthRoleListResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Roles"
        default: nil
        }
    }
}

extension AuthUserListResponse {
    public static var goTypeName: String { "AuthUserListResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Users"
        default: nil
        }
    }
}

extension AuthRoleDeleteResponse {
    public static var goTypeName: String { "AuthRoleDeleteResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthRoleGrantPermissionResponse {
    public static var goTypeName: String { "AuthRoleGrantPermissionResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension AuthRoleRevokePermissionResponse {
    public static var goTypeName: String { "AuthRoleRevokePermissionResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

// MARK: etcdserverpb (etcdserver.proto)

extension Request {
    public static var goTypeName: String { "Request" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "Method"
        case 3: "Path"
        case 4: "Val"
        case 5: "Dir"
        case 6: "PrevValue"
        case 7: "PrevIndex"
        case 8: "PrevExist"
        case 9: "Expiration"
        case 10: "Wait"
        case 11: "Since"
        case 12: "Recursive"
        case 13: "Sorted"
        case 14: "Quorum"
        case 15: "Time"
        case 16: "Stream"
        case 17: "Refresh"
        default: nil
        }
    }
}

extension Metadata {
    public static var goTypeName: String { "Metadata" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "NodeID"
        case 2: "ClusterID"
        default: nil
        }
    }
}

// MARK: etcdserverpb (raft_internal.proto)

extension RequestHeader {
    public static var goTypeName: String { "RequestHeader" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "Username"
        case 3: "AuthRevision"
        default: nil
        }
    }
}

extension InternalRaftRequest {
    public static var goTypeName: String { "InternalRaftRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "V2"
        case 3: "Range"
        case 4: "Put"
        case 5: "DeleteRange"
        case 6: "Txn"
        case 7: "Compaction"
        case 8: "LeaseGrant"
        case 9: "LeaseRevoke"
        case 10: "Alarm"
        case 11: "LeaseCheckpoint"
        case 100: "Header"
        case 1000: "AuthEnable"
        case 1011: "AuthDisable"
        case 1012: "Authenticate"
        case 1100: "AuthUserAdd"
        case 1101: "AuthUserDelete"
        case 1102: "AuthUserGet"
        case 1103: "AuthUserChangePassword"
        case 1104: "AuthUserGrantRole"
        case 1105: "AuthUserRevokeRole"
        case 1106: "AuthUserList"
        case 1107: "AuthRoleList"
        case 1200: "AuthRoleAdd"
        case 1201: "AuthRoleDelete"
        case 1202: "AuthRoleGet"
        case 1203: "AuthRoleGrantPermission"
        case 1204: "AuthRoleRevokePermission"
        default: nil
        }
    }
}

extension EmptyResponse {
    public static var goTypeName: String { "EmptyResponse" }

    public static func goFieldName(_ number: Int) -> String? { nil }
}

extension InternalAuthenticateRequest {
    public static var goTypeName: String { "InternalAuthenticateRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Password"
        case 3: "SimpleToken"
        default: nil
        }
    }
}

// MARK: mvccpb

extension KeyValue {
    public static var goTypeName: String { "KeyValue" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Key"
        case 2: "CreateRevision"
        case 3: "ModRevision"
        case 4: "Version"
        case 5: "Value"
        case 6: "Lease"
        default: nil
        }
    }
}

extension Event {
    public static var goTypeName: String { "Event" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Type"
        case 2: "Kv"
        case 3: "PrevKv"
        default: nil
        }
    }
}

// MARK: authpb

extension UserAddOptions {
    public static var goTypeName: String { "UserAddOptions" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "NoPassword"
        default: nil
        }
    }
}

extension User {
    public static var goTypeName: String { "User" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Password"
        case 3: "Roles"
        case 4: "Options"
        default: nil
        }
    }
}

extension Permission {
    public static var goTypeName: String { "Permission" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "PermType"
        case 2: "Key"
        case 3: "RangeEnd"
        default: nil
        }
    }
}

extension Role {
    public static var goTypeName: String { "Role" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "KeyPermission"
        default: nil
        }
    }
}

// MARK: leasepb

extension Lease {
    public static var goTypeName: String { "Lease" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "ID"
        case 2: "TTL"
        case 3: "RemainingTTL"
        default: nil
        }
    }
}

extension LeaseInternalRequest {
    public static var goTypeName: String { "LeaseInternalRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "LeaseTimeToLiveRequest"
        default: nil
        }
    }
}

extension LeaseInternalResponse {
    public static var goTypeName: String { "LeaseInternalResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "LeaseTimeToLiveResponse"
        default: nil
        }
    }
}

// MARK: v3electionpb

extension CampaignRequest {
    public static var goTypeName: String { "CampaignRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Lease"
        case 3: "Value"
        default: nil
        }
    }
}

extension CampaignResponse {
    public static var goTypeName: String { "CampaignResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Leader"
        default: nil
        }
    }
}

extension LeaderKey {
    public static var goTypeName: String { "LeaderKey" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Key"
        case 3: "Rev"
        case 4: "Lease"
        default: nil
        }
    }
}

extension LeaderRequest {
    public static var goTypeName: String { "LeaderRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        default: nil
        }
    }
}

extension LeaderResponse {
    public static var goTypeName: String { "LeaderResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Kv"
        default: nil
        }
    }
}

extension ResignRequest {
    public static var goTypeName: String { "ResignRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Leader"
        default: nil
        }
    }
}

extension ResignResponse {
    public static var goTypeName: String { "ResignResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

extension ProclaimRequest {
    public static var goTypeName: String { "ProclaimRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Leader"
        case 2: "Value"
        default: nil
        }
    }
}

extension ProclaimResponse {
    public static var goTypeName: String { "ProclaimResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}

// MARK: v3lockpb

extension LockRequest {
    public static var goTypeName: String { "LockRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Name"
        case 2: "Lease"
        default: nil
        }
    }
}

extension LockResponse {
    public static var goTypeName: String { "LockResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        case 2: "Key"
        default: nil
        }
    }
}

extension UnlockRequest {
    public static var goTypeName: String { "UnlockRequest" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Key"
        default: nil
        }
    }
}

extension UnlockResponse {
    public static var goTypeName: String { "UnlockResponse" }

    public static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Header"
        default: nil
        }
    }
}
