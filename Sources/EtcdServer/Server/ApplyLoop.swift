import EtcdIO
import EtcdProto
import MVCC
import Synchronization

/// A write the apply thread performs on the loops' behalf.
enum ApplyRequest: Sendable {
    case put(PutRequest)
    case deleteRange(DeleteRangeRequest)
    case txn(TxnRequest)
    case compaction(CompactionRequest)
    /// Maintenance.Defragment: not a raft entry in etcd either, but it must not overlap writes.
    case defragment
    /// Maintenance.Alarm (get, activate, deactivate), a raft entry in etcd.
    case alarm(AlarmRequest)
}

/// The answer to an `ApplyRequest`, header already filled.
enum ApplyResult: Sendable {
    case put(PutResponse)
    case deleteRange(DeleteRangeResponse)
    case txn(TxnResponse)
    case compaction(CompactionResponse)
    case defragment(DefragmentResponse)
    case alarm(AlarmResponse)
    case failure(EtcdError)
}

/// A request and where to send its result (nil: nobody waits, as for the NOSPACE alarm a
/// refused write raises).
struct Proposal: Sendable {
    let request: ApplyRequest
    let origin: CallOrigin?
}

/// What the apply thread's queue carries.
enum ApplyWork: Sendable {
    case proposal(Proposal)
    /// Finish the proposals queued before this, commit, and return from `run`.
    case stop
}

/// The apply thread: the single writer of the MVCC store.
///
/// It takes every proposal queued since its last pass as one batch, applies the batch under one
/// write-lock acquisition, commits the backend (group commit: one bbolt commit, two fdatasyncs,
/// for the whole batch), and only then posts each loop its results in one message burst: an
/// acknowledged write is on disk. Until raft lands (issue 4) a proposal is "committed" the moment
/// it is queued; the raft node and its WAL will sit between `submit` and this batch, and the
/// backend will then commit on etcd's batch interval instead.
final class ApplyLoop: Sendable {
    enum Limit {
        /// Proposals waiting to be applied. etcd refuses new proposals with "too many requests"
        /// when its applied index falls 5000 entries behind the committed one; this bound plays
        /// the same role for the queue in front of the applier.
        static let queuedProposalsMax = 5_000
    }

    private let inbox = Inbox<ApplyWork>(capacity: Limit.queuedProposalsMax)
    private let kv: KVState
    private let identity: ServerIdentity
    /// One inbox per event loop, indexed by `CallOrigin.loop`.
    private let replyInboxes: Mutex<[Inbox<LoopMessage>]> = Mutex([])

    init(kv: KVState, identity: ServerIdentity) {
        self.kv = kv
        self.identity = identity
    }

    /// Connects the loops' inboxes; called once before any proposal is submitted.
    func connect(replyInboxes inboxes: [Inbox<LoopMessage>]) {
        replyInboxes.withLock { $0 = inboxes }
    }

    /// Queues a proposal; false when the queue is full (the caller answers "too many requests").
    func submit(_ proposal: Proposal) -> Bool {
        inbox.post(.proposal(proposal))
    }

    /// Asks `run` to return once everything queued before has been applied and committed.
    func stop() {
        inbox.post(contentsOf: [.stop])
    }

