/// What etcd's access controller does to every HTTP request on the client port before routing
/// it: `--host-whitelist` against DNS rebinding (plain HTTP only), `--cors` for browsers, and
/// `--enable-grpc-gateway`.
struct HTTPAccessPolicy: Sendable {
    /// Whether `/v3/...` reaches the JSON gateway.
    var servesGateway = true
    /// Origins answered with CORS fields; nil when every origin is (`*`, or an empty list).
    var corsOrigins: Set<String>?
    /// Host names a plain-HTTP request may name; nil when any may.
    var hostWhitelist: Set<String>?

    static let open = HTTPAccessPolicy()

    /// --listen-metrics-urls: a plain mux, no access controller (no CORS, no host check).
    static let metricsOnly: HTTPAccessPolicy = {
        var policy = HTTPAccessPolicy(servesGateway: false)
        policy.corsOrigins = []
        return policy
    }()

    init(servesGateway: Bool = true, corsOrigins: [String] = ["*"], hostWhitelist: [String] = ["*"]) {
        self.servesGateway = servesGateway
        self.corsOrigins = Self.restriction(corsOrigins)
        self.hostWhitelist = Self.restriction(hostWhitelist)
    }

    private static func restriction(_ list: [String]) -> Set<String>? {
        list.isEmpty || list.contains("*") ? nil : Set(list)
    }

    /// etcd's CORS fields for a request from `origin`: for every origin while all are allowed,
    /// for this one if it is listed, else none.
    func corsFields(origin: String?) -> [(name: String, value: String)] {
        let allowed: String
        if corsOrigins == nil {
            allowed = "*"
        } else if let origin, corsOrigins?.contains(origin) == true {
            allowed = origin
        } else {
            return []
        }
        return [("Access-Control-Allow-Headers", "accept, content-type, authorization"),
                ("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE"),
                ("Access-Control-Allow-Origin", allowed)]
    }

    /// The host a plain-HTTP request names is refused (421) unless whitelisted; TLS requests
    /// are never checked (etcd's rule: a certificate already names the server).
    func refusesHost(_ hostHeader: String?, isTLS: Bool) -> String? {
        guard !isTLS, let hostWhitelist else { return nil }
        let host = Self.hostname(hostHeader ?? "")
        return hostWhitelist.contains(host) ? nil : host
    }

    /// Go's httputil.GetHostname: the Host header without its port.
    static func hostname(_ host: String) -> String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon { return String(host[..<colon]) }
        return host
    }

    /// etcd's answer to a host it does not serve (CVE-2018-5702).
    static func misdirectedText(host: String) -> String {
        "\netcd received your request, but the Host header was unrecognized.\n\n"
            + "To fix this, choose one of the following options:\n"
            + "- Enable TLS, then any HTTPS request will be allowed.\n"
            + "- Add the hostname you want to use to the whitelist in settings.\n"
            + "  - e.g. etcd --host-whitelist \"\(host)\"\n\n"
            + "This requirement has been added to help prevent \"DNS Rebinding\" attacks (CVE-2018-5702).\n"
    }
}
