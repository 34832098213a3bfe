import CShim
import EtcdBasics
import EtcdIO
import Glibc
import Raft
import Synchronization

/// Serves `--listen-peer-urls` (etcd's peer handler): the raft endpoints (`/raft` pipeline,
/// `/raft/stream/...`, `/raft/snapshot`), `/members` for members joining, and `/version`.
///
/// One accepting thread; one thread per connection, up to `Limit.connectionsMax` (a stream
/// connection's socket passes to the peer's link, ending its thread).
final class PeerServer: Sendable {
    enum Limit {
        /// Connections being served at once; more are closed at accept.
        static let connectionsMax = 256
        /// A connection that sends no request for this long is closed.
        static let idleMilliseconds: Int32 = 30_000
        /// Largest pipeline message body (etcd's stream limit applies to it too).
        static let pipelineBodyBytesMax = 64 * 1024 * 1024
    }

    private let listeners: [Int32]
    private let transport: PeerTransport
    private let stopFD: Int32
    private let active = Atomic<Int>(0)
    private let acceptThread = Mutex<PosixThread?>(nil)

    /// `secureListeners[i]`: listener i is an https peer URL (TLS with `PeerTLS.current`).
    private let secureListeners: [Bool]

    init(listeners: [Int32], secureListeners: [Bool] = [], transport: PeerTransport) {
        self.listeners = listeners
        self.secureListeners = secureListeners
        self.transport = transport
        stopFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
    }

    func start() {
        let thread = PosixThread(name: "swetcd-peer") { self.runAccept() }
        acceptThread.withLock { $0 = thread }
    }

    /// Stops accepting and closes the listeners (connections being served end on their own).
    func stop() {
        var one: UInt64 = 1
        _ = write(stopFD, &one, 8)
        acceptThread.withLock { $0?.join(); $0 = nil }
        for fd in listeners { close(fd) }
    }

