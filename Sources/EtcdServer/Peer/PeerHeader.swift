// The HTTP header fields etcd's peers exchange, spelled as they travel on the wire.
//
// etcd's Go code sets "X-Etcd-Cluster-ID" and "X-PeerURLs", but Go's net/http canonicalizes field
// names before writing them, so the bytes on the wire read "X-Etcd-Cluster-Id" and
// "X-Peerurls" (captured from etcd 3.4.23, see Scripts/peerwire-capture). HTTP field names are
// case-insensitive, so readers must compare with `HTTPHeaders.value(for:)`, never byte-wise;
// writers use these spellings so a swetcd member's requests are byte-for-byte an etcd member's.

/// Header field names and values of etcd 3.4's peer protocol.
public enum PeerHeader {
    /// The sender's cluster ID (hex); a mismatch is answered 412 "cluster ID mismatch".
    public static let clusterID = "X-Etcd-Cluster-Id"
    /// The sending member's ID (hex).
    public static let serverFrom = "X-Server-From"
    /// The sender's etcd version ("3.4.23"); absent means 2.0.0.
    public static let serverVersion = "X-Server-Version"
    /// The oldest cluster version the sender can work in ("3.0.0"); absent means 2.0.0.
    public static let minClusterVersion = "X-Min-Cluster-Version"
    /// On a stream dial: the member the dialer believes it is talking to (hex).
    public static let raftTo = "X-Raft-To"
    /// The sender's peer URLs, comma-separated, so the receiver can dial back an unknown member.
    public static let peerURLs = "X-Peerurls"
    public static let contentType = "Content-Type"
    public static let contentLength = "Content-Length"
    public static let transferEncoding = "Transfer-Encoding"
    public static let connection = "Connection"
    public static let host = "Host"
    public static let allow = "Allow"
    public static let contentTypeOptions = "X-Content-Type-Options"

    /// Pipeline bodies (`POST /raft`): one raftpb.Message.
    public static let contentTypeProtobuf = "application/protobuf"
    /// Snapshot bodies (`POST /raft/snapshot`): message then db bytes.
    public static let contentTypeOctetStream = "application/octet-stream"
    /// What Go's `http.Error` labels its plain-text error bodies with.
    public static let contentTypePlainText = "text/plain; charset=utf-8"
    public static let contentTypeJSON = "application/json"

    /// The server version swetcd announces: etcd's, so etcd peers treat it as one of their own.
    public static let localServerVersion = EtcdVersion.etcdCompatibleVersion
    /// The oldest cluster version an etcd 3.4 member runs in (etcd's `version.MinClusterVersion`).
    public static let localMinClusterVersion = "3.0.0"
}
