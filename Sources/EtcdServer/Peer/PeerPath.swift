// The URL paths of etcd 3.4's peer port (rafthttp's mux plus etcdhttp's peer handler).
//
// A member listens on its peer URL for these; another etcd (or swetcd) member dials them. The
// spellings are the protocol: an etcd member mixed into a swetcd cluster asks for exactly these.

import EtcdBasics

/// Paths served on the peer port, as etcd 3.4 registers them.
public enum PeerPath {
    /// Pipeline: `POST` one length-less raftpb.Message as the whole body (`application/protobuf`).
    public static let raft = "/raft"
    /// Parent of both long-lived stream endpoints: `GET /raft/stream/<kind>/<sender ID>`.
    public static let raftStreamPrefix = "/raft/stream"
    /// `POST` a MsgSnap (length-prefixed) followed by the raw backend db (`application/octet-stream`).
    public static let raftSnapshot = "/raft/snapshot"
    /// Health probe used by peers' probers (`GET`, JSON answer).
    public static let raftProbing = "/raft/probing"
    /// `GET` the cluster's members as JSON (what a joining member or `--initial-cluster-state
    /// existing` asks for).
    public static let members = "/members"
    /// `POST /members/promote/<id>`: a learner asks the leader to promote it.
    public static let membersPromotePrefix = "/members/promote/"
    /// `GET` `{"etcdserver":…,"etcdcluster":…}`; the leader polls it to decide the cluster version.
    public static let version = "/version"
    /// A follower's forwarded keep-alive (etcd's `leasehttp.LeasePrefix`).
    public static let leases = "/leases"
    /// A follower's forwarded time-to-live (etcd's `leasehttp.LeaseInternalPrefix`).
    public static let leasesInternal = "/leases/internal"

    /// The path a member dials on a peer to receive `kind` messages: the dialer puts its own ID
    /// (lower-case hex, as etcd prints IDs) last, so the serving peer knows who is listening.
    public static func stream(_ kind: PeerStreamType, from dialer: MemberID) -> String {
        kind.endpoint + "/" + dialer.description
    }
}

/// The two kinds of long-lived stream etcd keeps between each pair of members.
public enum PeerStreamType: Sendable, Hashable, CaseIterable {
    /// Every message type, each as an 8-byte big-endian length and the raftpb.Message bytes.
    case message
    /// MsgApp only, in the stateful msgappv2 framing (see `MsgAppV2Encoder`).
    case msgAppV2

    /// The path prefix etcd serves this stream under (the sender ID follows it).
    public var endpoint: String {
        switch self {
        case .message: PeerPath.raftStreamPrefix + "/message"
        case .msgAppV2: PeerPath.raftStreamPrefix + "/msgapp"
        }
    }

    /// etcd's name for the stream in its logs ("stream Message", "stream MsgApp v2").
    public var name: String {
        switch self {
        case .message: "stream Message"
        case .msgAppV2: "stream MsgApp v2"
        }
    }
}
