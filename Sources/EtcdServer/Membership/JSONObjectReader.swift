/// Reads a JSON object's fields into typed values the way Go's `json.Unmarshal` fills a struct,
/// so that a document etcd accepts decodes here to the same values:
/// - a key matches a field name exactly or ASCII-case-insensitively (`"ID"` sets `id`);
/// - when several keys match, the last one wins; keys matching no field are ignored;
/// - `null` leaves a field at its zero value (an empty list for a slice);
/// - a value of the wrong type is refused (Go reports an `UnmarshalTypeError`), as is a
///   number that does not fit the field (negative, fractional or too large for a `uint64`).
struct JSONObjectReader {
    private let fields: [JSONField]

    /// Refuses anything but an object at the top.
    init(_ value: JSONValue) throws(JSONDecodeError) {
        guard case .object(let fields) = value else { throw JSONDecodeError(offset: 0, reason: "expected an object") }
        self.fields = fields
    }

    init(parsing bytes: [UInt8]) throws(JSONDecodeError) {
        try self.init(JSONValue(parsing: bytes))
    }

    /// The value of the last key matching `name`; nil when absent or `null`.
    private func value(_ name: String) -> JSONValue? {
        var found: JSONValue?
        for field in fields where Self.equalFold(field.key, name) {
            found = field.value
        }
        if case .null = found { return nil }
        return found
    }

    func uint64(_ name: String) throws(JSONDecodeError) -> UInt64 {
        guard let value = value(name) else { return 0 }
        guard case .number(let text) = value, let number = UInt64(text) else {
            throw JSONDecodeError(offset: 0, reason: "field \(name) is not an unsigned 64-bit integer")
        }
        return number
    }

    func string(_ name: String) throws(JSONDecodeError) -> String {
        guard let value = value(name) else { return "" }
        guard case .string(let string) = value else { throw JSONDecodeError(offset: 0, reason: "field \(name) is not a string") }
        return string
    }

    func bool(_ name: String) throws(JSONDecodeError) -> Bool {
        guard let value = value(name) else { return false }
        guard case .bool(let bool) = value else { throw JSONDecodeError(offset: 0, reason: "field \(name) is not a boolean") }
        return bool
    }

    /// A list of strings; a `null` element reads as "" (Go leaves it at the zero string).
    func strings(_ name: String) throws(JSONDecodeError) -> [String] {
        guard let value = value(name) else { return [] }
        guard case .array(let elements) = value else { throw JSONDecodeError(offset: 0, reason: "field \(name) is not a list") }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            switch element {
            case .string(let string): strings.append(string)
            case .null: strings.append("")
            default: throw JSONDecodeError(offset: 0, reason: "field \(name) holds a non-string")
            }
        }
        return strings
    }

    /// ASCII case folding: the field names read here are ASCII, and Go folds no other letters
    /// onto them except the Kelvin sign (K) and long s (ſ), which no member document holds.
    private static func equalFold(_ a: String, _ b: String) -> Bool {
        let a = a.utf8, b = b.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
