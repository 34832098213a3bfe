import EtcdBasics
import EtcdProto

extension KVStore {
    /// An open write transaction: every change made through it gets the same main revision
    /// (`beginRevision + 1`) and increasing sub revisions. Reads through it see its own changes.
    /// etcd's `storeTxnWrite`. Exists only inside `KVStore.write`.
    public struct TxnWrite: KVReadView {
        private unowned let store: KVStore
        /// The store's revision when the transaction began; its changes are written at the next one.
        public let beginRevision: Int64
        /// The changes made so far, in order. A delete is recorded as a key-value holding only the key.
        public private(set) var changes: [KeyValue] = []

        init(store: KVStore) {
            self.store = store
            self.beginRevision = store.currentRevision
        }

        public var firstRevision: Int64 { store.compactedRevision }
        /// etcd's `Rev()` of a write transaction: the revision it began at.
        public var revision: Int64 { beginRevision }

        /// The revision reads inside the transaction see: one ahead once it has changed something.
        private var readRevision: Int64 { changes.isEmpty ? beginRevision : beginRevision + 1 }

        public func range(_ interval: KeyInterval, options: RangeOptions = RangeOptions()) throws(MVCCError) -> RangeResult {
            try store.rangeKeys(interval, currentRevision: readRevision, options: options)
        }

        /// Writes `value` under `key` attached to `lease` and returns the transaction's revision.
        /// The key keeps its create revision and its version grows by one if it is live (including
        /// a put earlier in this transaction); otherwise it starts a new life at version 1.
        @discardableResult
        public mutating func put(key: [UInt8], value: [UInt8], lease: LeaseID = .none) -> Int64 {
            precondition(!key.isEmpty, "put of an empty key")
            let revision = beginRevision + 1
            var created = revision
            var version: Int64 = 1
            if let existing = store.index.get(key, atRevision: revision) {
                created = existing.created.main
                version = existing.version + 1
            } else {
                store.liveKeyCount += 1
            }
            let at = Revision(main: revision, sub: Int64(changes.count))
            let kv = KeyValue(key: key, createRevision: created, modRevision: revision,
                              version: version, value: value, lease: lease.rawValue)
            store.storage.append(at, kv, isTombstone: false)
            store.index.put(key, revision: at)
            changes.append(kv)
            return revision
        }

        /// The outcome of `deleteRange`.
        public struct DeleteResult: Sendable, Equatable {
            /// How many keys were deleted.
            public var deleted: Int64
            /// The deleted keys' last values, in key order, when asked for.
            public var previous: [KeyValue]
            /// The transaction's revision if it has changed anything (this delete included),
            /// else the revision it began at.
            public var revision: Int64
        }

        /// Deletes every live key in `interval`. With `returningPrevious`, also returns what was
        /// deleted (read before deleting, as a read in this transaction would see it).
        public mutating func deleteRange(_ interval: KeyInterval, returningPrevious: Bool = false) -> DeleteResult {
            var previous: [KeyValue] = []
            let found = store.index.range(interval, atRevision: readRevision)
            if returningPrevious {
                previous = found.revisions.map { revision in
                    guard let kv = store.storage.value(at: revision) else {
                        preconditionFailure("index points at revision \(revision) that storage lacks")
                    }
                    return kv
                }
            }
            for key in found.keys { delete(key) }
            let revision = changes.isEmpty ? beginRevision : beginRevision + 1
            return DeleteResult(deleted: Int64(found.keys.count), previous: previous, revision: revision)
        }

        private mutating func delete(_ key: [UInt8]) {
            let at = Revision(main: beginRevision + 1, sub: Int64(changes.count))
            let tombstone = KeyValue(key: key)
            store.storage.append(at, tombstone, isTombstone: true)
            let wasLive = store.index.tombstone(key, revision: at)
            precondition(wasLive, "tombstone of a key that is not live")
            store.liveKeyCount -= 1
            changes.append(tombstone)
        }
    }

    /// What a write transaction produced.
    public struct WriteResult<Value> {
        /// What the transaction's body returned.
        public var value: Value
        /// The store's revision after the transaction: the new one if anything changed, else unchanged.
        public var revision: Int64
        /// One watch event per change, in order (empty for a transaction that changed nothing).
        /// A delete's event carries the key with `modRevision` set to the deleting revision.
        /// This is the hook where the watchable store will pick the events up.
        public var events: [Event]
    }

    /// Runs `body` as one write transaction and commits it: if it changed anything, the store
    /// moves to the next revision. Must not be called from inside another write transaction.
    ///
    /// `body` must do whatever can fail before its first change: a body that throws after
    /// changing the store is a programmer error (the changes are already in the index), as it is
    /// in etcd, which panics on an error in the middle of a transaction.
    public func write<Value, Failure: Error>(
        _ body: (inout TxnWrite) throws(Failure) -> Value
    ) throws(Failure) -> WriteResult<Value> {
        precondition(!isWriting, "nested KVStore.write")
        isWriting = true
        defer { isWriting = false }
        var txn = TxnWrite(store: self)
        let value: Value
        do {
            value = try body(&txn)
        } catch {
            precondition(txn.changes.isEmpty, "write transaction failed after changing the store: \(error)")
            throw error
        }
        if txn.changes.isEmpty {
            return WriteResult(value: value, revision: currentRevision, events: [])
        }
        currentRevision += 1
        precondition(currentRevision == txn.beginRevision + 1, "revision moved during a write transaction")
        let events = txn.changes.map { change -> Event in
            if change.createRevision == 0 {
                var kv = change
                kv.modRevision = currentRevision
                return Event(type: .delete, kv: kv)
            }
            return Event(type: .put, kv: change)
        }
        return WriteResult(value: value, revision: currentRevision, events: events)
    }
}

extension KVStore.WriteResult: Sendable where Value: Sendable {}
