import EtcdBasics
import MVCC

extension Services {
    /// The `/metrics` page for this member, now (see `ServerMetrics.render`). Takes the store's
    /// read lock once, briefly; counting live keys walks the index (O(keys)), which a scrape
    /// every few seconds can afford and which keeps the put/delete path free of a key counter.
    func renderMetrics() -> [UInt8] {
        ServerMetrics.shared.render(metricsScrape())
    }

    /// What a scrape reads from this member's state.
    func metricsScrape() -> MetricsScrape {
        let (sizeBytes, inUseBytes, revision, compacted, keyCount) = kv.lock.withReadLock {
            let keys = (try? kv.store.range(.from([]), options: RangeOptions(countOnly: true)).count) ?? 0
            return (kv.backend.sizeBytes, kv.backend.inUseBytes, kv.store.currentRevision,
                    kv.store.compactedRevision, keys)
        }
        let leader = raft.status.leader.load(ordering: .relaxed)
        return MetricsScrape(
            memberID: identity.memberID,
            hasLeader: leader != 0,
            isLeader: leader != 0 && leader == identity.memberID.rawValue,
            isLearner: membership.isLocalLearner,
            committedIndex: raft.status.committedIndex.load(ordering: .relaxed),
            appliedIndex: kv.appliedIndex.load(ordering: .relaxed),
            dbSizeBytes: sizeBytes,
            dbSizeInUseBytes: inUseBytes,
            keyCount: keyCount,
            currentRevision: revision,
            compactRevision: compacted,
            quotaBytes: quota.limitBytes ?? 0,
            serverVersion: version,
            clusterVersion: Self.majorMinor(EtcdVersion.clusterVersion),
            buildVersion: EtcdVersion.swetcdVersion,
            process: ProcessStats.current())
    }

    /// "3.4.0" → "3.4" (etcd labels its cluster version so).
    static func majorMinor(_ version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }
}
