// The byte-level pieces of JSON text the gateway shares with Go: how encoding/json writes a string
// (HTML-sensitive characters escaped, invalid UTF-8 as U+FFFD) and reads one back, Go's UTF-8
// decoding rules (one U+FFFD per bad byte), base64 as encoding/base64's StdEncoding (with Go's
// error offsets), and strconv.Quote for error texts.

/// UTF-8 decoding as Go's `utf8.DecodeRune` does it.
enum GoUTF8 {
    /// The scalar at `index` and its length in bytes, or nil when the bytes there are not valid
    /// UTF-8 (Go then reads one byte as U+FFFD). Overlong forms, surrogates and values past
    /// U+10FFFF are invalid.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, length: Int)? {
        let first = bytes[index]
        if first < 0x80 { return (UInt32(first), 1) }
        let remaining = bytes.count - index
        func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> UInt32? {
            guard offset < remaining else { return nil }
            let byte = bytes[index + offset]
            return byte >= low && byte <= high ? UInt32(byte & 0x3F) : nil
        }
        switch first {
        case 0xC2...0xDF:
            guard let second = continuation(1) else { return nil }
            return (UInt32(first & 0x1F) << 6 | second, 2)
        case 0xE0...0xEF:
            let low: UInt8 = first == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = first == 0xED ? 0x9F : 0xBF
            guard let second = continuation(1, low, high), let third = continuation(2) else { return nil }
            return (UInt32(first & 0x0F) << 12 | second << 6 | third, 3)
        case 0xF0...0xF4:
            let low: UInt8 = first == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = first == 0xF4 ? 0x8F : 0xBF
            guard let second = continuation(1, low, high), let third = continuation(2),
                  let fourth = continuation(3) else { return nil }
            return (UInt32(first & 0x07) << 18 | second << 12 | third << 6 | fourth, 4)
        default:
            return nil
        }
    }

    static func append(scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(0xC0 | UInt8(scalar >> 6))
            out.append(0x80 | UInt8(scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(0xE0 | UInt8(scalar >> 12))
            out.append(0x80 | UInt8((scalar >> 6) & 0x3F))
            out.append(0x80 | UInt8(scalar & 0x3F))
        default:
            out.append(0xF0 | UInt8(scalar >> 18))
            out.append(0x80 | UInt8((scalar >> 12) & 0x3F))
            out.append(0x80 | UInt8((scalar >> 6) & 0x3F))
            out.append(0x80 | UInt8(scalar & 0x3F))
        }
    }

    static let replacement: UInt32 = 0xFFFD
}

/// JSON strings as Go's encoding/json writes and reads them.
enum GoJSONString {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let escapedReplacement = Array("\\ufffd".utf8)
    private static let escapedLineSeparatorPrefix = Array("\\u202".utf8)

    /// Appends `bytes` as a quoted JSON string the way `json.Marshal` writes a Go string:
    /// `"` and `\` escaped, `\n` `\r` `\t` short, other control characters and `<` `>` `&` as
    /// `\u00xx`, U+2028/U+2029 escaped, each byte of invalid UTF-8 as `\ufffd`.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\")); out.append(byte)
                case UInt8(ascii: "\n"):
                    out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"):
                    out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"):
                    out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                default:
                    out.append(byte)
                }
                continue
            }
            guard let (scalar, length) = GoUTF8.decode(bytes, at: index) else {
                out.append(contentsOf: escapedReplacement)
                index += 1
                continue
            }
            if scalar == 0x2028 || scalar == 0x2029 {
                out.append(contentsOf: escapedLineSeparatorPrefix)
                out.append(hexDigits[Int(scalar & 0xF)])
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
            }
            index += length
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The bytes a JSON string literal stands for (`literal` holds the text between the quotes,
    /// already checked by `GatewayJSONScanner`), decoded as Go's `unquoteBytes` does: invalid
    /// UTF-8 and unpaired surrogates become U+FFFD.
    static func unescape(_ literal: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(literal.count)
        var index = 0
        while index < literal.count {
            let byte = literal[index]
            if byte == UInt8(ascii: "\\") {
                let escaped = literal[index + 1]
                index += 2
                switch escaped {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = hex4(literal, at: index)!
                    index += 4
                    if (0xD800..<0xE000).contains(scalar) {
                        if index + 1 < literal.count, literal[index] == UInt8(ascii: "\\"),
                           literal[index + 1] == UInt8(ascii: "u"), let low = hex4(literal, at: index + 2),
                           scalar < 0xDC00, (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        } else {
                            scalar = GoUTF8.replacement
                        }
                    }
                    GoUTF8.append(scalar: scalar, to: &out)
                default: out.append(escaped)   // " \ /
                }
            } else if byte < 0x80 {
                out.append(byte)
                index += 1
            } else if let (_, length) = GoUTF8.decode(literal, at: index) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: literal[index..<index + length]))
                index += length
            } else {
                GoUTF8.append(scalar: GoUTF8.replacement, to: &out)
                index += 1
            }
        }
        return out
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = GoBase.hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

