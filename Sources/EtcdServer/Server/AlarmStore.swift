import BoltStore
import EtcdProto
import MVCC

/// The cluster's raised alarms (etcd's `v3alarm.AlarmStore`), kept in the backend's `alarm`
/// bucket so a NOSPACE or CORRUPT alarm outlives a restart, as in etcd: the key is the encoded
/// `AlarmMember`, the value empty.
///
/// Changed only by the apply thread; read under the store lock (see `KVState`).
final class AlarmStore {
    private(set) var alarms: [AlarmMember]

    /// Loads the alarms recorded in `backend`.
    init(backend: Backend) {
        alarms = backend.withReadTransaction { tx in
            var found: [AlarmMember] = []
            tx.bucket(named: Backend.BucketName.alarm)?.forEach { entry in
                if let member = try? AlarmMember(serializedBytes: entry.key) { found.append(member) }
            }
            return found
        }
    }

    /// Alarms of `type`, or all of them for `.none`.
    func alarms(of type: AlarmType) -> [AlarmMember] {
        type == .none ? alarms : alarms.filter { $0.alarm == type }
    }

    func isRaised(_ type: AlarmType) -> Bool {
        alarms.contains { $0.alarm == type }
    }

    /// Raises `type` for `memberID`; returns the alarm, or nil if it was already raised.
    func activate(memberID: UInt64, type: AlarmType, in backend: Backend) -> AlarmMember? {
        let member = AlarmMember(memberID: memberID, alarm: type)
        guard !alarms.contains(member) else { return nil }
        alarms.append(member)
        write(member, in: backend) { bucket, key throws(BoltError) in try bucket.put(key, []) }
        return member
    }

    /// Clears `type` for `memberID`; returns the alarm, or nil if it was not raised.
    func deactivate(memberID: UInt64, type: AlarmType, in backend: Backend) -> AlarmMember? {
        let member = AlarmMember(memberID: memberID, alarm: type)
        guard let index = alarms.firstIndex(of: member) else { return nil }
        alarms.remove(at: index)
        write(member, in: backend) { bucket, key throws(BoltError) in try bucket.delete(key) }
        return member
    }

    private func write(_ member: AlarmMember, in backend: Backend,
                       _ change: (Bucket, [UInt8]) throws(BoltError) -> Void) {
        guard let bucket = backend.writeTransaction().bucket(named: Backend.BucketName.alarm) else {
            preconditionFailure("backend has no alarm bucket")
        }
        do {
            try change(bucket, member.serializedBytes())
        } catch {
            fatalError("backend: cannot record alarm \(member): \(error)")
        }
    }
}

extension AlarmMember {
    /// The text etcd's Status puts in `errors` for a raised alarm (gogo's compact text form,
    /// trailing space included: `etcdctl endpoint status` prints it as is).
    var statusText: String {
        "memberID:\(memberID) alarm:\(alarm.name) "
    }
}

extension AlarmType {
    /// The alarm's name in etcd's protobuf enum (`NOSPACE`, `CORRUPT`), as `/health`'s
    /// `exclude` parameter and Status' errors spell it.
    var name: String {
        switch self {
        case .none: "NONE"
        case .noSpace: "NOSPACE"
        case .corrupt: "CORRUPT"
        }
    }
}

/// etcd's backend quota (`--quota-backend-bytes`): a write that would take the backend past it
/// is refused with NOSPACE, and the NOSPACE alarm is raised.
struct BackendQuota: Sendable {
    /// etcd's default quota when the flag is 0: 2 GiB.
    static let defaultBytes: Int64 = 2 * 1024 * 1024 * 1024
    /// What etcd charges per put on top of its key and value (`kvOverhead`).
    static let putOverheadBytes = 256

    /// Nil: no quota (a negative flag value, as in etcd).
    let limitBytes: Int64?

    init(flagBytes: Int64) {
        limitBytes = flagBytes < 0 ? nil : (flagBytes == 0 ? Self.defaultBytes : flagBytes)
    }

    /// Whether a write costing `costBytes` fits next to a backend of `sizeBytes`.
    func admits(costBytes: Int, sizeBytes: Int64) -> Bool {
        guard let limitBytes else { return true }
        return sizeBytes + Int64(costBytes) < limitBytes
    }

    static func cost(of put: PutRequest) -> Int {
        putOverheadBytes + put.key.count + put.value.count
    }

    /// A txn costs its costlier branch's puts, as etcd counts it.
    static func cost(of txn: TxnRequest) -> Int {
        max(txn.success.reduce(0) { $0 + cost(of: $1) }, txn.failure.reduce(0) { $0 + cost(of: $1) })
    }

    private static func cost(of op: RequestOp) -> Int {
        if case .requestPut(let put) = op.request { return cost(of: put) }
        return 0
    }
}
