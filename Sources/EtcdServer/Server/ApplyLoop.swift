import EtcdBasics
import EtcdIO
import EtcdProto
import MVCC
import Raft
import Synchronization

/// A write the apply thread performs on the loops' behalf.
enum ApplyRequest: Sendable {
    case put(PutRequest)
    case deleteRange(DeleteRangeRequest)
    case txn(TxnRequest)
    case compaction(CompactionRequest)
    /// Maintenance.Defragment: not a raft entry in etcd either, but it must not overlap writes.
    case defragment
    /// Maintenance.Snapshot's first step: commit the backend so the file streamed holds every
    /// applied write (etcd's ForceCommit). Not a raft entry.
    case forceCommit
    /// Maintenance.Alarm (get, activate, deactivate), a raft entry in etcd.
    case alarm(AlarmRequest)
    /// Lease.LeaseGrant with its ID chosen (by the client or the proposing member).
    case leaseGrant(LeaseGrantRequest)
    /// Lease.LeaseRevoke, from a client or from the leader's expiry check.
    case leaseRevoke(LeaseRevokeRequest)
    /// The leader's lease checkpoints (see `LeaseCheckpointing`); never from a client.
    case leaseCheckpoint(LeaseCheckpointRequest)
    /// Lease.LeaseTimeToLive on a follower: asked of the leader (not a raft entry).
    case leaseTimeToLiveThroughLeader(LeaseTimeToLiveRequest)
    /// An Auth RPC (all of them go through raft, as in etcd).
    case auth(AuthRequest)
    /// UserAdd / UserChangePassword / Authenticate before their bcrypt step: the `AuthWorker`
    /// hashes or checks the password off the loop, then proposes `.auth` (not a raft entry).
    case authThroughWorker(AuthRequest)
    /// A Cluster service change (add, remove, update, promote): proposed as a raft conf change,
    /// not a normal entry, and answered by the conf change's ID.
    case memberChange(MembershipConfChange)
    /// MemberPromote on a follower: forwarded to the leader (not a raft entry here).
    case promoteThroughLeader(MemberID)
    /// Maintenance.MoveLeader: not a raft entry; the raft thread hands leadership over.
    case moveLeader(target: UInt64)
}

/// The answer to an `ApplyRequest`, header already filled.
enum ApplyResult: Sendable {
    case put(PutResponse)
    case deleteRange(DeleteRangeResponse)
    case txn(TxnResponse)
    case compaction(CompactionResponse)
    case defragment(DefragmentResponse)
    case forceCommitted
    case alarm(AlarmResponse)
    case leaseGrant(LeaseGrantResponse)
    case leaseRevoke(LeaseRevokeResponse)
    case leaseCheckpoint(LeaseCheckpointResponse)
    /// The leader's answer (header still to fill).
    case leaseTimeToLive(LeaseTimeToLiveResponse)
    case auth(AuthResponse)
    /// A member change applied: the change, and every member after it (ordered by ID).
    case memberChanged(MembershipConfChange, members: [ClusterMember])
    /// The transferee leads now.
    case movedLeader
    case failure(EtcdError)
}

/// Work that is not a raft entry but must not overlap writes (defragmentation), and where to
/// send its result.
struct Proposal: Sendable {
    let request: ApplyRequest
    let origin: CallOrigin?
}

/// What the raft thread hands the apply thread after each Ready: the proposals appended since
/// the last batch (registered before the entries that may carry them), the newly committed
/// entries in log order, and the reads raft confirmed, each to be served once the applied index
/// reaches its read index.
struct CommittedBatch: Sendable {
    var pending: [PendingRequest]
    var entries: [Entry]
    var reads: [(index: UInt64, waves: [ReadWave])]
    /// A leader's snapshot this member took in: its backend replaces the store before
    /// `entries` apply.
    var snapshot: Snapshot? = nil
}

