import EtcdIO

/// An operating error from the store. Messages follow bbolt's where bbolt has one (etcd logs and
/// returns some of them).
public enum BoltError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither meta page carries bbolt's magic number.
    case invalid
    /// The meta page's format version is not 2.
    case versionMismatch
    /// The meta page's checksum does not match its contents.
    case checksum
    /// The file's page size is not the one swetcd uses (4096).
    case unsupportedPageSize(UInt32)
    /// The file is shorter than its meta page says (`fileBytes` < `neededBytes`).
    case truncated(fileBytes: Int64, neededBytes: Int64)
    /// A meta page points at a page that does not exist or has the wrong type.
    case corruptPage(PageID, String)
    case io(IOError)
    case databaseNotOpen
    case databaseReadOnly
    case transactionClosed
    case transactionNotWritable
    case bucketExists
    case bucketNotFound
    case bucketNameRequired
    case keyRequired
    case keyTooLarge
    case valueTooLarge
    /// A key names a nested bucket where a value was expected, or the other way round.
    case incompatibleValue
    /// A test hook (`Options.commitHook`) stopped the commit after `CommitStep`.
    case commitInterrupted(CommitStep)
    /// An earlier commit failed part-way; the file may hold pages the database thinks are free,
    /// so no further write is safe until the database is closed and reopened (etcd treats a
    /// failed backend commit as fatal for the same reason). Reads keep working.
    case previousCommitFailed

    public var description: String {
        switch self {
        case .invalid: return "invalid database"
        case .versionMismatch: return "version mismatch"
        case .checksum: return "checksum error"
        case .unsupportedPageSize(let size): return "unsupported page size \(size) (want 4096)"
        case .truncated(let file, let needed):
            return "file size too small: \(file) bytes, meta page needs \(needed)"
        case .corruptPage(let id, let why): return "page \(id): \(why)"
        case .io(let error): return error.description
        case .databaseNotOpen: return "database not open"
        case .databaseReadOnly: return "database is in read-only mode"
        case .transactionClosed: return "tx closed"
        case .transactionNotWritable: return "tx not writable"
        case .bucketExists: return "bucket already exists"
        case .bucketNotFound: return "bucket not found"
        case .bucketNameRequired: return "bucket name required"
        case .keyRequired: return "key required"
        case .keyTooLarge: return "key too large"
        case .valueTooLarge: return "value too large"
        case .incompatibleValue: return "incompatible value"
        case .commitInterrupted(let step): return "commit interrupted after \(step)"
        case .previousCommitFailed: return "a previous commit failed: reopen the database"
        }
    }
}

/// The steps of a commit, in order. bbolt's protocol: spill dirty nodes into fresh pages,
/// write the freelist, write every dirty page, fdatasync, write the meta page, fdatasync.
/// A crash before `metaSynced` leaves the previous meta (and so the previous state) in force,
/// because no page reachable from it was overwritten.
public enum CommitStep: Int, Sendable, CaseIterable, Comparable {
    case spilled
    case fileGrown
    case pagesWritten
    case pagesSynced
    case metaWritten
    case metaSynced

    public static func < (a: CommitStep, b: CommitStep) -> Bool { a.rawValue < b.rawValue }
}
