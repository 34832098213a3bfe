// Schemas transcribed mechanically from etcd 3.4's etcdserver/etcdserverpb/rpc.proto: one per message, fields in
// declaration order (the order jsonpb writes them), names as declared, lowerCamel JSON names as protoc
// derives them. Nested enums carry Go's names (`etcdserverpb.RangeRequest_SortOrder`) for error texts.

extension ProtoEnumSchema {
    static let rangeRequestSortOrder: ProtoEnumSchema = ProtoEnumSchema(goName: "etcdserverpb.RangeRequest_SortOrder", values: [(0, "NONE"), (1, "ASCEND"), (2, "DESCEND")])
    static let rangeRequestSortTarget: ProtoEnumSchema = ProtoEnumSchema(goName: "etcdserverpb.RangeRequest_SortTarget", values: [(0, "KEY"), (1, "VERSION"), (2, "CREATE"), (3, "MOD"), (4, "VALUE")])
    static let compareCompareResult: ProtoEnumSchema = ProtoEnumSchema(goName: "etcdserverpb.Compare_CompareResult", values: [(0, "EQUAL"), (1, "GREATER"), (2, "LESS"), (3, "NOT_EQUAL")])
    static let compareCompareTarget: ProtoEnumSchema = ProtoEnumSchema(goName: "etcdserverpb.Compare_CompareTarget", values: [(0, "VERSION"), (1, "CREATE"), (2, "MOD"), (3, "VALUE"), (4, "LEASE")])
    static let watchCreateRequestFilterType: ProtoEnumSchema = ProtoEnumSchema(goName: "etcdserverpb.WatchCreateRequest_FilterType", values: [(0, "NOPUT"), (1, "NODELETE")])
    static let alarmType: ProtoEnumSchema = ProtoEnumSchema(goName: "etcdserverpb.AlarmType", values: [(0, "NONE"), (1, "NOSPACE"), (2, "CORRUPT")])
    static let alarmRequestAlarmAction: ProtoEnumSchema = ProtoEnumSchema(goName: "etcdserverpb.AlarmRequest_AlarmAction", values: [(0, "GET"), (1, "ACTIVATE"), (2, "DEACTIVATE")])
}