/// What the apply thread's queue carries.
enum ApplyWork: Sendable {
    case committed(CommittedBatch)
    case local(Proposal)
    /// A MsgSnap raft wants sent: the apply thread makes the snapshot it carries (see
    /// `sendMergedSnapshots`).
    case snapshotMessage(Message)
    /// Finish what was queued before this, commit the backend, and return from `run`.
    case stop
}

/// The apply thread: the single writer of the MVCC store.
///
/// It applies committed raft entries in log order, under one write-lock acquisition per batch,
/// answers the calls waiting for them (matched by request ID), and records the index of the
/// last applied entry as the backend's consistent index in the same backend batch as its
/// effects, so that replaying the WAL after a crash skips exactly what the file already holds.
///
/// Durability comes from the WAL (synced before entries are handed here), so the backend
/// commits on etcd's batch interval: every 100 ms, or after 10,000 changes, whichever comes
/// first, and before a raft snapshot is taken. Readers see applied but uncommitted writes
/// through the store's read buffer.
final class ApplyLoop: Sendable {
    enum Limit {
        /// Local work (defragmentation) waiting for the apply thread.
        static let queuedProposalsMax = 5_000
        /// etcd's defaults for --backend-batch-interval and --backend-batch-limit (used when the
        /// flags are 0).
        static let backendBatchIntervalNanosecondsDefault: Int64 = 100_000_000
        static let backendBatchChangesMaxDefault = 10_000
    }

    private let inbox = Inbox<ApplyWork>(capacity: Limit.queuedProposalsMax)
    private let kv: KVState
    private let identity: ServerIdentity
    /// `--snapshot-count`: applied entries between raft snapshots.
    private let snapshotCount: UInt64
    /// The backend commits at least this often, and whenever this many changes are pending.
    private let batchIntervalNanoseconds: Int64
    private let batchChangesMax: Int
    /// One inbox per event loop, indexed by `CallOrigin.loop`, and the raft thread's.
    private let replyInboxes: Mutex<[Inbox<LoopMessage>]> = Mutex([])
    private let raftInbox: Mutex<Inbox<RaftInput>?> = Mutex(nil)
    /// The membership the member restarted with (see `ClusterMembership.restored`); from
    /// there the apply thread keeps it in step with the applied index.
    private let initialMembership: ClusterMembership
    /// Where each applied batch's events go (the loops' watchers).
    let watchFanout: WatchFanout
    /// The events of the batch being applied (apply thread only).
    nonisolated(unsafe) private var batchEvents: [Event] = []
    /// Sends a merged MsgSnap (the peer transport; set once at start).
    private let snapshotSender = Mutex<(@Sendable (Message) -> Void)?>(nil)
    /// Conf changes proposed for the peer server (a follower's forwarded promote).
    let externalWaiters = ExternalWaiters()
    /// Where the apply thread shows the membership to the other threads.
    let membershipView: MembershipView
    /// The index of the last raft snapshot (where the next one is counted from).
    private let snapshotIndex: Atomic<UInt64>
    private let logger: Logger
    /// The leases (this thread changes them as entries apply).
    let leases: LeaseTable
    /// Users, roles, permissions and tokens (this thread changes them as entries apply).
    let auth: AuthTable
    /// The raft index of the entry being applied (a simple token carries it).
    nonisolated(unsafe) private var applyingIndex: UInt64 = 0
    /// How much longer than their TTL leases live when this member becomes leader (etcd: one
    /// election timeout), so that the election is not held against them.
    private let leasePromotionExtendNanoseconds: Int64
    /// How long a caller waits for a proposal this member forwarded (etcd's request timeout).
    private let forwardedProposalTimeoutNanoseconds: Int64
    /// The backend's disk (for a leader's snapshot and defragmentation).
    private let fileSystem: any FileSystem
    /// Records one compaction step removes before writes get their turn
    /// (--experimental-compaction-batch-limit; etcd's 1,000 when 0).
    private let compactionBatchRecordsMax: Int

