import CShim
import EtcdProto
import ProtoWire
import GRPC
import Glibc

/// Messages other threads send to an event loop.
enum LoopMessage: Sendable {
    /// The apply thread finished a proposal that arrived on this loop.
    case applied(CallOrigin, ApplyResult)
    /// The reads of `wave` may now be served (raft confirmed them and the apply thread caught
    /// up), or must fail.
    case readIndex(wave: UInt64, result: Result<Void, EtcdError>)
    /// Applied changes for this loop's watchers: events in revision order, through `revision`.
    case watchEvents([Event], through: Int64)
    /// The store was replaced by a leader's snapshot and is now at `currentRevision`.
    case watchRestore(currentRevision: Int64)
    /// The leader's answer to a keep-alive this loop's stream sent through `LeaseForwarder`.
    case leaseKeepAliveAnswered(CallOrigin, Result<LeaseKeepAliveResponse, EtcdError>)
    /// Stop serving: GOAWAY every connection, flush, close, return from `run`.
    case shutdown
}

/// Where a proposal came from, so its result finds its way back to the waiting call.
struct CallOrigin: Sendable {
    let loop: Int
    let connection: UInt64
    let stream: Int32
}

/// An epoll event loop on its own thread: accepts connections on its listeners, feeds socket
/// bytes to each connection's gRPC session, runs handlers, and writes each connection's output
/// once per turn.
///
/// Invariant: everything but `inbox` is touched only by the loop's own thread.
final class EventLoop: @unchecked Sendable {
    // @unchecked: other threads use only `inbox` (itself Sendable) and `index`/`name` (let);
    // the rest is confined to the thread running `run()`.

    enum Limit {
        /// Bytes read from one socket per readiness event, so one busy client cannot starve others.
        static let readBytesPerEvent = 256 * 1024
        /// Socket read buffer.
        static let readBufferBytes = 64 * 1024
        /// Queued output past which a connection's reads pause until the client drains it.
        static let pendingOutputBytesMax = 8 * 1024 * 1024
        /// epoll events taken per wait.
        static let eventsPerWait = 256
        /// etcd refuses new proposals with "too many requests" when the applied index lags this
        /// far behind the committed one (maxGapBetweenApplyAndCommitIndex).
        static let commitApplyGapMax: UInt64 = 5_000
        /// Cross-thread messages waiting for this loop (replies always fit; see Inbox).
        static let inboxMessagesMax = 65_536
        /// How long shutdown waits for connections to take their GOAWAY and pending replies
        /// before closing them regardless.
        static let shutdownGraceNanoseconds: Int64 = 2_000_000_000
        /// An HTTP/1.1 connection's answer moves to the socket's queue only while less than
        /// this waits there: the rest stays with the session, where a watch stream's
        /// back-pressure sees it (HTTP/1.1 has no flow control of its own).
        static let gatewayOutputAheadBytes = 256 * 1024
    }

    private enum Token {
        static let wake: UInt64 = 0
        static let listenerBase: UInt64 = 1
        static let connectionBase: UInt64 = 1 << 32
    }

