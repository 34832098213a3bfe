import EtcdBasics
import EtcdProto
import GRPC

/// etcdserverpb.Lease. Grants and revokes go through raft; keep-alives and time-to-live are
/// the leader's to answer (its lessor alone keeps time), so a follower forwards them to the
/// leader over the peer port, as etcd does (`LeaseForwarder`); the lease list is every
/// member's own.
extension Services {
    func leaseGrant(_ payload: [UInt8]) -> UnaryOutcome<LeaseGrantResponse> {
        handling {
            var request = try decode(LeaseGrantRequest.self, from: payload)
            // etcd picks a positive ID from its request ID generator when the client left it 0.
            while request.id == 0 {
                request.id = Int64(bitPattern: raft.requestIDs.next() & UInt64(Int64.max))
            }
            return .propose(.leaseGrant(request))
        }
    }

    func leaseRevoke(_ payload: [UInt8]) -> UnaryOutcome<LeaseRevokeResponse> {
        handling { .propose(.leaseRevoke(try decode(LeaseRevokeRequest.self, from: payload))) }
    }

    /// On the leader the lessor answers at once; a follower asks the leader.
    func leaseTimeToLive(_ payload: [UInt8]) -> UnaryOutcome<LeaseTimeToLiveResponse> {
        handling {
            let request = try decode(LeaseTimeToLiveRequest.self, from: payload)
            // A leader whose apply thread is behind asks itself again through the forwarder.
            guard isLeader && hasAppliedCommitted else { return .propose(.leaseTimeToLiveThroughLeader(request)) }
            var response = LeaseForwarding.timeToLive(request, leases: applyLoop.leases, now: monotonicNanoseconds())
            response.header = header(revision: currentRevision)
            return .respond(response)
        }
    }

    /// This member's leases, earliest expiry first.
    func leaseLeases(_ payload: [UInt8]) -> UnaryOutcome<LeaseLeasesResponse> {
        handling {
            _ = try decode(LeaseLeasesRequest.self, from: payload)
            let ids = applyLoop.leases.withLessor { $0.leaseIDsByExpiry() }
            return .respond(LeaseLeasesResponse(header: header(revision: currentRevision),
                                                leases: ids.map { LeaseStatus(id: $0.rawValue) }))
        }
    }

    /// Whether this member has applied everything raft committed: the leader renews and looks
    /// leases up only then (etcd's waitAppliedIndex), or a lease granted through a follower a
    /// moment ago could be "not found" on a leader whose apply thread is a batch behind.
    var hasAppliedCommitted: Bool {
        kv.appliedIndex.load(ordering: .relaxed) >= raft.status.committedIndex.load(ordering: .relaxed)
    }

    /// Whether this member leads (as far as its raft thread last said).
    var isLeader: Bool { raft.status.leader.load(ordering: .relaxed) == identity.memberID.rawValue }

    /// The store's revision now, for headers of answers served outside the apply thread.
    var currentRevision: Int64 { kv.lock.withReadLock { kv.store.currentRevision } }
}
