import Glibc

/// The status line and header fields of an HTTP/1.1 answer on the client port, laid out as Go's
/// server writes them: the fields in the order added (etcd's CORS fields first, as its access
/// controller adds them before the handler runs), then Date, then the framing fields.
struct GatewayResponseHead {
    let status: Int
    private var fields: [(name: String, value: String)] = []

    init(status: Int) {
        self.status = status
    }

    mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    mutating func add(_ more: [(name: String, value: String)]) {
        fields.append(contentsOf: more)
    }

    func encode(minorVersion: Int, appendingTo bytes: inout [UInt8]) {
        bytes.append(contentsOf: (minorVersion == 0 ? "HTTP/1.0 " : "HTTP/1.1 ").utf8)
        bytes.append(contentsOf: String(status).utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: Self.reason(for: status).utf8)
        bytes.append(contentsOf: "\r\n".utf8)
        // Content-Length and Transfer-Encoding go after Date, where Go's server puts them.
        let framing: Set<String> = ["Content-Length", "Transfer-Encoding", "Connection"]
        for field in fields where !framing.contains(field.name) { append(field, to: &bytes) }
        append(("Date", HTTPDate.now()), to: &bytes)
        for field in fields where framing.contains(field.name) { append(field, to: &bytes) }
        bytes.append(contentsOf: "\r\n".utf8)
    }

    private func append(_ field: (name: String, value: String), to bytes: inout [UInt8]) {
        bytes.append(contentsOf: field.name.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: field.value.utf8)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// Go's `http.StatusText` for the statuses the client port answers with.
    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 421: "Misdirected Request"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}

/// RFC 9110's IMF-fixdate (`Wed, 25 Nov 2026 02:58:02 GMT`), the Date field Go's server sends.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func now() -> String {
        format(secondsSinceEpoch: time(nil))
    }

    static func format(secondsSinceEpoch seconds: Int) -> String {
        var clock = seconds
        var parts = tm()
        gmtime_r(&clock, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0" + String(value) : String(value) }
        return days[Int(parts.tm_wday)] + ", " + two(parts.tm_mday) + " " + months[Int(parts.tm_mon)] + " "
            + String(parts.tm_year + 1900) + " " + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":"
            + two(parts.tm_sec) + " GMT"
    }
}
