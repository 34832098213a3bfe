import EtcdBasics
import EtcdProto
import GRPC

/// LeaseKeepAlive streams: each request renews one lease and is answered on the stream, in
/// order. The leader renews at once; a follower's requests (and the leader's while its lessor
/// waits for promotion) go through the `LeaseForwarder` and are answered when it replies.
extension EventLoop {
    func leaseKeepAliveRequest(_ payload: [UInt8], call: GRPCCallID, on connection: ClientConnection) {
        guard var state = connection.calls[call.streamID] else { return }
        let request: LeaseKeepAliveRequest
        do {
            request = try services.decode(LeaseKeepAliveRequest.self, from: payload)
        } catch {
            finish(call, on: connection, status: error)
            return
        }
        // Answered here only when nothing of this stream is out with the forwarder, so that
        // answers keep the requests' order.
        if state.leaseForwardsPending == 0 && services.isLeader {
            let now = monotonicNanoseconds()
            switch services.applyLoop.leases.withLessor({ $0.renew(LeaseID(request.id), now: now) }) {
            case .renewed(let ttl):
                sendKeepAlive(LeaseKeepAliveResponse(id: request.id, ttl: ttl), call: call, on: connection)
                return
            case .notFound where services.hasAppliedCommitted:
                // etcd's v3rpc answers a lease it does not have with TTL 0.
                sendKeepAlive(LeaseKeepAliveResponse(id: request.id, ttl: 0), call: call, on: connection)
                return
            case .notFound:
                break   // the apply thread is behind: the forwarder asks again once it caught up
            case .notPrimary, .expiring:
                break   // the forwarder waits for promotion, or for the revoke
            }
        }
        let origin = CallOrigin(loop: index, connection: connection.id, stream: call.streamID)
        guard services.leaseForwarder.submit(.keepAlive(request, origin)) else {
            finish(call, on: connection, status: EtcdError.tooManyRequests.status)
            return
        }
        state.leaseForwardsPending += 1
        connection.calls[call.streamID] = state
    }

    /// The forwarder's answer to one of this loop's keep-alives.
    func leaseKeepAliveAnswered(_ origin: CallOrigin, _ result: Result<LeaseKeepAliveResponse, EtcdError>) {
        guard let connection = connections[origin.connection], var state = connection.calls[origin.stream] else { return }
        let call = GRPCCallID(streamID: origin.stream)
        state.leaseForwardsPending -= 1
        connection.calls[origin.stream] = state
        switch result {
        case .success(let response):
            sendKeepAlive(response, call: call, on: connection)
            if state.isHalfClosed && state.leaseForwardsPending == 0 { finish(call, on: connection, status: .ok) }
        case .failure(let error):
            finish(call, on: connection, status: error.status)
        }
    }

    /// The client closed its side: etcd's receive loop returns at EOF and the stream ends OK
    /// once every keep-alive before it was answered.
    func leaseKeepAliveHalfClosed(_ call: GRPCCallID, on connection: ClientConnection) {
        guard var state = connection.calls[call.streamID] else { return }
        if state.leaseForwardsPending == 0 {
            finish(call, on: connection, status: .ok)
        } else {
            state.isHalfClosed = true
            connection.calls[call.streamID] = state
        }
    }

    private func sendKeepAlive(_ response: LeaseKeepAliveResponse, call: GRPCCallID, on connection: ClientConnection) {
        var response = response
        response.header = services.header(revision: services.currentRevision)
        connection.session.sendMessage(call, payloadSize: response.encodedSize) { response.encode(appendingTo: &$0) }
        ServerMetrics.shared.grpcSent(.leaseKeepAlive)
        markDirty(connection)
    }
}
