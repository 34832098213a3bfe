// The checks etcd 3.4's pipeline, snapshot and stream handlers run on a request head, in their
// order, before any body is read (rafthttp/http.go).

import EtcdBasics

/// What a peer request head turned out to be, once etcd's checks passed.
public enum PeerAcceptedRequest: Sendable, Equatable {
    /// `POST /raft`: read the body (Content-Length), decode one raftpb.Message.
    case pipeline
    /// `POST /raft/snapshot`: feed the body to a `SnapshotBodyDecoder`.
    case snapshot
    /// `GET /raft/stream/<kind>/<from>`: answer `PeerResponse.streamAccepted`, then write frames
    /// for `from` as chunks.
    case stream(PeerStreamType, from: MemberID)
}

/// This member's view, as the handlers need it.
public struct PeerLocalIdentity: Sendable, Equatable {
    public var memberID: MemberID
    public var clusterID: ClusterID

    public init(memberID: MemberID, clusterID: ClusterID) {
        self.memberID = memberID
        self.clusterID = clusterID
    }
}

public enum PeerRequestCheck {
    /// Runs the checks of the raft handler `endpoint` on `head`; returns what to serve or throws
    /// the refusal etcd would answer with (`PeerRejection.response(from:clusterID:)` renders it).
    ///
    /// Order, as etcd: method; version compatibility; cluster ID; then, for streams only: path
    /// kind, sender ID, removed sender (`isRemoved`), unknown sender (`isKnownPeer`), X-Raft-To.
    /// `isKnownPeer` is etcd's transport peer lookup (members other than this one).
    public static func check(
        _ head: PeerHTTPRequestHead, endpoint: PeerEndpoint, local: PeerLocalIdentity,
        isRemoved: (MemberID) -> Bool, isKnownPeer: (MemberID) -> Bool
    ) throws(PeerRejection) -> PeerAcceptedRequest {
        switch endpoint {
        case .pipeline, .snapshot:
            guard head.method == "POST" else { throw .methodNotAllowed(allow: "POST") }
            try checkCluster(head.headers, local: local)
            return endpoint == .pipeline ? .pipeline : .snapshot
        case .stream:
            guard head.method == "GET" else { throw .methodNotAllowed(allow: "GET") }
            try checkCluster(head.headers, local: local)
            let (kind, from) = try streamTarget(head.path)
            if isRemoved(from) { throw .removedMember }
            if !isKnownPeer(from) { throw .senderNotFound }
            guard head.headers.value(for: PeerHeader.raftTo) == local.memberID.description else {
                throw .toFieldMismatch
            }
            return .stream(kind, from: from)
        default:
            preconditionFailure("\(endpoint) is not a raft transport endpoint")
        }
    }

    /// etcd's `checkClusterCompatibilityFromHeader`: versions first, then the cluster ID
    /// (compared as the hex text etcd prints).
    static func checkCluster(_ headers: PeerHTTPHeaders, local: PeerLocalIdentity) throws(PeerRejection) {
        guard PeerVersionCheck.isCompatible(serverVersion: headers.value(for: PeerHeader.serverVersion),
                                            minClusterVersion: headers.value(for: PeerHeader.minClusterVersion))
        else { throw .incompatibleVersion }
        guard headers.value(for: PeerHeader.clusterID) == local.clusterID.description else {
            throw .clusterIDMismatch
        }
    }

    /// Splits `/raft/stream/<kind>/<from>` as etcd does with `path.Dir` / `path.Base`.
    static func streamTarget(_ path: String) throws(PeerRejection) -> (PeerStreamType, MemberID) {
        guard let slash = path.lastIndex(of: "/") else { throw .invalidStreamPath }
        let dir = String(path[..<slash])
        let base = String(path[path.index(after: slash)...])
        guard let kind = PeerStreamType.allCases.first(where: { $0.endpoint == dir }) else {
            throw .invalidStreamPath
        }
        // types.IDFromString: strconv.ParseUint(s, 16, 64).
        let isHex = base.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) }
        guard !base.isEmpty, isHex, base.utf8.count <= 16, let id = UInt64(base, radix: 16) else { throw .invalidFrom }
        return (kind, MemberID(id))
    }
}
