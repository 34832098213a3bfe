import EtcdProto
import GRPC

// etcd serves its Lock and Election services with its own client library (clientv3's
// concurrency recipes) running inside the server: each RPC is a short conversation of ordinary
// requests (a txn, a range, a watch) made on the caller's behalf and with the caller's
// credentials. swetcd keeps that shape: a recipe is a pure state machine that names the next
// request, and the event loop serves it exactly as it would serve the caller's own.

/// A request a recipe makes, or how its call ends.
enum RecipeStep: Equatable {
    /// Grant a lease (the recipes' sessions do when the caller names none).
    case grantLease(LeaseGrantRequest)
    case txn(TxnRequest)
    /// A linearizable range.
    case range(RangeRequest)
    case deleteRange(DeleteRangeRequest)
    /// Watch from a revision; replaces the recipe's previous watch, if any.
    case watch(WatchCreateRequest)
    /// One message of a streaming answer (Observe); the call goes on.
    case send(LeaderResponse)
    /// The call's answer: the call ends.
    case reply(RecipeReply)
    case fail(GRPCStatus)
}

/// The answers the recipes give.
enum RecipeReply: Equatable {
    case lock(LockResponse)
    case unlock(UnlockResponse)
    case campaign(CampaignResponse)
    case proclaim(ProclaimResponse)
    case leader(LeaderResponse)
    case resign(ResignResponse)
}

/// What a step came back with.
enum RecipeInput {
    case leaseGranted(LeaseGrantResponse)
    case txn(TxnResponse)
    case range(RangeResponse)
    case deleted(DeleteRangeResponse)
    case watched(WatchResponse)
    case failed(GRPCStatus)
}

/// A Lock or Election RPC in progress.
protocol Recipe {
    /// The first steps.
    mutating func start() -> [RecipeStep]
    /// The steps after a step's result.
    mutating func next(_ input: RecipeInput) -> [RecipeStep]
    /// What to undo if the caller goes away midway (etcd's recipes release the lock key or
    /// resign when their context ends): a request made on no one's behalf, or nil.
    var cleanupOnCancel: RecipeStep? { get }
}

/// How a failed step fails the RPC: the in-process client etcd's recipes use hands back
/// etcd's errors as plain Go errors, which gRPC sends as UNKNOWN with their text; only the
/// caller's own deadline or cancellation keeps its code.
func recipeFailure(_ status: GRPCStatus) -> RecipeStep {
    switch status.code {
    case .deadlineExceeded, .cancelled: .fail(status)
    default: .fail(GRPCStatus(.unknown, status.message))
    }
}

/// The key ranges and requests clientv3's recipes build.
enum RecipeKeys {
    /// etcd's GetPrefixRangeEnd: the first key after every key starting with `prefix`.
    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }

    /// The key a session's lease owns under `prefix`: the prefix and the lease ID in
    /// lower-case hex (Go's `%x`).
    static func sessionKey(prefix: [UInt8], lease: Int64) -> [UInt8] {
        prefix + Array(String(lease, radix: 16).utf8)
    }

    /// `Get(prefix, WithFirstCreate())`: the oldest key under the prefix.
    static func firstCreated(under prefix: [UInt8]) -> RangeRequest {
        RangeRequest(key: prefix, rangeEnd: prefixEnd(prefix), limit: 1, sortOrder: .ascend, sortTarget: .create)
    }

    /// `Get(prefix, WithLastCreate(), WithMaxCreateRev(rev))`: the newest key under the prefix
    /// created at or before `maxCreateRevision`.
    static func lastCreated(under prefix: [UInt8], maxCreateRevision: Int64) -> RangeRequest {
        RangeRequest(key: prefix, rangeEnd: prefixEnd(prefix), limit: 1, sortOrder: .descend, sortTarget: .create,
                     maxCreateRevision: maxCreateRevision)
    }

    /// `If(CreateRevision(key) == revision)`.
    static func createRevision(of key: [UInt8], is revision: Int64) -> Compare {
        Compare(result: .equal, target: .create, key: key, targetUnion: .createRevision(revision))
    }

    /// The TTL of the lease a recipe's session grants when the caller names none (clientv3's
    /// default session TTL).
    static let sessionTTLSeconds: Int64 = 60
}

/// clientv3's waitDeletes: wait until no key under `prefix` created at or before
/// `maxCreateRevision` remains, newest first. Drives the range and watch steps; the owner
/// recipe decides what to do once it is done.
struct WaitDeletes: Equatable {
    let prefix: [UInt8]
    let maxCreateRevision: Int64

    /// The range that finds the next key to wait for.
    var check: RecipeStep {
        .range(RecipeKeys.lastCreated(under: prefix, maxCreateRevision: maxCreateRevision))
    }

    /// After the check: nil when nothing is left to wait for (the range's header is the
    /// answer's), else the watch for the newest key's deletion.
    func wait(after range: RangeResponse) -> RecipeStep? {
        guard let newest = range.kvs.first else { return nil }
        return .watch(WatchCreateRequest(key: newest.key, startRevision: range.header?.revision ?? 0))
    }

    /// Whether a watch response shows the awaited deletion (then check again).
    static func sawDeletion(_ response: WatchResponse) -> Bool {
        response.events.contains { $0.type == .delete }
    }

    /// A watch the server cancelled: the wait cannot go on. clientv3's WatchResponse.Err
    /// names the failure: compaction and a reasonless cancel as etcd's errors (which reach the
    /// caller as UNKNOWN), a cancel with a reason as FAILED_PRECONDITION with that reason.
    static func lostWatch(_ response: WatchResponse) -> GRPCStatus? {
        guard response.canceled else { return nil }
        if response.compactRevision > 0 { return GRPCStatus(.unknown, "etcdserver: mvcc: required revision has been compacted") }
        if response.cancelReason.isEmpty { return GRPCStatus(.unknown, "etcdserver: mvcc: required revision is a future revision") }
        return GRPCStatus(.failedPrecondition, response.cancelReason)
    }
}
