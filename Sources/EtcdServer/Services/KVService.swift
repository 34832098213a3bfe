import EtcdProto
import GRPC
import MVCC

/// etcdserverpb.KV: validation as etcd's v3rpc layer does it, then reads on the calling loop
/// and writes through the apply thread.
extension Services {
    /// A serializable Range reads this member's store at once; a linearizable one (the
    /// default) first waits for raft to confirm that nothing newer was committed elsewhere.
    func range(_ payload: [UInt8]) -> UnaryOutcome<RangeResponse> {
        handling {
            let request = try decode(RangeRequest.self, from: payload)
            try RequestCheck.checkRange(request)
            return localRead(isSerializable: request.serializable, header: \.header) { store throws(EtcdError) in
                try KVApplier().range(request, in: store)
            }
        }
    }

    func put(_ payload: [UInt8]) -> UnaryOutcome<PutResponse> {
        proposal(payload, as: PutRequest.self) { request throws(EtcdError) in
            try RequestCheck.checkPut(request)
            return .put(request)
        }
    }

    func deleteRange(_ payload: [UInt8]) -> UnaryOutcome<DeleteRangeResponse> {
        proposal(payload, as: DeleteRangeRequest.self) { request throws(EtcdError) in
            try RequestCheck.checkDeleteRange(request)
            return .deleteRange(request)
        }
    }

    /// A txn that only reads is served on the loop, as etcd serves it without a raft round
    /// trip; any other goes through the apply thread.
    func txn(_ payload: [UInt8]) -> UnaryOutcome<TxnResponse> {
        handling {
            let request = try decode(TxnRequest.self, from: payload)
            try RequestCheck.checkTxn(request, maxTxnOps: maxTxnOps)
            guard KVApplier.isReadOnly(request) else {
                return sizeChecked(.txn(request), requestBytes: payload.count)
            }
            // etcd serves a read-only txn linearizably unless every range in it is serializable.
            return localRead(isSerializable: Self.isSerializable(request), header: \.header) { store throws(EtcdError) in
                try KVApplier().readOnlyTxn(request, in: store)
            }
        }
    }

    /// Serves a read on the calling loop under the store's read lock: at once when serializable,
    /// else once raft has confirmed this member's view is current (ReadIndex).
    private func localRead<Response: ProtoMessage>(
        isSerializable: Bool, header: WritableKeyPath<Response, ResponseHeader?>,
        _ body: @escaping (KVStore) throws(EtcdError) -> Response
    ) -> UnaryOutcome<Response> {
        let read = { () -> UnaryOutcome<Response> in
            handling {
                var response = try kv.lock.withReadLock { () throws(EtcdError) -> Response in try body(kv.store) }
                identity.fill(&response[keyPath: header])
                return .respond(response)
            }
        }
        return isSerializable ? read() : .afterReadIndex(read)
    }

    /// etcd's rule: every op of both branches is a serializable Range (a nested txn is not).
    private static func isSerializable(_ request: TxnRequest) -> Bool {
        func isSerializableRange(_ op: RequestOp) -> Bool {
            if case .requestRange(let range) = op.request { return range.serializable }
            return false
        }
        return request.success.allSatisfy(isSerializableRange) && request.failure.allSatisfy(isSerializableRange)
    }

    func compact(_ payload: [UInt8]) -> UnaryOutcome<CompactionResponse> {
        proposal(payload, as: CompactionRequest.self) { request throws(EtcdError) in
            .compaction(request)
        }
    }

    /// Decodes and checks a write, then asks for it to be proposed. etcd refuses a proposal whose
    /// encoded raft entry exceeds --max-request-bytes with "request is too large".
    private func proposal<Request: ProtoMessage, Response: ProtoMessage>(
        _ payload: [UInt8], as type: Request.Type,
        check: (Request) throws(EtcdError) -> ApplyRequest
    ) -> UnaryOutcome<Response> {
        handling {
            let request = try decode(type, from: payload)
            return sizeChecked(try check(request), requestBytes: payload.count)
        }
    }

    /// Proposes `request` unless its raft entry would exceed --max-request-bytes.
    private func sizeChecked<Response: ProtoMessage>(_ request: ApplyRequest, requestBytes: Int) -> UnaryOutcome<Response> {
        guard RaftEntrySize.estimate(requestBytes: requestBytes) <= maxRequestBytes else {
            return .fail(EtcdError.requestTooLarge.status)
        }
        return .propose(request)
    }
}

/// The size of the raft entry etcd would write for a request, which is what etcd compares with
/// --max-request-bytes: the request wrapped in an InternalRaftRequest next to a RequestHeader
/// carrying a 64-bit request ID.
enum RaftEntrySize {
    /// Bytes of `RequestHeader{ID}` as etcd encodes it (tag + length + tag + 8–10 byte varint).
    static let requestHeaderBytes = 13

    static func estimate(requestBytes: Int) -> Int {
        // The request travels as one length-delimited field: tag byte, length varint, payload.
        requestHeaderBytes + 1 + varintBytes(UInt64(requestBytes)) + requestBytes
    }

    private static func varintBytes(_ value: UInt64) -> Int {
        var value = value
        var count = 1
        while value >= 0x80 { value >>= 7; count += 1 }
        return count
    }
}
