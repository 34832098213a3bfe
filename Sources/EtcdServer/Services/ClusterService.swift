import EtcdBasics
import EtcdProto
import GRPC
import Glibc

/// etcdserverpb.Cluster, as etcd 3.4 serves it: MemberList from this member's membership (no
/// raft round trip), the four changes through raft as conf changes, answered once applied with
/// the members after the change. Every response header carries cluster, member and term, and
/// no revision (etcd's cluster service leaves it unset).
extension Services {
    func memberList(_ payload: [UInt8]) -> UnaryOutcome<MemberListResponse> {
        handling {
            _ = try decode(MemberListRequest.self, from: payload)
            var response = MemberListResponse()
            response.header = header(revision: 0)
            response.members = membership.membership.members.map(Member.init)
            return .respond(response)
        }
    }

    func memberAdd(_ payload: [UInt8]) -> UnaryOutcome<MemberAddResponse> {
        handling {
            let request = try decode(MemberAddRequest.self, from: payload)
            let change = try MemberChangeCheck.add(
                request, unixTime: Int64(time(nil)), membership: membership.membership, localID: membership.localID,
                activity: peers.activity(now: monotonicNanoseconds()), isStrictReconfigCheck: isStrictReconfigCheck)
            return .propose(.memberChange(change))
        }
    }

    func memberRemove(_ payload: [UInt8]) -> UnaryOutcome<MemberRemoveResponse> {
        handling {
            let request = try decode(MemberRemoveRequest.self, from: payload)
            let change = try MemberChangeCheck.remove(
                request, membership: membership.membership, localID: membership.localID,
                activity: peers.activity(now: monotonicNanoseconds()), isStrictReconfigCheck: isStrictReconfigCheck)
            return .propose(.memberChange(change))
        }
    }

    func memberUpdate(_ payload: [UInt8]) -> UnaryOutcome<MemberUpdateResponse> {
        handling {
            let request = try decode(MemberUpdateRequest.self, from: payload)
            return .propose(.memberChange(MemberChangeCheck.update(request, membership: membership.membership)))
        }
    }

    func memberPromote(_ payload: [UInt8]) -> UnaryOutcome<MemberPromoteResponse> {
        handling {
            let request = try decode(MemberPromoteRequest.self, from: payload)
            let decision = try MemberChangeCheck.promote(
                request, membership: membership.membership, localID: membership.localID,
                matchIndexes: raft.status.matchIndexes.withLock { $0 }, isStrictReconfigCheck: isStrictReconfigCheck)
            switch decision {
            case .propose(let change):
                return .propose(.memberChange(change))
            case .forwardToLeader:
                return .propose(.promoteThroughLeader(MemberID(request.id)))
            }
        }
    }

    // MARK: Answers once the change applied

    func memberAddResponse(_ change: MembershipConfChange, members: [ClusterMember]) -> MemberAddResponse {
        var response = MemberAddResponse(header: header(revision: 0), members: members.map(Member.init))
        // etcd answers with the member it built: ID, peer URLs and learner flag, no name yet.
        if case .add(let added) = change {
            response.member = Member(id: added.id.rawValue, peerURLs: added.peerURLs, isLearner: added.isLearner)
        }
        return response
    }

    func memberRemoveResponse(members: [ClusterMember]) -> MemberRemoveResponse {
        MemberRemoveResponse(header: header(revision: 0), members: members.map(Member.init))
    }

    func memberUpdateResponse(members: [ClusterMember]) -> MemberUpdateResponse {
        MemberUpdateResponse(header: header(revision: 0), members: members.map(Member.init))
    }

    func memberPromoteResponse(members: [ClusterMember]) -> MemberPromoteResponse {
        MemberPromoteResponse(header: header(revision: 0), members: members.map(Member.init))
    }
}

extension Member {
    /// A member as the Cluster service lists it (etcd's `membersToProtoMembers`).
    init(_ member: ClusterMember) {
        self.init(id: member.id.rawValue, name: member.name, peerURLs: member.peerURLs,
                  clientURLs: member.clientURLs, isLearner: member.isLearner)
    }
}
