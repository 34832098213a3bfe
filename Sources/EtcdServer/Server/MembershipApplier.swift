import EtcdBasics
import EtcdProto
import Raft

/// The apply thread's membership: etcd's `applyConfChange` (its membership half) and the v2
/// publishes of member attributes and the cluster version, applied in log order.
///
/// It holds the membership as of the applied index. After a restart it starts from the raft
/// snapshot's membership and replays every conf change after it, so each is validated against
/// exactly what it was validated against the first time (and as the raft thread validates it:
/// a change refused here is a no-op for raft too). Only the backend writes of entries past the
/// backend's consistent index are handed out: the file already holds the earlier ones.
///
/// Pure: the caller performs the writes (`MembershipBackend.perform`), answers the proposer and
/// publishes the membership.
struct MembershipApplier {
    private(set) var membership: ClusterMembership
    /// This member: a change that removes it stops the server.
    let localID: MemberID
    /// The backend's consistent index when the member started.
    let consistentIndexAtStart: UInt64
    /// Whether the membership changed since `markPublished`.
    private(set) var hasUnpublishedChanges = false

    init(membership: ClusterMembership, localID: MemberID, consistentIndexAtStart: UInt64) {
        self.membership = membership
        self.localID = localID
        self.consistentIndexAtStart = consistentIndexAtStart
    }

    /// What applying one committed conf change did.
    struct ConfChangeOutcome {
        /// The conf change's ID: the proposer waits on it.
        let requestID: UInt64
        let change: MembershipConfChange
        /// The membership after the change, or why validation refused it.
        let result: Result<ClusterMembership, MembershipError>
        /// The backend write to perform: nil when refused, or when the backend holds it already.
        let write: MembershipWrite?
        /// The change removed this member.
        let isLocalMemberRemoved: Bool
    }

    /// Validates and applies the conf change `entry` carries. Stops the process when the entry
    /// does not decode or its context names another member than its `NodeID` (etcd panics: the
    /// WAL's checksums passed, so the proposer was broken).
    mutating func applyConfChange(_ entry: Entry) -> ConfChangeOutcome {
        precondition(entry.type == .confChange, "entry \(entry.index) is not a conf change")
        let confChange: ConfChange
        let change: MembershipConfChange
        do {
            confChange = try ConfChange(serializedBytes: entry.data)
            change = try MembershipConfChange(confChange)
        } catch {
            fatalError("committed conf change at index \(entry.index) does not decode: \(error)")
        }
        do throws(MembershipError) {
            try membership.validate(change)
        } catch {
            return ConfChangeOutcome(requestID: confChange.id, change: change, result: .failure(error),
                                     write: nil, isLocalMemberRemoved: false)
        }
        let write = membership.apply(change)
        hasUnpublishedChanges = true
        var isLocalMemberRemoved = false
        if case .remove(let id) = change, id == localID { isLocalMemberRemoved = true }
        return ConfChangeOutcome(requestID: confChange.id, change: change, result: .success(membership),
                                 write: isPastBackend(entry.index) ? write : nil,
                                 isLocalMemberRemoved: isLocalMemberRemoved)
    }

    /// Applies a v2 publish at `index`; returns the backend write to perform (nil when the
    /// request is no publish, changes nothing, or the backend holds it already).
    ///
    /// Attributes of a member that is not (or no longer) in the cluster change nothing. etcd
    /// logs that for a removed member and panics for one it never knew; swetcd keeps going in
    /// both cases, since data directories from before membership was recorded can hold such
    /// publishes, and no conf change depends on a member's name.
    mutating func applyV2(_ request: Request, index: UInt64) -> MembershipWrite? {
        let publish: V2MembershipPublish?
        do {
            publish = try V2MembershipPublish(request)
        } catch {
            fatalError("committed v2 request at index \(index): \(error)")
        }
        let write: MembershipWrite?
        switch publish {
        case nil:
            return nil
        case .attributes(let id, let name, let clientURLs):
            guard membership.member(id) != nil else { return nil }
            write = membership.updateAttributes(of: id, name: name, clientURLs: clientURLs)
        case .clusterVersion(let version):
            write = membership.setVersion(version)
        }
        hasUnpublishedChanges = true
        return isPastBackend(index) ? write : nil
    }

    /// Notes that readers have been shown the current membership.
    mutating func markPublished() {
        hasUnpublishedChanges = false
    }

    private func isPastBackend(_ index: UInt64) -> Bool { index > consistentIndexAtStart }
}
