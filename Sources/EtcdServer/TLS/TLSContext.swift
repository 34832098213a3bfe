import CShim

/// An OpenSSL context, server or client side, built from one side's TLS files (etcd's
/// `TLSInfo.ServerConfig` / `ClientConfig`). Immutable once built; sessions made from it keep
/// it alive, so a reload can replace it while connections go on.
final class TLSContext: @unchecked Sendable {
    // @unchecked: an SSL_CTX is not changed after it is built, and OpenSSL lets any thread make
    // sessions from it.
    let pointer: UnsafeMutableRawPointer
    let isServer: Bool

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The server side: certificate and key, the CA that client certificates must chain to
    /// when they are required, a CRL, the cipher list, TLS 1.2 at least, ALPN h2.
    init(serverFiles files: TLSFiles, settings: TLSSettings) throws(Failure) {
        var message = [CChar](repeating: 0, count: 512)
        guard let context = swetcd_tls_server_context(
            files.certFile, files.keyFile, files.trustedCAFile, files.crlFile,
            files.clientCertAuth ? 1 : 0, settings.cipherList, 1, settings.minimumVersion, settings.maximumVersion,
            &message, message.count)
        else { throw Failure(description: Self.text(message)) }
        pointer = context
        isServer = true
    }

    /// The client side (a peer dialing a peer): our certificate for mutual TLS, the CA the
    /// server's certificate must chain to (unless `skipVerify`, etcd's choice for self-signed
    /// peers), a CRL, the cipher list.
    init(clientFiles files: TLSFiles, settings: TLSSettings, skipVerify: Bool) throws(Failure) {
        var message = [CChar](repeating: 0, count: 512)
        guard let context = swetcd_tls_client_context(
            files.certFile, files.keyFile, files.trustedCAFile, files.crlFile, settings.cipherList, skipVerify ? 1 : 0,
            settings.minimumVersion, settings.maximumVersion, &message, message.count)
        else { throw Failure(description: Self.text(message)) }
        pointer = context
        isServer = false
    }

    deinit { swetcd_tls_context_free(pointer) }

    private static func text(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What both sides' contexts share: `--cipher-suites` (as OpenSSL's list) and
/// `--tls-min-version` / `--tls-max-version` (protocol numbers, 0 for the defaults).
struct TLSSettings: Sendable, Equatable {
    var cipherList = ""
    var minimumVersion: Int32 = 0
    var maximumVersion: Int32 = 0
}
