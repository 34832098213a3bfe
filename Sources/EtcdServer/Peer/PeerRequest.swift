// The requests an etcd member sends its peers, with the fields etcd sets, in the order Go writes
// them (Host, then Content-Length or Transfer-Encoding, then the handler's fields sorted by name).
// Go's client also adds "User-Agent: Go-http-client/1.1" and "Accept-Encoding: gzip"; swetcd
// sends neither (it would have to undo gzip, and etcd's peer handlers never compress).

import EtcdBasics

/// Who is sending: the fields every peer request carries.
public struct PeerSender: Sendable, Equatable {
    public var memberID: MemberID
    public var clusterID: ClusterID
    /// This member's advertised peer URLs (X-Peerurls); etcd omits the field when empty.
    public var peerURLs: [String]

    public init(memberID: MemberID, clusterID: ClusterID, peerURLs: [String]) {
        self.memberID = memberID
        self.clusterID = clusterID
        self.peerURLs = peerURLs
    }
}

public enum PeerRequest {
    /// `GET /raft/stream/<kind>/<our ID>` to `remote` at `host` (etcd's streamReader.dial).
    public static func streamDial(_ kind: PeerStreamType, to remote: MemberID, host: String, sender: PeerSender) -> PeerHTTPRequestHead {
        var fields = commonFields(sender)
        fields.append((PeerHeader.raftTo, remote.description))
        fields.sort { $0.0 < $1.0 }
        return PeerHTTPRequestHead(method: "GET", target: PeerPath.stream(kind, from: sender.memberID),
                                   headers: PeerHTTPHeaders([(PeerHeader.host, host)] + fields))
    }

    /// `POST /raft` carrying one encoded message of `bodyLength` bytes (etcd's pipeline.post).
    public static func pipelinePost(bodyLength: Int, host: String, sender: PeerSender) -> PeerHTTPRequestHead {
        post(PeerPath.raft, contentType: PeerHeader.contentTypeProtobuf,
             framing: (PeerHeader.contentLength, String(bodyLength)), host: host, sender: sender)
    }

    /// `POST /raft/snapshot` with a chunked body: `SnapshotBodyEncoder`'s head, then the db
    /// (etcd's snapshotSender; Go sends it chunked because the body's length is not given).
    public static func snapshotPost(host: String, sender: PeerSender) -> PeerHTTPRequestHead {
        post(PeerPath.raftSnapshot, contentType: PeerHeader.contentTypeOctetStream,
             framing: (PeerHeader.transferEncoding, "chunked"), host: host, sender: sender)
    }

    private static func post(_ path: String, contentType: String, framing: (String, String), host: String,
                             sender: PeerSender) -> PeerHTTPRequestHead {
        var fields = commonFields(sender)
        fields.append((PeerHeader.contentType, contentType))
        fields.sort { $0.0 < $1.0 }
        return PeerHTTPRequestHead(method: "POST", target: path,
                                   headers: PeerHTTPHeaders([(PeerHeader.host, host), framing] + fields))
    }

    private static func commonFields(_ sender: PeerSender) -> [(String, String)] {
        var fields = [
            (PeerHeader.serverFrom, sender.memberID.description),
            (PeerHeader.serverVersion, PeerHeader.localServerVersion),
            (PeerHeader.minClusterVersion, PeerHeader.localMinClusterVersion),
            (PeerHeader.clusterID, sender.clusterID.description),
        ]
        if !sender.peerURLs.isEmpty { fields.append((PeerHeader.peerURLs, sender.peerURLs.joined(separator: ","))) }
        return fields
    }
}
