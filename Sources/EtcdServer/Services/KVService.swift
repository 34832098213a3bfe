import EtcdProto
import GRPC

/// etcdserverpb.KV: validation as etcd's v3rpc layer does it, then reads on the calling loop
/// and writes through the apply thread.
extension Services {
    func range(_ payload: [UInt8]) -> UnaryOutcome<RangeResponse> {
        do {
            let request = try decode(RangeRequest.self, from: payload)
            try RequestCheck.range(request)
            var response = try kv.lock.withReadLock { () throws(EtcdError) -> RangeResponse in
                try KVApplier.range(request, store: kv.store)
            }
            identity.fill(&response.header)
            return .respond(response)
        } catch let status as GRPCStatus {
            return .fail(status)
        } catch let error as EtcdError {
            return .fail(error.status)
        } catch {
            return .fail(GRPCStatus(.unknown, "\(error)"))
        }
    }

    func put(_ payload: [UInt8]) -> UnaryOutcome<PutResponse> {
        proposal(payload, as: PutRequest.self) { request throws(EtcdError) in
            try RequestCheck.put(request)
            return .put(request)
        }
    }

    func deleteRange(_ payload: [UInt8]) -> UnaryOutcome<DeleteRangeResponse> {
        proposal(payload, as: DeleteRangeRequest.self) { request throws(EtcdError) in
            try RequestCheck.deleteRange(request)
            return .deleteRange(request)
        }
    }

    func txn(_ payload: [UInt8]) -> UnaryOutcome<TxnResponse> {
        proposal(payload, as: TxnRequest.self) { request throws(EtcdError) in
            try RequestCheck.txn(request, maxTxnOps: maxTxnOps)
            return .txn(request)
        }
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
        do {
            let request = try decode(type, from: payload)
            let applyRequest = try check(request)
            guard RaftEntrySize.estimate(requestBytes: payload.count) <= maxRequestBytes else {
                return .fail(EtcdError.requestTooLarge.status)
            }
            return .propose(applyRequest)
        } catch let status as GRPCStatus {
            return .fail(status)
        } catch let error as EtcdError {
            return .fail(error.status)
        } catch {
            return .fail(GRPCStatus(.unknown, "\(error)"))
        }
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
