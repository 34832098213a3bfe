/// Why the store refused a read or a compaction. The messages are etcd's `mvcc` errors; the
/// server prefixes them with `etcdserver: ` on the wire.
public enum MVCCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The requested revision is older than the last compaction (etcd's `ErrCompacted`).
    case compacted
    /// The requested revision has not happened yet (etcd's `ErrFutureRev`).
    case futureRevision

    public var description: String {
        switch self {
        case .compacted: return "mvcc: required revision has been compacted"
        case .futureRevision: return "mvcc: required revision is a future revision"
        }
    }
}
