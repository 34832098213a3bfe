import EtcdBasics
import MVCC

/// Rebuilds the lessor from the backend (etcd's `lessor.Recover`): the stored leases, held
/// forever until this member is promoted, and every live key attached to its lease again.
/// Runs at start and after a leader's snapshot replaced the store; the caller holds the
/// store's write lock (or is alone with it).
enum LeaseRecovery {
    /// Live keys read per step while reattaching, so a large store is not copied whole.
    static let keysPerReadMax: Int64 = 10_000

    static func restore(_ table: LeaseTable, backend: Backend, store: KVStore) {
        let stored = LeaseBackend.load(from: backend)
        var attached: [([UInt8], LeaseID)] = []
        if !stored.isEmpty {
            var from: [UInt8] = [0]
            while true {
                guard let page = try? store.range(key: from, rangeEnd: [0], options: RangeOptions(limit: keysPerReadMax)),
                      let last = page.kvs.last else { break }
                for kv in page.kvs where kv.lease != 0 { attached.append((kv.key, LeaseID(kv.lease))) }
                guard page.kvs.count >= keysPerReadMax else { break }
                from = last.key + [0]
            }
        }
        table.withLessor { lessor in
            lessor.restore(stored)
            for (key, id) in attached { lessor.keyPut(key, lease: id) }
        }
    }
}