    /// `batchInterval` / `batchLimit`: --backend-batch-interval / --backend-batch-limit (0: etcd's
    /// defaults, 100 ms and 10,000 changes). `membership`: the membership as of the raft
    /// snapshot the member restarted from (empty for a new member), also what `membershipView`
    /// shows until the first change applies.
    init(kv: KVState, identity: ServerIdentity, snapshotCount: UInt64, snapshotIndex: UInt64,
         membership: ClusterMembership, membershipView: MembershipView, watchFanout: WatchFanout,
         batchInterval: Duration = .zero, batchLimit: Int64 = 0, leases: LeaseTable = LeaseTable(minTTL: 2),
         auth: AuthTable = AuthTable(store: AuthStore(hasher: BcryptHasher()), tokens: SimpleTokens()),
         electionTimeout: Duration = .seconds(1), compactionBatchLimit: Int64 = 0,
         fileSystem: any FileSystem = PosixFileSystem(), logger: Logger = Logger(fileDescriptors: [])) {
        self.fileSystem = fileSystem
        compactionBatchRecordsMax = compactionBatchLimit > 0 ? Int(clamping: compactionBatchLimit) : KVStore.compactionBatchRecordsMax
        let intervalNanoseconds = batchInterval.nanoseconds
        batchIntervalNanoseconds = intervalNanoseconds > 0 ? intervalNanoseconds : Limit.backendBatchIntervalNanosecondsDefault
        batchChangesMax = batchLimit > 0 ? Int(clamping: batchLimit) : Limit.backendBatchChangesMaxDefault
        self.kv = kv
        self.identity = identity
        self.snapshotCount = max(1, snapshotCount)
        self.snapshotIndex = Atomic(snapshotIndex)
        initialMembership = membership
        self.membershipView = membershipView
        self.watchFanout = watchFanout
        self.logger = logger
        self.leases = leases
        self.auth = auth
        leasePromotionExtendNanoseconds = electionTimeout.nanoseconds
        // etcd's request timeout: 5 s plus two election timeouts.
        forwardedProposalTimeoutNanoseconds = 5_000_000_000 + 2 * electionTimeout.nanoseconds
    }

    /// Connects the transport that sends merged snapshots; called once before `run`.
    func connect(snapshotSender send: @escaping @Sendable (Message) -> Void) {
        snapshotSender.withLock { $0 = send }
    }

    /// Connects the loops' inboxes and the raft thread's; called once before anything is queued.
    func connect(replyInboxes inboxes: [Inbox<LoopMessage>], raftInbox inbox: Inbox<RaftInput>) {
        replyInboxes.withLock { $0 = inboxes }
        raftInbox.withLock { $0 = inbox }
    }

    /// Queues local work; false when the queue is full (the caller answers "too many requests").
    func submit(_ proposal: Proposal) -> Bool {
        inbox.post(.local(proposal))
    }

    /// Queues what a raft Ready committed. Never refused: the raft thread admitted these
    /// proposals already, and dropping them would leave their callers waiting.
    func submitCommitted(_ batch: CommittedBatch) {
        inbox.post(contentsOf: [.committed(batch)])
    }

    /// Asks `run` to return once everything queued before has been applied and committed.
    func stop() {
        inbox.post(contentsOf: [.stop])
    }

    /// Answers proposals that never reached the log.
    func postFailures(_ requests: [PendingRequest], error: EtcdError) {
        ServerMetrics.shared.proposalsFailed.add(UInt64(requests.count))
        let inboxes = replyInboxes.withLock { $0 }
        for request in requests {
            guard let origin = request.origin else {
                externalWaiters.complete(request.id, .failure(error))
                continue
            }
            inboxes[origin.loop].post(contentsOf: [.applied(origin, .failure(error))])
        }
    }

