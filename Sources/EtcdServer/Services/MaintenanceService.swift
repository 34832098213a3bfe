import EtcdProto
import GRPC

/// etcdserverpb.Maintenance: Status (what `etcdctl endpoint status` shows).
extension Services {
    func status(_ payload: [UInt8]) -> UnaryOutcome<StatusResponse> {
        do {
            _ = try decode(StatusRequest.self, from: payload)
            let (revision, sizeBytes) = kv.lock.withReadLock {
                (kv.store.currentRevision, kv.store.payloadBytes)
            }
            let applied = kv.appliedIndex.load(ordering: .relaxed)
            var response = StatusResponse()
            response.header = header(revision: revision)
            response.version = version
            response.dbSize = Int64(sizeBytes)
            response.dbSizeInUse = Int64(sizeBytes)
            response.leader = identity.memberID.rawValue
            response.raftIndex = applied
            response.raftTerm = identity.term.rawValue
            response.raftAppliedIndex = applied
            return .respond(response)
        } catch {
            return .fail(error)
        }
    }
}
