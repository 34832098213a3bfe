import EtcdBasics
import EtcdProto
import MVCC

extension KVApplier {
    /// Which branch each transaction of a request takes, decided before any operation runs:
    /// etcd evaluates every compare — nested transactions' too — against the store as it was
    /// when the transaction began, not as earlier operations of the same transaction left it.
    struct TxnPath: Equatable {
        /// Whether this transaction's compares all held (so `success` runs).
        var succeeded: Bool
        /// The paths of the nested transactions in the branch that runs, in order.
        var nested: [TxnPath]
    }

    /// True when every operation of both branches is a range: etcd then answers from a read
    /// view without going through raft, and the revision does not move. (A nested transaction
    /// makes a request a write, even an empty one.)
    static func isReadOnly(_ request: TxnRequest) -> Bool {
        (request.success + request.failure).allSatisfy {
            if case .requestRange? = $0.request { return true }
            return false
        }
    }

    /// True when the transaction is read-only and every range is serializable: it may then be
    /// answered from the local store without a linearizable read barrier.
    static func isSerializable(_ request: TxnRequest) -> Bool {
        (request.success + request.failure).allSatisfy {
            if case .requestRange(let r)? = $0.request { return r.serializable }
            return false
        }
    }

    /// Runs a transaction: read-only ones against the store as a read view (no mutation, so a
    /// read lock suffices); others as one write transaction, so all their changes share one
    /// revision (the revision moves only if something changed). Before anything runs, the
    /// branches that will run are checked as etcd does: puts that keep a value or lease need the
    /// key (`keyNotFound`), leases must exist (`leaseNotFound`), ranges must ask for a revision
    /// inside history (`futureRevision` / `compacted`).
    func txn(_ request: TxnRequest, store: KVStore) throws(EtcdError) -> Applied<TxnResponse> {
        if Self.isReadOnly(request) {
            return Applied(response: try readOnlyTxn(request, in: store), events: [])
        }
        let path = Self.path(of: request, in: store)
        try checkRequests(request, path: path) { (op) throws(EtcdError) in try checkPut(op, in: store) }
        try checkRequests(request, path: path) { (op) throws(EtcdError) in try Self.checkRange(op, in: store) }
        let result = store.write { txn in
            TxnResponse(header: ResponseHeader(), succeeded: path.succeeded,
                        responses: apply(request, path: path, in: &txn))
        }
        var response = result.value
        response.header = ResponseHeader(revision: result.revision)
        return Applied(response: response, events: result.events)
    }

    /// Runs a transaction whose operations are all ranges against `view`.
    func readOnlyTxn(_ request: TxnRequest, in view: some KVReadView) throws(EtcdError) -> TxnResponse {
        precondition(Self.isReadOnly(request), "readOnlyTxn of a transaction that writes")
        let path = Self.path(of: request, in: view)
        try checkRequests(request, path: path) { (op) throws(EtcdError) in try Self.checkRange(op, in: view) }
        let ops = path.succeeded ? request.success : request.failure
        var responses: [ResponseOp] = []
        responses.reserveCapacity(ops.count)
        for op in ops {
            guard case .requestRange(let r)? = op.request else { preconditionFailure("write in a read-only txn") }
            responses.append(ResponseOp(response: .responseRange(try range(r, in: view))))
        }
        return TxnResponse(header: ResponseHeader(revision: view.revision),
                           succeeded: path.succeeded, responses: responses)
    }

    // MARK: Compares

    /// Evaluates the compares of `request` and, recursively, of the nested transactions in the
    /// branch it takes, all against `view`. etcd's `compareToPath`.
    static func path(of request: TxnRequest, in view: some KVReadView) -> TxnPath {
        let succeeded = request.compare.allSatisfy { holds($0, in: view) }
        var nested: [TxnPath] = []
        for op in succeeded ? request.success : request.failure {
            if case .requestTxn(let inner)? = op.request { nested.append(path(of: inner, in: view)) }
        }
        return TxnPath(succeeded: succeeded, nested: nested)
    }

    /// Whether one compare holds: for every key in its range (etcd's `applyCompare`). With no key
    /// in the range, a VALUE compare fails (a missing value is not an empty one) and other
    /// targets compare against zero, so "CREATE == 0" asserts that a key does not exist.
    static func holds(_ compare: Compare, in view: some KVReadView) -> Bool {
        let found: [KeyValue]
        do {
            found = try view.range(KeyInterval(key: compare.key, rangeEnd: compare.rangeEnd), options: RangeOptions()).kvs
        } catch {
            return false
        }
        if found.isEmpty {
            if compare.target == .value { return false }
            return holds(compare, for: KeyValue())
        }
        return found.allSatisfy { holds(compare, for: $0) }
    }

