// JSON request bodies to protobuf wire bytes, as etcd 3.4's gateway reads them: grpc-gateway v1
// decodes a body with json.Decoder (one value; what follows it is ignored; an empty body is an
// empty message) and jsonpb's Unmarshaler with AllowUnknownFields. The rules that follow from it:
// a field is found under its declared name or its lowerCamel name (the latter wins when both are
// given; a repeated key keeps its last value); unknown keys are ignored; `null` leaves a field
// unset; 64- and 32-bit integers come as numbers or as quoted numbers; enums by name or number;
// bytes as standard padded base64. Refusals carry Go's texts (see `GatewayJSONError`).
// The output is what gogo would marshal: fields in number order, proto3 defaults left out, oneof
// members written even at their zero value, repeated enums packed.

import EtcdBasics
import ProtoWire

/// Transcodes grpc-gateway JSON request bodies to protobuf, driven by a `ProtoSchema`.
enum ProtoJSONDecoder {
    /// The protobuf encoding of the first JSON value in `json` (a unary request body).
    ///
    /// An empty or all-whitespace body is an empty message, as grpc-gateway treats `io.EOF`; bytes
    /// after the first value are ignored, as json.Decoder leaves them unread. Throws with Go's
    /// text when the value is malformed or does not fit `schema`.
    static func decode(_ json: [UInt8], as schema: ProtoSchema) throws(GatewayJSONError) -> [UInt8] {
        switch try decodeNext(json, from: 0, isComplete: true, as: schema) {
        case .message(let bytes, _): return bytes
        case .endOfBody, .needsMoreBytes: return []
        }
    }

    /// The result of decoding one message from a stream of concatenated JSON values.
    enum StreamStep: Equatable {
        /// A message, and the offset just after its JSON value (where the next scan starts).
        case message([UInt8], end: Int)
        /// The bytes from the offset hold only part of a value (or only whitespace); try again
        /// with more of the body.
        case needsMoreBytes
        /// Only whitespace remains and the body is complete.
        case endOfBody
    }

    /// Decodes the JSON value that starts at `offset` (after whitespace) in a streaming body
    /// (Watch, LeaseKeepAlive: values concatenated, whitespace between them allowed).
    ///
    /// `isComplete` says whether `body` is all there will be: when false, a value cut off at the
    /// end of `body` yields `needsMoreBytes` instead of "unexpected EOF", so the caller can feed a
    /// growing body and resume at the same offset.
    static func decodeNext(_ body: [UInt8], from offset: Int, isComplete: Bool,
                           as schema: ProtoSchema) throws(GatewayJSONError) -> StreamStep {
        try withBuffer(body) { (document) throws(GatewayJSONError) -> StreamStep in
            switch try GatewayJSONScanner.scan(document, from: offset, isComplete: isComplete,
                                                endOfInputError: .unexpectedEOF) {
            case .endOfInput:
                return .endOfBody
            case .needsMoreBytes:
                return .needsMoreBytes
            case let .value(start, end):
                let reader = JSONValueReader(document: document)
                var writer = ProtoWriter()
                try reader.decodeMessage(start..<end, as: schema, depth: 0, into: &writer)
                return .message(writer.bytes, end: end)
            }
        }
    }

    static func withBuffer<Result>(
        _ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(GatewayJSONError) -> Result
    ) throws(GatewayJSONError) -> Result {
        let outcome: Swift.Result<Result, GatewayJSONError> = bytes.withUnsafeBufferPointer { buffer in
            Swift.Result { () throws(GatewayJSONError) in try body(buffer) }
        }
        return try outcome.get()
    }
}

/// Walks JSON that `GatewayJSONScanner` has already checked, writing protobuf as it goes.
private struct JSONValueReader {
    let document: UnsafeBufferPointer<UInt8>

    /// One `"key": value` of an object: where its key's text and its value lie.
    struct Entry {
        let key: Range<Int>
        let keyHasEscape: Bool
        let value: Range<Int>
    }

    // MARK: Messages

