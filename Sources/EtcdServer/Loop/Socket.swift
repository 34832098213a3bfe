import CShim
import Glibc

/// POSIX socket calls, each wrapped once. Every descriptor is nonblocking and close-on-exec.
enum Socket {
    /// An operating error from a socket call: the failing call's name and errno.
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let errno: Int32
        var description: String { "\(call): \(String(cString: strerror(errno)))" }
    }

    /// Opens a listening TCP socket on `host:port` with SO_REUSEADDR and SO_REUSEPORT, so that
    /// every event loop can hold its own listener on the same port and the kernel spreads
    /// connections across them. `host` may be a name ("localhost" binds its IPv4 loopback, as
    /// Go's net.Listen does), an IPv4 literal or a bracket-less IPv6 literal.
    static func listen(host: String, port: UInt16, backlog: Int32 = 1024) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let lookupHost = host.isEmpty ? nil : host
        let rc = getaddrinfo(lookupHost, String(port), &hints, &results)
        guard rc == 0, let first = results else { throw Failure(call: "getaddrinfo(\(host))", errno: EINVAL) }
        defer { freeaddrinfo(first) }
        // Prefer IPv4 when a name resolves to both, like Go's resolver does for "localhost".
        var chosen = first
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET { chosen = entry; break }
            cursor = entry.pointee.ai_next
        }
        let fd = socket(chosen.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, chosen.pointee.ai_addr, chosen.pointee.ai_addrlen) == 0 else {
            let failure = Failure(call: "bind \(host):\(port)", errno: errno)
            close(fd)
            throw failure
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let failure = Failure(call: "listen", errno: errno)
            close(fd)
            throw failure
        }
        return fd
    }

    /// Accepts one pending connection; nil when none is pending (EAGAIN) or on a transient error.
    static func accept(_ listener: Int32) -> Int32? {
        let fd = swetcd_accept_nonblocking(listener)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        // gRPC is request/response over small frames: Nagle's delay would add 40 ms per reply.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    enum ReadOutcome {
        case bytes(Int)
        case wouldBlock
        case closed
    }

    /// Reads into `buffer`; `.closed` on EOF or a hard error.
    /// The remote `host:port` of a connected socket (IPv4 or IPv6), "" when unknown.
    static func peerAddress(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
        }
        guard ok else { return "" }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                            NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard status == 0 else { return "" }
        let text = { (characters: [CChar]) in
            String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let hostText = text(host)
        return (hostText.contains(":") ? "[\(hostText)]" : hostText) + ":" + text(service)
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadOutcome {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .closed
            }
        }
    }

    /// Writes as much of `bytes` as the socket takes now; returns the count written, or nil on
    /// a hard error (the peer is gone).
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int? {
        var written = 0
        while written < bytes.count {
            let n = send(fd, bytes.baseAddress! + written, bytes.count - written, Int32(MSG_NOSIGNAL))
            if n > 0 { written += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return written }
            return nil
        }
        return written
    }
}