    /// Answers calls the raft thread completed itself (leader transfers).
    func postResults(_ results: [(CallOrigin, ApplyResult)]) {
        let inboxes = replyInboxes.withLock { $0 }
        for (origin, result) in results { inboxes[origin.loop].post(contentsOf: [.applied(origin, result)]) }
    }

    /// Tells loops whether their read waves may be served.
    func postReadResults(_ results: [(ReadWave, Result<Void, EtcdError>)]) {
        let inboxes = replyInboxes.withLock { $0 }
        for (wave, result) in results {
            inboxes[wave.loop].post(contentsOf: [.readIndex(wave: wave.wave, result: result)])
        }
    }

    /// Runs on the apply thread until `stop`.
    func run() {
        let inboxes = replyInboxes.withLock { $0 }
        guard let raftInbox = raftInbox.withLock({ $0 }) else { preconditionFailure("apply loop not connected") }
        var state = ApplyThreadState(loopCount: inboxes.count, applied: kv.appliedIndex.load(ordering: .relaxed),
                                     forwardedProposalLifetimeNanoseconds: 2 * forwardedProposalTimeoutNanoseconds)
        var membership = MembershipApplier(membership: initialMembership, localID: identity.memberID,
                                           consistentIndexAtStart: state.consistentIndexAtStart)
        var isLocalMemberRemoved = false
        let leases = self.leases
        let applier = KVApplier(leaseExists: { leases.contains($0) })
        var isStopping = false
        var lastCommit = monotonicNanoseconds()
        var isForceCommitRequested = false
        var snapshotMessages: [Message] = []
        while !isStopping {
            let timeout: Int32
            if kv.store.isCompacting {
                timeout = 0
            } else if kv.backend.pendingChanges > 0 {
                let remaining = lastCommit + batchIntervalNanoseconds - monotonicNanoseconds()
                timeout = Int32(clamping: max(0, remaining / 1_000_000 + 1))
            } else {
                timeout = -1
            }
            let batch = inbox.waitForItems(timeoutMilliseconds: timeout)
            let appliedBefore = state.applied
            kv.lock.withWriteLock {
                for work in batch {
                    switch work {
                    case .committed(let committed):
                        if let snapshot = committed.snapshot {
                            installSnapshot(snapshot, state: &state, membership: &membership)
                        }
                        state.register(committed, now: monotonicNanoseconds())
                        for entry in committed.entries {
                            if applyEntry(entry, state: &state, membership: &membership, applier: applier) {
                                isLocalMemberRemoved = true
                            }
                        }
                    case .local(let proposal):
                        if case .forceCommit = proposal.request { isForceCommitRequested = true }
                        let result = apply(proposal.request, with: applier)
                        if let origin = proposal.origin { state.reply(origin, result) }
                    case .snapshotMessage(let message):
                        snapshotMessages.append(message)
                    case .stop:
                        isStopping = true
                    }
                }
                let isCompactionDone = kv.store.continueCompaction(
                    recordsMax: isStopping ? .max : compactionBatchRecordsMax)
                if isCompactionDone { state.releasePhysicalCompactionReplies() }
                // Never below what the file holds (after a leader's snapshot whose db was ahead).
                if state.applied > appliedBefore && state.applied > state.consistentIndexAtStart {
                    kv.backend.setConsistentIndex(state.applied)
                }
            }
            kv.appliedIndex.store(state.applied, ordering: .relaxed)
            // Watchers hear of the batch before its writers do (their replies follow).
            if !batchEvents.isEmpty {
                watchFanout.publish(batchEvents, through: kv.store.currentRevision)
                batchEvents.removeAll(keepingCapacity: true)
            }
            // Shown before the replies go out: a client told its member was added finds it listed.
            if membership.hasUnpublishedChanges {
                membershipView.publish(membership.membership)
                membership.markPublished()
            }
            let waitingBefore = state.waiters.count
            state.failLostProposals()
            _ = state.abandonForwardedProposals(now: monotonicNanoseconds())
            ServerMetrics.shared.proposalsFailed.add(UInt64(waitingBefore - state.waiters.count))
            ServerMetrics.shared.proposalsPending.set(Int64(state.waiters.count))
            state.releaseReads(upTo: state.applied)

            let isSnapshotDue = state.applied - snapshotIndex.load(ordering: .relaxed) > snapshotCount
            let isCommitDue = isStopping || isSnapshotDue || isForceCommitRequested
                || kv.backend.pendingChanges >= batchChangesMax
                || monotonicNanoseconds() - lastCommit >= batchIntervalNanoseconds
            if isCommitDue && kv.backend.hasOpenBatch {
                commitBackend()
                lastCommit = monotonicNanoseconds()
            }
            isForceCommitRequested = false
            if !snapshotMessages.isEmpty {
                if kv.backend.hasOpenBatch {
                    commitBackend()
                    lastCommit = monotonicNanoseconds()
                }
                sendMergedSnapshots(snapshotMessages, state: state, membership: membership.membership)
                snapshotMessages.removeAll()
            }
            if isSnapshotDue {
                snapshotIndex.store(state.applied, ordering: .relaxed)
                raftInbox.post(contentsOf: [.snapshot(index: state.applied, membership: membership.membership)])
            }
            state.flush(to: inboxes)
            // After the flush, so whoever removed this member hears back first.
            if isLocalMemberRemoved { membershipView.localMemberRemoved() }
        }
    }

