/// Go's `strconv` and `time.ParseDuration` rules, which decide what etcd's flags accept: integers
/// in any base Go's base-0 parsing knows (`0x10`, `0o17`, `017`, `0b1`, `1_000`), Go's boolean
/// spellings, and Go durations (`1h30m`, `1.5s`, `100ms`).
enum GoValueParsing {
    /// Why Go's strconv refused a number; Go's flag package reports these as "parse error" and
    /// "value out of range".
    enum NumberError: Error { case syntax, range }

    /// `strconv.ParseUint(text, 0, bits)`.
    static func parseUnsigned(_ text: String, bits: Int) throws(NumberError) -> UInt64 {
        var digits = Substring(text)
        guard !digits.isEmpty else { throw .syntax }
        var base: UInt64 = 10
        if digits.first == "0" {
            let second = digits.dropFirst().first.map { Character($0.lowercased()) }
            if digits.count >= 3, second == "b" { base = 2; digits = digits.dropFirst(2) }
            else if digits.count >= 3, second == "o" { base = 8; digits = digits.dropFirst(2) }
            else if digits.count >= 3, second == "x" { base = 16; digits = digits.dropFirst(2) }
            else { base = 8; digits = digits.dropFirst() }
        }
        let maxValue: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        var value: UInt64 = 0
        var sawUnderscore = false
        var overflowed = false
        for c in digits.utf8 {
            if c == UInt8(ascii: "_") { sawUnderscore = true; continue }
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(c - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(c - UInt8(ascii: "A")) + 10
            default: throw .syntax
            }
            guard digit < base else { throw .syntax }
            let (product, overflow1) = value.multipliedReportingOverflow(by: base)
            let (sum, overflow2) = product.addingReportingOverflow(digit)
            if overflow1 || overflow2 || sum > maxValue { overflowed = true; value = maxValue } else { value = sum }
        }
        if sawUnderscore && !underscoresAreValid(text) { throw .syntax }
        if overflowed { throw .range }
        return value
    }

    /// `strconv.ParseInt(text, 0, bits)`.
    static func parseSigned(_ text: String, bits: Int) throws(NumberError) -> Int64 {
        var body = text
        var negative = false
        if let first = text.first, first == "+" || first == "-" {
            negative = first == "-"
            body = String(text.dropFirst())
        }
        guard !body.isEmpty else { throw .syntax }
        let magnitude = try parseUnsigned(body, bits: 64)
        let limit = UInt64(1) << UInt64(bits - 1)
        if !negative && magnitude >= limit { throw .range }
        if negative && magnitude > limit { throw .range }
        return negative ? (magnitude == limit ? Int64.min >> (64 - bits) : -Int64(magnitude)) : Int64(magnitude)
    }

    /// Go's `underscoreOK`: underscores only between digits, or right after a base prefix.
    private static func underscoresAreValid(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes.removeFirst() }
        var saw: UInt8 = UInt8(ascii: "^")
        var index = 0
        var isHex = false
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0") {
            let prefix = bytes[1] | 0x20
            if prefix == UInt8(ascii: "b") || prefix == UInt8(ascii: "o") || prefix == UInt8(ascii: "x") {
                index = 2
                saw = UInt8(ascii: "0")
                isHex = prefix == UInt8(ascii: "x")
            }
        }
        while index < bytes.count {
            let c = bytes[index]
            let lower = c | 0x20
            index += 1
            if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || (isHex && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f")) {
                saw = UInt8(ascii: "0")
                continue
            }
            if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
                continue
            }
            if saw == UInt8(ascii: "_") { return false }
            saw = UInt8(ascii: "!")
        }
        return saw != UInt8(ascii: "_")
    }

    /// `strconv.ParseBool`.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    /// `time.ParseDuration`, or nil where Go reports an error.
    static func parseDuration(_ text: String) -> Duration? {
        var s = Substring(text)
        var negative = false
        if let c = s.first, c == "-" || c == "+" { negative = c == "-"; s = s.dropFirst() }
        if s == "0" { return .zero }
        guard !s.isEmpty else { return nil }
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        while !s.isEmpty {
            guard let c = s.first, c == "." || c.isASCII && c.isNumber else { return nil }
            let wholeDigits = s.prefix(while: { $0.isASCII && $0.isNumber })
            s = s.dropFirst(wholeDigits.count)
            var whole: UInt64 = 0
            for d in wholeDigits.utf8 {
                let (p, o1) = whole.multipliedReportingOverflow(by: 10)
                let (n, o2) = p.addingReportingOverflow(UInt64(d - 48))
                guard !o1, !o2, n <= limit else { return nil }
                whole = n
            }
            var fraction: UInt64 = 0
            var scale = 1.0
            var fractionDigitCount = 0
            if s.first == "." {
                s = s.dropFirst()
                let digits = s.prefix(while: { $0.isASCII && $0.isNumber })
                s = s.dropFirst(digits.count)
                fractionDigitCount = digits.count
                var overflow = false
                for d in digits.utf8 where !overflow {
                    if fraction > (limit - 1) / 10 { overflow = true; continue }
                    let next = fraction * 10 + UInt64(d - 48)
                    if next > limit { overflow = true; continue }
                    fraction = next
                    scale *= 10
                }
            }
            guard !wholeDigits.isEmpty || fractionDigitCount > 0 else { return nil }
            let unitText = s.prefix(while: { !($0 == "." || $0.isASCII && $0.isNumber) })
            guard !unitText.isEmpty, let unit = durationUnitNanoseconds(unitText) else { return nil }
            s = s.dropFirst(unitText.count)
            guard whole <= limit / unit else { return nil }
            var value = whole * unit
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                guard value <= limit else { return nil }
            }
            total += value
            guard total <= limit else { return nil }
        }
        if negative { return .nanoseconds(total == limit ? Int64.min : -Int64(total)) }
        guard total <= limit - 1 else { return nil }
        return .nanoseconds(Int64(total))
    }

    private static func durationUnitNanoseconds(_ unit: Substring) -> UInt64? {
        switch unit {
        case "ns": return 1
        case "us", "\u{00B5}s", "\u{03BC}s": return 1_000
        case "ms": return 1_000_000
        case "s": return 1_000_000_000
        case "m": return 60 * 1_000_000_000
        case "h": return 3_600 * 1_000_000_000
        default: return nil
        }
    }

    /// Go's `time.Duration.String()`: `1h2m3.5s`, `100ms`, `1.5µs`, `0s`. etcd prints durations
    /// this way in its logs and help.
    static func formatDuration(_ duration: Duration) -> String {
        let total = duration.nanoseconds
        if total == 0 { return "0s" }
        let negative = total < 0
        let magnitude = total.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            let (unit, divisor): (String, UInt64) =
                magnitude < 1_000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            text = decimal(magnitude, divisor: divisor) + unit
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let rest = magnitude % 60_000_000_000
            text = ""
            if hours > 0 { text += "\(hours)h" }
            if hours > 0 || minutes > 0 { text += "\(minutes)m" }
            text += decimal(rest, divisor: 1_000_000_000) + "s"
        }
        return negative ? "-" + text : text
    }

    /// `value / divisor` with the fraction's trailing zeros dropped.
    private static func decimal(_ value: UInt64, divisor: UInt64) -> String {
        let whole = value / divisor
        var fraction = value % divisor
        guard fraction > 0 else { return "\(whole)" }
        var width = String(divisor).count - 1
        while fraction % 10 == 0 { fraction /= 10; width -= 1 }
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Duration {
    /// The duration in whole nanoseconds (Go's `time.Duration` unit, which etcd's duration flags use).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
