// KV.Txn: operations, request and response.

/// One operation inside a transaction branch.
///
/// Wire: `etcdserverpb.RequestOp`.
public struct RequestOp: Sendable, Equatable {
    /// The `request` oneof: at most one of these is set.
    public enum Request: Sendable, Equatable {
        /// A read. (field 1)
        case requestRange(RangeRequest)
        /// A write. (field 2)
        case requestPut(PutRequest)
        /// A delete. (field 3)
        case requestDeleteRange(DeleteRangeRequest)
        /// A nested transaction. (field 4)
        case requestTxn(TxnRequest)
    }

    /// The operation.
    public var request: Request? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        request: Request? = nil
    ) {
        self.request = request
    }
}

/// The result of one `RequestOp`, at the same position.
///
/// Wire: `etcdserverpb.ResponseOp`.
public struct ResponseOp: Sendable, Equatable {
    /// The `response` oneof: at most one of these is set.
    public enum Response: Sendable, Equatable {
        /// Result of a read. (field 1)
        case responseRange(RangeResponse)
        /// Result of a write. (field 2)
        case responsePut(PutResponse)
        /// Result of a delete. (field 3)
        case responseDeleteRange(DeleteRangeResponse)
        /// Result of a nested transaction. (field 4)
        case responseTxn(TxnResponse)
    }

    /// The result.
    public var response: Response? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        response: Response? = nil
    ) {
        self.response = response
    }
}

/// An atomic if/then/else: when every `compare` holds, run `success`, else run `failure`.
///
/// Wire: `etcdserverpb.TxnRequest`.
public struct TxnRequest: Sendable, Equatable {
    /// The guard; an empty guard holds. (field 1)
    public var compare: [Compare] = []
    /// Operations run when the guard holds. (field 2)
    public var success: [RequestOp] = []
    /// Operations run when it does not. (field 3)
    public var failure: [RequestOp] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        compare: [Compare] = [],
        success: [RequestOp] = [],
        failure: [RequestOp] = []
    ) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }
}

/// Result of a `TxnRequest`.
///
/// Wire: `etcdserverpb.TxnResponse`.
public struct TxnResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Whether the guard held (so `success` ran). (field 2)
    public var succeeded: Bool = false
    /// One result per operation of the branch that ran, in order. (field 3)
    public var responses: [ResponseOp] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        succeeded: Bool = false,
        responses: [ResponseOp] = []
    ) {
        self.header = header
        self.succeeded = succeeded
        self.responses = responses
    }
}