    /// Decodes the object in `range` as `schema` and appends its fields to `writer`.
    /// `null` is an empty message; any other non-object is refused as json.Unmarshal into a map is.
    func decodeMessage(_ range: Range<Int>, as schema: ProtoSchema, depth: Int,
                       into writer: inout ProtoWriter) throws(GatewayJSONError) {
        guard depth <= Limits.protoDecodeDepthMax else { throw .messageNestingTooDeep(max: Limits.protoDecodeDepthMax) }
        let first = document[range.lowerBound]
        if first == UInt8(ascii: "n") { return }
        guard first == UInt8(ascii: "{") else {
            throw .cannotUnmarshal(value: kindName(range), goType: "map[string]json.RawMessage")
        }
        let entries = objectEntries(range)
        for index in schema.fieldIndicesByNumber {
            let field = schema.fields[index]
            guard let entry = lookUp(field, in: entries) else { continue }
            if let oneof = field.oneof, laterOneofMemberIsPresent(after: index, oneof, schema, entries) { continue }
            if field.isRepeated {
                try decodeRepeated(entry.value, field, depth: depth, into: &writer)
            } else {
                try decodeSingular(entry.value, field, depth: depth, into: &writer)
            }
        }
    }

    /// The entry jsonpb takes for `field`: the last under its lowerCamel name, else the last under
    /// its declared name.
    func lookUp(_ field: ProtoSchemaField, in entries: [Entry]) -> Entry? {
        if let entry = entries.last(where: { key($0, equals: field.jsonNameUTF8) }) { return entry }
        if field.jsonNameUTF8 == field.nameUTF8 { return nil }
        return entries.last { key($0, equals: field.nameUTF8) }
    }

    /// Whether the object also sets a oneof member declared after field `index` (jsonpb would
    /// set both, the last one winning; we keep the later-declared).
    func laterOneofMemberIsPresent(after index: Int, _ oneof: String, _ schema: ProtoSchema,
                                   _ entries: [Entry]) -> Bool {
        for other in (index + 1)..<schema.fields.count where schema.fields[other].oneof == oneof {
            if lookUp(schema.fields[other], in: entries) != nil { return true }
        }
        return false
    }

    func key(_ entry: Entry, equals name: [UInt8]) -> Bool {
        if !entry.keyHasEscape {
            return entry.key.count == name.count && document[entry.key].elementsEqual(name)
        }
        return GoJSONString.unescape(UnsafeBufferPointer(rebasing: document[entry.key])) == name
    }

    func objectEntries(_ range: Range<Int>) -> [Entry] {
        var entries: [Entry] = []
        var index = skipWhitespace(range.lowerBound + 1)
        if document[index] == UInt8(ascii: "}") { return entries }
        while true {
            let keyStart = index + 1
            let (keyEnd, hasEscape) = stringEnd(from: index)
            index = skipWhitespace(keyEnd)          // at ':'
            let valueStart = skipWhitespace(index + 1)
            let valueEnd = valueEnd(from: valueStart)
            entries.append(Entry(key: keyStart..<(keyEnd - 1), keyHasEscape: hasEscape, value: valueStart..<valueEnd))
            index = skipWhitespace(valueEnd)
            if document[index] == UInt8(ascii: "}") { return entries }
            index = skipWhitespace(index + 1)       // past ','
        }
    }

    // MARK: Fields

    func decodeSingular(_ value: Range<Int>, _ field: ProtoSchemaField, depth: Int,
                        into writer: inout ProtoWriter) throws(GatewayJSONError) {
        let isOneof = field.oneof != nil
        if isNull(value) {
            // A null oneof member still selects the member; a scalar one is then written as zero.
            if isOneof, field.kind.isPackable { writer.writeVarintField(field: field.number, 0) }
            return
        }
        switch field.kind {
        case .message(let schema):
            var child = ProtoWriter()
            try decodeMessage(value, as: schema(), depth: depth + 1, into: &child)
            writer.writeLengthDelimitedField(field: field.number, child.bytes)
        case .bytes:
            let bytes = try decodeBytes(value)
            if isOneof || !bytes.isEmpty { writer.writeLengthDelimitedField(field: field.number, bytes) }
        case .string:
            let bytes = try decodeString(value, goType: "string")
            if isOneof || !bytes.isEmpty { writer.writeLengthDelimitedField(field: field.number, bytes) }
        default:
            guard let number = try decodeVarintScalar(value, field.kind) else { return }
            if isOneof || number != 0 { writer.writeVarintField(field: field.number, number) }
        }
    }

