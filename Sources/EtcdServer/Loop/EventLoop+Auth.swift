import EtcdProto
import Glibc
import GRPC

/// Who a call runs as, and the checks made on it before it is served or proposed.
extension EventLoop {
    /// The caller of a call carrying `token` (its `token` metadata): nil while auth is off.
    /// With auth on, the token's user; without a token, the verified client certificate's
    /// common name (etcd's AuthInfoFromTLS); else "" (no user). A token that is not current,
    /// or any token while auth is off, is etcd's "invalid auth token".
    func authCaller(token: String?, on connection: ClientConnection) throws(EtcdError) -> AuthCaller? {
        let auth = services.auth
        guard auth.isEnabled else {
            if token != nil { throw .invalidAuthToken }
            return nil
        }
        let current = auth.revision
        if let token {
            if let jwt = auth.jwt {
                guard let info = jwt.info(token: token, nowUnixSeconds: Int64(time(nil))) else { throw .invalidAuthToken }
                return AuthCaller(user: info.user, revision: info.revision)
            }
            let now = monotonicNanoseconds()
            guard let user = auth.withTokens({ $0.user(of: token, now: now) }) else { throw .invalidAuthToken }
            return AuthCaller(user: user, revision: current)
        }
        if let name = connection.tls?.peerCommonName { return AuthCaller(user: name, revision: current) }
        return AuthCaller(user: "", revision: current)
    }

    /// Checks a call about to be dispatched; false when it was refused (and finished).
    func authorizeCall(_ method: EtcdMethod, payload: [UInt8], call: GRPCCallID, on connection: ClientConnection) -> Bool {
        // A Watch stream's creates are checked one by one, a bad token included (see
        // watchCreateRefusal): etcd keeps the stream and cancels each watch.
        guard method != .watch else { return true }
        let token = connection.calls[call.streamID]?.token
        guard token != nil || services.auth.isEnabled else { return true }
        do throws(EtcdError) {
            guard let caller = try authCaller(token: token, on: connection) else { return true }
            try services.authorize(method, payload: payload, caller: caller)
            connection.calls[call.streamID]?.authCaller = caller
            return true
        } catch {
            finish(call, on: connection, status: error.status)
            return false
        }
    }

    /// etcd's answer to a watch create the caller may not make: created and canceled at once,
    /// watch ID -1, the gRPC error's text as the reason. nil when the create may go ahead.
    func watchCreateRefusal(_ create: WatchCreateRequest, call: GRPCCallID, on connection: ClientConnection) -> WatchResponse? {
        let token = connection.calls[call.streamID]?.token
        guard token != nil || services.auth.isEnabled else { return nil }
        do throws(EtcdError) {
            guard let caller = try authCaller(token: token, on: connection) else { return nil }
            try services.authorizeWatch(key: create.key, rangeEnd: create.rangeEnd, caller: caller)
            return nil
        } catch {
            return WatchResponse(header: services.header(revision: services.currentRevision), watchId: -1, created: true,
                                 canceled: true, cancelReason: "rpc error: code = \(error.code.goName) desc = \(error.message)")
        }
    }
}

extension GRPCStatusCode {
    /// Go's name for the code (`codes.Code.String()`), as it appears in error texts.
    var goName: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "Canceled"
        case .unknown: "Unknown"
        case .invalidArgument: "InvalidArgument"
        case .deadlineExceeded: "DeadlineExceeded"
        case .notFound: "NotFound"
        case .alreadyExists: "AlreadyExists"
        case .permissionDenied: "PermissionDenied"
        case .resourceExhausted: "ResourceExhausted"
        case .failedPrecondition: "FailedPrecondition"
        case .aborted: "Aborted"
        case .outOfRange: "OutOfRange"
        case .unimplemented: "Unimplemented"
        case .internal: "Internal"
        case .unavailable: "Unavailable"
        case .dataLoss: "DataLoss"
        case .unauthenticated: "Unauthenticated"
        }
    }
}
