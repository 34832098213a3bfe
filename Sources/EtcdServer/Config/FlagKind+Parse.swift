extension FlagKind {
    /// Applies one textual value to a flag, the way the flag's Go `Value.Set` does. Returns the
    /// new value, or the reason etcd gives for refusing it (the text after "...: ").
    func apply(_ raw: String, to current: FlagValue) -> Result<FlagValue, FlagRefusal> {
        switch self {
        case .string:
            return .success(.string(raw))
        case .bool, .ignored:
            guard let value = GoValueParsing.parseBool(raw) else { return .failure(.reason("parse error")) }
            return .success(.bool(value))
        case .int:
            do { return .success(.int(try GoValueParsing.parseSigned(raw, bits: 64))) } catch {
                return .failure(.reason(error == .range ? "value out of range" : "parse error"))
            }
        case .uint:
            do { return .success(.uint(try GoValueParsing.parseUnsigned(raw, bits: 64))) } catch {
                return .failure(.reason(error == .range ? "value out of range" : "parse error"))
            }
        case .uint32:
            do { return .success(.uint(try GoValueParsing.parseUnsigned(raw, bits: 32))) } catch {
                let why = error == .range ? "value out of range" : "invalid syntax"
                return .failure(.reason("strconv.ParseUint: parsing \(goQuote(raw)): \(why)"))
            }
        case .duration:
            guard let value = GoValueParsing.parseDuration(raw) else { return .failure(.reason("parse error")) }
            return .success(.duration(value))
        case .urls(let exceptions):
            // etcd's UniqueURLs: an exception (the empty string) is recorded but leaves the list.
            if exceptions.contains(raw) { return .success(current) }
            do { return .success(.urls(try EtcdURL.parseList(raw))) } catch {
                return .failure(.reason(error.message))
            }
        case .origins:
            if raw == "*" { return .success(.strings(["*"])) }
            do {
                let urls = try EtcdURL.parseList(raw)
                return .success(.strings(Array(Set(urls.map(\.description))).sorted()))
            } catch {
                return .failure(.reason(error.message))
            }
        case .uniqueStrings:
            let parts = raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return .success(.strings(Array(Set(parts)).sorted()))
        case .strings:
            return .success(.strings(raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        case .choice(let words):
            guard words.contains(raw) else { return .failure(.reason("invalid value")) }
            return .success(.string(raw))
        }
    }
}

/// Why a flag value was refused, in the words etcd's value type uses.
enum FlagRefusal: Error, Equatable {
    case reason(String)

    var text: String {
        switch self { case .reason(let s): return s }
    }
}

/// Go's `%q` for the strings etcd quotes in its messages.
func goQuote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
