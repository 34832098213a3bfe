/// A URL in one of etcd's URL flags (`--listen-client-urls`, `--initial-cluster`, ...), checked as
/// etcd's `types.NewURLs` checks it: scheme http, https, unix or unixs; an address of the form
/// `host:port`; no path.
///
/// `description` is the URL as Go's `url.URL.String()` prints it (scheme lower-cased), which is
/// the string etcd sorts, compares and hashes into member IDs.
public struct EtcdURL: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `http`, `https`, `unix` or `unixs`, lower case.
    public var scheme: String
    /// The host without port or IPv6 brackets (Go's `URL.Hostname()`), e.g. `127.0.0.1`, `::1`.
    public var host: String
    /// The port, or nil when the URL ends in `host:` (Go allows that; listening then fails).
    public var port: Int?
    /// `host:port` as written, with IPv6 brackets (Go's `URL.Host`); what a listener binds.
    public var hostPort: String
    /// The whole URL in etcd's canonical spelling.
    public var description: String

    public var isSecure: Bool { scheme == "https" || scheme == "unixs" }
    public var isUnixSocket: Bool { scheme == "unix" || scheme == "unixs" }

    /// Orders by `description`, as etcd sorts URL lists.
    public static func < (a: EtcdURL, b: EtcdURL) -> Bool { a.description < b.description }

    /// Parses one URL; the error text is etcd's (`types.NewURLs`).
    public init(parsing input: String) throws(ConfigError) {
        let text = Self.trimmingSpaces(input)
        guard let colon = Self.schemeEnd(text) else {
            throw .invalid("URL scheme must be http, https, unix, or unixs: \(text)")
        }
        let scheme = String(text[..<colon]).lowercased()
        guard ["http", "https", "unix", "unixs"].contains(scheme) else {
            throw .invalid("URL scheme must be http, https, unix, or unixs: \(text)")
        }
        var rest = text[text.index(after: colon)...]
        var authority = Substring("")
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            authority = rest[..<end]
            rest = rest[end...]
        }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let hostPort = String(authority)
        try Self.checkOptionalPort(hostPort, url: text)
        guard let (host, portText) = Self.splitHostPort(hostPort) else {
            throw .invalid("URL address does not have the form \"host:port\": \(text)")
        }
        let pathEnd = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard rest[..<pathEnd].isEmpty else { throw .invalid("URL must not contain a path: \(text)") }
        self.scheme = scheme
        self.host = host
        self.port = Int(portText)
        self.hostPort = hostPort
        self.description = scheme + ":" + (text[text.index(after: colon)...].hasPrefix("//") ? "//" : "")
            + hostPort + rest
    }

    /// Parses a comma-separated list and sorts it, as etcd's URL flags do.
    public static func parseList(_ text: String) throws(ConfigError) -> [EtcdURL] {
        var urls: [EtcdURL] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            urls.append(try EtcdURL(parsing: String(part)))
        }
        return urls.sorted()
    }

    /// Where a Go URL scheme ends (the index of its `:`), or nil when the text has no scheme.
    private static func schemeEnd(_ text: String) -> String.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c.isASCII && c.isLetter { index = text.index(after: index); continue }
            if index != text.startIndex, c.isASCII, c.isNumber || c == "+" || c == "-" || c == "." {
                index = text.index(after: index); continue
            }
            return c == ":" && index != text.startIndex ? index : nil
        }
        return nil
    }

    /// Go's `url.Parse` refuses a port with anything but digits.
    private static func checkOptionalPort(_ hostPort: String, url: String) throws(ConfigError) {
        var afterHost = Substring(hostPort)
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            afterHost = hostPort[hostPort.index(after: close)...]
        } else if let colon = hostPort.lastIndex(of: ":") {
            afterHost = hostPort[colon...]
        } else {
            return
        }
        guard !afterHost.isEmpty else { return }
        if afterHost.first == ":" && afterHost.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) { return }
        throw .invalid("parse \"\(url)\": invalid port \"\(afterHost)\" after host")
    }

    /// Go's `net.SplitHostPort`: nil when there is no port separator or too many colons.
    static func splitHostPort(_ hostPort: String) -> (String, String)? {
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            let after = hostPort[hostPort.index(after: close)...]
            guard after.first == ":" else { return nil }
            let host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            return (String(host), String(after.dropFirst()))
        }
        guard let colon = hostPort.lastIndex(of: ":") else { return nil }
        let host = hostPort[..<colon]
        guard !host.contains(":"), !host.contains("["), !host.contains("]") else { return nil }
        return (String(host), String(hostPort[hostPort.index(after: colon)...]))
    }

    static func trimmingSpaces(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }
}
