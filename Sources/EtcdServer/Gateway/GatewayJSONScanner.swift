// Finds where one JSON value ends and checks its syntax, refusing bad input with the words of Go's
// encoding/json scanner ("invalid character '}' looking for beginning of object key string"),
// because grpc-gateway hands those words to the client. The transcoder then walks the value
// trusting its syntax. The scanner is iterative (an explicit stack), so hostile nesting costs
// memory bounded by `nestingDepthMax`, never the thread's stack.

/// Syntax checking for one JSON value, as Go's `encoding/json` scanner does it.
enum GatewayJSONScanner {
    /// Go's `maxNestingDepth`: arrays and objects nested deeper are refused ("exceeded max depth").
    static let nestingDepthMax = 10_000

    /// What a scan found.
    enum Outcome: Equatable {
        /// A complete value occupies `start..<end` (whitespace before it skipped).
        case value(start: Int, end: Int)
        /// Only whitespace remains, and the input is complete.
        case endOfInput
        /// The input stops inside a value (or a top-level number that may continue), but more
        /// bytes may come.
        case needsMoreBytes
    }

    /// Scans the value that starts at `offset` (after optional whitespace).
    ///
    /// When the input ends inside a value: `needsMoreBytes` if `isComplete` is false, else throws
    /// `endOfInputError` (json.Decoder says "unexpected EOF", json.Unmarshal "unexpected end of
    /// JSON input"). O(bytes scanned).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from offset: Int, isComplete: Bool,
                     endOfInputError: GatewayJSONError) throws(GatewayJSONError) -> Outcome {
        var scanner = Cursor(bytes: bytes, index: offset)
        scanner.skipWhitespace()
        guard scanner.index < bytes.count else { return isComplete ? .endOfInput : .needsMoreBytes }
        let start = scanner.index
        do {
            try scanner.scanValue()
        } catch {
            switch error {
            case .reachedEnd:
                if !isComplete { return .needsMoreBytes }
                throw endOfInputError
            case .invalid(let failure):
                throw failure
            }
        }
        // A number at the very end of an open stream might have more digits coming.
        if !isComplete && scanner.index == bytes.count && isNumberByte(bytes[start]) {
            return .needsMoreBytes
        }
        return .value(start: start, end: scanner.index)
    }

    /// Checks that `bytes` hold exactly one JSON value and whitespace, as `json.Unmarshal` does
    /// before decoding; returns the value's range.
    static func checkValid(_ bytes: UnsafeBufferPointer<UInt8>) throws(GatewayJSONError) -> Range<Int> {
        guard case let .value(start, end) = try scan(bytes, from: 0, isComplete: true,
                                                      endOfInputError: .unexpectedEndOfInput) else {
            throw .unexpectedEndOfInput
        }
        var cursor = Cursor(bytes: bytes, index: end)
        cursor.skipWhitespace()
        if cursor.index < bytes.count {
            throw .invalidCharacter(character: quoteCharacter(bytes[cursor.index]), context: "after top-level value")
        }
        return start..<end
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// A byte as Go's scanner quotes it in errors (`quoteChar`): `'x'`, `'\''`, `'"'`, `'\n'`,
    /// `'\x01'`; a byte of 0x80 and up is taken as the code point U+0080…U+00FF.
    static func quoteCharacter(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "'"): return "'\\''"
        case UInt8(ascii: "\""): return "'\"'"
        default: return "'" + GoQuote.escaped(scalar: Unicode.Scalar(byte), quote: UInt8(ascii: "\"")) + "'"
        }
    }

    private enum ScanFailure: Error {
        case reachedEnd
        case invalid(GatewayJSONError)
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int

        mutating func skipWhitespace() {
            while index < bytes.count, GatewayJSONScanner.isWhitespace(bytes[index]) { index += 1 }
        }

        func fail(_ context: String) -> ScanFailure {
            .invalid(.invalidCharacter(character: GatewayJSONScanner.quoteCharacter(bytes[index]), context: context))
        }

        func next() throws(ScanFailure) -> UInt8 {
            guard index < bytes.count else { throw .reachedEnd }
            return bytes[index]
        }

        /// Scans one value and whatever it nests; leaves `index` just after it.
        mutating func scanValue() throws(ScanFailure) {
            var isObjectStack: [Bool] = []
            while true {
                // At the start of a value, whitespace skipped.
                var completed = true
                switch try next() {
                case UInt8(ascii: "{"):
                    index += 1
                    skipWhitespace()
                    if try next() == UInt8(ascii: "}") {
                        index += 1
                    } else {
                        guard isObjectStack.count < GatewayJSONScanner.nestingDepthMax else { throw .invalid(.exceededMaxDepth) }
                        isObjectStack.append(true)
                        try scanKey()
                        completed = false
                    }
                case UInt8(ascii: "["):
                    index += 1
                    skipWhitespace()
                    if try next() == UInt8(ascii: "]") {
                        index += 1
                    } else {
                        guard isObjectStack.count < GatewayJSONScanner.nestingDepthMax else { throw .invalid(.exceededMaxDepth) }
                        isObjectStack.append(false)
                        completed = false
                    }
                case UInt8(ascii: "\""):
                    try scanString()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try scanNumber()
                case UInt8(ascii: "t"):
                    try scanLiteral("true")
                case UInt8(ascii: "f"):
                    try scanLiteral("false")
                case UInt8(ascii: "n"):
                    try scanLiteral("null")
                default:
                    throw fail("looking for beginning of value")
                }
                if !completed { continue }
                // After a complete value: close containers until one expects another element.
                while let isObject = isObjectStack.last {
                    skipWhitespace()
                    let byte = try next()
                    if byte == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                        if isObject { try scanKey() }
                        break
                    }
                    if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        index += 1
                        isObjectStack.removeLast()
                        continue
                    }
                    throw fail(isObject ? "after object key:value pair" : "after array element")
                }
                if isObjectStack.isEmpty { return }
                skipWhitespace()
            }
        }

        /// Scans `"key"` and the colon after it, and the whitespace before the value.
        mutating func scanKey() throws(ScanFailure) {
            guard try next() == UInt8(ascii: "\"") else { throw fail("looking for beginning of object key string") }
            try scanString()
            skipWhitespace()
            guard try next() == UInt8(ascii: ":") else { throw fail("after object key") }
            index += 1
            skipWhitespace()
        }

        mutating func scanString() throws(ScanFailure) {
            index += 1
            while true {
                let byte = try next()
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    switch try next() {
                    case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
                         UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "\""):
                        index += 1
                    case UInt8(ascii: "u"):
                        index += 1
                        for _ in 0..<4 {
                            guard GoBase.hexValue(try next()) != nil else {
                                throw fail("in \\u hexadecimal character escape")
                            }
                            index += 1
                        }
                    default:
                        throw fail("in string escape code")
                    }
                    continue
                }
                if byte < 0x20 { throw fail("in string literal") }
                index += 1
            }
        }

        mutating func scanLiteral(_ word: StaticString) throws(ScanFailure) {
            index += 1
            for position in 1..<word.utf8CodeUnitCount {
                let expected = word.utf8Start[position]
                guard try next() == expected else {
                    throw fail("in literal \(word) (expecting \(GatewayJSONScanner.quoteCharacter(expected)))")
                }
                index += 1
            }
        }

        mutating func skipDigits() {
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        }

        func atDigit() throws(ScanFailure) -> Bool {
            let byte = try next()
            return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        /// A number; what follows it is judged by the enclosing context, as in Go's scanner.
        mutating func scanNumber() throws(ScanFailure) {
            if bytes[index] == UInt8(ascii: "-") {
                index += 1
                guard try atDigit() else { throw fail("in numeric literal") }
            }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                skipDigits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard try atDigit() else { throw fail("after decimal point in numeric literal") }
                skipDigits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if try next() == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard try atDigit() else { throw fail("in exponent of numeric literal") }
                skipDigits()
            }
        }
    }
}
