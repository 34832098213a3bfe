import EtcdProto
import MVCC

extension WatcherRegistry {
    /// Feeds one applied batch to the synced watchers and moves the loop to `revision`
    /// (etcd's `watchableStore.notify`, once per revision of the batch).
    ///
    /// `events` are the batch's events in revision order (`KVStore.WriteResult.events` of each
    /// write, concatenated), all after `currentRevision` and at most `revision`; `revision` is the
    /// batch's last revision (a batch without changes still moves the loop). Returns, per
    /// revision and per watcher, the events that watcher wants: each revision's events for one
    /// watcher form one delivery, in revision order; watchers within a revision are in
    /// `WatcherKey` order. Unsynced watchers and victims get nothing here.
    ///
    /// Complexity: per event, one key lookup and a range-tree stab, O((m + 1) log r) for m
    /// matching range watchers among r distinct ranges; plus sorting the matches.
    public mutating func match(_ events: [Event], through revision: Int64) -> [WatchDelivery] {
        precondition(revision >= currentRevision, "match through \(revision) behind \(currentRevision)")
        var deliveries: [WatchDelivery] = []
        var visits = 0
        var start = 0
        while start < events.count {
            let eventRevision = Self.revision(of: events[start])
            precondition(eventRevision > currentRevision && eventRevision <= revision,
                         "event at revision \(eventRevision) outside (\(currentRevision), \(revision)]")
            var end = start + 1
            while end < events.count && Self.revision(of: events[end]) == eventRevision { end += 1 }
            var perWatcher: [WatcherKey: [Event]] = [:]
            for event in events[start..<end] {
                visits += synced.forEachWatcher(of: event.kv?.key ?? []) { key in
                    guard let watcher = watchers[key], eventRevision >= watcher.minRevision,
                          watcher.options.accepts(event) else { return }
                    perWatcher[key, default: []].append(event)
                }
            }
            for key in perWatcher.keys.sorted() {
                deliveries.append(delivery(key, revision: eventRevision, events: perWatcher[key]!))
            }
            currentRevision = eventRevision
            start = end
        }
        precondition(start == events.count)
        currentRevision = revision
        lastMatchVisits = visits
        return deliveries
    }

    /// The store was replaced by a snapshot at `revision` (etcd's `watchableStore.Restore`):
    /// the events in between never pass through `match`, so every synced watcher that needs
    /// them becomes unsynced and reads them from the new store's history.
    public mutating func restore(currentRevision revision: Int64) {
        precondition(revision >= currentRevision, "restore to \(revision) behind \(currentRevision)")
        let before = currentRevision
        currentRevision = revision
        for key in watchers.keys.sorted() where watchers[key]!.phase == .synced {
            watchers[key]!.minRevision = max(watchers[key]!.minRevision, before + 1)
            move(key, to: caughtUpPhase(watchers[key]!.minRevision))
        }
    }

    /// An events delivery for `key`, marking it as not idle for progress notifications.
    mutating func delivery(_ key: WatcherKey, revision: Int64, events: [Event]) -> WatchDelivery {
        watchers[key]!.isProgressIdle = false
        let options = watchers[key]!.options
        return WatchDelivery(stream: key.stream, watchID: key.watchID, revision: revision,
                             content: .events(events), wantsPrevKV: options.wantsPrevKV,
                             allowsFragment: options.allowsFragment)
    }

    static func revision(of event: Event) -> Int64 {
        guard let kv = event.kv else { preconditionFailure("watch event without a key-value") }
        return kv.modRevision
    }
}
