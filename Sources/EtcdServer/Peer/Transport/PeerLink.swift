import EtcdBasics
import Glibc
import Raft
import Synchronization

/// Everything about one other member the transport keeps: where it listens, the queue of raft
/// messages for it, the stream it opened to us (over which we write), and the two threads that
/// move messages.
///
/// etcd's rafthttp shape, with threads for goroutines:
/// - Messages to the peer go over the stream the peer dialed to us (`GET
///   /raft/stream/message/<our id>`, answered 200 and then written as chunks). While no stream
///   is attached they go one by one as `POST /raft` (the pipeline). A MsgSnap always goes as
///   `POST /raft/snapshot` on a thread of its own.
/// - Messages from the peer come over the stream we dial to it (the reader thread), redialed
///   every `Limit.redialIntervalMilliseconds` while it is down.
/// - The outgoing queue is bounded: when it is full a message is dropped and raft is told the
///   peer is unreachable, as etcd does, so a slow or dead peer never blocks the raft thread.
final class PeerLink: Sendable {
    enum Limit {
        /// Messages queued for one peer (etcd's streamBufSize).
        static let queuedMessagesMax = 4_096
        /// A stream that delivers nothing (not even a link heartbeat) for this long is dead
        /// (etcd's ConnReadTimeout); writes wait as long (ConnWriteTimeout).
        static let connectionTimeoutMilliseconds: Int32 = 5_000
        /// An idle stream carries a link heartbeat this often, so the reader's timeout only
        /// fires on a dead one.
        static let linkHeartbeatMilliseconds: Int64 = 5_000 / 3
        /// Pause between attempts to dial a peer's stream (etcd: 100 ms).
        static let redialIntervalMilliseconds: UInt32 = 100
        /// After a failed pipeline attempt, messages are dropped rather than tried for this long.
        static let pipelineBackoffNanoseconds: Int64 = 100_000_000
        /// Largest pipeline response body read (an error text).
        static let responseBodyBytesMax = 64 * 1024
    }

    let id: MemberID
    private let transport: PeerTransport
    /// Raft messages waiting for the writer thread.
    private let outbox = Inbox<Message>(capacity: Limit.queuedMessagesMax)
    /// The peer's advertised peer URLs (changed by MemberUpdate).
    private let urls: Mutex<[PeerAddress]>
    /// The stream the peer opened to us, once attached; the writer thread owns writing to it.
    private let stream = Mutex<PeerSocket?>(nil)
    /// The stream this member dialed to the peer (reading), so `stop` can wake its reader.
    private let dialedStream = Mutex<PeerSocket?>(nil)
    private let isStopped = Atomic<Bool>(false)
    private let isSnapshotInFlight = Atomic<Bool>(false)
    /// The last refusal warned about (see `refused`), nil after a successful dial.
    private let lastWarning = Mutex<String?>(nil)
    private let threads = Mutex<[PosixThread]>([])

    init(id: MemberID, urls: [PeerAddress], transport: PeerTransport) {
        self.id = id
        self.transport = transport
        self.urls = Mutex(urls)
    }

    func start() {
        let name = String(id.rawValue, radix: 16).prefix(6)
        let writer = PosixThread(name: "swetcd-pw-\(name)") { self.runWriter() }
        let reader = PosixThread(name: "swetcd-pr-\(name)") { self.runReader() }
        threads.withLock { $0 = [writer, reader] }
    }

    /// Stops both threads and closes both streams (the member left the cluster, or this one is
    /// stopping).
    func stop() {
        isStopped.store(true, ordering: .relaxed)
        stream.withLock { $0?.shutdown() }
        dialedStream.withLock { $0?.shutdown() }
        outbox.post(contentsOf: [Message()])   // wakes the writer
        for thread in threads.withLock({ $0 }) { thread.join() }
        stream.withLock { $0?.close(); $0 = nil }
        transport.connectivity.markInactive(id)
    }

    func update(urls newURLs: [PeerAddress]) {
        urls.withLock { $0 = newURLs }
    }

    /// Queues `message`; false when the queue is full (the caller reports the peer unreachable).
    func send(_ message: Message) -> Bool {
        outbox.post(message)
    }

    /// The peer dialed us for its messages: write them over `socket` from now on, replacing an
    /// older stream (the peer redialed after losing it).
    func attach(_ socket: PeerSocket) {
        let old = stream.withLock { current -> PeerSocket? in
            let old = current
            current = socket
            return old
        }
        old?.shutdown()
        transport.connectivity.markActive(id, now: monotonicNanoseconds())
        outbox.post(contentsOf: [Message.linkHeartbeat])   // wake the writer to use it
    }

    // MARK: - Writing

