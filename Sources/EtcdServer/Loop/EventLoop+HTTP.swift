import EtcdProto
import GRPC

/// The endpoints of the client port's HTTP/1.1 side that the server answers from its own
/// state: `/health`, `/livez`, `/readyz`, `/version` and `/metrics`.
extension EventLoop {
    /// etcd's health check gives its read one second.
    static let healthReadTimeoutNanoseconds: Int64 = 1_000_000_000

    func serveEndpoint(_ request: EndpointRequest, on connection: ClientConnection) {
        guard let gateway = connection.endpoints else { return }
        switch request.endpoint {
        case .version:
            gateway.respond(request.call, status: 200, contentType: GatewayExchange.jsonType, body: Self.versionDocument)
        case .metrics:
            gateway.respond(request.call, status: 200, contentType: ServerMetrics.contentType,
                            body: services.renderMetrics())
        case .livez:
            // The loop answering at all is what liveness asks (etcd 3.5 checks a local read).
            gateway.respond(request.call, status: 200, contentType: GatewayExchange.textType, body: Array("ok".utf8))
        case .health, .readyz:
            checkHealth(request, on: connection)
        }
    }

    /// etcd's check: no alarm (but those `?exclude=`d), a leader, and a linearizable read
    /// within a second (`?serializable=true` skips the read).
    private func checkHealth(_ request: EndpointRequest, on connection: ClientConnection) {
        guard let gateway = connection.endpoints else { return }
        let parameters = QueryParameters(request.query)
        let excluded = Set(parameters.values(for: "exclude"))
        let alarms = services.kv.lock.withReadLock { services.kv.alarms.alarms }
        var report = HealthReport.healthy
        if let alarm = alarms.first(where: { !excluded.contains($0.alarm.name) }) {
            report = .failed(.alarm, reason: "ALARM " + alarm.alarm.name)
        } else if services.raft.status.leader.load(ordering: .relaxed) == 0 {
            report = .failed(.leader, reason: "RAFT NO LEADER")
        }
        guard report.isHealthy, parameters.values(for: "serializable").last != "true" else {
            answerHealth(report, request, gateway: gateway)
            return
        }
        let call = GRPCCallID(streamID: request.call.streamID)
        var state = ClientConnection.Call(method: nil, deadline: monotonicNanoseconds() &+ Self.healthReadTimeoutNanoseconds)
        state.isHealthCheck = true
        connection.calls[call.streamID] = state
        // A failed or late read reaches the session as the call's status (see GatewaySession.finish).
        parkRead(for: call, on: connection) { [unowned self, unowned connection] in
            guard connection.calls.removeValue(forKey: call.streamID) != nil else { return }
            self.answerHealth(.healthy, request, gateway: gateway)
            self.markDirty(connection)
        }
    }

    private func answerHealth(_ report: HealthReport, _ request: EndpointRequest, gateway: any HTTPEndpointSession) {
        (report.isHealthy ? ServerMetrics.shared.healthSuccesses : ServerMetrics.shared.healthFailures).increment()
        let answer = report.answer(for: request.endpoint)
        gateway.respond(request.call, status: answer.status, contentType: answer.contentType, body: answer.body)
    }

    /// `/version`: the etcd release swetcd answers as (clients gate features on it; see
    /// EtcdVersion), the cluster version, and swetcd's own version under a key of its own.
    static let versionDocument: [UInt8] = Array((#"{"etcdserver":""# + EtcdVersion.etcdCompatibleVersion
        + #"","etcdcluster":""# + EtcdVersion.clusterVersion + #"","swetcd":""# + EtcdVersion.swetcdVersion + #""}"#).utf8)
}

/// A query string's parameters (`a=1&b=2`), percent-decoding left out: the values read here
/// are alarm names and booleans.
struct QueryParameters {
    private let pairs: [(name: Substring, value: Substring)]

    init(_ query: Substring) {
        pairs = query.split(separator: "&").map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (pair, "") }
            return (pair[..<equals], pair[pair.index(after: equals)...])
        }
    }

    func values(for name: String) -> [String] {
        pairs.filter { $0.name == name }.map { String($0.value) }
    }
}