    func decodeRepeated(_ value: Range<Int>, _ field: ProtoSchemaField, depth: Int,
                        into writer: inout ProtoWriter) throws(GatewayJSONError) {
        if isNull(value) { return }
        if case .enumeration(let schema) = field.kind, document[value.lowerBound] == UInt8(ascii: "\"") {
            // jsonpb takes a quoted name as the enum itself, then finds it cannot store it in a slice.
            _ = try decodeVarintScalar(value, field.kind)
            throw .invalidEnumTarget(kind: "slice", enumName: schema.goName)
        }
        guard document[value.lowerBound] == UInt8(ascii: "[") else {
            throw .cannotUnmarshal(value: kindName(value), goType: "[]json.RawMessage")
        }
        var packed = ProtoWriter()
        var index = skipWhitespace(value.lowerBound + 1)
        while document[index] != UInt8(ascii: "]") {
            let element = index..<valueEnd(from: index)
            switch field.kind {
            case .message(let schema):
                var child = ProtoWriter()
                try decodeMessage(element, as: schema(), depth: depth + 1, into: &child)
                writer.writeLengthDelimitedField(field: field.number, child.bytes)
            case .bytes:
                writer.writeLengthDelimitedField(field: field.number, isNull(element) ? [] : try decodeBytes(element))
            case .string:
                writer.writeLengthDelimitedField(field: field.number, isNull(element) ? [] : try decodeString(element, goType: "string"))
            default:
                packed.writeVarint(try decodeVarintScalar(element, field.kind) ?? 0)
            }
            index = skipWhitespace(element.upperBound)
            if document[index] == UInt8(ascii: ",") { index = skipWhitespace(index + 1) }
        }
        if !packed.bytes.isEmpty { writer.writeLengthDelimitedField(field: field.number, packed.bytes) }
    }

    // MARK: Scalars

    /// A string's bytes (escapes decoded); any other kind is refused as a `goType`.
    func decodeString(_ value: Range<Int>, goType: String) throws(GatewayJSONError) -> [UInt8] {
        guard document[value.lowerBound] == UInt8(ascii: "\"") else {
            throw .cannotUnmarshal(value: kindName(value), goType: goType)
        }
        return GoJSONString.unescape(UnsafeBufferPointer(rebasing: document[(value.lowerBound + 1)..<(value.upperBound - 1)]))
    }

