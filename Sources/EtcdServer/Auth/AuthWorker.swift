import EtcdProto
import Synchronization

/// The thread that runs bcrypt for the Auth service, so that no event loop spends tens of
/// milliseconds on a password: it hashes the password of a UserAdd or UserChangePassword (the
/// entry then carries only the hash), and checks an Authenticate's password and draws its
/// token prefix (the entry then carries only the user and the prefix), then proposes the entry
/// to raft for the call waiting on `origin`. It also drops expired tokens once a second.
final class AuthWorker: Sendable {
    enum Limit {
        /// Jobs queued; beyond it the call is refused with "too many requests".
        static let queuedJobsMax = 1_024
        static let tokenSweepMilliseconds: Int32 = 1_000
    }

    private struct Job: Sendable {
        let request: AuthRequest
        let origin: CallOrigin
    }

    private let inbox = Inbox<Job>(capacity: Limit.queuedJobsMax)
    private let table: AuthTable
    private let raft: RaftNode
    private let applyLoop: ApplyLoop

    init(table: AuthTable, raft: RaftNode, applyLoop: ApplyLoop) {
        self.table = table
        self.raft = raft
        self.applyLoop = applyLoop
    }

    /// Queues a request; false when the queue is full.
    func submit(_ request: AuthRequest, origin: CallOrigin) -> Bool {
        inbox.post(Job(request: request, origin: origin))
    }

    func start() {
        PosixThread(name: "swetcd-auth") { [self] in
            var random = SystemRandomNumberGenerator()
            while true {
                for job in inbox.waitForItems(timeoutMilliseconds: Limit.tokenSweepMilliseconds) {
                    run(job, random: &random)
                }
                let now = monotonicNanoseconds()
                table.withTokens { $0.removeExpired(now: now) }
            }
        }.detach()
    }

    private func run(_ job: Job, random: inout SystemRandomNumberGenerator) {
        let ready: AuthRequest
        do throws(EtcdError) {
            ready = try prepare(job.request, random: &random)
        } catch {
            applyLoop.postResults([(job.origin, .failure(error))])
            return
        }
        let id = raft.requestIDs.next()
        let apply = ApplyRequest.auth(ready)
        guard let entry = apply.internalRaftRequest(id: id),
              raft.inbox.post(.propose(RaftProposal(data: entry.serializedBytes(),
                                                    pending: PendingRequest(id: id, origin: job.origin, request: apply))))
        else {
            applyLoop.postResults([(job.origin, .failure(.tooManyRequests))])
            return
        }
    }

    /// The request as it may enter the log: passwords replaced by hashes, an Authenticate
    /// checked and given its token prefix.
    private func prepare(_ request: AuthRequest, random: inout SystemRandomNumberGenerator) throws(EtcdError) -> AuthRequest {
        let hasher = table.withStore { $0.hasher }
        switch request {
        case .userAdd(var add):
            // A client's own hash is not taken (etcd 3.4 has no such field).
            add.hashedPassword = add.options?.noPassword ?? false
                ? "" : String(decoding: try hasher.hash(add.password), as: UTF8.self)
            add.password = ""
            return .userAdd(add)
        case .userChangePassword(var change):
            change.hashedPassword = String(decoding: try hasher.hash(change.password), as: UTF8.self)
            change.password = ""
            return .userChangePassword(change)
        case .authenticate(var authenticate):
            _ = try table.checkPassword(user: authenticate.name, password: authenticate.password)
            authenticate.password = ""
            // A JWT needs no prefix: the applying members sign it.
            authenticate.simpleToken = table.jwt == nil ? SimpleTokens.generatePrefix(using: &random) : ""
            return .authenticate(authenticate)
        default:
            return request
        }
    }
}
