import EtcdProto
import ProtoWire

/// Which RPCs a learner serves (etcd 3.4's interceptors, `isRPCSupportedForLearner`): a
/// learner's data may lag the cluster's and it cannot take part in a write, so it answers only
/// Maintenance.Status and serializable Range; every other call, and every streaming call
/// (Watch, LeaseKeepAlive, Snapshot, Observe), gets "etcdserver: rpc not supported for learner".
enum LearnerRule {
    /// Whether a learner serves `method` with this request. grpc-go decodes a unary request
    /// before etcd's interceptor looks at it, so a payload that does not decode is let through
    /// for the handler to report the decoding error, as etcd does.
    static func isSupported(_ method: EtcdMethod, payload: [UInt8]) -> Bool {
        guard method.streamingKind == .unary else { return false }
        switch method {
        case .status:
            return true
        case .range:
            guard let request = try? RangeRequest(serializedBytes: payload) else { return true }
            return request.serializable
        default:
            return (try? method.requestType.init(serializedBytes: payload)) == nil
        }
    }
}
