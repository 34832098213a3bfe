import EtcdBasics

/// MemberPromote through the leader (etcd 3.4): only the leader knows whether a learner has
/// caught up, so a follower asked to promote one sends `POST /members/promote/<decimal id>` to
/// the leader's peer URL, and the leader answers with the member list after the promotion or
/// with the reason it refused (404 for an unknown member, 412 with the error's text for a
/// member that is no learner or is not in sync).
enum PromoteForwarding {
    /// etcd's texts on this path (its membership package's for the first two).
    static let idNotFoundText = "membership: ID not found"
    static let memberNotLearnerText = "membership: can only promote a learner member"
    static let learnerNotReadyText = "etcdserver: can only promote a learner member which is in sync with leader"

    // MARK: Leader side

    /// The peer server's answer to a promote request, from what the local promote produced.
    static func response(for result: Result<[ClusterMember], EtcdError>, clusterID: ClusterID) -> PeerResponse {
        let preset = [(PeerHeader.clusterID, clusterID.description)]
        switch result {
        case .success(let members):
            return .members(members, clusterID: clusterID)
        case .failure(let error) where error == .memberNotFound:
            return .plainTextError(status: 404, text: idNotFoundText, presetHeaders: preset)
        case .failure(let error) where error == .memberNotLearner:
            return .plainTextError(status: 412, text: memberNotLearnerText, presetHeaders: preset)
        case .failure(let error) where error == .learnerNotReady:
            return .plainTextError(status: 412, text: learnerNotReadyText, presetHeaders: preset)
        case .failure(let error) where error == .timeout:
            return .plainTextError(status: 408, text: error.message, presetHeaders: preset)
        case .failure(let error):
            return .plainTextError(status: 500, text: error.message, presetHeaders: preset)
        }
    }

    /// The member ID of `/members/promote/<decimal id>`; nil when it is not one.
    static func memberID(inPath path: String) -> MemberID? {
        guard path.hasPrefix(PeerPath.membersPromotePrefix),
              let id = UInt64(path.dropFirst(PeerPath.membersPromotePrefix.count)) else { return nil }
        return MemberID(id)
    }

    // MARK: Follower side

    enum Limit {
        static let responseBytesMax = 4 * 1024 * 1024
        /// How long the leader may take to apply the promotion.
        static let answerTimeoutMilliseconds: Int32 = 10_000
    }

    /// Sends the promote to the leader at `leaderURLs`; the members after it, or etcd's error
    /// for the leader's answer (nil when no leader URL answered at all: the caller retries).
    static func forward(_ id: MemberID, leaderURLs: [String], sender: PeerSender,
                        dialTimeoutMilliseconds: Int32) -> Result<[ClusterMember], EtcdError>? {
        for url in leaderURLs {
            guard let address = PeerAddress(url: url) else { continue }
            var request: [UInt8] = []
            PeerHTTPRequestHead(method: "POST", target: PeerPath.membersPromotePrefix + String(id.rawValue),
                                headers: PeerHTTPHeaders([(PeerHeader.host, address.hostPort),
                                                          (PeerHeader.contentLength, "0")]))
                .encode(appendingTo: &request)
            guard let answer = PeerHTTPConnection.exchange(
                request, with: address, dialTimeoutMilliseconds: dialTimeoutMilliseconds,
                timeoutMilliseconds: Limit.answerTimeoutMilliseconds, bodyBytesMax: Limit.responseBytesMax)
            else { continue }
            return result(status: answer.head.status, body: answer.body)
        }
        return nil
    }

    /// etcd's reading of the leader's answer (promoteMemberHTTP).
    static func result(status: Int, body: [UInt8]) -> Result<[ClusterMember], EtcdError> {
        let text = String(decoding: body, as: UTF8.self)
        switch status {
        case 200:
            guard let members = try? RemoteCluster.decodeMembers(body) else {
                return .failure(EtcdError(.unknown, "member promote: unknown error(\(text))"))
            }
            return .success(members)
        case 408:
            return .failure(.timeout)
        case 412 where text.contains(learnerNotReadyText):
            return .failure(.learnerNotReady)
        case 412 where text.contains(memberNotLearnerText):
            return .failure(.memberNotLearner)
        case 404:
            return .failure(.memberNotFound)
        default:
            return .failure(EtcdError(.unknown, "member promote: unknown error(\(text))"))
        }
    }
}
