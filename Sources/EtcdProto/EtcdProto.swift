// EtcdProto: etcd 3.4's client-facing messages (etcdserverpb, mvccpb) as plain Swift structs, each
// with a hand-written codec in its `+Codec.swift` file, plus the gRPC method table (`EtcdMethod`).
//
// Naming: a type is named as etcd's Go type is (`RangeRequest`, `KeyValue`); nested Go types
// (`RangeRequest_SortOrder`) are nested Swift types (`RangeRequest.SortOrder`); a property is the
// lowerCamelCase of its proto field name (`range_end` -> `rangeEnd`, `ID` -> `id`). Singular
// message fields are optionals because etcd distinguishes "absent" from "empty" (a nil `prevKv`);
// oneofs are optional Swift enums. Protos/*.proto states the wire contract these codecs implement.

// Users of the messages need the codec entry points (`serializedBytes()`, `init(serializedBytes:)`),
// which live in ProtoWire; re-export it so importing EtcdProto is enough.
@_exported import ProtoWire
