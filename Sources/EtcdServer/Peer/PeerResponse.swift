// Whole responses etcd's peer handlers write, head and body, ready to encode.

import EtcdBasics

/// A complete response: head plus (small, fixed) body.
///
/// Header fields are listed in the order Go writes them (sorted by name), without `Date` (a
/// sans-I/O layer has no clock; HTTP lets a server without one omit it).
public struct PeerResponse: Sendable, Equatable {
    public var head: PeerHTTPResponseHead
    public var body: [UInt8]

    public init(head: PeerHTTPResponseHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }

    /// Appends head and body.
    public func encode(appendingTo bytes: inout [UInt8]) {
        head.encode(appendingTo: &bytes)
        bytes.append(contentsOf: body)
    }

    /// 204 after a pipeline or snapshot message was handed to raft; the sender's pipeline counts
    /// only 204 as delivered (and reports MsgSnap done on it).
    public static func delivered(clusterID: ClusterID) -> PeerResponse {
        PeerResponse(head: PeerHTTPResponseHead(status: 204, headers: PeerHTTPHeaders([
            (PeerHeader.clusterID, clusterID.description),
        ])))
    }

    /// 200 that opens a stream: etcd flushes this head at once, then writes frames as chunks.
    public static func streamAccepted(clusterID: ClusterID) -> PeerResponse {
        PeerResponse(head: PeerHTTPResponseHead(status: 200, headers: PeerHTTPHeaders([
            (PeerHeader.clusterID, clusterID.description),
            (PeerHeader.serverVersion, PeerHeader.localServerVersion),
            (PeerHeader.transferEncoding, "chunked"),
        ])))
    }

    /// What Go's `http.Error(w, text, status)` writes after the handler set `presetHeaders`: the
    /// text plus a newline as `text/plain`, with `nosniff`.
    public static func plainTextError(status: Int, text: String, presetHeaders: [(String, String)]) -> PeerResponse {
        let body = Array((text + "\n").utf8)
        var fields = presetHeaders
        fields.append((PeerHeader.contentType, PeerHeader.contentTypePlainText))
        fields.append((PeerHeader.contentTypeOptions, "nosniff"))
        fields.sort { $0.0 < $1.0 }
        fields.append((PeerHeader.contentLength, String(body.count)))
        return PeerResponse(head: PeerHTTPResponseHead(status: status, headers: PeerHTTPHeaders(fields)), body: body)
    }

    /// What etcd's `httptypes.HTTPError.WriteTo` writes: `{"message":…}` as JSON (how
    /// `EtcdServer.Process` refuses a message from a removed member, 403).
    public static func jsonError(status: Int, message: String, presetHeaders: [(String, String)]) -> PeerResponse {
        precondition(!message.utf8.contains { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }, "message needs JSON escaping")
        let body = Array(("{\"message\":\"" + message + "\"}").utf8)
        var fields = presetHeaders
        fields.append((PeerHeader.contentType, PeerHeader.contentTypeJSON))
        fields.sort { $0.0 < $1.0 }
        fields.append((PeerHeader.contentLength, String(body.count)))
        return PeerResponse(head: PeerHTTPResponseHead(status: status, headers: PeerHTTPHeaders(fields)), body: body)
    }
}
