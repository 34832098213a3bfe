import EtcdProto
import MVCC

extension WatcherRegistry {
    /// The next history read to catch unsynced watchers up (the choosing half of etcd's
    /// `syncWatchers`), or nil when none waits.
    ///
    /// Picks the unsynced watcher furthest behind and reads from its `minRevision` for at most
    /// `historyRevisionsPerReadMax` revisions, never past `currentRevision` (later revisions come
    /// through `match`); catches up with it every unsynced watcher whose `minRevision` falls in
    /// that window, up to `watchersPerSyncMax`, furthest behind first.
    ///
    /// Complexity: O(u + c log c) for u unsynced watchers of which c fall in the window (only
    /// those are sorted, so thousands of unsynced watchers cost one pass per read).
    public func nextHistoryRead() -> WatchHistoryRead? {
        guard !unsynced.isEmpty else { return nil }
        var from = Int64.max
        for key in unsynced { from = min(from, watchers[key]!.minRevision) }
        let through = min(currentRevision, from + limits.historyRevisionsPerReadMax - 1)
        precondition(from <= through, "unsynced watcher needs \(from), past \(currentRevision)")
        var inWindow: [(minRevision: Int64, key: WatcherKey)] = []
        for key in unsynced {
            let minRevision = watchers[key]!.minRevision
            if minRevision <= through { inWindow.append((minRevision, key)) }
        }
        inWindow.sort { $0.minRevision != $1.minRevision ? $0.minRevision < $1.minRevision : $0.key < $1.key }
        let chosen = inWindow.prefix(limits.watchersPerSyncMax).map(\.key)
        return WatchHistoryRead(fromRevision: from, throughRevision: through, watchers: chosen)
    }

    /// Hands the chosen watchers what `read` found (the sending half of etcd's `syncWatchers`,
    /// with `kvsToEvents`): `records` are every `key` bucket record with a main revision in
    /// `read.fromRevision...read.throughRevision`, in revision order, and `compactedRevision` is
    /// the store's compacted revision seen by the same read.
    ///
    /// A chosen watcher that needs a revision below `compactedRevision` is cancelled with a
    /// `.compacted` delivery (etcd: `minRev < compactRev`). The others get one delivery holding
    /// all their events of the window (none if nothing matched), and then need
    /// `throughRevision + 1`: synced if that is past `currentRevision`, else still unsynced.
    /// Except that a stream's watchers share `limits.historyBytesPerStreamMax` of event bytes
    /// per read, and all of them `limits.historyBytesPerReadMax`: in watcher order, a watcher
    /// whose events do not fit what is left waits for a later read (the first of a read, and
    /// the first of each stream while the read has room, always go). A watcher's events of a
    /// window are never split, so responses group events as etcd's do.
    /// Watchers that were removed, blocked or moved since the read was chosen are left alone,
    /// so the caller may do the read later than it asked for it. Streams whose watchers are all
    /// synced now get the progress notification they were owed.
    ///
    /// The header revision of a history delivery is `throughRevision`, the revision the watcher
    /// has now seen everything up to. etcd 3.4 puts its current revision there
    /// (`syncWatchers`: `Revision: curRev`), which is the same whenever the watcher caught up
    /// in one read and overstates its progress when the 1,000-revision batch left more to read.
    public mutating func applyHistory(_ read: WatchHistoryRead, records: [WatchHistoryRecord],
                                      compactedRevision: Int64) -> [WatchDelivery] {
        var deliveries: [WatchDelivery] = []
        // Watchers that would get the same events (same range, filters and first revision: a
        // hundred watchers of one prefix, say) are matched once, as a cohort, and share the
        // event list: matching costs records × cohorts, not records × watchers.
        var group = WatcherGroup()
        var cohorts: [Cohort: Int] = [:]
        var cohortOptions: [(options: WatcherOptions, minRevision: Int64)] = []
        var catchingUp: [(key: WatcherKey, cohort: Int)] = []
        for key in read.watchers {
            guard let watcher = watchers[key], watcher.phase == .unsynced,
                  watcher.minRevision >= read.fromRevision, watcher.minRevision <= read.throughRevision
            else { continue }
            if watcher.minRevision < compactedRevision {
                move(key, to: .compacted)
                deliveries.append(WatchDelivery(stream: key.stream, watchID: key.watchID, revision: 0,
                                                content: .compacted(compactRevision: compactedRevision)))
                continue
            }
            let cohort = Cohort(interval: watcher.options.interval, minRevision: watcher.minRevision,
                                filtersPuts: watcher.options.filtersPuts, filtersDeletes: watcher.options.filtersDeletes)
            let index: Int
            if let known = cohorts[cohort] {
                index = known
            } else {
                index = cohortOptions.count
                cohorts[cohort] = index
                cohortOptions.append((watcher.options, watcher.minRevision))
                // The group is keyed by watcher; a cohort stands in under a key of its own.
                group.add(WatcherKey(stream: WatchStreamKey(connection: 0, stream: 0), watchID: Int64(index)), cohort.interval)
            }
            catchingUp.append((key, index))
        }
        var found = [[Event]](repeating: [], count: cohortOptions.count)
        var previous: Revision?
        for record in records {
            precondition(record.revision.main >= read.fromRevision && record.revision.main <= read.throughRevision,
                         "history record \(record.revision) outside the read")
            precondition(previous.map { $0 < record.revision } ?? true, "history records out of order")
            previous = record.revision
            guard !group.isEmpty else { break }
            let event = record.event
            group.forEachWatcher(of: record.kv.key) { stand in
                let index = Int(stand.watchID)
                let cohort = cohortOptions[index]
                guard record.revision.main >= cohort.minRevision, cohort.options.accepts(event) else { return }
                found[index].append(event)
            }
        }
        let cohortBytes = found.map { events in events.reduce(0) { $0 + Self.historyBytes(of: $1) } }
        var streamsTouched: Set<WatchStreamKey> = []
        var streamBytes: [WatchStreamKey: Int] = [:]
        var readBytes = 0
        for (key, cohort) in catchingUp.sorted(by: { $0.key < $1.key }) {
            let events = found[cohort]
            if !events.isEmpty {
                let used = streamBytes[key.stream] ?? 0
                let cost = cohortBytes[cohort]
                let fitsRead = readBytes == 0 || readBytes + cost <= limits.historyBytesPerReadMax
                let fitsStream = used == 0 || used + cost <= limits.historyBytesPerStreamMax
                guard fitsRead && fitsStream else { continue }
                streamBytes[key.stream] = used + cost
                readBytes += cost
                deliveries.append(delivery(key, revision: read.throughRevision, events: events))
            }
            watchers[key]!.minRevision = read.throughRevision + 1
            move(key, to: caughtUpPhase(read.throughRevision + 1))
            streamsTouched.insert(key.stream)
        }
        for key in deliveries.map(\.stream) { streamsTouched.insert(key) }
        for stream in streamsTouched.sorted() {
            if let progress = owedProgress(stream) { deliveries.append(progress) }
        }
        return deliveries
    }

