// mvccpb: the stored shape of a key.

/// One key's state as of some revision. Range answers with these, watch events carry them, and the backend stores
/// one (encoded) per revision key.
///
/// Wire: `mvccpb.KeyValue`.
public struct KeyValue: Sendable, Equatable {
    /// The key. A stored key is never empty. (field 1)
    public var key: [UInt8] = []
    /// Revision of the put that created this generation of the key. (field 2)
    public var createRevision: Int64 = 0
    /// Revision of the latest change to the key. (field 3)
    public var modRevision: Int64 = 0
    /// How many times the key was put since it was (re)created; a delete resets it to 0. (field 4)
    public var version: Int64 = 0
    /// The value. (field 5)
    public var value: [UInt8] = []
    /// ID of the lease the key is attached to; 0 means none. (field 6)
    public var lease: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        key: [UInt8] = [],
        createRevision: Int64 = 0,
        modRevision: Int64 = 0,
        version: Int64 = 0,
        value: [UInt8] = [],
        lease: Int64 = 0
    ) {
        self.key = key
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.value = value
        self.lease = lease
    }
}

/// One change to one key, as a watcher sees it.
///
/// Wire: `mvccpb.Event`.
public struct Event: Sendable, Equatable {
    /// What happened to the key in an `Event`.
    public enum EventType: Int32, Sendable, Equatable, CaseIterable {
        /// The key was created or overwritten. (`PUT`)
        case put = 0
        /// The key was deleted (explicitly, by a range delete, or by lease expiry). (`DELETE`)
        case delete = 1
    }

    /// Whether the key was put or deleted. (field 1)
    public var type: Event.EventType = .put
    /// The key after a put; for a delete, the key with `modRevision` set to the deleting revision. (field 2)
    public var kv: KeyValue? = nil
    /// The key before the change, when the watcher asked for it. (field 3)
    public var prevKv: KeyValue? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        type: Event.EventType = .put,
        kv: KeyValue? = nil,
        prevKv: KeyValue? = nil
    ) {
        self.type = type
        self.kv = kv
        self.prevKv = prevKv
    }
}
