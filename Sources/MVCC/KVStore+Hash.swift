import EtcdBasics
import EtcdProto

/// Maintenance.HashKV: a CRC-32C over the `key` bucket as etcd computes it, so two members (or
/// etcd and swetcd) that applied the same writes report the same hash.
extension KVStore {
    /// What `hashByRevision` reports.
    public struct HashResult: Equatable, Sendable {
        public var hash: UInt32
        /// The store's revision when the hash was taken.
        public var currentRevision: Int64
        public var compactRevision: Int64
    }

    /// The hash of every stored record up to `revision` (0 = the current revision), as etcd's
    /// `store.HashByRev`: the bucket name, then each record's backend key (17-byte revision, plus
    /// a `t` for a tombstone) and its encoded KeyValue, in revision order. Records at or below the
    /// compacted revision count only if compacting at `revision` would keep them. O(records).
    ///
    /// Throws `.compacted` for a revision at or below the compacted one and `.futureRevision` for
    /// one above the current revision.
    public func hashByRevision(_ revision: Int64) throws(MVCCError) -> HashResult {
        let compactRevision = compactedRevision
        if revision > 0 && revision <= compactRevision { throw .compacted }
        if revision > 0 && revision > currentRevision { throw .futureRevision }
        let hashRevision = revision == 0 ? currentRevision : revision
        let keep = index.keep(atRevision: hashRevision)

        var crc = CRC32C.update(0, Backend.BucketName.key)
        var key: [UInt8] = []
        key.reserveCapacity(Revision.encodedBytes + 1)
        storage.forEachRecord { recordRevision, kv, isTombstone in
            guard recordRevision.main <= hashRevision else { return }
            // Records the last compaction left behind count only if they are still kept.
            if recordRevision.main <= compactRevision && !keep.isEmpty && !keep.contains(recordRevision) { return }
            key = recordRevision.bytes
            if isTombstone { key.append(Self.tombstoneMark) }
            crc = CRC32C.update(crc, key)
            crc = CRC32C.update(crc, kv.serializedBytes())
        }
        return HashResult(hash: crc, currentRevision: currentRevision, compactRevision: compactRevision)
    }

    /// The byte etcd appends to a tombstone's backend key.
    static let tombstoneMark = UInt8(ascii: "t")
}
