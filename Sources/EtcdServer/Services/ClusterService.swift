import EtcdProto
import GRPC

/// etcdserverpb.Cluster: MemberList (the single member until multi-member clusters land).
extension Services {
    func memberList(_ payload: [UInt8]) -> UnaryOutcome<MemberListResponse> {
        do {
            _ = try decode(MemberListRequest.self, from: payload)
            var member = Member()
            member.id = identity.memberID.rawValue
            member.name = identity.name
            member.peerURLs = identity.peerURLs
            member.clientURLs = identity.clientURLs
            var response = MemberListResponse()
            // etcd's cluster service leaves the header's revision unset.
            response.header = header(revision: 0)
            response.members = [member]
            return .respond(response)
        } catch {
            return .fail(error)
        }
    }
}
