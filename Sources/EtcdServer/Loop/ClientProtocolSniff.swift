/// Which protocol a client connection speaks, from its first bytes, as etcd's connection
/// multiplexer (cmux) decides: the HTTP/2 client preface means gRPC; a first line that reads as
/// an HTTP/1.x request line means HTTP/1.1; anything else is closed without an answer.
enum ClientProtocolSniff {
    enum Verdict: Equatable {
        /// Not enough bytes yet to tell.
        case undecided
        case http2
        case http1
        case neither
    }

    static let http2Preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    /// How far cmux looks for the end of an HTTP/1 request line.
    static let requestLineBytesMax = 4096

    static func classify(_ bytes: [UInt8]) -> Verdict {
        let compared = min(bytes.count, http2Preface.count)
        if bytes[..<compared].elementsEqual(http2Preface[..<compared]) {
            return compared == http2Preface.count ? .http2 : .undecided
        }
        guard let newline = bytes.prefix(requestLineBytesMax).firstIndex(of: 0x0A) else {
            return bytes.count >= requestLineBytesMax ? .neither : .undecided
        }
        var line = bytes[..<newline]
        if line.last == 0x0D { line = line.dropLast() }
        return isHTTP1RequestLine(line) ? .http1 : .neither
    }

    /// `METHOD SP target SP HTTP/1.x`: cmux splits at the first two spaces and asks Go's
    /// ParseHTTPVersion about the rest (major version 1).
    private static func isHTTP1RequestLine(_ line: ArraySlice<UInt8>) -> Bool {
        guard let first = line.firstIndex(of: 0x20),
              let second = line[(first + 1)...].firstIndex(of: 0x20) else { return false }
        let proto = line[(second + 1)...]
        let prefix = Array("HTTP/1.".utf8)
        guard proto.count > prefix.count, proto.prefix(prefix.count).elementsEqual(prefix) else { return false }
        return proto.dropFirst(prefix.count).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