/// Go's `strconv.Quote`, for the texts of Go's errors.
enum GoQuote {
    /// `bytes` as `%q` prints them: double-quoted, invalid UTF-8 as `\xNN`, non-printable
    /// characters escaped.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var text = "\""
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = GoUTF8.decode(bytes, at: index), let unicode = Unicode.Scalar(scalar) {
                text += escaped(scalar: unicode, quote: UInt8(ascii: "\""))
                index += length
            } else {
                text += "\\x" + hex(UInt32(bytes[index]), width: 2)
                index += 1
            }
        }
        return text + "\""
    }

    /// One character as strconv.Quote writes it inside quotes.
    static func escaped(scalar: Unicode.Scalar, quote: UInt8) -> String {
        switch scalar.value {
        case UInt32(quote), 0x5C: return "\\" + String(scalar)
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x0B: return "\\v"
        case 0..<0x20, 0x7F: return "\\x" + hex(scalar.value, width: 2)
        default:
            if isPrint(scalar) { return String(scalar) }
            return scalar.value < 0x10000 ? "\\u" + hex(scalar.value, width: 4) : "\\U" + hex(scalar.value, width: 8)
        }
    }

    /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Hex digits and base64 as Go's encoding packages handle them.
enum GoBase {
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }()

    /// Appends `bytes` in standard base64 with padding (`base64.StdEncoding`), as encoding/json
    /// writes a `[]byte`.
    static func appendBase64(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(group >> 18)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(alphabet[Int(group >> 6 & 0x3F)])
            out.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        let left = bytes.count - index
        if left > 0 {
            let group = UInt32(bytes[index]) << 16 | (left == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(alphabet[Int(group >> 18)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(left == 2 ? alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
    }

    /// Decodes standard padded base64 as `base64.StdEncoding.Decode` does (what encoding/json
    /// uses for a `[]byte`): `\r` and `\n` are skipped; anything else wrong is refused with Go's
    /// `CorruptInputError` offset.
    static func decodeBase64(_ text: [UInt8], into out: inout [UInt8]) throws(GatewayJSONError) {
        let count = text.count
        var index = 0
        while index < count {
            var quantum: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            var length = 4
            var slot = 0
            quantumLoop: while slot < 4 {
                if index == count {
                    if slot == 0 { return }
                    throw .illegalBase64(offset: index - slot)   // padding is required
                }
                let symbol = text[index]
                index += 1
                let value = decodeTable[Int(symbol)]
                if value != 0xFF {
                    switch slot {
                    case 0: quantum.0 = value
                    case 1: quantum.1 = value
                    case 2: quantum.2 = value
                    default: quantum.3 = value
                    }
                    slot += 1
                    continue
                }
                if symbol == 0x0A || symbol == 0x0D { continue }
                guard symbol == UInt8(ascii: "=") else { throw .illegalBase64(offset: index - 1) }
                // Padding: only after two or three symbols, and then nothing but newlines.
                switch slot {
                case 0, 1:
                    throw .illegalBase64(offset: index - 1)
                case 2:
                    while index < count, text[index] == 0x0A || text[index] == 0x0D { index += 1 }
                    if index == count { throw .illegalBase64(offset: count) }
                    guard text[index] == UInt8(ascii: "=") else { throw .illegalBase64(offset: index - 1) }
                    index += 1
                default:
                    break
                }
                while index < count, text[index] == 0x0A || text[index] == 0x0D { index += 1 }
                if index < count {
                    appendQuantum(quantum, symbols: slot, to: &out)
                    throw .illegalBase64(offset: index)
                }
                length = slot
                break quantumLoop
            }
            appendQuantum(quantum, symbols: length, to: &out)
        }
    }

    private static func appendQuantum(_ quantum: (UInt8, UInt8, UInt8, UInt8), symbols: Int, to out: inout [UInt8]) {
        let value = UInt32(quantum.0) << 18 | UInt32(quantum.1) << 12 | UInt32(quantum.2) << 6 | UInt32(quantum.3)
        if symbols >= 2 { out.append(UInt8(truncatingIfNeeded: value >> 16)) }
        if symbols >= 3 { out.append(UInt8(truncatingIfNeeded: value >> 8)) }
        if symbols >= 4 { out.append(UInt8(truncatingIfNeeded: value)) }
    }
}
