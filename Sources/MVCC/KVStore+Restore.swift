import EtcdProto

/// Rebuilding the in-memory key index from the records a backend holds, as etcd does on start.
extension KVStore {
    /// A store over `storage`, whose records (in revision order, as etcd's `key` bucket holds
    /// them) rebuild the key index; `compactedRevision` is the last finished compaction, which
    /// the backend's `meta` bucket records. O(records log keys).
    ///
    /// Following etcd's `restoreIntoIndex`: a put of a key the index lacks restores its current
    /// life from the stored KeyValue (its create revision and version survive compaction that
    /// way); a put of a known key or a tombstone is appended; a tombstone of an unknown key (its
    /// earlier life was compacted away) is skipped.
    convenience init(restoringFrom storage: any RevisionStorage, compactedRevision: Int64) {
        self.init(storage: storage)
        var lastMain: Int64 = 1
        storage.forEachRecord { revision, kv, isTombstone in
            lastMain = revision.main
            if index.hasKey(kv.key) {
                if isTombstone {
                    _ = index.tombstone(kv.key, revision: revision)
                } else {
                    index.put(kv.key, revision: revision)
                }
            } else if !isTombstone {
                var keyIndex = KeyIndex(key: kv.key)
                keyIndex.restore(created: Revision(main: kv.createRevision), modified: revision, version: kv.version)
                index.insert(keyIndex)
            }
        }
        currentRevision = max(lastMain, compactedRevision, 1)
        self.compactedRevision = compactedRevision
        liveKeyCount = Int((try? range(.from([]), options: RangeOptions(countOnly: true)).count) ?? 0)
    }
}
