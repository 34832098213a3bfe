import EtcdBasics
import MVCC

extension Services {
    /// The `/metrics` page for this member, now (see `ServerMetrics.render`). Takes the store's
    /// read lock once, for O(1) reads only, so a scrape never holds up the apply thread.
    func renderMetrics() -> [UInt8] {
        ServerMetrics.shared.render(metricsScrape())
    }

    /// What a scrape reads from this member's state.
    func metricsScrape() -> MetricsScrape {
        let (sizeBytes, inUseBytes, revision, compacted, keyCount) = kv.lock.withReadLock {
            (kv.backend.sizeBytes, kv.backend.inUseBytes, kv.store.currentRevision,
             kv.store.compactedRevision, kv.store.liveKeyCount)
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
