import EtcdProto
import GRPC

/// Routes a call's request message to its handler and turns the handler's outcome into a reply.
extension EventLoop {
    func dispatch(_ method: EtcdMethod, payload: [UInt8], call: GRPCCallID, on connection: ClientConnection) {
        switch method {
        case .kvRange: complete(services.range(payload), call: call, on: connection)
        case .kvPut: complete(services.put(payload), call: call, on: connection)
        case .kvDeleteRange: complete(services.deleteRange(payload), call: call, on: connection)
        case .kvTxn: complete(services.txn(payload), call: call, on: connection)
        case .kvCompact: complete(services.compact(payload), call: call, on: connection)
        case .maintenanceStatus: complete(services.status(payload), call: call, on: connection)
        case .clusterMemberList: complete(services.memberList(payload), call: call, on: connection)
        default:
            finish(call, on: connection, status: GRPCStatus(.unimplemented, "swetcd: \(method.path) is not implemented yet"))
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
