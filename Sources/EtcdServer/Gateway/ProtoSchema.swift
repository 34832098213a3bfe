// What the JSON gateway knows about a protobuf message: its fields, their names as jsonpb spells
// them, and their types. The transcoders (`ProtoJSONEncoder`, `ProtoJSONDecoder`) are driven by
// these tables alone, so one pair of functions serves every RPC the gateway exposes.

/// One protobuf message type as the JSON gateway sees it.
///
/// Built once per message as a `static let` (see `GatewaySchemas+*.swift`), never per request.
/// Invariant: field numbers are unique and positive; `fields` is in `.proto` declaration order,
/// which is the order jsonpb writes them in.
final class ProtoSchema: Sendable {
    /// The Go type name etcd's generated code registers (`etcdserverpb.RangeRequest`), for texts.
    let goName: String
    /// The fields in declaration order (a oneof's members where the oneof is declared).
    let fields: [ProtoSchemaField]
    /// Indices into `fields`, sorted by field number: the order gogo writes fields on the wire.
    let fieldIndicesByNumber: [Int]
    /// `fieldIndexForNumber[n]` is the index of field `n` in `fields`, or -1; sized to the largest number.
    private let fieldIndexForNumber: [Int]

    init(goName: String, fields: [ProtoSchemaField]) {
        self.goName = goName
        self.fields = fields
        fieldIndicesByNumber = fields.indices.sorted { fields[$0].number < fields[$1].number }
        var table = [Int](repeating: -1, count: (fields.map(\.number).max() ?? 0) + 1)
        for (index, field) in fields.enumerated() {
            precondition(field.number > 0 && table[field.number] == -1, "\(goName): bad or duplicate field \(field.number)")
            table[field.number] = index
        }
        fieldIndexForNumber = table
    }

    /// The index in `fields` of the field numbered `number`, if the message declares one.
    func fieldIndex(forNumber number: Int) -> Int? {
        guard number < fieldIndexForNumber.count else { return nil }
        let index = fieldIndexForNumber[number]
        return index < 0 ? nil : index
    }
}

/// One field of a `ProtoSchema`.
struct ProtoSchemaField: Sendable {
    /// The field number on the wire.
    let number: Int
    /// The name declared in the `.proto` (`range_end`): what jsonpb writes with `OrigName`.
    let name: String
    /// protoc's lowerCamel JSON name (`rangeEnd`); jsonpb also accepts it on input.
    let jsonName: String
    let kind: ProtoFieldKind
    let isRepeated: Bool
    /// The oneof the field belongs to, if any: present members are written even at their zero value.
    let oneof: String?
    /// `"name":` as UTF-8, written before the field's value.
    let jsonKey: [UInt8]
    let nameUTF8: [UInt8]
    let jsonNameUTF8: [UInt8]

    init(_ number: Int, _ name: String, _ kind: ProtoFieldKind, jsonName: String? = nil,
         isRepeated: Bool = false, oneof: String? = nil) {
        self.number = number
        self.name = name
        self.jsonName = jsonName ?? name
        self.kind = kind
        self.isRepeated = isRepeated
        self.oneof = oneof
        jsonKey = Array("\"\(name)\":".utf8)
        nameUTF8 = Array(name.utf8)
        jsonNameUTF8 = Array((jsonName ?? name).utf8)
    }
}

/// A field's protobuf type, as far as JSON cares.
enum ProtoFieldKind: Sendable {
    case int64, uint64, int32, uint32, bool, string, bytes
    case enumeration(ProtoEnumSchema)
    /// A closure, so that recursive messages (RequestOp → TxnRequest → RequestOp) can refer to
    /// each other's `static let`.
    case message(@Sendable () -> ProtoSchema)

    /// The Go type encoding/json names in "cannot unmarshal … into Go value of type T".
    var goTypeName: String {
        switch self {
        case .int64: return "int64"
        case .uint64: return "uint64"
        case .int32: return "int32"
        case .uint32: return "uint32"
        case .bool: return "bool"
        case .string: return "string"
        case .bytes: return "[]uint8"
        case .enumeration(let schema): return schema.goName
        case .message: return "map[string]json.RawMessage"
        }
    }
}

/// A protobuf enum: its Go name (for error texts) and its values' names.
final class ProtoEnumSchema: Sendable {
    /// The name the Go code registers (`etcdserverpb.RangeRequest_SortOrder`).
    let goName: String
    let values: [(number: Int32, name: String)]
    private let namesUTF8: [[UInt8]]

    init(goName: String, values: [(Int32, String)]) {
        self.goName = goName
        self.values = values.map { (number: $0.0, name: $0.1) }
        namesUTF8 = values.map { Array($0.1.utf8) }
    }

    /// The declared name of `number`, or nil for a number the enum does not declare.
    func name(of number: Int32) -> String? {
        values.first { $0.number == number }?.name
    }

    /// The number of the value whose name is exactly `bytes`.
    func number<Bytes: Collection<UInt8>>(named bytes: Bytes) -> Int32? {
        for (index, name) in namesUTF8.enumerated() where name.elementsEqual(bytes) {
            return values[index].number
        }
        return nil
    }
}