    /// Replaces the store with a leader's snapshot (caller holds the write lock): the db that
    /// came with it becomes the backend, the membership is the one it records, and entries up
    /// to the db's consistent index are skipped from now on as already applied.
    private func installSnapshot(_ snapshot: Snapshot, state: inout ApplyThreadState, membership: inout MembershipApplier) {
        let consistentIndex: UInt64
        let restored: ClusterMembership
        logger.info("applying snapshot", [.uint64("incoming-leader-snapshot-index", snapshot.metadata.index),
                                          .uint64("current-applied-index", state.applied)])
        do {
            consistentIndex = try SnapshotInstaller.install(snapshot, kv: kv, snapshotDirectory: parentDirectory(of: kv.backendPath),
                                                            fileSystem: fileSystem)
            restored = try ClusterMembership(v2StoreSnapshot: snapshot.data, clusterID: identity.clusterID)
        } catch {
            // The raft log now starts at the snapshot; applying what follows on the old store
            // would diverge from every other member.
            fatalError("installing the leader's snapshot at index \(snapshot.metadata.index) failed: \(error)")
        }
        state.restart(applied: snapshot.metadata.index, term: snapshot.metadata.term, consistentIndex: consistentIndex)
        membership = MembershipApplier(membership: restored, localID: identity.memberID,
                                       consistentIndexAtStart: consistentIndex)
        membershipView.publish(restored)
        snapshotIndex.store(snapshot.metadata.index, ordering: .relaxed)
        LeaseRecovery.restore(leases, backend: kv.backend, store: kv.store)
        auth.replace(with: AuthBackend.load(from: kv.backend, hasher: auth.withStore { $0.hasher }))
        watchFanout.storeReplaced(currentRevision: kv.store.currentRevision)
        logger.info("applied snapshot", [.uint64("incoming-leader-snapshot-index", snapshot.metadata.index),
                                         .int64("current-revision", kv.store.currentRevision)])
    }

