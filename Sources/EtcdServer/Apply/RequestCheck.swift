import EtcdBasics
import EtcdProto
import MVCC

/// The checks etcd's KV service makes before a request goes through raft (etcd 3.4's
/// `v3rpc/key.go`). They look only at the request, never at the store, so the service runs them
/// on the event loop and answers bad requests without proposing anything.
enum RequestCheck {
    /// A range needs a key.
    static func checkRange(_ request: RangeRequest) throws(EtcdError) {
        if request.key.isEmpty { throw .emptyKey }
    }

    /// A put needs a key, and must not carry a value (lease) it asks to keep.
    static func checkPut(_ request: PutRequest) throws(EtcdError) {
        if request.key.isEmpty { throw .emptyKey }
        if request.ignoreValue && !request.value.isEmpty { throw .valueProvided }
        if request.ignoreLease && request.lease != 0 { throw .leaseProvided }
    }

    /// A delete needs a key.
    static func checkDeleteRange(_ request: DeleteRangeRequest) throws(EtcdError) {
        if request.key.isEmpty { throw .emptyKey }
    }

    /// Everything etcd's `Txn` handler checks, in its order: the operation counts and every
    /// operation (`checkTxnOps`), then that no key is written twice in a branch (`checkIntervals`
    /// on `success`, then on `failure`).
    static func checkTxn(_ request: TxnRequest, maxTxnOps: Int = Limits.maxTxnOpsDefault) throws(EtcdError) {
        try checkTxnOps(request, maxTxnOps: maxTxnOps)
        _ = try checkIntervals(request.success)
        _ = try checkIntervals(request.failure)
    }

    /// etcd's `checkTxnRequest`: no more than `maxTxnOps` compares and no more than that many
    /// operations per branch; compares need keys; each operation passes its own check, and an
    /// operation with no request at all is `keyNotFound` (as in etcd). A nested transaction's
    /// budget is what its parent left: `maxTxnOps` minus the parent's largest count.
    static func checkTxnOps(_ request: TxnRequest, maxTxnOps: Int) throws(EtcdError) {
        let opCount = max(request.compare.count, request.success.count, request.failure.count)
        if opCount > maxTxnOps { throw .tooManyOps }
        for compare in request.compare where compare.key.isEmpty { throw .emptyKey }
        for op in request.success { try checkRequestOp(op, maxTxnOps: maxTxnOps - opCount) }
        for op in request.failure { try checkRequestOp(op, maxTxnOps: maxTxnOps - opCount) }
    }

    private static func checkRequestOp(_ op: RequestOp, maxTxnOps: Int) throws(EtcdError) {
        switch op.request {
        case .requestRange(let r): try checkRange(r)
        case .requestPut(let r): try checkPut(r)
        case .requestDeleteRange(let r): try checkDeleteRange(r)
        case .requestTxn(let r): try checkTxnOps(r, maxTxnOps: maxTxnOps)
        case nil: throw .keyNotFound
        }
    }

    /// etcd's `checkIntervals`: within one branch (nested transactions included) a key may be
    /// written by at most one put, and no put may fall in a range the branch deletes. Returns the
    /// branch's puts and deletes so the parent can check across nested transactions.
    ///
    /// The rules, including etcd 3.4's asymmetries (kept on purpose — clients see them):
    /// - deletes of one level may overlap each other;
    /// - the same key put in both branches of one nested transaction is fine (only one runs),
    ///   but a key put by two nested transactions, or by a nested one and the level itself, is not;
    /// - a nested put is checked against deletes of this level and of earlier nested
    ///   transactions, not of later ones; this level's own puts are checked against all of them;
    /// - a delete whose `range_end` is `"\0"` ("to the end") covers no put in this check.
    static func checkIntervals(_ ops: [RequestOp]) throws(EtcdError) -> (puts: Set<[UInt8]>, deletes: DeletedIntervals) {
        var deletes = DeletedIntervals()
        for op in ops {
            guard case .requestDeleteRange(let d)? = op.request else { continue }
            deletes.insert(key: d.key, rangeEnd: d.rangeEnd)
        }
        var puts = Set<[UInt8]>()
        for op in ops {
            guard case .requestTxn(let nested)? = op.request else { continue }
            let (putsThen, deletesThen) = try checkIntervals(nested.success)
            let (putsElse, deletesElse) = try checkIntervals(nested.failure)
            for key in putsThen {
                if puts.contains(key) || deletes.contains(key) { throw .duplicateKey }
                puts.insert(key)
            }
            for key in putsElse {
                if puts.contains(key) && !putsThen.contains(key) { throw .duplicateKey }
                if deletes.contains(key) { throw .duplicateKey }
                puts.insert(key)
            }
            deletes.formUnion(deletesThen)
            deletes.formUnion(deletesElse)
        }
        for op in ops {
            guard case .requestPut(let p)? = op.request else { continue }
            if puts.contains(p.key) || deletes.contains(p.key) { throw .duplicateKey }
            puts.insert(p.key)
        }
        return (puts, deletes)
    }
}

/// The keys a transaction branch deletes, as a union of half-open intervals kept sorted and
/// disjoint, so membership is a binary search and merging is linear in the intervals touched.
/// etcd keeps an interval tree; only point membership is ever asked, for which the union is
/// equivalent.
struct DeletedIntervals {
    /// Sorted by `begin`, pairwise disjoint, each non-empty (`begin < end`).
    private(set) var intervals: [(begin: [UInt8], end: [UInt8])] = []

    /// Adds the keys a delete of `(key, rangeEnd)` covers. An empty `rangeEnd` covers `key`
    /// alone; any other covers `[key, rangeEnd)`, which is empty when `rangeEnd <= key` (so
    /// `"\0"`, etcd's "to the end", covers nothing here, as in etcd's check).
    mutating func insert(key: [UInt8], rangeEnd: [UInt8]) {
        insert(begin: key, end: rangeEnd.isEmpty ? key + [0] : rangeEnd)
    }

    mutating func formUnion(_ other: DeletedIntervals) {
        for interval in other.intervals { insert(begin: interval.begin, end: interval.end) }
    }

    /// Whether a delete covers `key`. O(log n).
    func contains(_ key: [UInt8]) -> Bool {
        // The last interval beginning at or before `key` is the only one that can hold it.
        var low = 0
        var high = intervals.count
        while low < high {
            let mid = (low + high) / 2
            if compareBytes(intervals[mid].begin, key) <= 0 { low = mid + 1 } else { high = mid }
        }
        return low > 0 && compareBytes(key, intervals[low - 1].end) < 0
    }

    private mutating func insert(begin: [UInt8], end: [UInt8]) {
        guard compareBytes(begin, end) < 0 else { return }
        // Disjoint and sorted by begin means sorted by end too: find the first interval that
        // ends at or after `begin` (it may touch or overlap the new one) ...
        var low = 0
        var high = intervals.count
        while low < high {
            let mid = (low + high) / 2
            if compareBytes(intervals[mid].end, begin) < 0 { low = mid + 1 } else { high = mid }
        }
        // ... and every interval from there that begins at or before `end`: merge them all.
        var last = low
        var merged = (begin: begin, end: end)
        while last < intervals.count && compareBytes(intervals[last].begin, end) <= 0 {
            if compareBytes(intervals[last].begin, merged.begin) < 0 { merged.begin = intervals[last].begin }
            if compareBytes(intervals[last].end, merged.end) > 0 { merged.end = intervals[last].end }
            last += 1
        }
        intervals.replaceSubrange(low..<last, with: [merged])
    }
}
