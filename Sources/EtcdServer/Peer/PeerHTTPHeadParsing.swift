// Line-level parsing shared by request and response heads.

enum PeerHTTPHeadParsing {
    /// Splits a head (everything before the blank line, CRLF line ends) into its first line and
    /// its header fields. Obsolete line folding and fields without a colon are refused.
    static func split(_ head: ArraySlice<UInt8>) throws(PeerHTTPError) -> (firstLine: ArraySlice<UInt8>, headers: PeerHTTPHeaders) {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        var i = head.startIndex
        while i < head.endIndex {
            if head[i] == 0x0A {
                var end = i
                if end > start && head[end - 1] == 0x0D { end -= 1 }
                lines.append(head[start..<end])
                start = i + 1
            }
            i += 1
        }
        if start < head.endIndex { lines.append(head[start..<head.endIndex]) }
        guard let first = lines.first else { throw .malformedRequestLine }
        var headers = PeerHTTPHeaders()
        for line in lines.dropFirst() {
            guard let first = line.first, first != 0x20, first != 0x09 else { throw .malformedHeaderField }
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex else { throw .malformedHeaderField }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(isTokenByte) else { throw .malformedHeaderField }
            let value = trimmed(line[(colon + 1)...])
            headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        return (first, headers)
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        return bytes
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// "HTTP/1.1" → 1, "HTTP/1.0" → 0; anything else is refused.
    static func minorVersion(_ bytes: ArraySlice<UInt8>) throws(PeerHTTPError) -> Int {
        switch String(decoding: bytes, as: UTF8.self) {
        case "HTTP/1.1": 1
        case "HTTP/1.0": 0
        default: throw .unsupportedVersion
        }
    }

    /// Whether the connection stays open after this message: HTTP/1.1 unless "Connection: close",
    /// HTTP/1.0 only with "Connection: keep-alive".
    static func isKeepAlive(minorVersion: Int, headers: PeerHTTPHeaders) -> Bool {
        let tokens = headers.values(for: PeerHeader.connection)
            .flatMap { $0.split(separator: ",") }
            .map { lowercased(trimmed(ArraySlice($0.utf8))) }
        if minorVersion >= 1 { return !tokens.contains("close") }
        return tokens.contains("keep-alive")
    }

    static func lowercased(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: bytes.map(PeerHTTPHeaders.lowercasedASCII), as: UTF8.self)
    }
}
