// The ways etcd 3.4's peer handlers refuse a request, with the exact status and text each writes
// (rafthttp/http.go, etcdserver.Process, etcdhttp's mux). etcd's own senders act on these texts:
// a 412 whose body is "cluster ID mismatch" or "incompatible version" becomes a typed error,
// 410 on a stream dial and 403 on a POST mean "this member was removed" and stop the member.

import EtcdBasics

/// A refusal, before or after the body was read.
public enum PeerRejection: Error, Sendable, Equatable {
    /// Wrong method for the endpoint: 405 with `Allow`.
    case methodNotAllowed(allow: String)
    /// The sender's X-Server-Version / X-Min-Cluster-Version do not overlap ours: 412.
    case incompatibleVersion
    /// X-Etcd-Cluster-Id is not our cluster's: 412.
    case clusterIDMismatch
    /// A stream path that is neither /raft/stream/message/ nor /raft/stream/msgapp/: 404.
    case invalidStreamPath
    /// The stream path's last segment is not a hex member ID: 404.
    case invalidFrom
    /// A stream dial from a member removed from the cluster: 410.
    case removedMember
    /// A stream dial from a member we do not know (yet): 404.
    case senderNotFound
    /// A stream dial whose X-Raft-To is not our ID: 412.
    case toFieldMismatch
    /// A pipeline body that is not a raftpb.Message: 400.
    case unmarshalFailed
    /// A snapshot body whose leading message could not be read: 400, with the reason.
    case snapshotDecodeFailed(PeerStreamError)
    /// A snapshot body whose message is not MsgSnap: 400.
    case wrongSnapshotMessageType
    /// A pipeline or snapshot message from a removed member (EtcdServer.Process): 403, JSON.
    case messageFromRemovedMember
    /// No handler for the path: Go's `http.NotFound`.
    case notFound

    /// The HTTP status etcd answers with.
    public var status: Int {
        switch self {
        case .methodNotAllowed: 405
        case .incompatibleVersion, .clusterIDMismatch, .toFieldMismatch: 412
        case .invalidStreamPath, .invalidFrom, .senderNotFound, .notFound: 404
        case .removedMember: 410
        case .unmarshalFailed, .snapshotDecodeFailed, .wrongSnapshotMessageType: 400
        case .messageFromRemovedMember: 403
        }
    }

    /// The body text (without the newline Go's `http.Error` appends).
    public var text: String {
        switch self {
        case .methodNotAllowed: "Method Not Allowed"
        case .incompatibleVersion: "incompatible version"
        case .clusterIDMismatch: "cluster ID mismatch"
        case .invalidStreamPath: "invalid path"
        case .invalidFrom: "invalid from"
        case .removedMember: "removed member"
        case .senderNotFound: "error sender not found"
        case .toFieldMismatch: "to field mismatch"
        case .unmarshalFailed: "error unmarshalling raft message"
        case .snapshotDecodeFailed(let error): "failed to decode raft message (\(error))"
        case .wrongSnapshotMessageType: "wrong raft message type"
        case .messageFromRemovedMember: "cannot process message from removed member"
        case .notFound: "404 page not found"
        }
    }

    /// The whole response etcd writes for this refusal from `endpoint`'s handler.
    ///
    /// Which fields precede the error depends on how far the handler got: none for 405 and the
    /// mux's 404; X-Etcd-Cluster-Id from then on; the stream handler also sets X-Server-Version.
    public func response(from endpoint: PeerEndpoint, clusterID: ClusterID) -> PeerResponse {
        var preset: [(String, String)] = []
        switch self {
        case .methodNotAllowed(let allow):
            preset = [(PeerHeader.allow, allow)]
        case .notFound:
            break
        default:
            if endpoint == .stream { preset.append((PeerHeader.serverVersion, PeerHeader.localServerVersion)) }
            preset.append((PeerHeader.clusterID, clusterID.description))
        }
        if self == .messageFromRemovedMember {
            return .jsonError(status: status, message: text, presetHeaders: preset)
        }
        return .plainTextError(status: status, text: text, presetHeaders: preset)
    }
}
