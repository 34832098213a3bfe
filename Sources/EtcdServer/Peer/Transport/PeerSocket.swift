import CShim
import Glibc

/// One peer connection's descriptor, used from a single transport thread at a time with
/// blocking semantics built on nonblocking I/O and poll: every wait has a timeout, so a peer
/// that stops reading or writing (a partition, a paused process) ties a thread up for at most
/// that long, and `shutdown()` from another thread wakes it at once.
final class PeerSocket: @unchecked Sendable {
    // @unchecked: `fd` is fixed at init; reads and writes happen on one thread at a time (the
    // owner hands the socket over, never shares it); `shutdown` is the only cross-thread call
    // and is safe on a live descriptor.
    let fd: Int32
    private var isClosed = false
    /// Set by `startTLS`: from then on reads and writes go through it.
    private var tls: TLSSession?
    /// Ciphertext read from the socket (TLS only).
    private var ciphertext: [UInt8] = []

    enum Outcome: Error {
        case timedOut
        case closed
    }

    init(fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    /// Ends both directions: a thread blocked reading or writing this socket returns.
    func shutdown() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Connects to a peer URL's address, waiting at most `timeoutMilliseconds`, and for an
    /// https one completes the TLS handshake (the peer's certificate must name the host).
    static func connect(to address: PeerAddress, timeoutMilliseconds: Int32) -> PeerSocket? {
        guard let socket = connect(host: address.host, port: address.port, timeoutMilliseconds: timeoutMilliseconds) else {
            return nil
        }
        guard address.isSecure else { return socket }
        guard let tls = PeerTLS.current, let session = TLSSession(clientContext: tls.client.current(), host: address.host) else {
            return nil
        }
        do {
            try socket.startTLS(session, timeoutMilliseconds: max(timeoutMilliseconds, PeerTLS.Limit.handshakeMilliseconds))
        } catch {
            return nil
        }
        // etcd checks --peer-cert-allowed-cn on the certificates of both ends: a member whose
        // certificate lacks it is cut off both ways.
        guard tls.allowedCN.isEmpty || socket.peerCommonName == tls.allowedCN else { return nil }
        return socket
    }

    /// Connects to `host:port` (numeric or a name), waiting at most `timeoutMilliseconds`.
    static func connect(host: String, port: Int, timeoutMilliseconds: Int32) -> PeerSocket? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else { return nil }
        defer { freeaddrinfo(first) }
        var chosen = first
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET { chosen = entry; break }
            cursor = entry.pointee.ai_next
        }
        let fd = socket(chosen.pointee.ai_family,
                        Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        let socket = PeerSocket(fd: fd)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if Glibc.connect(fd, chosen.pointee.ai_addr, chosen.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS, socket.wait(for: Int16(POLLOUT), timeoutMilliseconds: timeoutMilliseconds) else {
                return nil
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return nil }
        }
        return socket
    }

    /// Runs the TLS handshake with `session` (server or client side), each wait bounded, and
    /// speaks TLS from then on.
    func startTLS(_ session: TLSSession, timeoutMilliseconds: Int32) throws(Outcome) {
        if ciphertext.isEmpty { ciphertext = [UInt8](repeating: 0, count: Self.ciphertextBytes) }
        while true {
            let step = session.handshake()
            try flush(session, timeoutMilliseconds: timeoutMilliseconds)
            guard let isDone = step else { throw .closed }
            if isDone { break }
            try readCiphertext(into: session, timeoutMilliseconds: timeoutMilliseconds)
        }
        tls = session
    }

    /// The verified certificate's common name of the peer on a TLS socket.
    var peerCommonName: String? { tls?.peerCommonName }

    static let ciphertextBytes = 64 * 1024

    /// Reads what ciphertext the socket has (waiting for some) and feeds it to `session`.
    private func readCiphertext(into session: TLSSession, timeoutMilliseconds: Int32) throws(Outcome) {
        let result = ciphertext.withUnsafeMutableBytes { buffer -> Result<Int, Outcome> in
            do throws(Outcome) {
                return .success(try rawRead(into: buffer, timeoutMilliseconds: timeoutMilliseconds))
            } catch {
                return .failure(error)
            }
        }
        let count = try result.get()
        let isFed = ciphertext.withUnsafeBytes { session.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        guard isFed else { throw .closed }
    }

    /// Writes the ciphertext `session` has waiting.
    private func flush(_ session: TLSSession, timeoutMilliseconds: Int32) throws(Outcome) {
        var output: [UInt8] = []
        session.takeOutput(into: &output)
        if !output.isEmpty { try rawWrite(output, timeoutMilliseconds: timeoutMilliseconds) }
    }

    /// Reads what is available (up to `buffer.count` bytes of plaintext), waiting at most
    /// `timeoutMilliseconds` for the first byte.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int32) throws(Outcome) -> Int {
        guard let tls else { return try rawRead(into: buffer, timeoutMilliseconds: timeoutMilliseconds) }
        while true {
            switch tls.read(into: buffer) {
            case .plaintext(let count):
                return count
            case .closed, .failed:
                throw .closed
            case .needsMore:
                try flush(tls, timeoutMilliseconds: timeoutMilliseconds)
                try readCiphertext(into: tls, timeoutMilliseconds: timeoutMilliseconds)
            }
        }
    }

    private func rawRead(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int32) throws(Outcome) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return n }
            if n == 0 { throw .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                guard wait(for: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds) else { throw .timedOut }
            default: throw .closed
            }
        }
    }

    /// Reads up to `maximum` bytes (see `read(into:)`).
    func read(maximum: Int, timeoutMilliseconds: Int32) throws(Outcome) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: maximum)
        let result = bytes.withUnsafeMutableBytes { buffer -> Result<Int, Outcome> in
            do throws(Outcome) {
                return .success(try read(into: buffer, timeoutMilliseconds: timeoutMilliseconds))
            } catch {
                return .failure(error)
            }
        }
        let count = try result.get()
        bytes.removeLast(maximum - count)
        return bytes
    }

    /// Writes all of `bytes`, each wait for buffer space at most `timeoutMilliseconds`.
    func write(_ bytes: [UInt8], timeoutMilliseconds: Int32) throws(Outcome) {
        guard let tls else { return try rawWrite(bytes, timeoutMilliseconds: timeoutMilliseconds) }
        let isEncrypted = bytes.withUnsafeBytes { tls.write($0) }
        guard isEncrypted else { throw .closed }
        try flush(tls, timeoutMilliseconds: timeoutMilliseconds)
    }

    private func rawWrite(_ bytes: [UInt8], timeoutMilliseconds: Int32) throws(Outcome) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + written, $0.count - written, Int32(MSG_NOSIGNAL)) }
            if n > 0 { written += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard wait(for: Int16(POLLOUT), timeoutMilliseconds: timeoutMilliseconds) else { throw .timedOut }
                continue
            }
            throw .closed
        }
    }

    /// Whether the socket became ready for `events` (or failed, which the next call reports)
    /// within the timeout.
    private func wait(for events: Int16, timeoutMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let rc = poll(&descriptor, 1, timeoutMilliseconds)
            if rc < 0 && errno == EINTR { continue }
            return rc > 0
        }
    }
}