    /// What makes two catching-up watchers get the same events from one read.
    struct Cohort: Hashable {
        let interval: KeyInterval
        let minRevision: Int64
        let filtersPuts: Bool
        let filtersDeletes: Bool
    }

    /// What an event costs a stream's history budget: its key and value, plus a fixed allowance
    /// for the rest of its encoding.
    static func historyBytes(of event: Event) -> Int {
        (event.kv?.key.count ?? 0) + (event.kv?.value.count ?? 0) + 32
    }

    // MARK: - Victims

    /// `stream` cannot take more output (etcd: its channel is full). Its watchers become
    /// victims: they get nothing more, and remember the first revision they have not been given.
    /// Call after the output of the last `match`/`applyHistory` for the stream was queued.
    ///
    /// Complexity: O(watchers on the stream).
    public mutating func streamBlocked(_ stream: WatchStreamKey) {
        streams[stream, default: Stream()].isBlocked = true
        for id in watchIDs(on: stream) {
            let key = WatcherKey(stream: stream, watchID: id)
            let watcher = watchers[key]!
            switch watcher.phase {
            case .synced:
                watchers[key]!.minRevision = max(watcher.minRevision, currentRevision + 1)
                move(key, to: .victim)
            case .unsynced:
                move(key, to: .victim)
            case .victim, .compacted:
                break
            }
        }
    }

    /// `stream` can take output again (etcd's `moveVictims`). Its victims that missed nothing
    /// become synced, the others unsynced to catch up from history. Returns the stream-wide
    /// progress notification if one was owed and is now due.
    public mutating func streamUnblocked(_ stream: WatchStreamKey) -> [WatchDelivery] {
        guard streams[stream]?.isBlocked == true else { return [] }
        streams[stream]!.isBlocked = false
        for id in watchIDs(on: stream) {
            let key = WatcherKey(stream: stream, watchID: id)
            if let watcher = watchers[key], watcher.phase == .victim {
                move(key, to: caughtUpPhase(watcher.minRevision))
            }
        }
        let owed = owedProgress(stream)
        if let entry = streams[stream], entry.watchIDs.isEmpty, !entry.owesProgress { streams[stream] = nil }
        return owed.map { [$0] } ?? []
    }

    /// Whether `stream` is blocked.
    public func isBlocked(_ stream: WatchStreamKey) -> Bool { streams[stream]?.isBlocked ?? false }
}
