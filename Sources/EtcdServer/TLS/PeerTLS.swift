import Synchronization

/// The peer port's TLS (etcd's `--peer-*` TLS flags): the server context for connections other
/// members dial to us, the client context we dial them with (the same certificate, presented
/// for `--peer-client-cert-auth`), and `--peer-cert-allowed-cn`.
///
/// Configured once at start (`install`), before any peer connection: every dial site (raft
/// streams, the pipeline, snapshots, forwarded requests, joining) goes through
/// `PeerSocket.connect(to:)`, which speaks TLS to https peer URLs with `current`'s client side.
final class PeerTLS: Sendable {
    let server: TLSContextSource
    let client: TLSContextSource
    /// The common name a peer's client certificate must carry ("" for any).
    let allowedCN: String

    init(files: TLSFiles, settings: TLSSettings, isSelfSigned: Bool) throws(TLSContext.Failure) {
        server = try TLSContextSource(files: files, settings: settings)
        client = try TLSContextSource(files: files, settings: settings, role: .client(skipVerify: isSelfSigned))
        allowedCN = files.allowedCN
    }

    private static let installed = Mutex<PeerTLS?>(nil)

    static func install(_ tls: PeerTLS?) { installed.withLock { $0 = tls } }
    static var current: PeerTLS? { installed.withLock { $0 } }

    /// Limits on the handshake of a peer connection.
    enum Limit {
        static let handshakeMilliseconds: Int32 = 5_000
    }
}
