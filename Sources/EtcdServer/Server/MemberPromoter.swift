import Glibc
import EtcdBasics
import EtcdProto

/// MemberPromote where etcd does it: on the leader, which alone knows whether the learner
/// caught up. The leader proposes the promotion itself (for its own clients, and for a
/// follower's forwarded request through the peer server); a follower forwards its client's
/// request to the leader on a short-lived thread and answers the client from the leader's
/// answer.
final class MemberPromoter: Sendable {
    enum Limit {
        /// Pause between attempts to reach a leader (none known, or it did not answer).
        static let retryIntervalMicroseconds: UInt32 = 500_000
    }

    private let membership: MembershipView
    private let raft: RaftNode
    private let applyLoop: ApplyLoop
    private let sender: PeerSender
    private let isStrictReconfigCheck: Bool
    private let requestTimeoutNanoseconds: Int64
    private let dialTimeoutMilliseconds: Int32

    init(membership: MembershipView, raft: RaftNode, applyLoop: ApplyLoop, sender: PeerSender,
         isStrictReconfigCheck: Bool, requestTimeoutNanoseconds: Int64, dialTimeoutMilliseconds: Int32) {
        self.membership = membership
        self.raft = raft
        self.applyLoop = applyLoop
        self.sender = sender
        self.isStrictReconfigCheck = isStrictReconfigCheck
        self.requestTimeoutNanoseconds = requestTimeoutNanoseconds
        self.dialTimeoutMilliseconds = dialTimeoutMilliseconds
    }

    /// The leader's promote for a follower (peer server thread): checks readiness, proposes,
    /// and waits for the apply thread's answer.
    func promoteAsLeader(_ id: MemberID) -> Result<[ClusterMember], EtcdError> {
        let change: MembershipConfChange
        do {
            let decision = try MemberChangeCheck.promote(
                MemberPromoteRequest(id: id.rawValue), membership: membership.membership, localID: membership.localID,
                matchIndexes: raft.status.matchIndexes.withLock { $0 }, isStrictReconfigCheck: isStrictReconfigCheck)
            guard case .propose(let proposed) = decision else { return .failure(.notLeader) }
            change = proposed
        } catch {
            return .failure(error)
        }
        let requestID = raft.requestIDs.next()
        guard let answer = applyLoop.externalWaiters.register(requestID) else { return .failure(.tooManyRequests) }
        let pending = PendingRequest(id: requestID, origin: nil, request: .memberChange(change))
        guard raft.inbox.post(.proposeConfChange(change.confChange(requestID: requestID), pending)) else {
            applyLoop.externalWaiters.cancel(requestID)
            return .failure(.tooManyRequests)
        }
        let results = answer.waitForItems(timeoutMilliseconds: Int32(clamping: requestTimeoutNanoseconds / 1_000_000))
        applyLoop.externalWaiters.cancel(requestID)
        switch results.first {
        case .memberChanged(_, let members)?: return .success(members)
        case .failure(let error)?: return .failure(error)
        default: return .failure(.timeout)
        }
    }

    /// A follower's promote: forwarded to the leader on a thread of its own; the call is
    /// answered through `origin`'s loop. Retries while no leader answers, until the request
    /// timeout (etcd's loop in promoteMember).
    func forward(_ id: MemberID, origin: CallOrigin) {
        PosixThread(name: "swetcd-promote") { [self] in
            let deadline = monotonicNanoseconds() + requestTimeoutNanoseconds
            var result: Result<[ClusterMember], EtcdError> = .failure(.timeout)
            while monotonicNanoseconds() < deadline {
                let leader = MemberID(raft.status.leader.load(ordering: .relaxed))
                if leader == membership.localID {
                    result = promoteAsLeader(id)
                    if result != .failure(.notLeader) { break }
                } else if let urls = membership.membership.member(leader)?.peerURLs,
                          let answer = PromoteForwarding.forward(id, leaderURLs: urls, sender: sender,
                                                                 dialTimeoutMilliseconds: dialTimeoutMilliseconds) {
                    result = answer
                    break
                }
                usleep(Limit.retryIntervalMicroseconds)
            }
            switch result {
            case .success(let members): applyLoop.postResults([(origin, .memberChanged(.promote(id), members: members))])
            case .failure(let error): applyLoop.postResults([(origin, .failure(error))])
            }
        }.detach()
    }
}