    /// etcd's `compareKV`. A target-union case that does not match `target` counts as zero (or
    /// an empty value), as in etcd.
    static func holds(_ compare: Compare, for kv: KeyValue) -> Bool {
        let order: Int
        switch compare.target {
        case .value:
            var given: [UInt8] = []
            if case .value(let v)? = compare.targetUnion { given = v }
            order = compareBytes(kv.value, given)
        case .create:
            var given: Int64 = 0
            if case .createRevision(let v)? = compare.targetUnion { given = v }
            order = compareInt64(kv.createRevision, given)
        case .mod:
            var given: Int64 = 0
            if case .modRevision(let v)? = compare.targetUnion { given = v }
            order = compareInt64(kv.modRevision, given)
        case .version:
            var given: Int64 = 0
            if case .version(let v)? = compare.targetUnion { given = v }
            order = compareInt64(kv.version, given)
        case .lease:
            var given: Int64 = 0
            if case .lease(let v)? = compare.targetUnion { given = v }
            order = compareInt64(kv.lease, given)
        }
        switch compare.result {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .greater: return order > 0
        case .less: return order < 0
        }
    }

    // MARK: Checks against the store

    /// Calls `check` on every non-transaction operation in the branches `path` takes.
    /// etcd's `checkRequests`.
    private func checkRequests(_ request: TxnRequest, path: TxnPath,
                               _ check: (RequestOp) throws(EtcdError) -> Void) throws(EtcdError) {
        var nested = path.nested.makeIterator()
        for op in path.succeeded ? request.success : request.failure {
            if case .requestTxn(let inner)? = op.request {
                guard let innerPath = nested.next() else { preconditionFailure("txn path shorter than the request") }
                try checkRequests(inner, path: innerPath, check)
            } else {
                try check(op)
            }
        }
    }

    /// etcd's `checkRequestPut`.
    private func checkPut(_ op: RequestOp, in view: some KVReadView) throws(EtcdError) {
        guard case .requestPut(let request)? = op.request else { return }
        if request.ignoreValue || request.ignoreLease {
            if try readCurrent(request.key, in: view) == nil { throw .keyNotFound }
        }
        if request.lease != 0 && !leaseExists(LeaseID(request.lease)) { throw .leaseNotFound }
    }

    /// etcd's `checkRequestRange`. Note that only revision 0 means "current" here: a negative
    /// revision is below the first revision and so `compacted` (a plain Range treats it as current).
    private static func checkRange(_ op: RequestOp, in view: some KVReadView) throws(EtcdError) {
        guard case .requestRange(let request)? = op.request else { return }
        if request.revision == 0 { return }
        if request.revision > view.revision { throw .futureRevision }
        if request.revision < view.firstRevision { throw .compacted }
    }

    // MARK: Applying

    /// Runs the branch `path` chose, recursing into nested transactions (whose responses carry an
    /// empty header, as etcd's do). The checks above guarantee no operation fails here.
    private func apply(_ request: TxnRequest, path: TxnPath, in txn: inout KVStore.TxnWrite) -> [ResponseOp] {
        let ops = path.succeeded ? request.success : request.failure
        var nested = path.nested.makeIterator()
        var responses: [ResponseOp] = []
        responses.reserveCapacity(ops.count)
        for op in ops {
            do {
                switch op.request {
                case .requestRange(let r):
                    responses.append(ResponseOp(response: .responseRange(try range(r, in: txn))))
                case .requestPut(let r):
                    responses.append(ResponseOp(response: .responsePut(try put(r, in: &txn))))
                case .requestDeleteRange(let r):
                    responses.append(ResponseOp(response: .responseDeleteRange(deleteRange(r, in: &txn))))
                case .requestTxn(let inner):
                    guard let innerPath = nested.next() else { preconditionFailure("txn path shorter than the request") }
                    let innerResponses = apply(inner, path: innerPath, in: &txn)
                    responses.append(ResponseOp(response: .responseTxn(
                        TxnResponse(header: ResponseHeader(), succeeded: innerPath.succeeded, responses: innerResponses))))
                case nil:
                    responses.append(ResponseOp())
                }
            } catch {
                preconditionFailure("unexpected error during txn: \(error)")
            }
        }
        return responses
    }
}
