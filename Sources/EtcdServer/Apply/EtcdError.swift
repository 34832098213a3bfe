import GRPC
import MVCC

/// An error etcd reports to clients: a gRPC status code and etcd's exact message (etcd 3.4's
/// `rpctypes` errors). Clients match on the message text (clientv3 turns known messages back
/// into typed errors), so every message here is byte-for-byte etcd's.
struct EtcdError: Error, Sendable, Equatable, CustomStringConvertible {
    let code: GRPCStatusCode
    let message: String

    init(_ code: GRPCStatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The status the gRPC layer sends as `grpc-status` / `grpc-message`.
    var status: GRPCStatus { GRPCStatus(code, message) }

    var description: String { message }

    // MARK: Requests

    static let emptyKey = EtcdError(.invalidArgument, "etcdserver: key is not provided")
    static let keyNotFound = EtcdError(.invalidArgument, "etcdserver: key not found")
    static let valueProvided = EtcdError(.invalidArgument, "etcdserver: value is provided")
    static let leaseProvided = EtcdError(.invalidArgument, "etcdserver: lease is provided")
    static let tooManyOps = EtcdError(.invalidArgument, "etcdserver: too many operations in txn request")
    static let duplicateKey = EtcdError(.invalidArgument, "etcdserver: duplicate key given in txn request")
    static let requestTooLarge = EtcdError(.invalidArgument, "etcdserver: request is too large")
    static let tooManyRequests = EtcdError(.resourceExhausted, "etcdserver: too many requests")

    // MARK: MVCC

    static let compacted = EtcdError(.outOfRange, "etcdserver: mvcc: required revision has been compacted")
    static let futureRevision = EtcdError(.outOfRange, "etcdserver: mvcc: required revision is a future revision")
    static let noSpace = EtcdError(.resourceExhausted, "etcdserver: mvcc: database space exceeded")

    /// The client-facing form of a store error, as etcd's `togRPCError` maps it.
    init(_ error: MVCCError) {
        switch error {
        case .compacted: self = .compacted
        case .futureRevision: self = .futureRevision
        }
    }

    // MARK: Leases

    static let leaseNotFound = EtcdError(.notFound, "etcdserver: requested lease not found")
    static let leaseExist = EtcdError(.failedPrecondition, "etcdserver: lease already exists")
    static let leaseTTLTooLarge = EtcdError(.outOfRange, "etcdserver: too large lease TTL")

    // MARK: Watch

    static let watchCanceled = EtcdError(.cancelled, "etcdserver: watch canceled")

    // MARK: Server and cluster state

    static let noLeader = EtcdError(.unavailable, "etcdserver: no leader")
    static let notLeader = EtcdError(.failedPrecondition, "etcdserver: not leader")
    static let leaderChanged = EtcdError(.unavailable, "etcdserver: leader changed")
    static let notCapable = EtcdError(.unavailable, "etcdserver: not capable")
    static let stopped = EtcdError(.unavailable, "etcdserver: server stopped")
    static let timeout = EtcdError(.unavailable, "etcdserver: request timed out")
    static let timeoutDueToLeaderFail = EtcdError(.unavailable, "etcdserver: request timed out, possibly due to previous leader failure")
    static let timeoutDueToConnectionLost = EtcdError(.unavailable, "etcdserver: request timed out, possibly due to connection lost")
    static let timeoutWaitAppliedIndex = EtcdError(.unavailable, "etcdserver: request timed out, waiting for the applied index took too long")
    static let unhealthy = EtcdError(.unavailable, "etcdserver: unhealthy cluster")
    static let corrupt = EtcdError(.dataLoss, "etcdserver: corrupt cluster")
    static let notSupportedForLearner = EtcdError(.unavailable, "etcdserver: rpc not supported for learner")
    static let badLeaderTransferee = EtcdError(.failedPrecondition, "etcdserver: bad leader transferee")
    static let timeoutLeaderTransfer = EtcdError(.unavailable, "etcdserver: request timed out, leader transfer took too long")

    // MARK: Cluster membership

    static let memberExist = EtcdError(.failedPrecondition, "etcdserver: member ID already exist")
    static let peerURLExist = EtcdError(.failedPrecondition, "etcdserver: Peer URLs already exists")
    /// UNKNOWN, not the FAILED_PRECONDITION of rpctypes' status: etcd 3.4's error map sends the
    /// client-side `rpctypes.ErrMemberNotEnoughStarted` value, which is no gRPC status, so
    /// grpc-go answers it as UNKNOWN with its text.
    static let memberNotEnoughStarted = EtcdError(.unknown, "etcdserver: re-configuration failed due to not enough started members")
    static let memberBadURLs = EtcdError(.invalidArgument, "etcdserver: given member URLs are invalid")
    static let memberNotFound = EtcdError(.notFound, "etcdserver: member not found")
    static let memberNotLearner = EtcdError(.failedPrecondition, "etcdserver: can only promote a learner member")
    static let learnerNotReady = EtcdError(.failedPrecondition, "etcdserver: can only promote a learner member which is in sync with leader")
    static let tooManyLearners = EtcdError(.failedPrecondition, "etcdserver: too many learner members in cluster")

    /// The client-facing form of a refused conf change, as etcd's `togRPCError` maps it: a
    /// removed ID reads as "member not found", like an unknown one.
    init(_ error: MembershipError) {
        switch error {
        case .idRemoved, .idNotFound: self = .memberNotFound
        case .idExists: self = .memberExist
        case .peerURLExists: self = .peerURLExist
        case .memberNotLearner: self = .memberNotLearner
        case .tooManyLearners: self = .tooManyLearners
        }
    }
}