    /// etcd's merged snapshot (createMergedSnapshotMessage): a MsgSnap leaves with a snapshot
    /// made here, at the applied index, with the configuration and membership as of that index,
    /// and the backend just committed through it goes along as the db. raft's own snapshot may
    /// be older than a member added since (which would refuse a configuration that lacks it).
    /// Without an applied entry in this run yet (its term unknown), raft's snapshot goes as is.
    private func sendMergedSnapshots(_ messages: [Message], state: ApplyThreadState, membership: ClusterMembership) {
        let send = snapshotSender.withLock { $0 }
        for message in messages {
            var merged = message
            if state.appliedTerm > 0 && state.applied >= message.snapshot.metadata.index {
                merged.snapshot = Snapshot(data: V2StoreSnapshot.json(membership: membership),
                                           metadata: SnapshotMetadata(confState: membership.confState, index: state.applied,
                                                                      term: state.appliedTerm))
            }
            send?(merged)
        }
    }

    /// Hands a MsgSnap to the apply thread (raft thread).
    func submitSnapshotMessage(_ message: Message) {
        inbox.post(contentsOf: [.snapshotMessage(message)])
    }

    /// Commits the backend batch. Readers keep reading meanwhile (from the last commit and the
    /// store's read buffer); the buffer is dropped under the write lock once the commit is in.
    private func commitBackend() {
        let start = monotonicNanoseconds()
        defer { ServerMetrics.shared.backendCommitDuration.observe(nanoseconds: monotonicNanoseconds() - start) }
        do {
            try kv.backend.commit()
        } catch {
            // bbolt refuses further writes after a failed commit. The WAL still holds every
            // acknowledged entry, and a restart replays them; going on would not.
            fatalError("backend commit failed; stopping (the WAL replays what was lost on restart): \(error)")
        }
        kv.lock.withWriteLock { kv.store.backendCommitted() }
    }

    /// Applies one committed entry (caller holds the write lock). Entries the backend already
    /// holds (replayed from the WAL after a restart) change only the in-memory membership, which
    /// starts from the raft snapshot rather than the backend. Returns whether the entry removed
    /// this member from the cluster.
    private func applyEntry(_ entry: Entry, state: inout ApplyThreadState, membership: inout MembershipApplier,
                            applier: KVApplier) -> Bool {
        let start = monotonicNanoseconds()
        defer {
            state.applied = entry.index
            state.appliedTerm = entry.term
            ServerMetrics.shared.applyFinished(nanoseconds: monotonicNanoseconds() - start)
        }
        let isNew = entry.index > state.consistentIndexAtStart
        applyingIndex = entry.index
        if entry.type == .confChange {
            return applyConfChange(entry, state: &state, membership: &membership)
        }
        // Empty normal entries are new leaders' no-ops. Once the leader has applied its own,
        // everything of earlier terms is applied too: its lessor takes over expiry (etcd).
        guard !entry.data.isEmpty else {
            if identity.raft.leader.load(ordering: .relaxed) == identity.memberID.rawValue
                && identity.raft.term.load(ordering: .relaxed) == entry.term {
                let extend = leasePromotionExtendNanoseconds
                leases.withLessor { $0.promote(extendNanoseconds: extend, now: monotonicNanoseconds()) }
            }
            return false
        }
        switch RaftEntryData(decoding: entry.data) {
        case .request(let id, let decoded, let caller):
            guard isNew else { return false }
            let waiter = state.waiters.removeValue(forKey: id)
            let request = waiter?.request ?? decoded
            let result: ApplyResult
            if let caller, let denial = recheckPermission(request, caller: caller) {
                result = .failure(denial)
            } else {
                result = apply(request, with: applier)
            }
            guard let origin = waiter?.origin else { return false }
            if case .compaction(let compaction) = request, compaction.physical, kv.store.isCompacting {
                state.physicalCompactionReplies.append((origin, result))
            } else {
                state.reply(origin, result)
            }
        case .v2(let request):
            // etcd's member-attribute and cluster-version publishes; swetcd keeps no v2 store
            // for anything else.
            if let write = membership.applyV2(request, index: entry.index) {
                MembershipBackend.perform(write, on: kv.backend)
            }
        case .unsupported(let id):
            guard isNew else { return false }
            if let origin = state.waiters.removeValue(forKey: id)?.origin {
                state.reply(origin, .failure(EtcdError(.unimplemented, "swetcd: this request kind is not applied yet")))
            }
        }
        return false
    }

