import Glibc
import EtcdBasics
import EtcdProto
import Synchronization

/// The thread that answers keep-alives and time-to-live requests this member cannot answer
/// itself: it asks the leader (`LeaseForwarding`), or, when this member leads but its lessor
/// is not promoted yet, waits for the promotion. Each job is retried until etcd's request
/// timeout, as etcd's `LeaseRenew` loops; answers go back to the loop that asked.
///
/// One thread, jobs in arrival order, so a stream's keep-alives are answered in order.
final class LeaseForwarder: Sendable {
    enum Limit {
        /// Jobs queued; beyond it a request is refused with "too many requests".
        static let queuedJobsMax = 10_000
        /// Pause before asking again (no leader known, or it could not answer yet).
        static let retryIntervalMicroseconds: UInt32 = 50_000
    }

    enum Job: Sendable {
        case keepAlive(LeaseKeepAliveRequest, CallOrigin)
        case timeToLive(LeaseTimeToLiveRequest, CallOrigin)
    }

    private let inbox = Inbox<Job>(capacity: Limit.queuedJobsMax)
    private let loopInboxes = Mutex<[Inbox<LoopMessage>]>([])
    private let leases: LeaseTable
    private let membership: MembershipView
    private let raftStatus: RaftStatus
    private let localID: MemberID
    private let requestTimeoutNanoseconds: Int64
    private let dialTimeoutMilliseconds: Int32
    /// This member's applied index (a lease missing before the apply thread reached what was
    /// committed when the job started may just not be applied yet: etcd's waitAppliedIndex).
    private let appliedIndex: @Sendable () -> UInt64

    init(leases: LeaseTable, membership: MembershipView, raftStatus: RaftStatus, localID: MemberID,
         requestTimeoutNanoseconds: Int64, dialTimeoutMilliseconds: Int32,
         appliedIndex: @escaping @Sendable () -> UInt64) {
        self.appliedIndex = appliedIndex
        self.leases = leases
        self.membership = membership
        self.raftStatus = raftStatus
        self.localID = localID
        self.requestTimeoutNanoseconds = requestTimeoutNanoseconds
        self.dialTimeoutMilliseconds = dialTimeoutMilliseconds
    }

    func connect(_ inboxes: [Inbox<LoopMessage>]) {
        loopInboxes.withLock { $0 = inboxes }
    }

    /// Queues a job; false when the queue is full.
    func submit(_ job: Job) -> Bool { inbox.post(job) }

    func start() {
        PosixThread(name: "swetcd-leasefwd") { [self] in
            var connection = LeaderConnection()
            while true {
                for job in inbox.waitForItems() { run(job, connection: &connection) }
            }
        }.detach()
    }

    private func run(_ job: Job, connection: inout LeaderConnection) {
        let inboxes = loopInboxes.withLock { $0 }
        switch job {
        case .keepAlive(let request, let origin):
            let result = answer(path: PeerPath.leases, body: request.serializedBytes(), connection: &connection) { now in
                switch leases.withLessor({ $0.renew(LeaseID(request.id), now: now) }) {
                case .renewed(let ttl): return .answered(LeaseKeepAliveResponse(id: request.id, ttl: ttl))
                case .notFound: return .notFound
                // Wait for the revoke (then not found) or for a new leader to ask.
                case .notPrimary, .expiring: return .retry
                }
            } decode: { try? LeaseKeepAliveResponse(serializedBytes: $0) }
            let message: Result<LeaseKeepAliveResponse, EtcdError>
            switch result {
            case .success(let response?): message = .success(response)
            // etcd's v3rpc turns "not found" into a response with TTL 0.
            case .success(nil): message = .success(LeaseKeepAliveResponse(id: request.id, ttl: 0))
            case .failure(let error): message = .failure(error)
            }
            inboxes[origin.loop].post(contentsOf: [.leaseKeepAliveAnswered(origin, message)])
        case .timeToLive(let request, let origin):
            let body = LeaseInternalRequest(leaseTimeToLiveRequest: request).serializedBytes()
            let result = answer(path: PeerPath.leasesInternal, body: body, connection: &connection) { now in
                let response = LeaseForwarding.timeToLive(request, leases: leases, now: now)
                return response.ttl == -1 ? .notFound : .answered(response)
            } decode: { try? LeaseInternalResponse(serializedBytes: $0).leaseTimeToLiveResponse }
            let applied: ApplyResult
            switch result {
            case .success(let response?): applied = .leaseTimeToLive(response)
            case .success(nil): applied = .leaseTimeToLive(LeaseTimeToLiveResponse(id: request.id, ttl: -1))
            case .failure(let error): applied = .failure(error)
            }
            inboxes[origin.loop].post(contentsOf: [.applied(origin, applied)])
        }
    }

    /// Asks whoever leads until one answers or the request timeout passes: this member's lessor
    /// when it leads, the leader's peer URL otherwise. nil inside success means "not found".
    private func answer<Response: Sendable>(
        path: String, body: [UInt8], connection: inout LeaderConnection,
        local: (Int64) -> LeaseForwarding.Answer<Response>,
        decode: ([UInt8]) -> Response?
    ) -> Result<Response?, EtcdError> {
        let deadline = monotonicNanoseconds() + requestTimeoutNanoseconds
        let committedAtStart = raftStatus.committedIndex.load(ordering: .relaxed)
        while monotonicNanoseconds() < deadline {
            let leader = MemberID(raftStatus.leader.load(ordering: .relaxed))
            var outcome: LeaseForwarding.Answer<Response> = .retry
            if leader == localID {
                outcome = local(monotonicNanoseconds())
                if case .notFound = outcome, appliedIndex() < committedAtStart { outcome = .retry }
            } else if leader.rawValue != 0, let urls = membership.membership.member(leader)?.peerURLs {
                switch LeaseForwarding.exchange(path: path, body: body, leaderURLs: urls, connection: &connection,
                                                dialTimeoutMilliseconds: dialTimeoutMilliseconds) {
                case .answered(let bytes): outcome = decode(bytes).map { .answered($0) } ?? .retry
                case .notFound: outcome = .notFound
                case .retry: outcome = .retry
                }
            }
            switch outcome {
            case .answered(let response): return .success(response)
            case .notFound: return .success(nil)
            case .retry: usleep(Limit.retryIntervalMicroseconds)
            }
        }
        return .failure(.timeout)
    }
}
