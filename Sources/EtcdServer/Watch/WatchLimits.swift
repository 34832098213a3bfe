import EtcdBasics

/// The bounds of the watch core. Where etcd has a number it is etcd's, named as etcd names it;
/// where etcd has none (it bounds watcher counts only by memory) the number is ours.
public struct WatchLimits: Sendable, Equatable {
    /// Watchers one stream may hold. etcd has no such limit; ours keeps one client from filling
    /// a loop. A create beyond it is refused (see `WatchStreamState`).
    public var watchersPerStreamMax: Int
    /// Watchers one event loop may hold across all its streams. Ours, as above.
    public var watchersPerLoopMax: Int
    /// Unsynced watchers caught up by one history read: etcd's `maxWatchersPerSync`.
    public var watchersPerSyncMax: Int
    /// Distinct revisions one history read covers, so one response of history holds at most
    /// this many revisions: etcd's `watchBatchMaxRevs`.
    public var historyRevisionsPerReadMax: Int64
    /// A response of a watcher that asked for `fragment` is split once its encoded size reaches
    /// this: etcd's `maxRequestBytes + grpcOverheadBytes` (`watchServer.maxRequestBytes`).
    public var fragmentBytes: Int
    /// Event bytes (keys and values) one history read hands the watchers of one stream, at
    /// least one revision's worth: a stream catching up many watchers at once gets its history
    /// in steps of about this much, each queued only while the stream takes output, instead of
    /// everything its watchers missed at once. Ours: etcd bounds a stream by its 128-response
    /// channel, whose responses have no size limit.
    public var historyBytesPerStreamMax: Int
    /// Event bytes one history read hands out in all (at least one revision): what one read
    /// costs the loop that serves it, so catching many streams up at once never holds up the
    /// loop's other clients for long. Ours.
    public var historyBytesPerReadMax: Int

    public init(watchersPerStreamMax: Int = 100_000,
                watchersPerLoopMax: Int = 1_000_000,
                watchersPerSyncMax: Int = 512,
                historyRevisionsPerReadMax: Int64 = 1_000,
                fragmentBytes: Int = Limits.maxRequestBytesDefault + Limits.grpcOverheadBytes,
                historyBytesPerStreamMax: Int = 256 * 1024,
                historyBytesPerReadMax: Int = 1024 * 1024) {
        precondition(watchersPerStreamMax > 0 && watchersPerLoopMax > 0 && watchersPerSyncMax > 0)
        precondition(historyRevisionsPerReadMax > 0 && fragmentBytes > 0 && historyBytesPerStreamMax > 0 && historyBytesPerReadMax > 0)
        self.watchersPerStreamMax = watchersPerStreamMax
        self.watchersPerLoopMax = watchersPerLoopMax
        self.watchersPerSyncMax = watchersPerSyncMax
        self.historyRevisionsPerReadMax = historyRevisionsPerReadMax
        self.fragmentBytes = fragmentBytes
        self.historyBytesPerStreamMax = historyBytesPerStreamMax
        self.historyBytesPerReadMax = historyBytesPerReadMax
    }

    /// etcd's numbers (ours where etcd has none), for the default `--max-request-bytes`.
    public static let standard = WatchLimits()

    /// etcd's default progress notification interval (`--experimental-watch-progress-notify-interval`).
    public static let progressIntervalDefaultMilliseconds: Int64 = 10 * 60 * 1000
    /// etcd raises a shorter configured interval to this (`minWatchProgressInterval`).
    public static let progressIntervalMinMilliseconds: Int64 = 100
}
