import EtcdProto
import ProtoWire

/// What the data of a normal raft entry means, as etcd lays it out: an `InternalRaftRequest`
/// whose header carries the proposal's ID, or (for entries an etcd 3.4 member proposes through
/// its v2 path: member attributes, the cluster version) a bare v2 `Request`.
enum RaftEntryData: Sendable {
    /// A request the applier knows, with the ID the proposer waits on and, for a client's
    /// write made while auth was on, who made it (checked again when it applies).
    case request(id: UInt64, ApplyRequest, caller: AuthCaller?)
    /// etcd's v2 publish of member attributes or the cluster version.
    case v2(Request)
    /// A request of a kind this build does not apply yet (leases, auth: later issues). The
    /// entry still counts as applied, so indexes stay in step with the log.
    case unsupported(id: UInt64)

    /// Decodes an entry's data. Data that is neither an InternalRaftRequest nor a v2 Request is
    /// corruption that the WAL's checksums did not catch: a programmer error or a foreign log.
    init(decoding data: [UInt8]) {
        if let request = try? InternalRaftRequest(serializedBytes: data) {
            // etcd's rule: the legacy ID field wins when set, else the header's.
            let id = request.id != 0 ? request.id : (request.header?.id ?? 0)
            if let apply = ApplyRequest(request) {
                let header = request.header
                let caller = header.flatMap { $0.username.isEmpty && $0.authRevision == 0 ? nil
                    : AuthCaller(user: $0.username, revision: $0.authRevision) }
                self = .request(id: id, apply, caller: caller)
            } else if let v2 = request.v2 {
                self = .v2(v2)
            } else {
                self = .unsupported(id: id)
            }
            return
        }
        if let v2 = try? Request(serializedBytes: data) {
            self = .v2(v2)
            return
        }
        preconditionFailure("raft entry data is neither an InternalRaftRequest nor a v2 Request")
    }
}

extension ApplyRequest {
    /// The request as etcd proposes it: an InternalRaftRequest with a header carrying `id`.
    /// Nil for work that is not a normal raft entry (defragmentation, forcing a backend commit,
    /// and member changes, which travel as conf changes).
    func internalRaftRequest(id: UInt64) -> InternalRaftRequest? {
        var request = InternalRaftRequest(header: RequestHeader(id: id))
        switch self {
        case .put(let put): request.put = put
        case .deleteRange(let delete): request.deleteRange = delete
        case .txn(let txn): request.txn = txn
        case .compaction(let compaction): request.compaction = compaction
        case .alarm(let alarm): request.alarm = alarm
        case .leaseGrant(let grant): request.leaseGrant = grant
        case .leaseRevoke(let revoke): request.leaseRevoke = revoke
        case .leaseCheckpoint(let checkpoint): request.leaseCheckpoint = checkpoint
        case .auth(let auth): auth.place(in: &request)
        case .defragment, .forceCommit, .memberChange, .moveLeader, .promoteThroughLeader, .leaseTimeToLiveThroughLeader,
             .authThroughWorker:
            return nil
        }
        return request
    }

    /// The request an InternalRaftRequest carries, if the applier knows its kind.
    init?(_ request: InternalRaftRequest) {
        if let put = request.put { self = .put(put) }
        else if let delete = request.deleteRange { self = .deleteRange(delete) }
        else if let txn = request.txn { self = .txn(txn) }
        else if let compaction = request.compaction { self = .compaction(compaction) }
        else if let alarm = request.alarm { self = .alarm(alarm) }
        else if let grant = request.leaseGrant { self = .leaseGrant(grant) }
        else if let revoke = request.leaseRevoke { self = .leaseRevoke(revoke) }
        else if let checkpoint = request.leaseCheckpoint { self = .leaseCheckpoint(checkpoint) }
        else if let auth = AuthRequest(request) { self = .auth(auth) }
        else { return nil }
    }
}
