import EtcdBasics
import EtcdProto
import MVCC

/// Applies KV requests to the MVCC store with etcd 3.4's semantics (`etcdserver/apply.go`).
///
/// Writes (`put`, `deleteRange`, a `txn` that writes, `compaction`) run on the apply thread,
/// after raft committed them, holding the store's write lock. Reads (`range`, a read-only `txn`)
/// run anywhere holding the read lock and never mutate the store.
///
/// Responses carry `header.revision` as etcd sets it; the caller fills the header's
/// `clusterId`, `memberId` and `raftTerm` (etcd's `header.fill`). Requests are assumed to have
/// passed `RequestCheck` already, as etcd's service checks them before proposing.
struct KVApplier {
    /// Whether a lease with this ID exists (etcd's `lessor.Lookup`). Until the lessor exists,
    /// none does, and a put with a lease fails with `leaseNotFound`.
    var leaseExists: (LeaseID) -> Bool

    init(leaseExists: @escaping (LeaseID) -> Bool = { _ in false }) {
        self.leaseExists = leaseExists
    }

    /// The outcome of a write: the response and the watch events the write produced (one per
    /// changed key, in order; empty when nothing changed) for the watch hub.
    struct Applied<Response> {
        var response: Response
        var events: [Event]
    }

    // MARK: Put

    /// Writes one key. Fails with `leaseNotFound` for an unknown lease and `keyNotFound` when
    /// `ignoreValue`/`ignoreLease` is set on a key that does not exist; nothing changes then.
    func put(_ request: PutRequest, store: KVStore) throws(EtcdError) -> Applied<PutResponse> {
        if request.lease != 0 && !leaseExists(LeaseID(request.lease)) { throw .leaseNotFound }
        let result = try store.write { (txn: inout KVStore.TxnWrite) throws(EtcdError) -> PutResponse in
            try put(request, in: &txn)
        }
        return Applied(response: result.value, events: result.events)
    }

    /// The put itself, inside an open write transaction. Throws only before changing anything.
    func put(_ request: PutRequest, in txn: inout KVStore.TxnWrite) throws(EtcdError) -> PutResponse {
        var value = request.value
        var lease = LeaseID(request.lease)
        var previous: KeyValue?
        if request.ignoreValue || request.ignoreLease || request.prevKv {
            previous = try readCurrent(request.key, in: txn)
        }
        if request.ignoreValue || request.ignoreLease {
            // Keeping the value or lease needs something to keep it from.
            guard let previous else { throw .keyNotFound }
            if request.ignoreValue { value = previous.value }
            if request.ignoreLease { lease = LeaseID(previous.lease) }
        }
        let revision = txn.put(key: request.key, value: value, lease: lease)
        return PutResponse(header: ResponseHeader(revision: revision),
                           prevKv: request.prevKv ? previous : nil)
    }

    // MARK: DeleteRange

    /// Deletes a key or range; with `prevKv` the response lists what was deleted. Deleting
    /// nothing leaves the revision unchanged.
    func deleteRange(_ request: DeleteRangeRequest, store: KVStore) -> Applied<DeleteRangeResponse> {
        let result = store.write { txn in deleteRange(request, in: &txn) }
        return Applied(response: result.value, events: result.events)
    }

    func deleteRange(_ request: DeleteRangeRequest, in txn: inout KVStore.TxnWrite) -> DeleteRangeResponse {
        let interval = KeyInterval(key: request.key, rangeEnd: request.rangeEnd)
        let result = txn.deleteRange(interval, returningPrevious: request.prevKv)
        return DeleteRangeResponse(header: ResponseHeader(revision: result.revision),
                                   deleted: result.deleted, prevKvs: result.previous)
    }

    // MARK: Compaction

    /// Compacts the store at `request.revision`. Fails with `compacted` when that revision is
    /// not above the last compaction and `futureRevision` when it is ahead of the store.
    /// In memory the compaction is complete on return, so `physical` needs no waiting.
    func compaction(_ request: CompactionRequest, store: KVStore) throws(EtcdError) -> CompactionResponse {
        do {
            // Only the logical half: the apply thread removes the records in bounded steps
            // between batches of writes (see ApplyLoop).
            try store.compactLogically(request.revision)
        } catch {
            throw EtcdError(error)
        }
        return CompactionResponse(header: ResponseHeader(revision: store.currentRevision))
    }

    // MARK: Helpers

    /// The key's value as the view sees it now, or nil.
    func readCurrent(_ key: [UInt8], in view: some KVReadView) throws(EtcdError) -> KeyValue? {
        do {
            return try view.range(.key(key), options: RangeOptions()).kvs.first
        } catch {
            throw EtcdError(error)
        }
    }
}
