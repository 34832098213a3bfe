import EtcdProto
import ProtoWire
import GRPC

/// Everything the RPC handlers share: the store, the member's identity, the limits from the
/// command line, and the apply thread. Immutable; one instance serves every event loop.
struct Services: Sendable {
    let kv: KVState
    let identity: ServerIdentity
    let applyLoop: ApplyLoop
    /// The raft thread, which every write and linearizable read goes through.
    let raft: RaftNode
    /// `--max-request-bytes`: the largest request etcd proposes to raft.
    let maxRequestBytes: Int
    /// `--max-txn-ops`.
    let maxTxnOps: Int
    let grpcConfiguration: GRPCServerConfiguration
    /// The server version reported by Maintenance.Status.
    let version: String
    /// `--quota-backend-bytes`.
    let quota: BackendQuota
    /// etcd's request timeout for proposals and linearizable reads.
    let requestTimeoutNanoseconds: Int64
    /// Which peers have working streams (for --strict-reconfig-check).
    let peers: PeerConnectivity
    /// `--strict-reconfig-check`.
    let isStrictReconfigCheck: Bool
    /// MemberPromote through the leader.
    let promoter: MemberPromoter
    /// How applied changes reach the loops' watchers.
    let watchFanout: WatchFanout
    /// --experimental-watch-progress-notify-interval (etcd's 10 min when 0).
    let watchProgressIntervalNanoseconds: Int64
    /// Watch responses this large or larger are split for watchers that asked for fragments
    /// (etcd: --max-request-bytes plus gRPC's overhead allowance).
    let watchFragmentBytes: Int
    /// The membership as of the applied index (MemberList, the strict checks, the learner rule).
    let membership: MembershipView
    /// Keep-alives and time-to-live this member cannot answer itself (see LeaseService).
    let leaseForwarder: LeaseForwarder
    /// The client port's TLS context (when some --listen-client-urls or --listen-metrics-urls
    /// is https), and which of each loop's listeners (--listen-client-urls, then
    /// --listen-metrics-urls, in order) speak TLS.
    let clientTLS: TLSContextSource?
    let clientListenersSecure: [Bool]
    /// Index of the first --listen-metrics-urls listener among each loop's listeners.
    let metricsListenerStart: Int
    /// --cors, --host-whitelist and --enable-grpc-gateway for the client port's HTTP side.
    let httpAccess: HTTPAccessPolicy
    let logger: Logger
    /// Users, roles, permissions and tokens, and the thread that runs bcrypt for them.
    let auth: AuthTable
    let authWorker: AuthWorker
}

/// What a unary handler decided to do with a request.
enum UnaryOutcome<Response: ProtoMessage> {
    /// Answer now (reads).
    case respond(Response)
    /// Answer after the apply thread has applied this write.
    case propose(ApplyRequest)
    /// Answer once raft has confirmed this member's view is current (ReadIndex) and the apply
    /// thread has caught up with it: the closure then reads and decides.
    case afterReadIndex(() -> UnaryOutcome<Response>)
    /// Fail the call.
    case fail(GRPCStatus)
}

extension Services {
    /// Decodes a request message the way etcd's grpc-go server does: a payload that is not a valid
    /// message is an INTERNAL error carrying gogo-protobuf's text for the failure
    /// (`ProtoDecodeError.description`, attributed to the innermost message), word for word.
    func decode<Request: ProtoMessage>(_ type: Request.Type, from payload: [UInt8]) throws(GRPCStatus) -> Request {
        do {
            return try Request(serializedBytes: payload)
        } catch {
            throw GRPCStatus(.internal, "grpc: error unmarshalling request: " + error.description)
        }
    }

    /// Runs a handler's body, turning what it throws into the call's status: a GRPCStatus as
    /// is, an EtcdError as etcd's code and message.
    func handling<Response>(_ body: () throws -> UnaryOutcome<Response>) -> UnaryOutcome<Response> {
        do {
            return try body()
        } catch let status as GRPCStatus {
            return .fail(status)
        } catch let error as EtcdError {
            return .fail(error.status)
        } catch {
            return .fail(GRPCStatus(.unknown, "\(error)"))
        }
    }

    /// A header for a response served outside the apply thread.
    func header(revision: Int64) -> ResponseHeader {
        var header: ResponseHeader? = ResponseHeader(revision: revision)
        identity.fill(&header)
        return header!
    }
}

extension Services {
    /// Whether `request` fits under the backend quota (only puts cost anything).
    func admitsByQuota(_ request: ApplyRequest) -> Bool {
        let cost: Int
        switch request {
        case .put(let put): cost = BackendQuota.cost(of: put)
        case .txn(let txn): cost = BackendQuota.cost(of: txn)
        default: return true
        }
        guard cost > 0 else { return true }
        return quota.admits(costBytes: cost, sizeBytes: kv.backend.sizeBytes)
    }

    /// The alarm a refused write raises.
    var noSpaceAlarm: AlarmRequest {
        AlarmRequest(action: .activate, memberID: identity.memberID.rawValue, alarm: .noSpace)
    }
}