    /// etcd's `applyConfChange`, membership half: validate, apply, persist past the consistent
    /// index, and answer the proposer with the members after the change or with the reason it
    /// was refused (a refused change is a no-op, for raft as well).
    private func applyConfChange(_ entry: Entry, state: inout ApplyThreadState,
                                 membership: inout MembershipApplier) -> Bool {
        let outcome = membership.applyConfChange(entry)
        if let write = outcome.write { MembershipBackend.perform(write, on: kv.backend) }
        let waiter = state.waiters.removeValue(forKey: outcome.requestID)
        let result: ApplyResult
        switch outcome.result {
        case .success(let after): result = .memberChanged(outcome.change, members: after.members)
        case .failure(let error): result = .failure(EtcdError(error))
        }
        if let origin = waiter?.origin {
            state.reply(origin, result)
        } else if waiter != nil {
            externalWaiters.complete(outcome.requestID, result)
        }
        return outcome.isLocalMemberRemoved
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
            case .put, .leaseGrant: return .failure(.noSpace)
            case .txn(let txn) where !KVApplier.isReadOnly(txn): return .failure(.noSpace)
            default: break
            }
        }
        do throws(EtcdError) {
            switch request {
            case .put(let put):
                let applied = try applier.put(put, store: kv.store)
                noteLeaseAttachments(applied.events)
                batchEvents += applied.events
                var response = applied.response
                identity.fill(&response.header)
                return .put(response)
            case .deleteRange(let delete):
                let applied = applier.deleteRange(delete, store: kv.store)
                noteLeaseAttachments(applied.events)
                batchEvents += applied.events
                var response = applied.response
                identity.fill(&response.header)
                return .deleteRange(response)
            case .txn(let txn):
                let applied = try applier.txn(txn, store: kv.store)
                noteLeaseAttachments(applied.events)
                batchEvents += applied.events
                var response = applied.response
                identity.fill(&response.header)
                return .txn(response)
            case .compaction(let compaction):
                var response = try applier.compaction(compaction, store: kv.store)
                identity.fill(&response.header)
                return .compaction(response)
            case .defragment:
                do {
                    try Defragmenter.defragment(kv.backend, path: kv.backendPath, fileSystem: fileSystem)
                } catch {
                    throw EtcdError(.unknown, "\(error)")
                }
                // The defragmenter committed the batch first: the read buffer's copies can go.
                kv.store.backendCommitted()
                return .defragment(DefragmentResponse())
            case .forceCommit:
                // `run` commits before this reply is posted.
                return .forceCommitted
            case .leaseGrant(let grant):
                var response = try applyLeaseGrant(grant)
                identity.fill(&response.header)
                return .leaseGrant(response)
            case .leaseRevoke(let revoke):
                var response = try applyLeaseRevoke(revoke)
                identity.fill(&response.header)
                return .leaseRevoke(response)
            case .leaseCheckpoint(let checkpoint):
                var response = applyLeaseCheckpoint(checkpoint)
                identity.fill(&response.header)
                return .leaseCheckpoint(response)
            case .alarm:
                preconditionFailure("alarm requests are applied above")
            case .memberChange:
                preconditionFailure("member changes are raft conf changes, applied from their entries")
            case .auth(let request):
                var header: ResponseHeader? = ResponseHeader(revision: kv.store.currentRevision)
                identity.fill(&header)
                return .auth(try AuthApplier(table: auth, backend: kv.backend).apply(request, index: applyingIndex, header: header!))
            case .moveLeader, .promoteThroughLeader, .leaseTimeToLiveThroughLeader, .authThroughWorker:
                preconditionFailure("leader transfers and requests forwarded to the leader never reach the applier")
            }
        } catch {
            return .failure(error)
        }
    }

    /// etcd's authApplierV3: a write made while auth was on is checked again as it applies,
    /// so an auth change committed between the check on the loop and this entry (a revoked
    /// permission, a deleted user) is not bypassed: the caller's revision is then old, or the
    /// permission gone. nil when the write may apply.
    private func recheckPermission(_ request: ApplyRequest, caller: AuthCaller) -> EtcdError? {
        guard auth.isEnabled else { return nil }
        let leases = self.leases
        do throws(EtcdError) {
            try auth.withStore { (store: inout AuthStore) throws(EtcdError) in
                try AuthCheck.write(store, caller, request, leaseKeys: { leases.keys(of: LeaseID($0)) })
            }
            return nil
        } catch {
            return error
        }
    }

    /// Keeps the lessor's key attachments in step with a write's changes (etcd's mvcc calls
    /// the lessor's Attach and Detach from inside put and delete).
    private func noteLeaseAttachments(_ events: [Event]) {
        guard !events.isEmpty else { return }
        leases.withLessor { lessor in
            guard lessor.count > 0 else { return }
            for event in events {
                guard let kv = event.kv else { continue }
                if event.type == .delete {
                    lessor.keyDeleted(kv.key)
                } else {
                    lessor.keyPut(kv.key, lease: LeaseID(kv.lease))
                }
            }
        }
    }

    /// etcd's applier LeaseGrant: the lease joins the lessor and the `lease` bucket.
    private func applyLeaseGrant(_ request: LeaseGrantRequest) throws(EtcdError) -> LeaseGrantResponse {
        let lease = try leases.withLessor { (lessor: inout Lessor) throws(EtcdError) -> Lessor.Lease in
            try lessor.grant(LeaseID(request.id), ttl: request.ttl, now: monotonicNanoseconds())
        }
        LeaseBackend.save(lease, on: kv.backend)
        return LeaseGrantResponse(header: ResponseHeader(revision: kv.store.currentRevision), id: lease.id.rawValue, ttl: lease.ttl)
    }

    /// etcd's applier LeaseRevoke: every key of the lease is deleted in one revision (in key
    /// order, so every member's store hashes alike), in the same backend batch as the lease.
    private func applyLeaseRevoke(_ request: LeaseRevokeRequest) throws(EtcdError) -> LeaseRevokeResponse {
        let id = LeaseID(request.id)
        let keys = try leases.withLessor { (lessor: inout Lessor) throws(EtcdError) -> [[UInt8]] in try lessor.revoke(id) }
        if !keys.isEmpty {
            let deleted = kv.store.write { txn in
                for key in keys { _ = txn.deleteRange(KeyInterval(key: key, rangeEnd: [])) }
            }
            batchEvents += deleted.events
        }
        LeaseBackend.delete(id, on: kv.backend)
        return LeaseRevokeResponse(header: ResponseHeader(revision: kv.store.currentRevision))
    }

    /// etcd's applier LeaseCheckpoint: each lease that still exists takes its remaining TTL;
    /// with `--experimental-enable-lease-checkpoint-persist` the `lease` bucket records it.
    private func applyLeaseCheckpoint(_ request: LeaseCheckpointRequest) -> LeaseCheckpointResponse {
        let now = monotonicNanoseconds()
        // One lock for the whole entry (up to 1,000 checkpoints); the leases to persist, if any.
        let changed = leases.withLessor { lessor -> [Lessor.Lease] in
            let updated = request.checkpoints.compactMap {
                lessor.checkpoint(LeaseID($0.id), remainingTTL: $0.remainingTTL, now: now)
            }
            return lessor.checkpointing?.persists == true ? updated : []
        }
        for lease in changed { LeaseBackend.save(lease, on: kv.backend) }
        return LeaseCheckpointResponse(header: ResponseHeader(revision: kv.store.currentRevision))
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
