import EtcdProto
import GRPC

/// v3lockpb.Lock/Lock as etcd serves it (clientv3's Mutex on the caller's lease): the caller's
/// key `name/<lease hex>` joins the waiters, and the lock is held once every key under `name/`
/// created before it is gone. A caller already waiting or holding with the same lease keeps
/// its place.
struct LockRecipe: Recipe, Equatable {
    private let prefix: [UInt8]
    private var lease: Int64
    private(set) var key: [UInt8] = []
    /// The create revision of the caller's key: its place in line.
    private var revision: Int64 = 0
    private var wait: WaitDeletes?

    init(_ request: LockRequest) {
        prefix = request.name + [UInt8(ascii: "/")]
        lease = request.lease
    }

    mutating func start() -> [RecipeStep] {
        // A session without a lease grants one (etcd then lets it lapse: the lock lasts its TTL).
        if lease == 0 { return [.grantLease(LeaseGrantRequest(ttl: RecipeKeys.sessionTTLSeconds))] }
        return [enqueue()]
    }

    /// Put the caller's key unless it exists, and read the oldest waiter either way.
    private mutating func enqueue() -> RecipeStep {
        key = RecipeKeys.sessionKey(prefix: prefix, lease: lease)
        let owner = RequestOp(request: .requestRange(RecipeKeys.firstCreated(under: prefix)))
        return .txn(TxnRequest(
            compare: [RecipeKeys.createRevision(of: key, is: 0)],
            success: [RequestOp(request: .requestPut(PutRequest(key: key, value: [], lease: lease))), owner],
            failure: [RequestOp(request: .requestRange(RangeRequest(key: key))), owner]))
    }

    mutating func next(_ input: RecipeInput) -> [RecipeStep] {
        switch input {
        case .leaseGranted(let granted):
            lease = granted.id
            return [enqueue()]
        case .txn(let response):
            revision = response.header?.revision ?? 0
            if !response.succeeded, case .responseRange(let mine)? = response.responses.first?.response,
               let existing = mine.kvs.first {
                revision = existing.createRevision
            }
            var owner: [KeyValue] = []
            if response.responses.count > 1, case .responseRange(let range)? = response.responses[1].response {
                owner = range.kvs
            }
            if owner.isEmpty || owner[0].createRevision == revision {
                return [.reply(.lock(LockResponse(header: response.header, key: key)))]
            }
            let wait = WaitDeletes(prefix: prefix, maxCreateRevision: revision - 1)
            self.wait = wait
            return [wait.check]
        case .range(let response):
            guard let wait else { return [] }
            if let watch = wait.wait(after: response) { return [watch] }
            return [.reply(.lock(LockResponse(header: response.header, key: key)))]
        case .watched(let response):
            guard let wait else { return [] }
            if let lost = WaitDeletes.lostWatch(response) { return [.fail(lost)] }
            return WaitDeletes.sawDeletion(response) ? [wait.check] : []
        case .deleted:
            return []
        case .failed(let status):
            return [recipeFailure(status)]
        }
    }

    /// Leaving the line: etcd's Mutex deletes its key when the wait fails.
    var cleanupOnCancel: RecipeStep? {
        wait == nil ? nil : .deleteRange(DeleteRangeRequest(key: key))
    }
}

/// v3lockpb.Lock/Unlock: deletes the lock key (etcd does no check of who holds it).
struct UnlockRecipe: Recipe, Equatable {
    let key: [UInt8]

    init(_ request: UnlockRequest) {
        key = request.key
    }

    mutating func start() -> [RecipeStep] {
        [.deleteRange(DeleteRangeRequest(key: key))]
    }

    mutating func next(_ input: RecipeInput) -> [RecipeStep] {
        switch input {
        case .deleted(let response): [.reply(.unlock(UnlockResponse(header: response.header)))]
        case .failed(let status): [recipeFailure(status)]
        default: []
        }
    }

    var cleanupOnCancel: RecipeStep? { nil }
}
