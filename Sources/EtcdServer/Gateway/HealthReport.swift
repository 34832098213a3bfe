/// The outcome of a health or readiness check, and how each endpoint writes it.
struct HealthReport: Equatable {
    /// Which check failed (etcd 3.5's names for `/readyz`), or nil when all passed.
    enum Check: String, Equatable {
        case leader = "leader"
        case alarm = "alarm"
        case linearizableRead = "linearizable_read"
    }

    let isHealthy: Bool
    /// etcd 3.5's reason text: `RAFT NO LEADER`, `ALARM NOSPACE`, `QGET ERROR:…`.
    let reason: String
    let failedCheck: Check?

    static let healthy = HealthReport(isHealthy: true, reason: "", failedCheck: nil)

    static func failed(_ check: Check, reason: String) -> HealthReport {
        HealthReport(isHealthy: false, reason: reason, failedCheck: check)
    }

    /// The answer for `/health`, `/livez` or `/readyz`: status, content type, body.
    func answer(for endpoint: HTTPEndpoint) -> (status: Int, contentType: String, body: [UInt8]) {
        let text = "text/plain; charset=utf-8"
        switch endpoint {
        case .readyz, .livez:
            // etcd 3.5's probes: "ok", or the failed check and why.
            if isHealthy { return (200, text, Array("ok".utf8)) }
            let name = failedCheck?.rawValue ?? "check"
            return (503, text, Array(("[-]" + name + " failed: " + reason + "\n" + endpointName(endpoint) + " check failed\n").utf8))
        default:
            // `{"health":"true"}` as etcd 3.4 writes it; a failure adds the reason etcd 3.5
            // gives, which clients reading only `health` ignore. Go's http.Error ends it with a
            // newline.
            if isHealthy { return (200, text, Array(#"{"health":"true"}"#.utf8)) }
            return (503, text, Array((#"{"health":"false","reason":"# + JSONText.string(reason) + "}\n").utf8))
        }
    }

    private func endpointName(_ endpoint: HTTPEndpoint) -> String {
        endpoint == .livez ? "livez" : "readyz"
    }
}
