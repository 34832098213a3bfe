/// Encodes one log line as zap's production JSON encoder does for etcd:
/// `{"level":"info","ts":"…","caller":"pkg/file:line","msg":"…",<fields in call order>}\n`.
///
/// Strings are escaped as zap escapes them: `"` and `\` backslashed, `\n` `\r` `\t` by name,
/// other bytes below 0x20 as `\u00XX` (lower-case hex); everything else, including non-ASCII
/// UTF-8, `<`, `>`, `&` and DEL, is written as is.
public enum LogLine {
    public static func encode(level: LogLevel, timestamp: LogTimestamp, caller: String, message: String,
                              fields: [LogField]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + message.utf8.count)
        append("{\"level\":", to: &out)
        appendQuoted(level.name, to: &out)
        append(",\"ts\":", to: &out)
        appendQuoted(timestamp.formatted, to: &out)
        append(",\"caller\":", to: &out)
        appendQuoted(caller, to: &out)
        append(",\"msg\":", to: &out)
        appendQuoted(message, to: &out)
        for field in fields {
            out.append(UInt8(ascii: ","))
            appendQuoted(field.key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendValue(field.value, to: &out)
        }
        append("}\n", to: &out)
        return out
    }

    private static func appendValue(_ value: LogField.Value, to out: inout [UInt8]) {
        switch value {
        case .string(let s): appendQuoted(s, to: &out)
        case .int(let i): append(String(i), to: &out)
        case .uint(let u): append(String(u), to: &out)
        case .bool(let b): append(b ? "true" : "false", to: &out)
        case .duration(let d): appendQuoted(GoValueParsing.formatDuration(d), to: &out)
        case .strings(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendQuoted(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