    private func runWriter() {
        var lastWrite = monotonicNanoseconds()
        var pipelineBlockedUntil: Int64 = 0
        while !isStopped.load(ordering: .relaxed) {
            let messages = outbox.waitForItems(timeoutMilliseconds: Int32(Limit.linkHeartbeatMilliseconds))
            if isStopped.load(ordering: .relaxed) { return }
            var raftMessages: [Message] = []
            for message in messages {
                if message.type == .snap {
                    sendSnapshot(message)
                } else if !message.isLinkHeartbeat {
                    raftMessages.append(message)
                }
            }
            if let socket = stream.withLock({ $0 }) {
                let isHeartbeatDue = monotonicNanoseconds() - lastWrite >= Limit.linkHeartbeatMilliseconds * 1_000_000
                guard !raftMessages.isEmpty || isHeartbeatDue else { continue }
                if writeStream(raftMessages.isEmpty ? [.linkHeartbeat] : raftMessages, to: socket) {
                    lastWrite = monotonicNanoseconds()
                    continue
                }
                detach(socket)
                if !raftMessages.isEmpty { transport.reportUnreachable(id) }
                continue
            }
            guard !raftMessages.isEmpty else { continue }
            // No stream: the pipeline, unless it just failed.
            if monotonicNanoseconds() < pipelineBlockedUntil {
                transport.reportUnreachable(id)
                continue
            }
            for message in raftMessages where !post(message) {
                pipelineBlockedUntil = monotonicNanoseconds() + Limit.pipelineBackoffNanoseconds
                transport.reportUnreachable(id)
                break
            }
        }
    }

    /// Writes `messages` as one chunk of the stream; false when the stream broke.
    private func writeStream(_ messages: [Message], to socket: PeerSocket) -> Bool {
        var frames: [UInt8] = []
        for message in messages { MessageStreamEncoder.encode(message, appendingTo: &frames) }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(frames.count + 16)
        PeerChunkedEncoder.encodeChunk(frames, appendingTo: &chunk)
        do {
            try socket.write(chunk, timeoutMilliseconds: Limit.connectionTimeoutMilliseconds)
            ServerMetrics.shared.peerSentBytes.add(UInt64(frames.count), for: id)
            return true
        } catch {
            return false
        }
    }

    private func detach(_ socket: PeerSocket) {
        let wasCurrent = stream.withLock { current -> Bool in
            guard current === socket else { return false }
            current = nil
            return true
        }
        socket.shutdown()
        if wasCurrent {
            transport.connectivity.markInactive(id)
            transport.logger.warn("lost TCP streaming connection with remote peer", [
                .string("stream-writer-type", PeerStreamType.message.name),
                .string("local-member-id", transport.sender.memberID.description),
                .string("remote-peer-id", id.description)])
        }
    }

    /// One `POST /raft`; true when the peer answered 204.
    private func post(_ message: Message) -> Bool {
        var body: [UInt8] = []
        message.encode(appendingTo: &body)
        guard let address = urls.withLock({ $0.first }) else { return false }
        var request: [UInt8] = []
        PeerRequest.pipelinePost(bodyLength: body.count, host: address.hostPort, sender: transport.sender)
            .encode(appendingTo: &request)
        request += body
        guard let answer = PeerHTTPConnection.exchange(
            request, with: address, dialTimeoutMilliseconds: transport.dialTimeoutMilliseconds,
            timeoutMilliseconds: Limit.connectionTimeoutMilliseconds, bodyBytesMax: Limit.responseBodyBytesMax)
        else { return false }
        if answer.head.status == 410 { transport.peerSaysRemoved(by: id) }
        if answer.head.status == 204 { ServerMetrics.shared.peerSentBytes.add(UInt64(body.count), for: id) }
        return answer.head.status == 204
    }

