/// JSON text for the few documents the server writes by hand (membership values, conf change
/// contexts, the v2 store snapshot), spelled exactly as Go's `encoding/json` spells them, because
/// etcd writes the same documents and members compare them byte for byte (backend hashes).
enum JSONText {
    /// A JSON string as `json.Marshal` writes one: `"` and `\` escaped, `\n` `\r` `\t` short,
    /// other control characters and the HTML-sensitive `<` `>` `&` as `\u00xx` (lower-case
    /// hex), U+2028 and U+2029 as `\u2028` / `\u2029`; everything else, DEL included, as is.
    static func string(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&": out += unicodeEscape(scalar.value)
            case "\u{2028}", "\u{2029}": out += unicodeEscape(scalar.value)
            case _ where scalar.value < 0x20: out += unicodeEscape(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON array of strings (`[]` when empty: the caller writes `null` where Go has a nil slice).
    static func array(_ strings: [String]) -> String {
        "[" + strings.map(string).joined(separator: ",") + "]"
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
