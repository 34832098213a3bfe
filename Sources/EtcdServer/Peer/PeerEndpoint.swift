// Which handler etcd's peer-port mux gives a path to (etcdhttp.newPeerHandler + rafthttp's mux).

/// The handler a request path reaches on etcd 3.4's peer port.
public enum PeerEndpoint: Sendable, Equatable {
    /// `/raft`: one message per POST.
    case pipeline
    /// `/raft/stream/…`: long-lived GET (the stream handler checks the rest of the path itself).
    case stream
    /// `/raft/snapshot`.
    case snapshot
    /// `/raft/probing`.
    case probing
    /// `/members`.
    case members
    /// `/members/promote/<id>`.
    case membersPromote
    /// `/version`.
    case version
    /// Lease forwarding (`/leases`, `/leases/internal`) and `/members/hashkv`: served by etcd
    /// but outside raft's wire; the caller decides.
    case other(String)
    /// Anything else: Go's `http.NotFound` ("404 page not found").
    case notFound

    /// Routes `path` as Go's ServeMux does with etcd's patterns (exact "/raft", "/members",
    /// "/version", "/raft/probing", "/raft/snapshot"; subtrees "/raft/stream/",
    /// "/members/promote/"). Longest pattern wins; "/raft/…" paths that match no rafthttp pattern
    /// reach rafthttp's own mux, which answers 404 too.
    public init(path: String) {
        switch path {
        case PeerPath.raft: self = .pipeline
        case PeerPath.raftSnapshot: self = .snapshot
        case PeerPath.raftProbing: self = .probing
        case PeerPath.members: self = .members
        case PeerPath.version: self = .version
        case "/leases", "/leases/internal", "/members/hashkv": self = .other(path)
        default:
            if path.hasPrefix(PeerPath.raftStreamPrefix + "/") {
                self = .stream
            } else if path.hasPrefix(PeerPath.membersPromotePrefix) {
                self = .membersPromote
            } else {
                self = .notFound
            }
        }
    }
}