    let index: Int
    let inbox = Inbox<LoopMessage>(capacity: Limit.inboxMessagesMax)
    private let epollFD: Int32
    private var listeners: [Int32]
    var connections: [UInt64: ClientConnection] = [:]
    private var nextConnectionID = Token.connectionBase
    private var dirty: [UInt64] = []
    /// Connections to flush again on the next turn without waiting for an event.
    private var pendingNextTurn: [UInt64] = []
    private var deadlines = DeadlineHeap()
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Limit.readBufferBytes, alignment: 16)
    /// Plaintext decrypted from a TLS connection's read.
    private let plaintextBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Limit.readBufferBytes, alignment: 16)
    /// A TLS connection's HTTP/2 output before encryption (reused).
    private var plaintextOutput: [UInt8] = []
    private var isShuttingDown = false
    /// When the shutdown grace period ends (CLOCK_MONOTONIC), once shutdown began.
    private var shutdownDeadline: Int64?
    let services: Services
    /// Linearizable reads waiting for their wave to be confirmed, by wave. The current wave
    /// collects reads until the end of the turn, then one ReadIndex request goes for all of them.
    private var parkedReads: [UInt64: [ParkedRead]] = [:]
    private var currentWave: UInt64 = 0
    /// This loop's Watch streams and their watchers (see EventLoop+Watch).
    var watches: LoopWatches

    /// A read waiting for raft: the call and what to run once the wave is confirmed.
    struct ParkedRead {
        let connection: UInt64
        let stream: Int32
        let run: () -> Void
    }

    init(index: Int, listeners: [Int32], services: Services) {
        self.index = index
        self.listeners = listeners
        self.services = services
        watches = LoopWatches(currentRevision: services.kv.lock.withReadLock { services.kv.store.currentRevision })
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollFD >= 0, "epoll_create1 failed: errno \(errno)")
        register(inbox.wakeFD, token: Token.wake, events: EPOLLIN.rawValue)
        for (offset, listener) in listeners.enumerated() {
            register(listener, token: Token.listenerBase + UInt64(offset), events: EPOLLIN.rawValue)
        }
    }

    deinit {
        readBuffer.deallocate()
        plaintextBuffer.deallocate()
        close(epollFD)
    }

    // MARK: - The loop

    /// Runs until a `.shutdown` message has been handled.
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: Limit.eventsPerWait)
        while !isShuttingDown || !connections.isEmpty {
            let timeout = waitTimeoutMilliseconds()
            let count = events.withUnsafeMutableBufferPointer {
                epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeout)
            }
            if count < 0 && errno != EINTR { fatalError("epoll_wait failed: errno \(errno)") }
            for slot in 0..<max(0, Int(count)) {
                handle(token: events[slot].data.u64, events: events[slot].events)
            }
            expireDeadlines()
            requestReadIndex()
            serviceWatchers()
            flushDirty()
            if let shutdownDeadline, monotonicNanoseconds() >= shutdownDeadline {
                for connection in Array(connections.values) { closeConnection(connection) }
            }
        }
    }

    private func handle(token: UInt64, events: UInt32) {
        if token == Token.wake {
            inbox.acknowledgeWake()
            for message in inbox.takeAll() { handle(message) }
        } else if token < Token.connectionBase {
            acceptAll(listenerIndex: Int(token - Token.listenerBase))
        } else if let connection = connections[token] {
            if events & EPOLLOUT.rawValue != 0 { markDirty(connection) }
            if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                readAvailable(connection)
            }
        }
    }

    func handle(_ message: LoopMessage) {
        switch message {
        case .applied(let origin, let result):
            guard let connection = connections[origin.connection],
                  var call = connection.calls[origin.stream], call.isAwaitingApply else { return }
            call.isAwaitingApply = false
            call.serverDeadline = nil
            connection.calls[origin.stream] = call
            respond(to: GRPCCallID(streamID: origin.stream), on: connection, with: result)
        case .readIndex(let wave, let result):
            guard let reads = parkedReads.removeValue(forKey: wave) else { return }
            for read in reads {
                guard let connection = connections[read.connection],
                      var call = connection.calls[read.stream], call.isAwaitingRead else { continue }
                call.isAwaitingRead = false
                call.serverDeadline = nil
                connection.calls[read.stream] = call
                switch result {
                case .success: read.run()
                case .failure(let error): finish(GRPCCallID(streamID: read.stream), on: connection, status: error.status)
                }
            }
        case .watchEvents(let events, let revision):
            watchBatchApplied(events, through: revision)
        case .watchRestore(let revision):
            watches.registry.restore(currentRevision: max(revision, watches.registry.currentRevision))
        case .leaseKeepAliveAnswered(let origin, let result):
            leaseKeepAliveAnswered(origin, result)
        case .shutdown:
            beginShutdown()
        }
    }

    // MARK: - Connections

    private func acceptAll(listenerIndex: Int) {
        guard listenerIndex < listeners.count else { return }
        while let fd = Socket.accept(listeners[listenerIndex]) {
            if isShuttingDown { close(fd); continue }
            let isMetricsOnly = listenerIndex >= services.metricsListenerStart
            let connection = ClientConnection(id: nextConnectionID, fd: fd, configuration: services.grpcConfiguration,
                                              isMetricsOnly: isMetricsOnly)
            if isMetricsOnly {
                // etcd serves --listen-metrics-urls with a plain HTTP/1.1 server.
                connection.speakHTTP1(policy: services.httpAccess, maxRequestBytes: services.maxRequestBytes)
                connection.isProtocolKnown = true
            }
            if listenerIndex < services.clientListenersSecure.count && services.clientListenersSecure[listenerIndex] {
                guard let source = services.clientTLS, let tls = TLSSession(context: source.current()) else {
                    close(fd)
                    continue
                }
                connection.tls = tls
                if !isMetricsOnly {
                    connection.serveHTTPOverHTTP2(configuration: services.grpcConfiguration, policy: services.httpAccess,
                                                  maxRequestBytes: services.maxRequestBytes)
                }
            }
            nextConnectionID += 1
            connections[connection.id] = connection
            register(fd, token: connection.id, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
            // Nothing is sent until the client's first bytes arrive: like etcd, a connection
            // that opens with something other than the HTTP/2 preface is closed without a
            // single byte in reply, so the server SETTINGS wait for the first read.
        }
    }

    private func readAvailable(_ connection: ClientConnection) {
        var budget = Limit.readBytesPerEvent
        while budget > 0 && !connection.isClosing {
            switch Socket.read(connection.fd, into: readBuffer) {
            case .bytes(let count):
                budget -= count
                if let tls = connection.tls {
                    guard decrypt(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), tls: tls, of: connection) else { return }
                } else {
                    guard receive(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), on: connection) else { return }
                }
                if count < readBuffer.count { budget = 0 }
            case .wouldBlock:
                budget = 0
            case .closed:
                connection.isClosing = true
            }
        }
        markDirty(connection)
    }

    /// Hands plaintext to the connection's session, once its first bytes told HTTP/2 from
    /// HTTP/1.1; false when the connection was closed.
    private func receive(_ bytes: UnsafeRawBufferPointer, on connection: ClientConnection) -> Bool {
        guard !connection.isProtocolKnown else { return deliver(bytes, on: connection) }
        connection.firstBytes.append(contentsOf: bytes)
        switch ClientProtocolSniff.classify(connection.firstBytes) {
        case .undecided:
            return true
        case .neither:
            // Like etcd's cmux: neither protocol, no answer at all.
            closeConnection(connection)
            return false
        case .http2:
            break
        case .http1:
            connection.speakHTTP1(policy: services.httpAccess, maxRequestBytes: services.maxRequestBytes)
        }
        connection.isProtocolKnown = true
        let first = connection.firstBytes
        connection.firstBytes = []
        return first.withUnsafeBytes { deliver($0, on: connection) }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer, on connection: ClientConnection) -> Bool {
        let isUsable = connection.session.receive(bytes)
        processEvents(of: connection)
        if !isUsable {
            connection.isClosing = true
            if !connection.hasReceivedBytes && !connection.isHTTP1 {
                // Not HTTP/2 at all: close silently rather than answer with frames.
                closeConnection(connection)
                return false
            }
        }
        connection.hasReceivedBytes = true
        return true
    }

    /// Feeds ciphertext to the connection's TLS session and its plaintext to the HTTP/2
    /// session; false when the connection was closed. A refused handshake closes the
    /// connection once its alert is written.
    private func decrypt(_ ciphertext: UnsafeRawBufferPointer, tls: TLSSession, of connection: ClientConnection) -> Bool {
        guard tls.feed(ciphertext) else {
            closeConnection(connection)
            return false
        }
        while !connection.isClosing {
            switch tls.read(into: plaintextBuffer) {
            case .plaintext(let count):
                guard receive(UnsafeRawBufferPointer(rebasing: plaintextBuffer[0..<count]), on: connection) else { return false }
            case .needsMore:
                return true
            case .closed:
                connection.isClosing = true
            case .failed:
                // etcd's listener logs each refused handshake with the reason.
                services.logger.warn("rejected connection", [.string("remote-addr", Socket.peerAddress(connection.fd)),
                                                             .string("server-name", ""), .error(tls.failure)])
                connection.isClosing = true
            }
        }
        return true
    }

    private func processEvents(of connection: ClientConnection) {
        connection.session.drainEvents { event in handle(event, on: connection) }
        if let endpoints = connection.endpoints {
            for request in endpoints.takeEndpointRequests() { serveEndpoint(request, on: connection) }
        }
    }

    private func handle(_ event: GRPCServerEvent, on connection: ClientConnection) {
        switch event {
        case .callStarted(let call, let path, let timeout, let metadata):
            // etcd's interceptors refuse a call carrying `hasleader: true` while no leader
            // is known; clients (etcdctl, clientv3's WithRequireLeader) send it to fail fast.
            let requiresLeader = metadata.first { $0.name == "hasleader" }?.value == "true"
            startCall(call, path: path, timeoutNanoseconds: timeout, requiresLeader: requiresLeader, on: connection)
            if let token = metadata.first(where: { $0.name == "token" })?.value {
                connection.calls[call.streamID]?.token = token
            }
        case .message(let call, let payload):
            guard var state = connection.calls[call.streamID], let method = state.method else { return }
            ServerMetrics.shared.grpcReceived(method)
            if method == .watch && state.hasRequest {
                // A Watch stream carries any number of requests.
                watchRequest(payload, call: call, on: connection)
                return
            }
            if method == .leaseKeepAlive && state.hasRequest {
                leaseKeepAliveRequest(payload, call: call, on: connection)
                return
            }
            guard !state.hasRequest else { return }
            state.hasRequest = true
            connection.calls[call.streamID] = state
            if state.requiresLeader && services.raft.status.leader.load(ordering: .relaxed) == 0 {
                finish(call, on: connection, status: EtcdError.noLeader.status)
                return
            }
            dispatch(method, payload: payload, call: call, on: connection)
        case .halfClosed(let call):
            // A Watch stream whose client stops sending stays open (etcd's recvLoop returns
            // at EOF, its sendLoop goes on).
            guard let state = connection.calls[call.streamID], state.method != .watch else { return }
            if state.method == .leaseKeepAlive {
                leaseKeepAliveHalfClosed(call, on: connection)
                return
            }
            guard !state.hasRequest else { return }
            // A unary call whose client closed without sending its request: grpc-go's
            // receive sees io.EOF, which reaches the client as UNKNOWN "EOF".
            finish(call, on: connection, status: GRPCStatus(.unknown, "EOF"))
        case .cancelled(let call):
            if let state = connection.calls.removeValue(forKey: call.streamID) {
                callEnded(state, stream: call.streamID, on: connection)
            }
        case .plainRequest, .plainBody:
            // Taken by the session (GatewayHTTP2Session) before they reach the loop.
            break
        }
    }

    private func startCall(_ call: GRPCCallID, path: String, timeoutNanoseconds: Int64?, requiresLeader: Bool,
                           on connection: ClientConnection) {
        switch EtcdMethod.resolve(path: path) {
        case .failure(let status):
            finish(call, on: connection, status: status)
        case .success(let method):
            let deadline = timeoutNanoseconds.map { monotonicNanoseconds() &+ $0 }
            ServerMetrics.shared.grpcStarted(method)
            var state = ClientConnection.Call(method: method, deadline: deadline)
            state.requiresLeader = requiresLeader
            connection.calls[call.streamID] = state
        }
    }

    // MARK: - Replies

    /// A call went away before it finished (its client cancelled it or closed the connection):
    /// its watch stream ends, and a recipe undoes what it leaves behind.
    private func callEnded(_ state: ClientConnection.Call, stream: Int32, on connection: ClientConnection) {
        if state.method == .watch || state.hasRecipeWatch {
            watchStreamEnded(WatchStreamKey(connection: connection.id, stream: stream))
        }
        if let cleanup = state.recipe?.cleanupOnCancel { recipeCleanup(cleanup) }
    }

    /// Sends `response` and an OK status, completing the call.
    func reply<Response: ProtoMessage>(_ response: Response, to call: GRPCCallID, on connection: ClientConnection) {
        if connection.calls[call.streamID]?.recipe != nil {
            recipeStepAnswered(response, call: call, on: connection)
            return
        }
        guard let state = connection.calls.removeValue(forKey: call.streamID) else { return }
        if let method = state.method {
            ServerMetrics.shared.grpcSent(method)
            ServerMetrics.shared.grpcHandled(method, code: .ok)
        }
        connection.session.sendMessage(call, payloadSize: response.encodedSize) { buffer in
            response.encode(appendingTo: &buffer)
        }
        connection.session.finish(call, status: .ok)
        markDirty(connection)
    }

    /// Completes the call with `status` and no message.
    func finish(_ call: GRPCCallID, on connection: ClientConnection, status: GRPCStatus) {
        if let state = connection.calls[call.streamID], state.recipe != nil {
            guard !state.isRecipeStepPending else {
                recipeStepFailed(status, call: call, on: connection)
                return
            }
            // Ended from outside its steps (a deadline while waiting): undo, then end.
            endRecipe(call, on: connection)
        }
        if let state = connection.calls.removeValue(forKey: call.streamID) {
            if let method = state.method { ServerMetrics.shared.grpcHandled(method, code: status.code) }
            // A health check whose read failed or ran out of time (GatewayExchange answers it).
            if state.isHealthCheck { ServerMetrics.shared.healthFailures.increment() }
        }
        connection.session.finish(call, status: status)
        markDirty(connection)
    }

    /// Hands a write to raft (or local work to the apply thread); the reply comes back through
    /// the inbox.
    func propose(_ request: ApplyRequest, for call: GRPCCallID, on connection: ClientConnection) {
        guard var state = connection.calls[call.streamID] else { return }
        // etcd's quota check: a write that would pass --quota-backend-bytes raises the NOSPACE
        // alarm (nobody waits for that) and is refused.
        if !services.admitsByQuota(request) {
            _ = proposeToRaft(.alarm(services.noSpaceAlarm), origin: nil)
            finish(call, on: connection, status: EtcdError.noSpace.status)
            return
        }
        let origin = CallOrigin(loop: index, connection: connection.id, stream: call.streamID)
        let isQueued: Bool
        switch request {
        case .defragment, .forceCommit:
            isQueued = services.applyLoop.submit(Proposal(request: request, origin: origin))
        case .promoteThroughLeader(let id):
            services.promoter.forward(id, origin: origin)
            isQueued = true
        case .leaseTimeToLiveThroughLeader(let timeToLive):
            isQueued = services.leaseForwarder.submit(.timeToLive(timeToLive, origin))
        case .authThroughWorker(let auth):
            isQueued = services.authWorker.submit(auth, origin: origin)
        default:
            isQueued = proposeToRaft(request, origin: origin)
        }
        guard isQueued else {
            finish(call, on: connection, status: EtcdError.tooManyRequests.status)
            return
        }
        state.isAwaitingApply = true
        // etcd bounds the wait for the entry to apply, not a physical compaction's wait for its
        // records to go (which follows it); the reply comes only after both, so it has no bound
        // here but the client's own deadline.
        if case .compaction(let compaction) = request, compaction.physical {
            if let deadline = state.deadline {
                deadlines.insert(.init(deadline: deadline, connection: connection.id, stream: call.streamID))
            }
        } else {
            armServerDeadline(&state, stream: call.streamID, on: connection)
        }
        connection.calls[call.streamID] = state
    }

    /// Queues `request` for the raft thread; false when it must be refused with "too many
    /// requests" (the queue is full, or the apply thread lags more than etcd allows behind the
    /// commit index).
    func proposeToRaft(_ request: ApplyRequest, origin: CallOrigin?) -> Bool {
        let committed = services.raft.status.committedIndex.load(ordering: .relaxed)
        let applied = services.kv.appliedIndex.load(ordering: .relaxed)
        if committed > applied && committed - applied > Limit.commitApplyGapMax { return false }
        let id = services.raft.requestIDs.next()
        let pending = PendingRequest(id: id, origin: origin, request: request)
        if case .moveLeader(let target) = request {
            return services.raft.inbox.post(.transferLeader(to: target, pending))
        }
        if case .memberChange(let change) = request {
            // etcd's configure: a conf change whose ID is the one the apply thread answers by.
            return services.raft.inbox.post(.proposeConfChange(change.confChange(requestID: id), pending))
        }
        guard var entry = request.internalRaftRequest(id: id) else {
            preconditionFailure("local work (\(request)) is not a raft entry")
        }
        // etcd's header: who made the write and at which auth revision, for the check at apply.
        if let origin, let caller = connections[origin.connection]?.calls[origin.stream]?.authCaller {
            entry.header?.username = caller.user
            entry.header?.authRevision = caller.revision
        }
        return services.raft.inbox.post(.propose(RaftProposal(data: entry.serializedBytes(), pending: pending)))
    }

    /// Parks a linearizable read in the current wave.
    func parkRead(for call: GRPCCallID, on connection: ClientConnection, run: @escaping () -> Void) {
        guard var state = connection.calls[call.streamID] else { return }
        state.isAwaitingRead = true
        armServerDeadline(&state, stream: call.streamID, on: connection)
        connection.calls[call.streamID] = state
        parkedReads[currentWave, default: []].append(ParkedRead(connection: connection.id, stream: call.streamID, run: run))
    }

    /// One ReadIndex request per turn for every read parked in it.
    private func requestReadIndex() {
        guard parkedReads[currentWave] != nil else { return }
        let wave = currentWave
        currentWave &+= 1
        if !services.raft.inbox.post(.readIndex(ReadWave(loop: index, wave: wave))) {
            handle(.readIndex(wave: wave, result: .failure(.tooManyRequests)))
        }
    }

    /// The call fails with etcd's "request timed out" if raft or the applier has not answered
    /// within the request timeout (unless the client's own deadline comes first).
    private func armServerDeadline(_ state: inout ClientConnection.Call, stream: Int32, on connection: ClientConnection) {
        let serverDeadline = monotonicNanoseconds() &+ services.requestTimeoutNanoseconds
        if let clientDeadline = state.deadline, clientDeadline <= serverDeadline {
            deadlines.insert(.init(deadline: clientDeadline, connection: connection.id, stream: stream))
        } else {
            state.serverDeadline = serverDeadline
            deadlines.insert(.init(deadline: serverDeadline, connection: connection.id, stream: stream))
        }
    }

    private func expireDeadlines() {
        guard !deadlines.isEmpty else { return }
        let now = monotonicNanoseconds()
        while let entry = deadlines.popExpired(now: now) {
            guard let connection = connections[entry.connection],
                  let state = connection.calls[entry.stream] else { continue }
            if state.deadline == entry.deadline {
                finish(GRPCCallID(streamID: entry.stream), on: connection,
                       status: GRPCStatus(.deadlineExceeded, "context deadline exceeded"))
            } else if state.serverDeadline == entry.deadline {
                // etcd counts a proposal that timed out as failed.
                if state.isAwaitingApply { ServerMetrics.shared.proposalsFailed.increment() }
                finish(GRPCCallID(streamID: entry.stream), on: connection, status: EtcdError.timeout.status)
            }
        }
    }

    private func waitTimeoutMilliseconds() -> Int32 {
        if !dirty.isEmpty || watches.hasWorkNow { return 0 }
        let earliest: Int64
        let callOrWatch = [deadlines.earliest, watches.nextTimerNanoseconds].compactMap { $0 }.min()
        switch (callOrWatch, shutdownDeadline) {
        case (nil, nil): return -1
        case (let call?, nil): earliest = call
        case (nil, let shutdown?): earliest = shutdown
        case (let call?, let shutdown?): earliest = min(call, shutdown)
        }
        let remaining = earliest - monotonicNanoseconds()
        if remaining <= 0 { return 0 }
        return Int32(min(remaining / 1_000_000 + 1, Int64(Int32.max)))
    }

    // MARK: - Output

    func markDirty(_ connection: ClientConnection) {
        dirty.append(connection.id)
    }

    /// One socket write per dirty connection per turn: everything the session produced since the
    /// last turn goes out together.
    private func flushDirty() {
        defer {
            dirty.append(contentsOf: pendingNextTurn)
            pendingNextTurn.removeAll(keepingCapacity: true)
        }
        guard !dirty.isEmpty else { return }
        let ids = dirty
        dirty.removeAll(keepingCapacity: true)
        for id in ids {
            guard let connection = connections[id] else { continue }
            flush(connection)
        }
    }

    private func flush(_ connection: ClientConnection) {
        if !connection.snapshotStreams.isEmpty { pumpSnapshots(on: connection) }
        if connection.outputOffset == connection.output.count {
            connection.output.removeAll(keepingCapacity: true)
            connection.outputOffset = 0
        }
        if let tls = connection.tls {
            // HTTP/2 waits for the handshake (and, as on plaintext, for the client's preface).
            if connection.hasReceivedBytes && connection.session.wantsWrite
                && (!connection.isHTTP1 || connection.pendingOutputBytes < Limit.gatewayOutputAheadBytes) {
                plaintextOutput.removeAll(keepingCapacity: true)
                connection.session.output(into: &plaintextOutput, limitBytes: Int.max)
                let isEncrypted = plaintextOutput.withUnsafeBytes { tls.write($0) }
                if !isEncrypted { connection.isClosing = true }
            }
            tls.takeOutput(into: &connection.output)
        } else if connection.session.wantsWrite
                    && (!connection.isHTTP1 || connection.pendingOutputBytes < Limit.gatewayOutputAheadBytes) {
            connection.session.output(into: &connection.output, limitBytes: Int.max)
        }
        if connection.pendingOutputBytes > 0 {
            let written = connection.output.withUnsafeBytes { bytes in
                Socket.write(connection.fd, UnsafeRawBufferPointer(rebasing: bytes[connection.outputOffset...]))
            }
            guard let written else { closeConnection(connection); return }
            connection.outputOffset += written
        }
        if connection.isHTTP1 && connection.pendingOutputBytes == 0 && connection.session.wantsWrite {
            // The socket took everything queued and the session holds more: next turn.
            pendingNextTurn.append(connection.id)
        } else if connection.pendingOutputBytes == 0 && (connection.isClosing || connection.session.isFinished) {
            closeConnection(connection)
            return
        }
        updateInterest(connection)
        // A snapshot still sending whose socket took everything: keep going next turn (the
        // client's flow control and the socket pace it; see SnapshotStream).
        // Not when the client's flow-control window is what holds the stream back: its
        // WINDOW_UPDATE will wake the loop.
        if !connection.snapshotStreams.isEmpty && connection.pendingOutputBytes == 0
            && connection.snapshotStreams.contains(where: {
                connection.session.pendingOutboundBytes(GRPCCallID(streamID: $0)) < SnapshotStream.Limit.queuedBytesMax
            }) {
            pendingNextTurn.append(connection.id)
        }
    }

    private func updateInterest(_ connection: ClientConnection) {
        let shouldWaitForWritable = connection.pendingOutputBytes > 0
        let shouldPauseReads = connection.pendingOutputBytes > Limit.pendingOutputBytesMax
        guard shouldWaitForWritable != connection.isWaitingForWritable
                || shouldPauseReads != connection.isReadPaused else { return }
        connection.isWaitingForWritable = shouldWaitForWritable
        connection.isReadPaused = shouldPauseReads
        var interest = EPOLLRDHUP.rawValue
        if !shouldPauseReads { interest |= EPOLLIN.rawValue }
        if shouldWaitForWritable { interest |= EPOLLOUT.rawValue }
        var event = epoll_event()
        event.events = interest
        event.data.u64 = connection.id
        epoll_ctl(epollFD, EPOLL_CTL_MOD, connection.fd, &event)
    }

    private func closeConnection(_ connection: ClientConnection) {
        for (stream, call) in connection.calls { callEnded(call, stream: stream, on: connection) }
        connection.session.connectionLost()
        epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.fd, nil)
        close(connection.fd)
        connections[connection.id] = nil
    }

    // MARK: - Shutdown

    private func beginShutdown() {
        isShuttingDown = true
        shutdownDeadline = monotonicNanoseconds() + Limit.shutdownGraceNanoseconds
        for listener in listeners {
            epoll_ctl(epollFD, EPOLL_CTL_DEL, listener, nil)
            close(listener)
        }
        listeners.removeAll()
        for connection in connections.values {
            connection.session.goAway()
            connection.isClosing = true
            markDirty(connection)
        }
    }

    private func register(_ fd: Int32, token: UInt64, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        let rc = epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
        precondition(rc == 0, "epoll_ctl ADD failed: errno \(errno)")
    }
}
