// Schemas transcribed mechanically from etcd 3.4's v3lock.proto, v3election.proto: one per message, fields in
// declaration order (the order jsonpb writes them), names as declared, lowerCamel JSON names as protoc
// derives them. Nested enums carry Go's names (`etcdserverpb.RangeRequest_SortOrder`) for error texts.

extension ProtoEnumSchema {
}

extension ProtoSchema {
    static let lockRequest: ProtoSchema = ProtoSchema(goName: "v3lockpb.LockRequest", fields: [
        ProtoSchemaField(1, "name", .bytes),
        ProtoSchemaField(2, "lease", .int64),
    ])
    static let lockResponse: ProtoSchema = ProtoSchema(goName: "v3lockpb.LockResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "key", .bytes),
    ])
    static let unlockRequest: ProtoSchema = ProtoSchema(goName: "v3lockpb.UnlockRequest", fields: [
        ProtoSchemaField(1, "key", .bytes),
    ])
    static let unlockResponse: ProtoSchema = ProtoSchema(goName: "v3lockpb.UnlockResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let campaignRequest: ProtoSchema = ProtoSchema(goName: "v3electionpb.CampaignRequest", fields: [
        ProtoSchemaField(1, "name", .bytes),
        ProtoSchemaField(2, "lease", .int64),
        ProtoSchemaField(3, "value", .bytes),
    ])
    static let campaignResponse: ProtoSchema = ProtoSchema(goName: "v3electionpb.CampaignResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "leader", .message { .leaderKey }),
    ])
    static let leaderKey: ProtoSchema = ProtoSchema(goName: "v3electionpb.LeaderKey", fields: [
        ProtoSchemaField(1, "name", .bytes),
        ProtoSchemaField(2, "key", .bytes),
        ProtoSchemaField(3, "rev", .int64),
        ProtoSchemaField(4, "lease", .int64),
    ])
    static let leaderRequest: ProtoSchema = ProtoSchema(goName: "v3electionpb.LeaderRequest", fields: [
        ProtoSchemaField(1, "name", .bytes),
    ])
    static let leaderResponse: ProtoSchema = ProtoSchema(goName: "v3electionpb.LeaderResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
        ProtoSchemaField(2, "kv", .message { .keyValue }),
    ])
    static let resignRequest: ProtoSchema = ProtoSchema(goName: "v3electionpb.ResignRequest", fields: [
        ProtoSchemaField(1, "leader", .message { .leaderKey }),
    ])
    static let resignResponse: ProtoSchema = ProtoSchema(goName: "v3electionpb.ResignResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
    static let proclaimRequest: ProtoSchema = ProtoSchema(goName: "v3electionpb.ProclaimRequest", fields: [
        ProtoSchemaField(1, "leader", .message { .leaderKey }),
        ProtoSchemaField(2, "value", .bytes),
    ])
    static let proclaimResponse: ProtoSchema = ProtoSchema(goName: "v3electionpb.ProclaimResponse", fields: [
        ProtoSchemaField(1, "header", .message { .responseHeader }),
    ])
}
