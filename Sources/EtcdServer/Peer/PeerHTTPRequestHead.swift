// The request line and header fields of an HTTP/1.1 request on the peer port.

/// A request head: `GET /raft/stream/message/<id> HTTP/1.1` and its fields.
public struct PeerHTTPRequestHead: Sendable, Equatable {
    public var method: String
    /// The request target as sent (origin form: a path, possibly with a query).
    public var target: String
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    public var headers: PeerHTTPHeaders

    public init(method: String, target: String, headers: PeerHTTPHeaders, minorVersion: Int = 1) {
        self.method = method
        self.target = target
        self.headers = headers
        self.minorVersion = minorVersion
    }

    /// The target without its query string: what etcd's mux routes on.
    public var path: String {
        if let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return String(target[..<question])
        }
        return target
    }

    /// Whether the connection may carry another request after this one's response.
    public var isKeepAlive: Bool {
        PeerHTTPHeadParsing.isKeepAlive(minorVersion: minorVersion, headers: headers)
    }

    /// Parses a head: the bytes before the blank line that ends it (the blank line excluded).
    public init(parsing head: ArraySlice<UInt8>) throws(PeerHTTPError) {
        let (line, headers) = try PeerHTTPHeadParsing.split(head)
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(PeerHTTPHeadParsing.isTokenByte),
              let first = parts[1].first, first == UInt8(ascii: "/") || parts[1].elementsEqual("*".utf8)
        else { throw .malformedRequestLine }
        self.method = String(decoding: parts[0], as: UTF8.self)
        self.target = String(decoding: parts[1], as: UTF8.self)
        self.minorVersion = try PeerHTTPHeadParsing.minorVersion(parts[2])
        self.headers = headers
    }

    /// Appends the head, blank line included.
    public func encode(appendingTo bytes: inout [UInt8]) {
        precondition(!method.isEmpty && !target.utf8.contains(where: { $0 <= 0x20 }), "unencodable request line")
        bytes.append(contentsOf: method.utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: target.utf8)
        bytes.append(contentsOf: minorVersion == 0 ? " HTTP/1.0\r\n".utf8 : " HTTP/1.1\r\n".utf8)
        headers.encode(appendingTo: &bytes)
        bytes.append(contentsOf: "\r\n".utf8)
    }
}
