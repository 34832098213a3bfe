import EtcdBasics

/// What a member joining an existing cluster (`--initial-cluster-state existing`) learns from
/// the members already running (etcd's GetClusterFromRemotePeers and
/// ValidateClusterAndAssignIDs): the cluster ID and the member list, from `GET /members` on
/// their peer URLs, and which of those members it is.
struct RemoteCluster: Equatable, Sendable {
    let clusterID: ClusterID
    let members: [ClusterMember]

    enum Limit {
        static let responseBytesMax = 4 * 1024 * 1024
        static let timeoutMilliseconds: Int32 = 5_000
    }

    /// Asks each URL in turn; nil when none answers with a member list.
    static func fetch(from peerURLs: [String], dialTimeoutMilliseconds: Int32, timeoutMilliseconds: Int32) -> RemoteCluster? {
        for url in peerURLs {
            guard let address = PeerAddress(url: url) else { continue }
            var request: [UInt8] = []
            PeerHTTPRequestHead(method: "GET", target: PeerPath.members,
                                headers: PeerHTTPHeaders([(PeerHeader.host, address.hostPort)]))
                .encode(appendingTo: &request)
            guard let (head, body) = PeerHTTPConnection.exchange(
                      request, with: address, dialTimeoutMilliseconds: dialTimeoutMilliseconds,
                      timeoutMilliseconds: timeoutMilliseconds, bodyBytesMax: Limit.responseBytesMax),
                  head.status == 200,
                  let clusterText = head.headers.value(for: PeerHeader.clusterID),
                  let clusterID = UInt64(clusterText, radix: 16),
                  let members = try? decodeMembers(body)
            else { continue }
            return RemoteCluster(clusterID: ClusterID(clusterID), members: members)
        }
        return nil
    }

    /// The `GET /members` body: a JSON array of members.
    static func decodeMembers(_ body: [UInt8]) throws(JSONDecodeError) -> [ClusterMember] {
        guard case .array(let elements) = try JSONValue(parsing: body) else {
            throw JSONDecodeError(offset: 0, reason: "member list is not an array")
        }
        var members: [ClusterMember] = []
        for element in elements { members.append(try ClusterMember(JSONObjectReader(element))) }
        return members
    }

    /// The ID the running cluster gave the member whose peer URLs are `localPeerURLs`, after
    /// etcd's check that `--initial-cluster` lists the same members (by peer URLs) as the
    /// cluster does. Throws etcd's text on a mismatch.
    func memberID(initialCluster: [(name: String, peerURLs: [String])], localName: String) throws(BootstrapError) -> MemberID {
        guard initialCluster.count == members.count else {
            throw BootstrapError("error validating peerURLs \(description): member count is unequal")
        }
        var localID: MemberID?
        for entry in initialCluster {
            let urls = entry.peerURLs.sorted()
            guard let match = members.first(where: { $0.peerURLs.sorted() == urls }) else {
                throw BootstrapError("error validating peerURLs \(description): unmatched member while checking PeerURLs (\(urls) not in the cluster)")
            }
            if entry.name == localName { localID = match.id }
        }
        guard let localID else {
            throw BootstrapError("couldn't find local name \"\(localName)\" in the initial cluster configuration")
        }
        return localID
    }

    /// etcd prints the cluster as `{ClusterID:… Members:[…] RemovedMemberIDs:[]}`; a short form.
    var description: String {
        "{ClusterID:\(clusterID) Members:[" + members.map { "&{ID:\($0.id) PeerURLs:\($0.peerURLs)}" }.joined(separator: " ") + "]}"
    }
}

/// Why a member could not join or start its cluster (etcd stops with these texts).
struct BootstrapError: Error, Equatable, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
