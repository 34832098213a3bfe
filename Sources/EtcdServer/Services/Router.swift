import EtcdProto
import ProtoWire
import GRPC

/// Routes a call's request message to its handler and turns the handler's outcome into a reply.
extension EventLoop {
    func dispatch(_ method: EtcdMethod, payload: [UInt8], call: GRPCCallID, on connection: ClientConnection) {
        switch method {
        case .range: complete(services.range(payload), call: call, on: connection)
        case .put: complete(services.put(payload), call: call, on: connection)
        case .deleteRange: complete(services.deleteRange(payload), call: call, on: connection)
        case .txn: complete(services.txn(payload), call: call, on: connection)
        case .compact: complete(services.compact(payload), call: call, on: connection)
        case .status: complete(services.status(payload), call: call, on: connection)
        case .hashKV: complete(services.hashKV(payload), call: call, on: connection)
        case .memberList: complete(services.memberList(payload), call: call, on: connection)
        default:
            finish(call, on: connection, status: EtcdMethod.notBuiltYet(method))
        }
    }

    private func complete<Response: ProtoMessage>(_ outcome: UnaryOutcome<Response>, call: GRPCCallID, on connection: ClientConnection) {
        switch outcome {
        case .respond(let response): reply(response, to: call, on: connection)
        case .propose(let request): propose(request, for: call, on: connection)
        case .fail(let status): finish(call, on: connection, status: status)
        }
    }

    /// Sends the apply thread's answer to a proposal.
    func respond(to call: GRPCCallID, on connection: ClientConnection, with result: ApplyResult) {
        switch result {
        case .put(let response): reply(response, to: call, on: connection)
        case .deleteRange(let response): reply(response, to: call, on: connection)
        case .txn(let response): reply(response, to: call, on: connection)
        case .compaction(let response): reply(response, to: call, on: connection)
        case .failure(let error): finish(call, on: connection, status: error.status)
        }
    }
}

extension EtcdMethod {
    /// The methods this build serves; `resolve` refuses the rest up front.
    static let served: Set<EtcdMethod> = [.range, .put, .deleteRange, .txn, .compact, .status, .hashKV, .memberList]

    /// The method a call's `:path` names, or the UNIMPLEMENTED status grpc-go answers for a path
    /// it does not serve (its exact wording and codes: clients and tests match on them;
    /// grpc-go answers a path without a slash with RESOURCE_EXHAUSTED).
    static func resolve(path: String) -> Result<EtcdMethod, GRPCStatus> {
        if let method = EtcdMethod(path: path) {
            return served.contains(method) ? .success(method) : .failure(notBuiltYet(method))
        }
        // grpc-go splits "/service/method" at the last slash.
        var trimmed = Substring(path)
        if trimmed.first == "/" { trimmed = trimmed.dropFirst() }
        guard let slash = trimmed.lastIndex(of: "/") else {
            return .failure(GRPCStatus(.resourceExhausted, "malformed method name: \"\(path)\""))
        }
        let service = trimmed[..<slash]
        let name = trimmed[trimmed.index(after: slash)...]
        if EtcdService(rawValue: String(service)) != nil {
            return .failure(GRPCStatus(.unimplemented, "unknown method \(name) for service \(service)"))
        }
        return .failure(GRPCStatus(.unimplemented, "unknown service \(service)"))
    }

    /// The answer for an etcd method whose service a later issue builds.
    static func notBuiltYet(_ method: EtcdMethod) -> GRPCStatus {
        GRPCStatus(.unimplemented, "swetcd: \(method.path) is not implemented yet")
    }
}
