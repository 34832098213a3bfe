import BoltStore
import EtcdBasics
import EtcdProto
import MVCC

/// Leases' durable copy, in etcd's `lease` bucket: the key is the lease ID as 8 big-endian
/// bytes, the value a `leasepb.Lease` (ID, TTL, checkpointed remaining TTL). Written in the
/// backend's open batch by the apply thread, so a grant or revoke is durable with the entry
/// that made it (and a revoke's key deletions).
enum LeaseBackend {
    static func key(_ id: LeaseID) -> [UInt8] {
        let bits = UInt64(bitPattern: id.rawValue)
        return (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) }
    }

    static func save(_ lease: Lessor.Lease, on backend: Backend) {
        let stored = Lease(id: lease.id.rawValue, ttl: lease.ttl, remainingTTL: lease.remainingTTL)
        perform(on: backend) { bucket throws(BoltError) in try bucket.put(key(lease.id), stored.serializedBytes()) }
    }

    static func delete(_ id: LeaseID, on backend: Backend) {
        perform(on: backend) { bucket throws(BoltError) in try bucket.delete(key(id)) }
    }

    /// Every stored lease, from the last committed state. A value that does not decode is
    /// skipped, as etcd's recovery skips it (its keys then stay without a lease).
    static func load(from backend: Backend) -> [(id: LeaseID, ttl: Int64, remainingTTL: Int64)] {
        backend.withReadTransaction { tx in
            var leases: [(id: LeaseID, ttl: Int64, remainingTTL: Int64)] = []
            tx.bucket(named: Backend.BucketName.lease)?.forEach { entry in
                guard let stored = try? Lease(serializedBytes: Array(entry.value)) else { return }
                leases.append((LeaseID(stored.id), stored.ttl, stored.remainingTTL))
            }
            return leases
        }
    }

    private static func perform(on backend: Backend, _ body: (Bucket) throws(BoltError) -> Void) {
        let tx = backend.writeTransaction()
        guard let bucket = tx.bucket(named: Backend.BucketName.lease) else {
            preconditionFailure("backend has no lease bucket")
        }
        do {
            try body(bucket)
        } catch {
            // As with the consistent index: a backend that refuses a write can make nothing
            // durable any more, and etcd stops there too.
            fatalError("backend: cannot write the lease bucket: \(error)")
        }
    }
}
