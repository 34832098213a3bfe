// The status line and header fields of an HTTP/1.1 response on the peer port.

/// A response head: `HTTP/1.1 412 Precondition Failed` and its fields.
public struct PeerHTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var minorVersion: Int
    public var headers: PeerHTTPHeaders

    /// A response with Go's reason phrase for `status`.
    public init(status: Int, headers: PeerHTTPHeaders = PeerHTTPHeaders(), minorVersion: Int = 1) {
        self.init(status: status, reason: Self.reasonPhrase(status), headers: headers, minorVersion: minorVersion)
    }

    public init(status: Int, reason: String, headers: PeerHTTPHeaders, minorVersion: Int = 1) {
        precondition((100...999).contains(status), "status \(status) has not three digits")
        self.status = status
        self.reason = reason
        self.headers = headers
        self.minorVersion = minorVersion
    }

    /// Whether the connection may carry another exchange after this response.
    public var isKeepAlive: Bool {
        PeerHTTPHeadParsing.isKeepAlive(minorVersion: minorVersion, headers: headers)
    }

    /// Parses a head: the bytes before the blank line that ends it (the blank line excluded).
    public init(parsing head: ArraySlice<UInt8>) throws(PeerHTTPError) {
        let (line, headers) = try PeerHTTPHeadParsing.split(head)
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[1].count == 3, parts[1].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let status = Int(String(decoding: parts[1], as: UTF8.self)), status >= 100
        else { throw .malformedStatusLine }
        self.minorVersion = try PeerHTTPHeadParsing.minorVersion(parts[0])
        self.status = status
        self.reason = parts.count == 3 ? String(decoding: parts[2], as: UTF8.self) : ""
        self.headers = headers
    }

    /// Appends the head, blank line included.
    public func encode(appendingTo bytes: inout [UInt8]) {
        bytes.append(contentsOf: (minorVersion == 0 ? "HTTP/1.0 " : "HTTP/1.1 ").utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: reason.utf8)
        bytes.append(contentsOf: "\r\n".utf8)
        headers.encode(appendingTo: &bytes)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// Go's `http.StatusText` for the statuses the peer port uses.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 410: "Gone"
        case 412: "Precondition Failed"
        case 413: "Request Entity Too Large"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "status code \(status)"
        }
    }
}
