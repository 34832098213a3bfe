// ProtoWire: the protobuf wire format, by hand, for swetcd's codecs.
//
// The format in one screen. A message is a sequence of fields; each field is a tag varint
// (`fieldNumber << 3 | wireType`) followed by a value whose layout the wire type gives:
//
//     0 varint            base-128, least significant group first, 1-10 bytes
//     1 fixed64           8 bytes little-endian
//     2 length-delimited  varint byte count, then the bytes (bytes, strings, messages, packed runs)
//     3/4 group start/end proto2 groups; etcd uses none, but they must be skippable
//     5 fixed32           4 bytes little-endian
//
// Encoding (`ProtoWriter`, `ProtoSize`): a codec writes its fields in field-number order; proto3
// scalars at their default are left out; a singular message field is written when present (even
// if empty), which is how etcd tells "no prev_kv" from "an empty one". A length prefix needs the
// child's size first, so every message can report `encodedSize` exactly, and the writer checks
// that each child wrote what it promised.
//
// Decoding (`ProtoReader`): a cursor over borrowed bytes. Every length is checked against the
// bytes remaining in the enclosing message before anything is read or allocated; varints longer
// than 10 bytes are refused; unknown fields of every wire type are skipped (groups by counting,
// without recursion); message nesting stops at `Limits.protoDecodeDepthMax`. Malformed input
// throws a `ProtoDecodeError`, never traps. Where etcd's gogo-protobuf decoder and the protobuf
// spec differ on bad input, the reader does what etcd does, in the same order, so the error a
// client sees is etcd's word for word (see ProtoDecodeError.swift).
//
// Messages conform to `ProtoMessage`; enums to `ProtoEnum`. EtcdProto holds etcd's messages.
