import EtcdProto
import GRPC
import MVCC

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
            response.dbSize = Int64(BackendSizeEstimate.fileBytes(payloadBytes: sizeBytes))
            response.dbSizeInUse = Int64(BackendSizeEstimate.inUseBytes(payloadBytes: sizeBytes))
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

/// What the bbolt backend file would measure for the data the in-memory store holds, so Status
/// reports sizes of etcd's shape (a fresh etcd reports a 20 KiB file with 16 KiB in use) until
/// the bbolt backend (issue 3) reports its real file size.
enum BackendSizeEstimate {
    static let pageBytes = 4096
    /// Pages of an empty etcd backend: two meta pages, the freelist, and the bucket pages.
    static let emptyFilePages = 5
    static let emptyInUsePages = 4

    static func fileBytes(payloadBytes: Int) -> Int {
        (emptyFilePages + pages(payloadBytes)) * pageBytes
    }

    static func inUseBytes(payloadBytes: Int) -> Int {
        (emptyInUsePages + pages(payloadBytes)) * pageBytes
    }

    private static func pages(_ bytes: Int) -> Int { (bytes + pageBytes - 1) / pageBytes }
}

/// etcdserverpb.Maintenance: HashKV (what `etcdctl endpoint hashkv` shows; members compare it to
/// detect divergence).
extension Services {
    func hashKV(_ payload: [UInt8]) -> UnaryOutcome<HashKVResponse> {
        do {
            let request = try decode(HashKVRequest.self, from: payload)
            let result = try kv.lock.withReadLock { () throws(EtcdError) -> KVStore.HashResult in
                do throws(MVCCError) {
                    return try kv.store.hashByRevision(request.revision)
                } catch {
                    throw EtcdError(error)
                }
            }
            var response = HashKVResponse()
            response.header = header(revision: result.currentRevision)
            response.hash = result.hash
            response.compactRevision = result.compactRevision
            return .respond(response)
        } catch let status as GRPCStatus {
            return .fail(status)
        } catch let error as EtcdError {
            return .fail(error.status)
        } catch {
            return .fail(GRPCStatus(.unknown, "\(error)"))
        }
    }
}