    /// A bytes field: base64 text, or (as encoding/json allows for a []byte) an array of numbers.
    func decodeBytes(_ value: Range<Int>) throws(GatewayJSONError) -> [UInt8] {
        if document[value.lowerBound] == UInt8(ascii: "[") {
            var bytes: [UInt8] = []
            var index = skipWhitespace(value.lowerBound + 1)
            while document[index] != UInt8(ascii: "]") {
                let element = index..<valueEnd(from: index)
                // encoding/json itself decodes these elements: no jsonpb quote stripping.
                if document[index] == UInt8(ascii: "\"") { throw .cannotUnmarshal(value: "string", goType: "uint8") }
                bytes.append(UInt8(truncatingIfNeeded: try decodeVarintScalar(element, .uint32, goType: "uint8", bitWidth: 8) ?? 0))
                index = skipWhitespace(element.upperBound)
                if document[index] == UInt8(ascii: ",") { index = skipWhitespace(index + 1) }
            }
            return bytes
        }
        let text = try decodeString(value, goType: "[]uint8")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 4 * 3)
        try GoBase.decodeBase64(text, into: &bytes)
        return bytes
    }

    /// An integer, bool or enum value as the varint gogo would write, or nil for `null`.
    func decodeVarintScalar(_ value: Range<Int>, _ kind: ProtoFieldKind) throws(GatewayJSONError) -> UInt64? {
        switch kind {
        case .bool:
            switch document[value.lowerBound] {
            case UInt8(ascii: "t"): return 1
            case UInt8(ascii: "f"): return 0
            case UInt8(ascii: "n"): return nil
            default: throw .cannotUnmarshal(value: kindName(value), goType: "bool")
            }
        case .enumeration(let schema):
            if document[value.lowerBound] == UInt8(ascii: "\"") {
                // jsonpb looks the name up without unquoting it.
                let name = document[(value.lowerBound + 1)..<(value.upperBound - 1)]
                guard let number = schema.number(named: name) else {
                    throw .unknownEnumValue(quotedName: GoQuote.quoted(UnsafeBufferPointer(rebasing: name)),
                                            enumName: schema.goName)
                }
                return UInt64(bitPattern: Int64(number))
            }
            return try decodeVarintScalar(value, .int32, goType: schema.goName, bitWidth: 32)
        case .int64: return try decodeVarintScalar(value, kind, goType: "int64", bitWidth: 64)
        case .uint64: return try decodeVarintScalar(value, kind, goType: "uint64", bitWidth: 64)
        case .int32: return try decodeVarintScalar(value, kind, goType: "int32", bitWidth: 32)
        case .uint32: return try decodeVarintScalar(value, kind, goType: "uint32", bitWidth: 32)
        case .string, .bytes, .message:
            preconditionFailure("not a varint kind")
        }
    }

    /// An integer of `bitWidth` bits (signed for int32/int64 kinds), from a number or a quoted
    /// number, as jsonpb strips the quotes and json.Unmarshal reads what is left.
    func decodeVarintScalar(_ value: Range<Int>, _ kind: ProtoFieldKind, goType: String,
                            bitWidth: Int) throws(GatewayJSONError) -> UInt64? {
        var range = value
        if document[value.lowerBound] == UInt8(ascii: "\"") {
            let inner = UnsafeBufferPointer(rebasing: document[(value.lowerBound + 1)..<(value.upperBound - 1)])
            let valid = try GatewayJSONScanner.checkValid(inner)
            let base = value.lowerBound + 1
            range = (base + valid.lowerBound)..<(base + valid.upperBound)
        }
        switch document[range.lowerBound] {
        case UInt8(ascii: "n"): return nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
        default: throw .cannotUnmarshal(value: kindName(range), goType: goType)
        }
        let text = document[range]
        let isSigned: Bool
        switch kind {
        case .int64, .int32: isSigned = true
        default: isSigned = false
        }
        guard let number = parseInteger(text, isSigned: isSigned, bitWidth: bitWidth) else {
            throw .cannotUnmarshal(value: "number " + String(decoding: text, as: UTF8.self), goType: goType)
        }
        return number
    }

    /// Go's strconv.ParseInt/ParseUint in base 10 plus the target's overflow check: digits only
    /// (after an optional `-` when signed), in range; the result as a varint bit pattern.
    func parseInteger(_ text: Slice<UnsafeBufferPointer<UInt8>>, isSigned: Bool, bitWidth: Int) -> UInt64? {
        var digits = text[...]
        let isNegative = digits.first == UInt8(ascii: "-")
        if isNegative {
            guard isSigned else { return nil }
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var magnitude: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if isSigned {
            let limit = UInt64(1) << (bitWidth - 1)   // |min| for negatives, max + 1 for positives
            guard isNegative ? magnitude <= limit : magnitude < limit else { return nil }
            return isNegative ? UInt64(bitPattern: 0 &- Int64(bitPattern: magnitude)) : magnitude
        }
        guard bitWidth == 64 || magnitude < (UInt64(1) << bitWidth) else { return nil }
        return magnitude
    }

    // MARK: Walking checked JSON

    func isNull(_ value: Range<Int>) -> Bool { document[value.lowerBound] == UInt8(ascii: "n") }

    /// The word encoding/json uses for a value's kind in "cannot unmarshal <kind> into …".
    func kindName(_ value: Range<Int>) -> String {
        switch document[value.lowerBound] {
        case UInt8(ascii: "\""): return "string"
        case UInt8(ascii: "{"): return "object"
        case UInt8(ascii: "["): return "array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "bool"
        default: return "number"
        }
    }

    func skipWhitespace(_ start: Int) -> Int {
        var index = start
        while index < document.count, GatewayJSONScanner.isWhitespace(document[index]) { index += 1 }
        return index
    }

    /// The offset just past the string that opens at `start`, and whether it holds an escape.
    func stringEnd(from start: Int) -> (end: Int, hasEscape: Bool) {
        var index = start + 1
        var hasEscape = false
        while document[index] != UInt8(ascii: "\"") {
            if document[index] == UInt8(ascii: "\\") {
                hasEscape = true
                index += 1
            }
            index += 1
        }
        return (index + 1, hasEscape)
    }

    /// The offset just past the (checked) value that starts at `start`. Iterative: nesting depth
    /// costs nothing here.
    func valueEnd(from start: Int) -> Int {
        var index = start
        var depth = 0
        repeat {
            switch document[index] {
            case UInt8(ascii: "\""):
                index = stringEnd(from: index).end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            default:
                if depth == 0 {
                    // A number or literal at the top: it ends at a delimiter or the end.
                    while index < document.count, !isDelimiter(document[index]) { index += 1 }
                    return index
                }
                index += 1
            }
        } while depth > 0
        return index
    }

    func isDelimiter(_ byte: UInt8) -> Bool {
        GatewayJSONScanner.isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}")
            || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ":")
    }
}