    /// Sends a snapshot on a thread of its own (one at a time per peer); raft learns how it
    /// went through `reportSnapshot`.
    private func sendSnapshot(_ message: Message) {
        guard isSnapshotInFlight.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            transport.reportSnapshot(id, status: .failure)
            return
        }
        guard let address = urls.withLock({ $0.first }) else {
            isSnapshotInFlight.store(false, ordering: .relaxed)
            transport.reportSnapshot(id, status: .failure)
            return
        }
        let thread = PosixThread(name: "swetcd-snap") { [self] in
            let delivered = SnapshotSender.send(message, to: address, transport: transport)
            transport.reportSnapshot(id, status: delivered ? .finish : .failure)
            isSnapshotInFlight.store(false, ordering: .relaxed)
        }
        thread.detach()
    }

    // MARK: - Reading

    private func runReader() {
        var attempt = 0
        while !isStopped.load(ordering: .relaxed) {
            let addresses = urls.withLock { $0 }
            if !addresses.isEmpty {
                readStream(from: addresses[attempt % addresses.count])
                attempt &+= 1
            }
            if isStopped.load(ordering: .relaxed) { return }
            usleep(Limit.redialIntervalMilliseconds * 1_000)
        }
    }

    /// Dials the peer's message stream and hands what arrives to raft until it breaks.
    private func readStream(from address: PeerAddress) {
        guard let socket = PeerSocket.connect(to: address,
                                              timeoutMilliseconds: transport.dialTimeoutMilliseconds)
        else { return }
        dialedStream.withLock { $0 = socket }
        defer {
            dialedStream.withLock { $0 = nil }
            socket.close()
        }
        if isStopped.load(ordering: .relaxed) { return }
        var request: [UInt8] = []
        PeerRequest.streamDial(.message, to: id, host: address.hostPort, sender: transport.sender)
            .encode(appendingTo: &request)
        var connection = PeerHTTPConnection(socket: socket, role: .client)
        do {
            let requestSent = monotonicNanoseconds()
            try connection.write(request, timeoutMilliseconds: Limit.connectionTimeoutMilliseconds)
            guard case .responseHead(let head) = try connection.next(timeoutMilliseconds: Limit.connectionTimeoutMilliseconds)
            else { return }
            // The one request/response exchange a stream has (swetcd runs no /raft/probing prober).
            ServerMetrics.shared.peerRoundTrip.observe(Double(monotonicNanoseconds() - requestSent) / 1e9, for: id)
            guard head.status == 200 else {
                let text = (try? connection.readBody(limit: Limit.responseBodyBytesMax, timeoutMilliseconds: 1_000)) ?? []
                refused(status: head.status, text: String(decoding: text, as: UTF8.self))
                return
            }
            transport.connectivity.markActive(id, now: monotonicNanoseconds())
            lastWarning.withLock { $0 = nil }
            transport.logger.info("established TCP streaming connection with remote peer", [
                .string("stream-reader-type", PeerStreamType.message.name),
                .string("local-member-id", transport.sender.memberID.description),
                .string("remote-peer-id", id.description)])
            var decoder = MessageStreamDecoder()
            while !isStopped.load(ordering: .relaxed) {
                switch try connection.next(timeoutMilliseconds: Limit.connectionTimeoutMilliseconds) {
                case .body(let piece):
                    ServerMetrics.shared.peerReceivedBytes.add(UInt64(piece.count), for: id)
                    decoder.append(piece)
                    var messages: [RaftInput] = []
                    while let message = try decoder.next() {
                        if !message.isLinkHeartbeat { messages.append(.step(message)) }
                    }
                    transport.deliver(messages)
                case .end, .requestHead, .responseHead:
                    throw PeerHTTPConnection.Failure.closed
                }
            }
        } catch {
            // Broken, timed out or garbled: drop it and redial.
        }
        transport.connectivity.markInactive(id)
    }

    /// etcd's handling of a refused stream dial: 410 means this member was removed; a
    /// cluster ID or version mismatch is worth a warning (once per kind until a dial succeeds:
    /// the dial repeats every 100 ms); anything else (the peer does not know us yet) is routine.
    private func refused(status: Int, text: String) {
        let reason = text.trimmingSuffixNewline
        switch (status, reason) {
        case (410, _):
            transport.peerSaysRemoved(by: id)
        case (412, PeerRejection.clusterIDMismatch.text):
            warnOnce("request sent was ignored by remote peer due to cluster ID mismatch", [
                .string("remote-peer-id", id.description),
                .string("local-member-id", transport.sender.memberID.description),
                .string("local-member-cluster-id", transport.clusterID.description)])
        case (412, PeerRejection.incompatibleVersion.text):
            warnOnce("request sent was ignored by remote peer due to server version incompatibility", [
                .string("remote-peer-id", id.description),
                .string("local-member-id", transport.sender.memberID.description)])
        default:
            transport.logger.debug("peer refused the stream", [
                .string("remote-peer-id", id.description), .int64("status", Int64(status)), .string("reason", reason)])
        }
    }

    private func warnOnce(_ message: String, _ fields: [LogField]) {
        guard lastWarning.withLock({ last in
            defer { last = message }
            return last != message
        }) else { return }
        transport.logger.warn(message, fields)
    }
}

/// A peer URL split for dialing.
struct PeerAddress: Sendable, Equatable {
    let host: String
    let port: Int
    /// `host:port` as the URL spells it (the Host header).
    let hostPort: String
    /// An https peer URL: the connection speaks TLS (see PeerTLS).
    let isSecure: Bool

    init?(url: String) {
        guard let parsed = try? EtcdURL(parsing: url), let port = parsed.port else { return nil }
        host = parsed.host
        self.port = port
        hostPort = parsed.hostPort
        isSecure = parsed.isSecure
    }
}

extension String {
    var trimmingSuffixNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