    private func runAccept() {
        var descriptors = listeners.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        descriptors.append(pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0))
        while true {
            let rc = poll(&descriptors, nfds_t(descriptors.count), -1)
            if rc < 0 { if errno == EINTR { continue } else { return } }
            if descriptors.last!.revents != 0 { return }
            for index in descriptors.indices.dropLast() where descriptors[index].revents != 0 {
                while let fd = Socket.accept(descriptors[index].fd) {
                    let socket = PeerSocket(fd: fd)
                    guard active.wrappingAdd(1, ordering: .relaxed).newValue <= Limit.connectionsMax else {
                        active.wrappingSubtract(1, ordering: .relaxed)
                        socket.close()
                        continue
                    }
                    let isSecure = index < secureListeners.count && secureListeners[index]
                    PosixThread(name: "swetcd-peerconn") {
                        if isSecure && !self.acceptTLS(on: socket) {
                            socket.close()
                            self.active.wrappingSubtract(1, ordering: .relaxed)
                            return
                        }
                        self.serve(socket)
                        self.active.wrappingSubtract(1, ordering: .relaxed)
                    }.detach()
                }
            }
        }
    }

    // MARK: - One connection

    /// The TLS handshake of a connection on an https peer listener: the peer's certificate is
    /// verified (when --peer-client-cert-auth) and must carry --peer-cert-allowed-cn if set.
    private func acceptTLS(on socket: PeerSocket) -> Bool {
        guard let tls = PeerTLS.current, let session = TLSSession(context: tls.server.current()) else { return false }
        var failure = ""
        do {
            try socket.startTLS(session, timeoutMilliseconds: PeerTLS.Limit.handshakeMilliseconds)
            if !tls.allowedCN.isEmpty && socket.peerCommonName != tls.allowedCN {
                // etcd's words when a peer's certificate lacks --peer-cert-allowed-cn.
                failure = "client certificate authentication failed"
            }
        } catch {
            failure = session.failure.isEmpty ? "tls: handshake did not complete" : session.failure
        }
        guard !failure.isEmpty else { return true }
        transport.logger.warn("rejected connection", [.string("remote-addr", Socket.peerAddress(socket.fd)),
                                                      .string("server-name", ""), .error(failure)])
        return false
    }

    private func serve(_ socket: PeerSocket) {
        var connection = PeerHTTPConnection(socket: socket, role: .server)
        var keepsSocket = false
        defer { if !keepsSocket { socket.close() } }
        do {
            while true {
                guard case .requestHead(let head) = try connection.next(timeoutMilliseconds: Limit.idleMilliseconds)
                else { return }
                let endpoint = PeerEndpoint(path: head.path)
                switch endpoint {
                case .stream:
                    keepsSocket = try serveStream(head, connection: &connection)
                    return
                case .pipeline:
                    try servePipeline(head, connection: &connection)
                case .snapshot:
                    try serveSnapshot(head, connection: &connection)
                case .members:
                    _ = try connection.readBody(limit: 0, timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                    try connection.send(membersResponse(head), timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                case .membersPromote:
                    _ = try connection.readBody(limit: 1 << 20, timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                    try connection.send(promoteResponse(head), timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                case .version:
                    _ = try connection.readBody(limit: 0, timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                    try connection.send(Self.versionResponse(), timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                case .other(let path) where path == PeerPath.leases || path == PeerPath.leasesInternal:
                    let body = try connection.readBody(limit: LeaseForwarding.Limit.requestBytesMax,
                                                       timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                    try connection.send(transport.lease(head.method, path, body),
                                        timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                default:
                    _ = try? connection.readBody(limit: 1 << 20, timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                    try connection.send(PeerRejection.notFound.response(from: endpoint, clusterID: transport.clusterID),
                                        timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                }
                guard head.isKeepAlive else { return }
            }
        } catch {
            // The peer went away or sent garbage: nothing to answer.
        }
    }

    private var local: PeerLocalIdentity {
        PeerLocalIdentity(memberID: transport.sender.memberID, clusterID: transport.clusterID)
    }

    private func check(_ head: PeerHTTPRequestHead, endpoint: PeerEndpoint) -> Result<PeerAcceptedRequest, PeerRejection> {
        do throws(PeerRejection) {
            return .success(try PeerRequestCheck.check(head, endpoint: endpoint, local: local,
                                                       isRemoved: transport.isRemoved, isKnownPeer: transport.isKnownPeer))
        } catch {
            return .failure(error)
        }
    }

    /// Answers a stream request; true when the socket now belongs to the peer's link.
    private func serveStream(_ head: PeerHTTPRequestHead, connection: inout PeerHTTPConnection) throws(PeerHTTPConnection.Failure) -> Bool {
        switch check(head, endpoint: .stream) {
        case .failure(let rejection):
            try connection.send(rejection.response(from: .stream, clusterID: transport.clusterID),
                                timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
            return false
        case .success(.stream(let kind, let from)):
            // Only the message stream is written; a peer that asks for the MsgApp v2 stream
            // (etcd does, besides the message one) is told there is none and uses the other.
            guard kind == .message else {
                try connection.send(PeerRejection.invalidStreamPath.response(from: .stream, clusterID: transport.clusterID),
                                    timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
                return false
            }
            try connection.send(PeerResponse.streamAccepted(clusterID: transport.clusterID),
                                timeoutMilliseconds: PeerLink.Limit.connectionTimeoutMilliseconds)
            return transport.attachStream(from: from, socket: connection.socket)
        case .success:
            return false
        }
    }

    private func servePipeline(_ head: PeerHTTPRequestHead, connection: inout PeerHTTPConnection) throws(PeerHTTPConnection.Failure) {
        let timeout = PeerLink.Limit.connectionTimeoutMilliseconds
        if case .failure(let rejection) = check(head, endpoint: .pipeline) {
            try connection.send(rejection.response(from: .pipeline, clusterID: transport.clusterID), timeoutMilliseconds: timeout)
            throw .closed   // the body was not read: the connection cannot be reused
        }
        let body = try connection.readBody(limit: Limit.pipelineBodyBytesMax, timeoutMilliseconds: timeout)
        guard let message = try? Message(serializedBytes: body) else {
            try connection.send(PeerRejection.unmarshalFailed.response(from: .pipeline, clusterID: transport.clusterID),
                                timeoutMilliseconds: timeout)
            return
        }
        if transport.isRemoved(MemberID(message.from)) {
            try connection.send(PeerRejection.messageFromRemovedMember.response(from: .pipeline, clusterID: transport.clusterID),
                                timeoutMilliseconds: timeout)
            return
        }
        transport.deliver([.step(message)])
        try connection.send(PeerResponse.delivered(clusterID: transport.clusterID), timeoutMilliseconds: timeout)
    }

    /// Receives a snapshot: the db goes to `<snap dir>/<index>.snap.db` (synced) before raft
    /// sees the message, so the member installing it finds the file.
    private func serveSnapshot(_ head: PeerHTTPRequestHead, connection: inout PeerHTTPConnection) throws(PeerHTTPConnection.Failure) {
        let timeout = SnapshotSender.writeTimeoutMilliseconds
        if case .failure(let rejection) = check(head, endpoint: .snapshot) {
            try connection.send(rejection.response(from: .snapshot, clusterID: transport.clusterID), timeoutMilliseconds: timeout)
            throw .closed
        }
        var decoder = SnapshotBodyDecoder(messageLimit: MessageStreamDecoder.readBytesLimit)
        var message: Message?
        var file: (any File)?
        var offset: Int64 = 0
        let fileSystem = PosixFileSystem()
        var temporaryPath = ""
        defer {
            try? file?.close()
            if !temporaryPath.isEmpty, fileSystem.exists(temporaryPath) { try? fileSystem.remove(temporaryPath) }
        }
        do {
            reading: while true {
                switch try connection.next(timeoutMilliseconds: timeout) {
                case .body(let piece):
                    decoder.append(piece)
                    while let event = try decoder.next() {
                        switch event {
                        case .message(let received):
                            message = received
                            temporaryPath = transport.snapshotDirectory + "/" + Self.dbFileName(received.snapshot.metadata.index) + ".tmp"
                            if fileSystem.exists(temporaryPath) { try fileSystem.remove(temporaryPath) }
                            file = try fileSystem.open(temporaryPath, options: [.readWrite, .create, .truncate], permissions: 0o600)
                        case .dbBytes(let bytes):
                            try bytes.withUnsafeBytes { try file!.write($0, at: offset) }
                            offset += Int64(bytes.count)
                        }
                    }
                case .end:
                    break reading
                case .requestHead, .responseHead:
                    throw PeerHTTPConnection.Failure.closed
                }
            }
            _ = try decoder.finish()
            guard let message, let written = file else { throw PeerHTTPConnection.Failure.closed }
            file = nil
            try written.sync()
            try written.close()
            let finalPath = transport.snapshotDirectory + "/" + Self.dbFileName(message.snapshot.metadata.index)
            try fileSystem.rename(temporaryPath, to: finalPath)
            try fileSystem.syncDirectory(transport.snapshotDirectory)
            temporaryPath = ""
            transport.logger.info("received and saved database snapshot", [
                .string("remote-peer-id", String(message.from, radix: 16)),
                .int64("snapshot-index", Int64(message.snapshot.metadata.index)), .int64("bytes", offset)])
            transport.deliverSnapshot(message)
            try connection.send(PeerResponse.delivered(clusterID: transport.clusterID), timeoutMilliseconds: timeout)
        } catch let failure as PeerHTTPConnection.Failure {
            throw failure
        } catch let error as PeerStreamError {
            try connection.send(PeerRejection.snapshotDecodeFailed(error).response(from: .snapshot, clusterID: transport.clusterID),
                                timeoutMilliseconds: timeout)
            throw .closed
        } catch {
            transport.logger.warn("failed to save received database snapshot", [.error("\(error)")])
            throw .closed
        }
    }

    /// etcd's name for a received snapshot's db: `%016x.snap.db`.
    static func dbFileName(_ index: UInt64) -> String {
        let hex = String(index, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex + ".snap.db"
    }

    /// `GET /members`: every member as JSON, ordered by ID, with the cluster ID in a header.
    private func membersResponse(_ head: PeerHTTPRequestHead) -> PeerResponse {
        guard head.method == "GET" else {
            return PeerRejection.methodNotAllowed(allow: "GET").response(from: .members, clusterID: transport.clusterID)
        }
        return .members(transport.members(), clusterID: transport.clusterID)
    }

    /// `POST /members/promote/<id>`: a follower's MemberPromote, done here as the leader.
    private func promoteResponse(_ head: PeerHTTPRequestHead) -> PeerResponse {
        guard head.method == "POST" else {
            return PeerRejection.methodNotAllowed(allow: "POST").response(from: .membersPromote, clusterID: transport.clusterID)
        }
        guard let id = PromoteForwarding.memberID(inPath: head.path) else {
            let idText = String(head.path.dropFirst(PeerPath.membersPromotePrefix.count))
            return .plainTextError(status: 404, text: "member \(idText) not found in cluster",
                                   presetHeaders: [(PeerHeader.clusterID, transport.clusterID.description)])
        }
        return PromoteForwarding.response(for: transport.promote(id), clusterID: transport.clusterID)
    }

    /// `GET /version`: the server and cluster versions.
    static func versionResponse() -> PeerResponse {
        let body = Array(("{\"etcdserver\":\"" + EtcdVersion.etcdCompatibleVersion + "\",\"etcdcluster\":\""
            + EtcdVersion.clusterVersion + "\"}").utf8)
        return PeerResponse(head: PeerHTTPResponseHead(status: 200, headers: PeerHTTPHeaders([
            (PeerHeader.contentType, PeerHeader.contentTypeJSON),
            (PeerHeader.contentLength, String(body.count)),
        ])), body: body)
    }
}

extension PeerResponse {
    /// 200 with the members as a JSON array (Go's `json.Encoder`: the value and a newline), and
    /// the cluster ID: how etcd answers `GET /members` and a promote done by the leader.
    static func members(_ members: [ClusterMember], clusterID: ClusterID) -> PeerResponse {
        let body = Array(("[" + members.map(\.json).joined(separator: ",") + "]\n").utf8)
        return PeerResponse(head: PeerHTTPResponseHead(status: 200, headers: PeerHTTPHeaders([
            (PeerHeader.contentType, PeerHeader.contentTypeJSON),
            (PeerHeader.clusterID, clusterID.description),
            (PeerHeader.contentLength, String(body.count)),
        ])), body: body)
    }
}
