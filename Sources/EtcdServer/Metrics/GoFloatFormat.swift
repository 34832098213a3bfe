extension ExpositionText {
    /// `value` as Go's `strconv.FormatFloat(value, 'g', -1, 64)` writes it: the shortest digits
    /// that read back as `value`; exponent form (`1e-05`, `2.147483648e+09`, at least two
    /// exponent digits) when the decimal exponent is below -4 or at least 6, plain otherwise
    /// (`0.0001`, `20480`); `+Inf`, `-Inf`, `NaN`.
    static func formatNumber(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, pointPosition) = shortestDigits(of: value.magnitude)
        let sign = value < 0 ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            var text = sign + String(digits.first!)
            if digits.count > 1 { text += "." + String(digits.dropFirst()) }
            let exponentDigits = String(exponent.magnitude)
            text += (exponent < 0 ? "e-" : "e+") + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
            return text
        }
        // Plain: digits with the point `pointPosition` places from their start.
        var text = sign
        if pointPosition <= 0 {
            text += "0." + String(repeating: "0", count: -pointPosition) + String(digits)
        } else if pointPosition >= digits.count {
            text += String(digits) + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            text += String(digits.prefix(pointPosition)) + "." + String(digits.dropFirst(pointPosition))
        }
        return text
    }

    /// The shortest round-tripping decimal digits of a finite positive `value` (Swift's
    /// `description` finds the same digits Go's shortest formatting does), without leading or
    /// trailing zeros, and where the decimal point goes: value = 0.d1d2d3… × 10^pointPosition.
    static func shortestDigits(of value: Double) -> (digits: [Character], pointPosition: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        let integerPart: Substring
        let fractionPart: Substring
        if let point = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<point]
            fractionPart = mantissa[mantissa.index(after: point)...]
        } else {
            integerPart = mantissa
            fractionPart = ""
        }
        var digits = Array(integerPart) + Array(fractionPart)
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        precondition(!digits.isEmpty, "shortestDigits needs a non-zero value")
        return (digits, pointPosition)
    }
}
