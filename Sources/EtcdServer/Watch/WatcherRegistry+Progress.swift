extension WatcherRegistry {
    /// A client's `WatchProgressRequest` on `stream`: a progress notification with watch ID -1
    /// and the loop's revision, now if every watcher of the stream is synced, else (nil now) once
    /// they all are (it then comes out of `applyHistory`, `streamUnblocked` or
    /// `progressOwed(after:)`). Later requests while one is owed add nothing.
    ///
    /// etcd 3.4.23 answers at once whatever the watchers' state (v3rpc/watch.go, recvLoop,
    /// `WatchRequest_ProgressRequest`), which can tell a client it has seen a revision whose
    /// events are still on their way; etcd 3.5 waits for every watcher to be synced
    /// (`RequestProgressAll`), which is what Kubernetes relies on, and what we do. A stream
    /// without watchers is answered at once, as 3.4 answers it.
    public mutating func requestProgress(_ stream: WatchStreamKey) -> WatchDelivery? {
        streams[stream, default: Stream()].owesProgress = true
        return owedProgress(stream)
    }

    /// The progress notification `stream` owes after something left it (a watcher cancelled).
    public mutating func progressOwed(after stream: WatchStreamKey) -> WatchDelivery? {
        owedProgress(stream)
    }

    /// The stream's progress timer fired (etcd's `progressTicker` in `sendLoop`): every watcher
    /// of `stream` that asked for `progress_notify`, is synced, and was sent no events since the
    /// previous tick gets an empty response with the loop's revision. Every such watcher then
    /// counts as idle until its next events.
    ///
    /// Complexity: O(watchers on the stream).
    public mutating func progressTick(_ stream: WatchStreamKey) -> [WatchDelivery] {
        var deliveries: [WatchDelivery] = []
        for id in watchIDs(on: stream) {
            let key = WatcherKey(stream: stream, watchID: id)
            guard let watcher = watchers[key], watcher.options.wantsProgressNotify else { continue }
            // etcd's RequestProgress sends only to a synced watcher (watchableStore.progress).
            if watcher.isProgressIdle && watcher.phase == .synced {
                deliveries.append(WatchDelivery(stream: stream, watchID: id, revision: currentRevision,
                                                content: .progress))
            }
            watchers[key]!.isProgressIdle = true
        }
        return deliveries
    }
}
