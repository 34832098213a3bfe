import BoltStore
import EtcdBasics
import MVCC

/// The membership's durable copy, in the backend buckets etcd 3.4 keeps it in, byte for byte:
///
/// | bucket            | key                                    | value                              |
/// |-------------------|----------------------------------------|------------------------------------|
/// | `members`         | member ID, lower-case hex (`bdae9bbc11dd390d`) | the member's JSON (`ClusterMember.json`) |
/// | `members_removed` | removed member ID, lower-case hex      | `removed`                          |
/// | `cluster`         | `clusterVersion`                       | the version (`3.4.0`)              |
///
/// (etcd 3.4 writes these but restores membership from its v2 store; swetcd keeps no v2 store
/// and restores from them, as etcd 3.5 does.) The cluster ID is not stored here: it lives in
/// the WAL's metadata.
enum MembershipBackend {
    /// `cluster` bucket key of the cluster version.
    static let clusterVersionKey = Array("clusterVersion".utf8)
    /// `members_removed` value: only the key matters.
    static let removedMarker = Array("removed".utf8)

    static func memberKey(_ id: MemberID) -> [UInt8] { Array(String(id.rawValue, radix: 16).utf8) }

    /// Performs `write` in the backend's open batch, durable with the batch's commit (with the
    /// consistent index of the entry that caused it). Apply thread only.
    static func perform(_ write: MembershipWrite, on backend: Backend) {
        let tx = backend.writeTransaction()
        do {
            switch write {
            case .saveMember(let member):
                try bucket(Backend.BucketName.members, in: tx).put(memberKey(member.id), Array(member.json.utf8))
            case .removeMember(let id):
                try bucket(Backend.BucketName.members, in: tx).delete(memberKey(id))
                try bucket(Backend.BucketName.membersRemoved, in: tx).put(memberKey(id), removedMarker)
            case .saveClusterVersion(let version):
                try bucket(Backend.BucketName.cluster, in: tx).put(clusterVersionKey, Array(version.utf8))
            }
        } catch {
            // As with the consistent index: a backend that refuses a write can make nothing
            // durable any more, and etcd stops there too.
            fatalError("backend: cannot write membership: \(error)")
        }
    }

    private static func bucket(_ name: [UInt8], in tx: Transaction) -> Bucket {
        guard let bucket = tx.bucket(named: name) else {
            preconditionFailure("backend has no \(String(decoding: name, as: UTF8.self)) bucket")
        }
        return bucket
    }

    /// Why the backend's membership cannot be read back.
    struct RecoveryError: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Rebuilds the membership from the last committed state of the backend (an empty one for
    /// a backend that holds none yet). Throws when a key is not a hex member ID, a value does
    /// not decode, or a value's ID differs from its key.
    static func recover(from backend: Backend, clusterID: ClusterID) throws(RecoveryError) -> ClusterMembership {
        let result: Result<ClusterMembership, RecoveryError> = backend.withReadTransaction { tx in
            do throws(RecoveryError) {
                var members: [ClusterMember] = []
                try tx.bucket(named: Backend.BucketName.members)?.forEach { (entry) throws(RecoveryError) in
                    let id = try memberID(fromKey: Array(entry.key))
                    let member: ClusterMember
                    do {
                        member = try ClusterMember(decodingJSON: Array(entry.value))
                    } catch {
                        throw RecoveryError(description: "member \(id) in the backend: \(error)")
                    }
                    guard member.id == id else {
                        throw RecoveryError(description: "member stored under \(id) has ID \(member.id)")
                    }
                    members.append(member)
                }
                var removed: Set<MemberID> = []
                try tx.bucket(named: Backend.BucketName.membersRemoved)?.forEach { (entry) throws(RecoveryError) in
                    removed.insert(try memberID(fromKey: Array(entry.key)))
                }
                if let both = members.first(where: { removed.contains($0.id) }) {
                    throw RecoveryError(description: "member \(both.id) is both present and removed in the backend")
                }
                let version = tx.bucket(named: Backend.BucketName.cluster)?.get(clusterVersionKey)
                    .map { String(decoding: $0, as: UTF8.self) }
                return .success(ClusterMembership(clusterID: clusterID, members: members, removed: removed, version: version))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// A member ID from its key: lower-case or upper-case hex, 1 to 16 digits (Go's
    /// `strconv.ParseUint(key, 16, 64)`, which etcd uses to read them back).
    private static func memberID(fromKey key: [UInt8]) throws(RecoveryError) -> MemberID {
        let text = String(decoding: key, as: UTF8.self)
        guard !text.isEmpty, !text.hasPrefix("+"), !text.hasPrefix("-"), let raw = UInt64(text, radix: 16) else {
            throw RecoveryError(description: "backend membership key \(text.debugDescription) is not a member ID")
        }
        return MemberID(raw)
    }
}
