import EtcdProto
import MVCC

extension KVApplier {
    /// Answers a range from `view` (the store under its read lock, or an open write transaction).
    ///
    /// etcd's rules, which clients see:
    /// - `count` is the number of keys in the range at the revision read, before `limit` and
    ///   before the min/max revision filters;
    /// - without sorting or filters only `limit + 1` keys are read (the extra one tells `more`);
    ///   with either, all keys are read, filtered, sorted, then cut to `limit`;
    /// - `more` is set when the filtered, sorted result had more than `limit` keys;
    /// - a sort target other than KEY with order NONE sorts ascending; KEY with NONE keeps key
    ///   order; ties keep key order (what etcd's sort does for the result sizes clients test);
    /// - `keysOnly` clears values after sorting (so sorting by value still works);
    /// - `header.revision` is the view's revision, whatever revision was read.
    /// Throws `compacted` / `futureRevision` for a revision outside the view's history.
    func range(_ request: RangeRequest, in view: some KVReadView) throws(EtcdError) -> RangeResponse {
        let hasFilters = request.minModRevision != 0 || request.maxModRevision != 0
            || request.minCreateRevision != 0 || request.maxCreateRevision != 0
        var limit = request.limit
        if request.sortOrder != .none || hasFilters { limit = 0 }
        // One extra key tells whether there are more. Wraps like Go's int64 (then: no limit).
        if limit > 0 { limit = limit &+ 1 }

        let result: RangeResult
        do {
            result = try view.range(KeyInterval(key: request.key, rangeEnd: request.rangeEnd),
                                    options: RangeOptions(limit: limit, revision: request.revision,
                                                          countOnly: request.countOnly))
        } catch {
            throw EtcdError(error)
        }

        var kvs = result.kvs
        if hasFilters {
            kvs.removeAll { kv in
                (request.maxModRevision != 0 && kv.modRevision > request.maxModRevision)
                    || (request.minModRevision != 0 && kv.modRevision < request.minModRevision)
                    || (request.maxCreateRevision != 0 && kv.createRevision > request.maxCreateRevision)
                    || (request.minCreateRevision != 0 && kv.createRevision < request.minCreateRevision)
            }
        }
        var order = request.sortOrder
        if request.sortTarget != .key && order == .none { order = .ascend }
        if order != .none { kvs = Self.sorted(kvs, by: request.sortTarget, descending: order == .descend) }

        var more = false
        if request.limit > 0 && kvs.count > request.limit {
            kvs.removeSubrange(Int(request.limit)...)
            more = true
        }
        if request.keysOnly {
            for i in kvs.indices { kvs[i].value = [] }
        }
        return RangeResponse(header: ResponseHeader(revision: result.revision), kvs: kvs,
                             more: more, count: Int64(result.count))
    }

    /// `kvs` ordered by `target`; equal elements keep their (key) order in both directions.
    static func sorted(_ kvs: [KeyValue], by target: RangeRequest.SortTarget, descending: Bool) -> [KeyValue] {
        func compare(_ a: KeyValue, _ b: KeyValue) -> Int {
            switch target {
            case .key: return compareBytes(a.key, b.key)
            case .version: return compareInt64(a.version, b.version)
            case .create: return compareInt64(a.createRevision, b.createRevision)
            case .mod: return compareInt64(a.modRevision, b.modRevision)
            case .value: return compareBytes(a.value, b.value)
            }
        }
        let order = kvs.indices.sorted { i, j in
            let c = compare(kvs[i], kvs[j])
            if c == 0 { return i < j }
            return descending ? c > 0 : c < 0
        }
        return order.map { kvs[$0] }
    }
}

/// -1, 0 or 1 as `a` is less than, equal to or greater than `b`.
func compareInt64(_ a: Int64, _ b: Int64) -> Int {
    a < b ? -1 : (a > b ? 1 : 0)
}
