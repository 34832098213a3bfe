// The guard of a transaction.

/// One condition of a transaction's guard: compares a field of the stored key(s) with a given value.
///
/// Wire: `etcdserverpb.Compare`.
public struct Compare: Sendable, Equatable {
    /// The relation a `Compare` asserts between the stored field and the given one.
    public enum CompareResult: Int32, Sendable, Equatable, CaseIterable {
        /// Stored == given. (`EQUAL`)
        case equal = 0
        /// Stored > given. (`GREATER`)
        case greater = 1
        /// Stored < given. (`LESS`)
        case less = 2
        /// Stored != given. (`NOT_EQUAL`)
        case notEqual = 3
    }

    /// Which field of the stored key a `Compare` looks at.
    public enum CompareTarget: Int32, Sendable, Equatable, CaseIterable {
        /// The key's version. (`VERSION`)
        case version = 0
        /// The key's create revision. (`CREATE`)
        case create = 1
        /// The key's modification revision. (`MOD`)
        case mod = 2
        /// The key's value bytes. (`VALUE`)
        case value = 3
        /// The ID of the lease attached to the key. (`LEASE`)
        case lease = 4
    }

    /// The `target_union` oneof: at most one of these is set.
    public enum TargetUnion: Sendable, Equatable {
        /// A version. (field 4)
        case version(Int64)
        /// A create revision. (field 5)
        case createRevision(Int64)
        /// A modification revision. (field 6)
        case modRevision(Int64)
        /// A value. (field 7)
        case value([UInt8])
        /// A lease ID. (field 8)
        case lease(Int64)
    }

    /// The relation that must hold. (field 1)
    public var result: Compare.CompareResult = .equal
    /// The field compared. (field 2)
    public var target: Compare.CompareTarget = .version
    /// The key (or first key of the range) compared. (field 3)
    public var key: [UInt8] = []
    /// The value compared against; its case should match `target`.
    public var targetUnion: TargetUnion? = nil
    /// When set, every key in [`key`, `rangeEnd`) must satisfy the comparison. (field 64)
    public var rangeEnd: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        result: Compare.CompareResult = .equal,
        target: Compare.CompareTarget = .version,
        key: [UInt8] = [],
        targetUnion: TargetUnion? = nil,
        rangeEnd: [UInt8] = []
    ) {
        self.result = result
        self.target = target
        self.key = key
        self.targetUnion = targetUnion
        self.rangeEnd = rangeEnd
    }
}
