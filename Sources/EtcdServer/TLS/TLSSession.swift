import CShim

/// One connection's TLS: ciphertext in from the socket, plaintext out to the HTTP/2 session,
/// and back the other way. Confined to the connection's event loop.
final class TLSSession {
    enum ReadResult {
        /// `count` plaintext bytes are at the start of the buffer.
        case plaintext(count: Int)
        /// Everything fed so far is consumed (there may be handshake output to send).
        case needsMore
        /// The peer closed the TLS session.
        case closed
        /// Handshake refused or a bad record: the connection must close.
        case failed
    }

    private let pointer: UnsafeMutableRawPointer
    /// Keeps the context alive for as long as the session (OpenSSL counts it too).
    let context: TLSContext

    /// A server-side session (on a connection accepted on a TLS listener).
    init?(context: TLSContext) {
        precondition(context.isServer)
        guard let session = swetcd_tls_session_new(context.pointer) else { return nil }
        pointer = session
        self.context = context
    }

    /// A client-side session to `host`, whose certificate must name it.
    init?(clientContext context: TLSContext, host: String) {
        precondition(!context.isServer)
        guard let session = swetcd_tls_session_new_client(context.pointer, host) else { return nil }
        pointer = session
        self.context = context
    }

    /// One step of the handshake: true when done, false when more input is needed (send the
    /// output first); nil when it failed.
    func handshake() -> Bool? {
        switch swetcd_tls_handshake(pointer) {
        case 1: return true
        case 0: return false
        default: return nil
        }
    }

    deinit { swetcd_tls_session_free(pointer) }

    /// Ciphertext read from the socket; false when OpenSSL could not take it.
    func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        swetcd_tls_feed(pointer, bytes.baseAddress, bytes.count) == 0
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        let count = swetcd_tls_read(pointer, buffer.baseAddress, buffer.count)
        switch count {
        case 1...: return .plaintext(count: count)
        case 0: return .needsMore
        case -2: return .closed
        default: return .failed
        }
    }

    /// Encrypts all of `plaintext` into the pending ciphertext; false on a fatal error or if
    /// the handshake has not finished (the HTTP/2 side writes nothing before it reads).
    func write(_ plaintext: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < plaintext.count {
            let written = swetcd_tls_write(pointer, plaintext.baseAddress! + offset, plaintext.count - offset)
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Appends the ciphertext waiting for the socket to `output`.
    func takeOutput(into output: inout [UInt8]) {
        let pending = swetcd_tls_output_pending(pointer)
        guard pending > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: pending))
        let taken = output.withUnsafeMutableBytes { bytes in
            swetcd_tls_take_output(pointer, bytes.baseAddress! + start, pending)
        }
        output.removeLast(pending - taken)
    }

    /// Why the session failed ("" while it has not).
    var failure: String { String(cString: swetcd_tls_failure(pointer)) }

    /// The verified client certificate's common name (etcd's user for auth), if any.
    var peerCommonName: String? {
        var name = [CChar](repeating: 0, count: 256)
        let length = swetcd_tls_peer_common_name(pointer, &name, name.count)
        guard length > 0 else { return nil }
        return String(decoding: name.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
