import EtcdBasics
import EtcdProto

/// Keep-alives and time-to-live through the leader (etcd's `leasehttp`): only the leader's
/// lessor keeps time, so a follower POSTs the request to the leader's peer URL, `/leases` with
/// a `LeaseKeepAliveRequest` or `/leases/internal` with a `LeaseInternalRequest`, and the leader
/// answers 200 with the protobuf response, 404 for a lease it does not have, or another status
/// with a text (not primary yet, say) after which the follower tries again.
enum LeaseForwarding {
    enum Limit {
        static let requestBytesMax = 64 * 1024
        /// A time-to-live answer lists the lease's keys.
        static let responseBytesMax = 64 * 1024 * 1024
        /// One exchange with the leader.
        static let exchangeTimeoutMilliseconds: Int32 = 5_000
    }

    /// etcd's texts on this path.
    static let leaseNotFoundText = "lease not found"
    static let notPrimaryText = "not a primary lessor"
    static let expiringText = "lease expired, its revoke is under way"

    /// A lease's time to live as the leader reports it: TTL -1 for a lease it does not have
    /// (etcd's v3rpc answers that rather than an error), the keys sorted when asked for.
    static func timeToLive(_ request: LeaseTimeToLiveRequest, leases: LeaseTable, now: Int64) -> LeaseTimeToLiveResponse {
        leases.withLessor { lessor in
            let id = LeaseID(request.id)
            guard let lease = lessor.leases[id], let remaining = lessor.remainingSeconds(id, now: now) else {
                return LeaseTimeToLiveResponse(id: request.id, ttl: -1)
            }
            let keys = request.keys ? lease.keys.sorted { $0.lexicographicallyPrecedes($1) } : []
            return LeaseTimeToLiveResponse(id: request.id, ttl: remaining, grantedTTL: lease.ttl, keys: keys)
        }
    }

    // MARK: Leader side

    /// The peer server's answer to a forwarded lease request.
    /// `hasAppliedCommitted`: a lease missing while the apply thread is behind may just not be
    /// applied yet: the follower is told to ask again (etcd's handler waits for the applied
    /// index first).
    static func response(method: String, path: String, body: [UInt8], leases: LeaseTable, now: Int64,
                         hasAppliedCommitted: Bool, clusterID: ClusterID) -> PeerResponse {
        let preset = [(PeerHeader.clusterID, clusterID.description)]
        guard method == "POST" else {
            return .plainTextError(status: 405, text: "Method Not Allowed", presetHeaders: preset)
        }
        switch path {
        case PeerPath.leases:
            guard let request = try? LeaseKeepAliveRequest(serializedBytes: body) else {
                return .plainTextError(status: 400, text: "error unmarshalling request", presetHeaders: preset)
            }
            switch leases.withLessor({ $0.renew(LeaseID(request.id), now: now) }) {
            case .renewed(let ttl):
                return protobuf(LeaseKeepAliveResponse(id: request.id, ttl: ttl).serializedBytes(), preset: preset)
            case .notFound where !hasAppliedCommitted:
                return .plainTextError(status: 408, text: "waiting for the applied index", presetHeaders: preset)
            case .notFound:
                return .plainTextError(status: 404, text: leaseNotFoundText, presetHeaders: preset)
            case .notPrimary:
                return .plainTextError(status: 400, text: notPrimaryText, presetHeaders: preset)
            case .expiring:
                // etcd's handler would wait for the revoke; the follower asks again instead.
                return .plainTextError(status: 408, text: expiringText, presetHeaders: preset)
            }
        case PeerPath.leasesInternal:
            guard let wrapped = try? LeaseInternalRequest(serializedBytes: body),
                  let request = wrapped.leaseTimeToLiveRequest else {
                return .plainTextError(status: 400, text: "error unmarshalling request", presetHeaders: preset)
            }
            var response = timeToLive(request, leases: leases, now: now)
            guard response.ttl != -1 else {
                return hasAppliedCommitted
                    ? .plainTextError(status: 404, text: leaseNotFoundText, presetHeaders: preset)
                    : .plainTextError(status: 408, text: "waiting for the applied index", presetHeaders: preset)
            }
            response.header = ResponseHeader()
            return protobuf(LeaseInternalResponse(leaseTimeToLiveResponse: response).serializedBytes(), preset: preset)
        default:
            return .plainTextError(status: 400, text: "unknown request path \"\(path)\"", presetHeaders: preset)
        }
    }

    private static func protobuf(_ body: [UInt8], preset: [(String, String)]) -> PeerResponse {
        var fields = preset
        fields.append((PeerHeader.contentType, PeerHeader.contentTypeProtobuf))
        fields.sort { $0.0 < $1.0 }
        fields.append((PeerHeader.contentLength, String(body.count)))
        return PeerResponse(head: PeerHTTPResponseHead(status: 200, headers: PeerHTTPHeaders(fields)), body: body)
    }

    // MARK: Follower side

    /// What the leader said.
    enum Answer<Response: Sendable>: Sendable {
        case answered(Response)
        case notFound
        /// No usable answer (unreachable, not primary yet, garbage): try again.
        case retry
    }

    /// POSTs `body` to `path` on the first of `leaderURLs` that answers, over `connection`.
    static func exchange(path: String, body: [UInt8], leaderURLs: [String], connection: inout LeaderConnection,
                         dialTimeoutMilliseconds: Int32) -> Answer<[UInt8]> {
        for url in leaderURLs {
            guard let address = PeerAddress(url: url) else { continue }
            var request: [UInt8] = []
            PeerHTTPRequestHead(method: "POST", target: path,
                                headers: PeerHTTPHeaders([(PeerHeader.host, address.hostPort),
                                                          (PeerHeader.contentType, PeerHeader.contentTypeProtobuf),
                                                          (PeerHeader.contentLength, String(body.count))]))
                .encode(appendingTo: &request)
            request += body
            guard let answer = connection.exchange(
                request, with: address, dialTimeoutMilliseconds: dialTimeoutMilliseconds,
                timeoutMilliseconds: Limit.exchangeTimeoutMilliseconds, bodyBytesMax: Limit.responseBytesMax)
            else { continue }
            switch answer.head.status {
            case 200: return .answered(answer.body)
            case 404: return .notFound
            default: continue
            }
        }
        return .retry
    }
}
