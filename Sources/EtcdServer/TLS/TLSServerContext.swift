import CShim

/// An OpenSSL server context built from one side's TLS files (etcd's `TLSInfo.ServerConfig`):
/// certificate and key, the CA that client certificates must chain to when they are required,
/// a CRL, the cipher list, TLS 1.2 at least, ALPN h2. Immutable once built; sessions made from
/// it keep it alive, so a reload can replace it while connections go on.
final class TLSServerContext: @unchecked Sendable {
    // @unchecked: an SSL_CTX is not changed after it is built, and OpenSSL lets any thread make
    // sessions from it.
    let pointer: UnsafeMutableRawPointer

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(files: TLSFiles, cipherList: String) throws(Failure) {
        var message = [CChar](repeating: 0, count: 512)
        guard let context = swetcd_tls_server_context(
            files.certFile, files.keyFile, files.trustedCAFile, files.crlFile,
            files.clientCertAuth ? 1 : 0, cipherList, 1, &message, message.count)
        else {
            throw Failure(description: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        pointer = context
    }

    deinit { swetcd_tls_context_free(pointer) }
}