    /// Runs on the apply thread until `stop`.
    func run() {
        let inboxes = replyInboxes.withLock { $0 }
        var repliesByLoop = [[LoopMessage]](repeating: [], count: inboxes.count)
        let applier = KVApplier()
        var isStopping = false
        // Replies to `compaction --physical` requests, sent when the records are gone.
        var physicalCompactionReplies: [(CallOrigin, ApplyResult)] = []
        while !isStopping {
            // While a compaction is removing records, do not sleep: take what is queued and
            // remove the next bounded step of records after it.
            let batch = kv.store.isCompacting ? inbox.takeAll() : inbox.waitForItems()
            var applied = 0
            kv.lock.withWriteLock {
                for work in batch {
                    guard case .proposal(let proposal) = work else { isStopping = true; continue }
                    let result = apply(proposal.request, with: applier)
                    if let origin = proposal.origin {
                        if case .compaction(let request) = proposal.request, request.physical, kv.store.isCompacting {
                            physicalCompactionReplies.append((origin, result))
                        } else {
                            repliesByLoop[origin.loop].append(.applied(origin, result))
                        }
                    }
                    applied += 1
                }
                let isCompactionDone = kv.store.continueCompaction(
                    recordsMax: isStopping ? .max : KVStore.compactionBatchRecordsMax)
                if isCompactionDone {
                    for (origin, result) in physicalCompactionReplies {
                        repliesByLoop[origin.loop].append(.applied(origin, result))
                    }
                    physicalCompactionReplies.removeAll()
                }
                if applied > 0 {
                    kv.backend.setConsistentIndex(kv.appliedIndex.load(ordering: .relaxed) + UInt64(applied))
                }
                do {
                    try kv.backend.commit()
                } catch {
                    // The batch is applied in memory but not on disk, and bbolt refuses further
                    // writes after a failed commit: stop, as etcd does, rather than acknowledge
                    // what a restart would lose. Nothing of this batch was acknowledged.
                    fatalError("backend commit failed; stopping to keep acknowledged writes durable: \(error)")
                }
            }
            kv.appliedIndex.add(UInt64(applied), ordering: .relaxed)
            for loop in inboxes.indices where !repliesByLoop[loop].isEmpty {
                inboxes[loop].post(contentsOf: repliesByLoop[loop])
                repliesByLoop[loop].removeAll(keepingCapacity: true)
            }
        }
    }

    /// Applies one request to the store. Caller holds the write lock.
    ///
    /// Raised alarms restrict what applies, as etcd's capped and corrupt appliers do: with
    /// CORRUPT nothing but alarm requests applies; with NOSPACE puts, writing txns and (later)
    /// lease grants are refused while reads, deletes and compaction still work.
    private func apply(_ request: ApplyRequest, with applier: KVApplier) -> ApplyResult {
        if case .alarm(let alarm) = request { return .alarm(applyAlarm(alarm)) }
        if kv.alarms.isRaised(.corrupt) { return .failure(.corrupt) }
        if kv.alarms.isRaised(.noSpace) {
            switch request {
            case .put: return .failure(.noSpace)
            case .txn(let txn) where !KVApplier.isReadOnly(txn): return .failure(.noSpace)
            default: break
            }
        }
        do throws(EtcdError) {
            switch request {
            case .put(let put):
                var response = try applier.put(put, store: kv.store).response
                identity.fill(&response.header)
                return .put(response)
            case .deleteRange(let delete):
                var response = applier.deleteRange(delete, store: kv.store).response
                identity.fill(&response.header)
                return .deleteRange(response)
            case .txn(let txn):
                var response = try applier.txn(txn, store: kv.store).response
                identity.fill(&response.header)
                return .txn(response)
            case .compaction(let compaction):
                var response = try applier.compaction(compaction, store: kv.store)
                identity.fill(&response.header)
                return .compaction(response)
            case .defragment:
                do {
                    try Defragmenter.defragment(kv.backend, path: kv.backendPath, fileSystem: PosixFileSystem())
                } catch {
                    throw EtcdError(.unknown, "\(error)")
                }
                return .defragment(DefragmentResponse())
            case .alarm:
                preconditionFailure("alarm requests are applied above")
            }
        } catch {
            return .failure(error)
        }
    }

    /// etcd's alarm apply: GET lists (all alarms for NONE), ACTIVATE raises (NONE is ignored),
    /// DEACTIVATE clears; the response lists the alarms the request changed or found, and has
    /// no header (etcd sends none).
    private func applyAlarm(_ request: AlarmRequest) -> AlarmResponse {
        var response = AlarmResponse()
        switch request.action {
        case .get:
            response.alarms = kv.alarms.alarms(of: request.alarm)
        case .activate:
            guard request.alarm != .none,
                  let raised = kv.alarms.activate(memberID: request.memberID, type: request.alarm, in: kv.backend)
            else { break }
            response.alarms = [raised]
        case .deactivate:
            guard let cleared = kv.alarms.deactivate(memberID: request.memberID, type: request.alarm, in: kv.backend)
            else { break }
            response.alarms = [cleared]
        }
        return response
    }
}
