/// How a `GRPCStatus` travels: as `grpc-status` (decimal code) and `grpc-message` trailers, the
/// message percent-encoded as the gRPC HTTP/2 spec says and grpc-go does.
///
/// Bytes from space to `~` pass through except `%`; every other byte of the message's UTF-8 form,
/// and `%` itself, becomes `%XX` with uppercase hex. Swift strings are always valid UTF-8, so
/// grpc-go's replacement of invalid sequences has nothing to do here.
extension GRPCStatus {
    /// The trailer fields for this status, in grpc-go's order. `grpc-message` is always present,
    /// empty for an empty message, as grpc-go sends it.
    public var trailerFields: [(name: String, value: String)] {
        [("grpc-status", String(code.rawValue)), ("grpc-message", Self.percentEncoded(message))]
    }

    /// `message` percent-encoded for the `grpc-message` header. O(n); returns `message` itself
    /// (no copy) when nothing needs encoding.
    public static func percentEncoded(_ message: String) -> String {
        guard message.utf8.contains(where: needsPercentEncoding) else { return message }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(message.utf8.count * 3)
        for byte in message.utf8 {
            if needsPercentEncoding(byte) {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hexDigit(byte >> 4))
                encoded.append(hexDigit(byte & 0x0f))
            } else {
                encoded.append(byte)
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// The inverse of `percentEncoded`, as lenient as grpc-go's decoder: a `%` not followed by two
    /// hex digits stays as it is. Invalid UTF-8 in the result is replaced (U+FFFD).
    public static func percentDecoded(_ encoded: String) -> String {
        let bytes = Array(encoded.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return encoded }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func needsPercentEncoding(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte > 0x7e || byte == UInt8(ascii: "%")
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