extension ProtoSchema {
    static let responseHeader: ProtoSchema = ProtoSchema(goName: "etcdserverpb.ResponseHeader", fields: [
        ProtoSchemaField(1, "cluster_id", .uint64, jsonName: "clusterId"),
        ProtoSchemaField(2, "member_id", .uint64, jsonName: "memberId"),
        ProtoSchemaField(3, "revision", .int64),
        ProtoSchemaField(4, "raft_term", .uint64, jsonName: "raftTerm"),
    ])
    static let rangeRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.RangeRequest", fields: [
        ProtoSchemaField(1, "key", .bytes),
        ProtoSchemaField(2, "range_end", .bytes, jsonName: "rangeEnd"),
        ProtoSchemaField(3, "limit", .int64),
        ProtoSchemaField(4, "revision", .int64),
        ProtoSchemaField(5, "sort_order", .enumeration(.rangeRequestSortOrder), jsonName: "sortOrder"),
        ProtoSchemaField(6, "sort_target", .enumeration(.rangeRequestSortTarget), jsonName: "sortTarget"),
        ProtoSchemaField(7, "serializable", .bool),
        ProtoSchemaField(8, "keys_only", .bool, jsonName: "keysOnly"),
        ProtoSchemaField(9, "count_only", .bool, jsonName: "countOnly"),
        ProtoSchemaField(10, "min_mod_revision", .int64, jsonName: "minModRevision"),
        ProtoSchemaField(11, "max_mod_revision", .int64, jsonName: "maxModRevision"),
        ProtoSchemaField(12, "min_create_revision", .int64, jsonName: "minCreateRevision"),
        ProtoSchemaField(13, "max_create_revision", .int64, jsonName: "maxCreateRevision"),
    ])
    static let rangeResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.RangeResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "kvs", .message { .keyValue }, isRepeated: true),
        ProtoSchemaField(3, "more", .bool),
        ProtoSchemaField(4, "count", .int64),
    ])
    static let putRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.PutRequest", fields: [
        ProtoSchemaField(1, "key", .bytes),
        ProtoSchemaField(2, "value", .bytes),
        ProtoSchemaField(3, "lease", .int64),
        ProtoSchemaField(4, "prev_kv", .bool, jsonName: "prevKv"),
        ProtoSchemaField(5, "ignore_value", .bool, jsonName: "ignoreValue"),
        ProtoSchemaField(6, "ignore_lease", .bool, jsonName: "ignoreLease"),
    ])
    static let putResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.PutResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "prev_kv", .message { .keyValue }, jsonName: "prevKv"),
    ])
    static let deleteRangeRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.DeleteRangeRequest", fields: [
        ProtoSchemaField(1, "key", .bytes),
        ProtoSchemaField(2, "range_end", .bytes, jsonName: "rangeEnd"),
        ProtoSchemaField(3, "prev_kv", .bool, jsonName: "prevKv"),
    ])
    static let deleteRangeResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.DeleteRangeResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "deleted", .int64),
        ProtoSchemaField(3, "prev_kvs", .message { .keyValue }, jsonName: "prevKvs", isRepeated: true),
    ])
    static let requestOp: ProtoSchema = ProtoSchema(goName: "etcdserverpb.RequestOp", fields: [
        ProtoSchemaField(1, "request_range", .message { .rangeRequest }, jsonName: "requestRange", oneof: "request"),
        ProtoSchemaField(2, "request_put", .message { .putRequest }, jsonName: "requestPut", oneof: "request"),
        ProtoSchemaField(3, "request_delete_range", .message { .deleteRangeRequest }, jsonName: "requestDeleteRange", oneof: "request"),
        ProtoSchemaField(4, "request_txn", .message { .txnRequest }, jsonName: "requestTxn", oneof: "request"),
    ])
    static let responseOp: ProtoSchema = ProtoSchema(goName: "etcdserverpb.ResponseOp", fields: [
        ProtoSchemaField(1, "response_range", .message { .rangeResponse }, jsonName: "responseRange", oneof: "response"),
        ProtoSchemaField(2, "response_put", .message { .putResponse }, jsonName: "responsePut", oneof: "response"),
        ProtoSchemaField(3, "response_delete_range", .message { .deleteRangeResponse }, jsonName: "responseDeleteRange", oneof: "response"),
        ProtoSchemaField(4, "response_txn", .message { .txnResponse }, jsonName: "responseTxn", oneof: "response"),
    ])
    static let compare: ProtoSchema = ProtoSchema(goName: "etcdserverpb.Compare", fields: [
        ProtoSchemaField(1, "result", .enumeration(.compareCompareResult)),
        ProtoSchemaField(2, "target", .enumeration(.compareCompareTarget)),
        ProtoSchemaField(3, "key", .bytes),
        ProtoSchemaField(4, "version", .int64, oneof: "target_union"),
        ProtoSchemaField(5, "create_revision", .int64, jsonName: "createRevision", oneof: "target_union"),
        ProtoSchemaField(6, "mod_revision", .int64, jsonName: "modRevision", oneof: "target_union"),
        ProtoSchemaField(7, "value", .bytes, oneof: "target_union"),
        ProtoSchemaField(8, "lease", .int64, oneof: "target_union"),
        ProtoSchemaField(64, "range_end", .bytes, jsonName: "rangeEnd"),
    ])
    static let txnRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.TxnRequest", fields: [
        ProtoSchemaField(1, "compare", .message { .compare }, isRepeated: true),
        ProtoSchemaField(2, "success", .message { .requestOp }, isRepeated: true),
        ProtoSchemaField(3, "failure", .message { .requestOp }, isRepeated: true),
    ])
    static let txnResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.TxnResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "succeeded", .bool),
        ProtoSchemaField(3, "responses", .message { .responseOp }, isRepeated: true),
    ])
    static let compactionRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.CompactionRequest", fields: [
        ProtoSchemaField(1, "revision", .int64),
        ProtoSchemaField(2, "physical", .bool),
    ])
    static let compactionResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.CompactionResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let hashRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.HashRequest", fields: [
    ])
    static let hashKVRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.HashKVRequest", fields: [
        ProtoSchemaField(1, "revision", .int64),
    ])
    static let hashKVResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.HashKVResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "hash", .uint32),
        ProtoSchemaField(3, "compact_revision", .int64, jsonName: "compactRevision"),
    ])
    static let hashResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.HashResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "hash", .uint32),
    ])
    static let snapshotRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.SnapshotRequest", fields: [
    ])
    static let snapshotResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.SnapshotResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "remaining_bytes", .uint64, jsonName: "remainingBytes"),
        ProtoSchemaField(3, "blob", .bytes),
    ])
    static let watchRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.WatchRequest", fields: [
        ProtoSchemaField(1, "create_request", .message { .watchCreateRequest }, jsonName: "createRequest", oneof: "request_union"),
        ProtoSchemaField(2, "cancel_request", .message { .watchCancelRequest }, jsonName: "cancelRequest", oneof: "request_union"),
        ProtoSchemaField(3, "progress_request", .message { .watchProgressRequest }, jsonName: "progressRequest", oneof: "request_union"),
    ])
    static let watchCreateRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.WatchCreateRequest", fields: [
        ProtoSchemaField(1, "key", .bytes),
        ProtoSchemaField(2, "range_end", .bytes, jsonName: "rangeEnd"),
        ProtoSchemaField(3, "start_revision", .int64, jsonName: "startRevision"),
        ProtoSchemaField(4, "progress_notify", .bool, jsonName: "progressNotify"),
        ProtoSchemaField(5, "filters", .enumeration(.watchCreateRequestFilterType), isRepeated: true),
        ProtoSchemaField(6, "prev_kv", .bool, jsonName: "prevKv"),
        ProtoSchemaField(7, "watch_id", .int64, jsonName: "watchId"),
        ProtoSchemaField(8, "fragment", .bool),
    ])
    static let watchCancelRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.WatchCancelRequest", fields: [
        ProtoSchemaField(1, "watch_id", .int64, jsonName: "watchId"),
    ])
    static let watchProgressRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.WatchProgressRequest", fields: [
    ])
    static let watchResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.WatchResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "watch_id", .int64, jsonName: "watchId"),
        ProtoSchemaField(3, "created", .bool),
        ProtoSchemaField(4, "canceled", .bool),
        ProtoSchemaField(5, "compact_revision", .int64, jsonName: "compactRevision"),
        ProtoSchemaField(6, "cancel_reason", .string, jsonName: "cancelReason"),
        ProtoSchemaField(7, "fragment", .bool),
        ProtoSchemaField(11, "events", .message { .event }, isRepeated: true),
    ])
    static let leaseGrantRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseGrantRequest", fields: [
        ProtoSchemaField(1, "TTL", .int64),
        ProtoSchemaField(2, "ID", .int64),
    ])
    static let leaseGrantResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseGrantResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "ID", .int64),
        ProtoSchemaField(3, "TTL", .int64),
        ProtoSchemaField(4, "error", .string),
    ])
    static let leaseRevokeRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseRevokeRequest", fields: [
        ProtoSchemaField(1, "ID", .int64),
    ])
    static let leaseRevokeResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseRevokeResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let leaseCheckpoint: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseCheckpoint", fields: [
        ProtoSchemaField(1, "ID", .int64),
        ProtoSchemaField(2, "remaining_TTL", .int64, jsonName: "remainingTTL"),
    ])
    static let leaseCheckpointRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseCheckpointRequest", fields: [
        ProtoSchemaField(1, "checkpoints", .message { .leaseCheckpoint }, isRepeated: true),
    ])
    static let leaseCheckpointResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseCheckpointResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let leaseKeepAliveRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseKeepAliveRequest", fields: [
        ProtoSchemaField(1, "ID", .int64),
    ])
    static let leaseKeepAliveResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseKeepAliveResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "ID", .int64),
        ProtoSchemaField(3, "TTL", .int64),
    ])
    static let leaseTimeToLiveRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseTimeToLiveRequest", fields: [
        ProtoSchemaField(1, "ID", .int64),
        ProtoSchemaField(2, "keys", .bool),
    ])
    static let leaseTimeToLiveResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseTimeToLiveResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "ID", .int64),
        ProtoSchemaField(3, "TTL", .int64),
        ProtoSchemaField(4, "grantedTTL", .int64),
        ProtoSchemaField(5, "keys", .bytes, isRepeated: true),
    ])
    static let leaseLeasesRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseLeasesRequest", fields: [
    ])
    static let leaseStatus: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseStatus", fields: [
        ProtoSchemaField(1, "ID", .int64),
    ])
    static let leaseLeasesResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.LeaseLeasesResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "leases", .message { .leaseStatus }, isRepeated: true),
    ])
    static let member: ProtoSchema = ProtoSchema(goName: "etcdserverpb.Member", fields: [
        ProtoSchemaField(1, "ID", .uint64),
        ProtoSchemaField(2, "name", .string),
        ProtoSchemaField(3, "peerURLs", .string, isRepeated: true),
        ProtoSchemaField(4, "clientURLs", .string, isRepeated: true),
        ProtoSchemaField(5, "isLearner", .bool),
    ])
    static let memberAddRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberAddRequest", fields: [
        ProtoSchemaField(1, "peerURLs", .string, isRepeated: true),
        ProtoSchemaField(2, "isLearner", .bool),
    ])
    static let memberAddResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberAddResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "member", .message { .member }),
        ProtoSchemaField(3, "members", .message { .member }, isRepeated: true),
    ])
    static let memberRemoveRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberRemoveRequest", fields: [
        ProtoSchemaField(1, "ID", .uint64),
    ])
    static let memberRemoveResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberRemoveResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "members", .message { .member }, isRepeated: true),
    ])
    static let memberUpdateRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberUpdateRequest", fields: [
        ProtoSchemaField(1, "ID", .uint64),
        ProtoSchemaField(2, "peerURLs", .string, isRepeated: true),
    ])
    static let memberUpdateResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberUpdateResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "members", .message { .member }, isRepeated: true),
    ])
    static let memberListRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberListRequest", fields: [
    ])
    static let memberListResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberListResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "members", .message { .member }, isRepeated: true),
    ])
    static let memberPromoteRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberPromoteRequest", fields: [
        ProtoSchemaField(1, "ID", .uint64),
    ])
    static let memberPromoteResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MemberPromoteResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "members", .message { .member }, isRepeated: true),
    ])
    static let defragmentRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.DefragmentRequest", fields: [
    ])
    static let defragmentResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.DefragmentResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let moveLeaderRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MoveLeaderRequest", fields: [
        ProtoSchemaField(1, "targetID", .uint64),
    ])
    static let moveLeaderResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.MoveLeaderResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let alarmRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AlarmRequest", fields: [
        ProtoSchemaField(1, "action", .enumeration(.alarmRequestAlarmAction)),
        ProtoSchemaField(2, "memberID", .uint64),
        ProtoSchemaField(3, "alarm", .enumeration(.alarmType)),
    ])
    static let alarmMember: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AlarmMember", fields: [
        ProtoSchemaField(1, "memberID", .uint64),
        ProtoSchemaField(2, "alarm", .enumeration(.alarmType)),
    ])
    static let alarmResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AlarmResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "alarms", .message { .alarmMember }, isRepeated: true),
    ])
    static let statusRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.StatusRequest", fields: [
    ])
    static let statusResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.StatusResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "version", .string),
        ProtoSchemaField(3, "dbSize", .int64),
        ProtoSchemaField(4, "leader", .uint64),
        ProtoSchemaField(5, "raftIndex", .uint64),
        ProtoSchemaField(6, "raftTerm", .uint64),
        ProtoSchemaField(7, "raftAppliedIndex", .uint64),
        ProtoSchemaField(8, "errors", .string, isRepeated: true),
        ProtoSchemaField(9, "dbSizeInUse", .int64),
        ProtoSchemaField(10, "isLearner", .bool),
    ])
    static let authEnableRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthEnableRequest", fields: [
    ])
    static let authDisableRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthDisableRequest", fields: [
    ])
    static let authenticateRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthenticateRequest", fields: [
        ProtoSchemaField(1, "name", .string),
        ProtoSchemaField(2, "password", .string),
    ])
    static let authUserAddRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserAddRequest", fields: [
        ProtoSchemaField(1, "name", .string),
        ProtoSchemaField(2, "password", .string),
        ProtoSchemaField(3, "options", .message { .userAddOptions }),
    ])
    static let authUserGetRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserGetRequest", fields: [
        ProtoSchemaField(1, "name", .string),
    ])
    static let authUserDeleteRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserDeleteRequest", fields: [
        ProtoSchemaField(1, "name", .string),
    ])
    static let authUserChangePasswordRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserChangePasswordRequest", fields: [
        ProtoSchemaField(1, "name", .string),
        ProtoSchemaField(2, "password", .string),
    ])
    static let authUserGrantRoleRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserGrantRoleRequest", fields: [
        ProtoSchemaField(1, "user", .string),
        ProtoSchemaField(2, "role", .string),
    ])
    static let authUserRevokeRoleRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserRevokeRoleRequest", fields: [
        ProtoSchemaField(1, "name", .string),
        ProtoSchemaField(2, "role", .string),
    ])
    static let authRoleAddRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleAddRequest", fields: [
        ProtoSchemaField(1, "name", .string),
    ])
    static let authRoleGetRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleGetRequest", fields: [
        ProtoSchemaField(1, "role", .string),
    ])
    static let authUserListRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserListRequest", fields: [
    ])
    static let authRoleListRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleListRequest", fields: [
    ])
    static let authRoleDeleteRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleDeleteRequest", fields: [
        ProtoSchemaField(1, "role", .string),
    ])
    static let authRoleGrantPermissionRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleGrantPermissionRequest", fields: [
        ProtoSchemaField(1, "name", .string),
        ProtoSchemaField(2, "perm", .message { .permission }),
    ])
    static let authRoleRevokePermissionRequest: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleRevokePermissionRequest", fields: [
        ProtoSchemaField(1, "role", .string),
        ProtoSchemaField(2, "key", .bytes),
        ProtoSchemaField(3, "range_end", .bytes, jsonName: "rangeEnd"),
    ])
    static let authEnableResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthEnableResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authDisableResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthDisableResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authenticateResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthenticateResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "token", .string),
    ])
    static let authUserAddResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserAddResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authUserGetResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserGetResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "roles", .string, isRepeated: true),
    ])
    static let authUserDeleteResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserDeleteResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authUserChangePasswordResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserChangePasswordResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authUserGrantRoleResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserGrantRoleResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authUserRevokeRoleResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserRevokeRoleResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authRoleAddResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleAddResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authRoleGetResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleGetResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "perm", .message { .permission }, isRepeated: true),
    ])
    static let authRoleListResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleListResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "roles", .string, isRepeated: true),
    ])
    static let authUserListResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthUserListResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "users", .string, isRepeated: true),
    ])
    static let authRoleDeleteResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleDeleteResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authRoleGrantPermissionResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleGrantPermissionResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let authRoleRevokePermissionResponse: ProtoSchema = ProtoSchema(goName: "etcdserverpb.AuthRoleRevokePermissionResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
}
