// Header fields of one HTTP/1.1 message, in the order they were written.

/// An ordered list of header fields; lookups ignore case, as HTTP requires.
///
/// Order is kept so a written head is exactly what the writer asked for (and golden bytes are
/// stable), and so a parsed head can be re-emitted unchanged.
public struct PeerHTTPHeaders: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// The first value of the field `name` (compared case-insensitively), as Go's `Header.Get`.
    public func value(for name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of the field `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Appends the fields as `Name: value\r\n` lines.
    func encode(appendingTo bytes: inout [UInt8]) {
        for field in fields {
            precondition(!field.name.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x3A })
                && !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }),
                "header field \(field.name) would break the framing")
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: field.value.utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
    }

    static func namesMatch(_ a: String, _ b: String) -> Bool {
        let a = a.utf8, b = b.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { lowercasedASCII($0) == lowercasedASCII($1) }
    }

    static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}
