import GRPC

/// The HTTP status grpc-gateway answers for each gRPC code (its HTTPStatusFromCode, v1): clients
/// of etcd's JSON gateway branch on these.
enum GatewayStatusMapping {
    static func httpStatus(for code: GRPCStatusCode) -> Int {
        switch code {
        case .ok: 200
        case .cancelled: 408
        case .unknown: 500
        case .invalidArgument: 400
        case .deadlineExceeded: 504
        case .notFound: 404
        case .alreadyExists: 409
        case .permissionDenied: 403
        case .unauthenticated: 401
        case .resourceExhausted: 429
        case .failedPrecondition: 412
        case .aborted: 409
        case .outOfRange: 400
        case .unimplemented: 501
        case .internal: 500
        case .unavailable: 503
        case .dataLoss: 500
        }
    }
}
