/// The endpoints the event loop answers itself from the server's state.
enum HTTPEndpoint: Sendable {
    /// `/health`: etcd's health check (leader, alarms, a linearizable read).
    case health
    /// `/livez` and `/readyz`: etcd 3.5's liveness and readiness probes.
    case livez
    case readyz
    /// `/version`: the server and cluster versions.
    case version
    /// `/metrics`: Prometheus' text format.
    case metrics
}

/// Where an HTTP/1.1 request on the client port goes, as etcd's muxes route it: its own handlers
/// for health, version and metrics, grpc-gateway for `/v3/` (and the old `/v3beta/`), Go's
/// default answers for the rest.
enum GatewayRequestRouting {
    /// Requests answered without the server: how.
    enum Refusal: Equatable {
        /// OPTIONS: etcd's access controller answers every one with 200 (CORS preflight).
        case preflight
        /// A known path with the wrong method; `allow` is the Allow header etcd's own
        /// handlers set (grpc-gateway sets none).
        case methodNotAllowed(allow: String?)
        /// Unknown path: grpc-gateway's "Not Found" under `/v3/`, Go's mux's text elsewhere.
        case notFound(String)
    }

    static func target(method: String, path: String, servesGateway: Bool) -> GatewayExchange.Target {
        if method == "OPTIONS" && servesGateway { return .answered }
        switch path {
        case "/health": return method == "GET" ? .endpoint(.health) : .answered
        case "/livez": return method == "GET" ? .endpoint(.livez) : .answered
        case "/readyz": return method == "GET" ? .endpoint(.readyz) : .answered
        case "/metrics": return .endpoint(.metrics)
        case "/version" where servesGateway: return method == "GET" ? .endpoint(.version) : .answered
        default: break
        }
        guard servesGateway, let gatewayPath = gatewayPath(path), method == "POST",
              let route = GatewayRoute.route(forPath: gatewayPath) else { return .answered }
        return .call(route)
    }

    static func refusal(method: String, path: String, servesGateway: Bool) -> Refusal {
        if method == "OPTIONS" && servesGateway { return .preflight }
        switch path {
        case "/health", "/livez", "/readyz": return .methodNotAllowed(allow: "GET")
        case "/version" where servesGateway: return .methodNotAllowed(allow: "GET")
        default: break
        }
        if servesGateway, let gatewayPath = gatewayPath(path) {
            return GatewayRoute.route(forPath: gatewayPath) == nil ? .notFound("Not Found\n") : .methodNotAllowed(allow: nil)
        }
        return .notFound("404 page not found\n")
    }

    /// The gateway path of a request path: etcd rewrites `/v3beta/` (3.3's prefix) to `/v3/`.
    static func gatewayPath(_ path: String) -> String? {
        if path.hasPrefix("/v3/") { return path }
        if path.hasPrefix("/v3beta/") { return "/v3/" + path.dropFirst("/v3beta/".count) }
        return nil
    }
}

extension PeerHTTPRequestHead {
    /// The target's query string, without its `?` (empty when there is none).
    var query: Substring {
        guard let question = target.firstIndex(of: "?") else { return "" }
        return target[target.index(after: question)...]
    }
}
