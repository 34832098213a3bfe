import EtcdBasics
import EtcdProto
import GRPC
import MVCC

/// etcdserverpb.Maintenance: Status (what `etcdctl endpoint status` shows).
extension Services {
    func status(_ payload: [UInt8]) -> UnaryOutcome<StatusResponse> {
        do {
            _ = try decode(StatusRequest.self, from: payload)
            let (revision, sizeBytes, inUseBytes, alarms) = kv.lock.withReadLock {
                (kv.store.currentRevision, kv.backend.sizeBytes, kv.backend.inUseBytes, kv.alarms.alarms)
            }
            let applied = kv.appliedIndex.load(ordering: .relaxed)
            var response = StatusResponse()
            response.header = header(revision: revision)
            response.version = version
            response.dbSize = sizeBytes
            response.dbSizeInUse = inUseBytes
            response.leader = raft.status.leader.load(ordering: .relaxed)
            response.raftIndex = raft.status.committedIndex.load(ordering: .relaxed)
            response.raftTerm = raft.status.term.load(ordering: .relaxed)
            response.raftAppliedIndex = applied
            response.errors = alarms.map(\.statusText)
            response.isLearner = membership.isLocalLearner
            return .respond(response)
        } catch {
            return .fail(error)
        }
    }
}

/// etcdserverpb.Maintenance: HashKV (what `etcdctl endpoint hashkv` shows; members compare it to
/// detect divergence).
extension Services {
    func hashKV(_ payload: [UInt8]) -> UnaryOutcome<HashKVResponse> {
        handling {
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
        }
    }
}

/// etcdserverpb.Maintenance: Defragment (`etcdctl defrag`), run by the apply thread.
extension Services {
    func defragment(_ payload: [UInt8]) -> UnaryOutcome<DefragmentResponse> {
        do {
            _ = try decode(DefragmentRequest.self, from: payload)
            return .propose(.defragment)
        } catch {
            return .fail(error)
        }
    }
}

/// etcdserverpb.Maintenance: Alarm (`etcdctl alarm list` / `alarm disarm`), applied in order
/// with writes, and Hash (a CRC-32C over every bucket of the backend file).
extension Services {
    func alarm(_ payload: [UInt8]) -> UnaryOutcome<AlarmResponse> {
        do {
            return .propose(.alarm(try decode(AlarmRequest.self, from: payload)))
        } catch {
            return .fail(error)
        }
    }

    func hash(_ payload: [UInt8]) -> UnaryOutcome<HashResponse> {
        do {
            _ = try decode(HashRequest.self, from: payload)
            let (hash, revision) = kv.lock.withReadLock { (kv.backend.hash(), kv.store.currentRevision) }
            var response = HashResponse()
            response.header = header(revision: revision)
            response.hash = hash
            return .respond(response)
        } catch {
            return .fail(error)
        }
    }
}

extension Services {
    /// Maintenance.MoveLeader: only the leader hands leadership over, and only to a voting
    /// member (etcd's checks, in its order); the answer comes once the transferee leads.
    func moveLeader(_ payload: [UInt8]) -> UnaryOutcome<MoveLeaderResponse> {
        do {
            let request = try decode(MoveLeaderRequest.self, from: payload)
            guard raft.status.leader.load(ordering: .relaxed) == identity.memberID.rawValue else {
                return .fail(EtcdError.notLeader.status)
            }
            guard let target = membership.membership.member(MemberID(request.targetID)), !target.isLearner else {
                return .fail(EtcdError.badLeaderTransferee.status)
            }
            return .propose(.moveLeader(target: target.id.rawValue))
        } catch {
            return .fail(error)
        }
    }
}
