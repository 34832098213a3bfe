// KV.Put request and response.

/// Writes one key.
///
/// Wire: `etcdserverpb.PutRequest`.
public struct PutRequest: Sendable, Equatable {
    /// The key to write. (field 1)
    public var key: [UInt8] = []
    /// The value to store. (field 2)
    public var value: [UInt8] = []
    /// Lease to attach the key to; 0 detaches it. (field 3)
    public var lease: Int64 = 0
    /// Return the key's previous state in the response. (field 4)
    public var prevKv: Bool = false
    /// Keep the current value (the key must exist). (field 5)
    public var ignoreValue: Bool = false
    /// Keep the current lease (the key must exist). (field 6)
    public var ignoreLease: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        key: [UInt8] = [],
        value: [UInt8] = [],
        lease: Int64 = 0,
        prevKv: Bool = false,
        ignoreValue: Bool = false,
        ignoreLease: Bool = false
    ) {
        self.key = key
        self.value = value
        self.lease = lease
        self.prevKv = prevKv
        self.ignoreValue = ignoreValue
        self.ignoreLease = ignoreLease
    }
}

/// Result of a `PutRequest`.
///
/// Wire: `etcdserverpb.PutResponse`.
public struct PutResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The key before the put, when asked for and the key existed. (field 2)
    public var prevKv: KeyValue? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        prevKv: KeyValue? = nil
    ) {
        self.header = header
        self.prevKv = prevKv
    }
}
