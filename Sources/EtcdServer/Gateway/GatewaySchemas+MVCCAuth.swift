// Schemas transcribed mechanically from etcd 3.4's mvcc/mvccpb/kv.proto, auth/authpb/auth.proto: one per message, fields in
// declaration order (the order jsonpb writes them), names as declared, lowerCamel JSON names as protoc
// derives them. Nested enums carry Go's names (`etcdserverpb.RangeRequest_SortOrder`) for error texts.

extension ProtoEnumSchema {
    static let eventEventType: ProtoEnumSchema = ProtoEnumSchema(goName: "mvccpb.Event_EventType", values: [(0, "PUT"), (1, "DELETE")])
    static let permissionType: ProtoEnumSchema = ProtoEnumSchema(goName: "authpb.Permission_Type", values: [(0, "READ"), (1, "WRITE"), (2, "READWRITE")])
}

extension ProtoSchema {
    static let keyValue: ProtoSchema = ProtoSchema(goName: "mvccpb.KeyValue", fields: [
        ProtoSchemaField(1, "key", .bytes),
        ProtoSchemaField(2, "create_revision", .int64, jsonName: "createRevision"),
        ProtoSchemaField(3, "mod_revision", .int64, jsonName: "modRevision"),
        ProtoSchemaField(4, "version", .int64),
        ProtoSchemaField(5, "value", .bytes),
        ProtoSchemaField(6, "lease", .int64),
    ])
    static let event: ProtoSchema = ProtoSchema(goName: "mvccpb.Event", fields: [
        ProtoSchemaField(1, "type", .enumeration(.eventEventType)),
        ProtoSchemaField(2, "kv", .message { .keyValue }),
        ProtoSchemaField(3, "prev_kv", .message { .keyValue }, jsonName: "prevKv"),
    ])
    static let userAddOptions: ProtoSchema = ProtoSchema(goName: "authpb.UserAddOptions", fields: [
        ProtoSchemaField(1, "no_password", .bool, jsonName: "noPassword"),
    ])
    static let user: ProtoSchema = ProtoSchema(goName: "authpb.User", fields: [
        ProtoSchemaField(1, "name", .bytes),
        ProtoSchemaField(2, "password", .bytes),
        ProtoSchemaField(3, "roles", .string, isRepeated: true),
        ProtoSchemaField(4, "options", .message { .userAddOptions }),
    ])
    static let permission: ProtoSchema = ProtoSchema(goName: "authpb.Permission", fields: [
        ProtoSchemaField(1, "permType", .enumeration(.permissionType)),
        ProtoSchemaField(2, "key", .bytes),
        ProtoSchemaField(3, "range_end", .bytes, jsonName: "rangeEnd"),
    ])
    static let role: ProtoSchema = ProtoSchema(goName: "authpb.Role", fields: [
        ProtoSchemaField(1, "name", .bytes),
        ProtoSchemaField(2, "keyPermission", .message { .permission }, isRepeated: true),
    ])
}
