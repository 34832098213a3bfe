import EtcdBasics
import EtcdProto
import Glibc
import Raft
import Synchronization
import WAL

/// Work for the raft thread.
enum RaftInput: Sendable {
    /// A write to append to the log.
    case propose(RaftProposal)
    /// An event loop wants its current wave of linearizable reads confirmed.
    case readIndex(ReadWave)
    /// A membership change (Cluster service) to append as a raft conf change; `pending.id` is
    /// the conf change's ID, which the apply thread answers by.
    case proposeConfChange(ConfChange, PendingRequest)
    /// Maintenance.MoveLeader on the leader: hand leadership to `to`, answering `pending` once
    /// it leads (or when raft gives the transfer up).
    case transferLeader(to: UInt64, PendingRequest)
    /// A raft message from a peer.
    case step(Message)
    /// The peer transport could not deliver to this member (raft then probes it gently).
    case reportUnreachable(UInt64)
    /// How sending a snapshot to this member ended.
    case reportSnapshot(UInt64, SnapshotStatus)
    /// The apply thread committed the backend through `index`: a raft snapshot may be taken
    /// there, recording `membership` (the membership as of `index`) in its data.
    case snapshot(index: UInt64, membership: ClusterMembership)
    /// Hand everything committed to the apply thread, then return from `run`.
    case stop
}

/// A write on its way into the log, and who waits for its result.
struct RaftProposal: Sendable {
    /// The encoded InternalRaftRequest (the entry's data).
    let data: [UInt8]
    let pending: PendingRequest
}

/// A proposal the apply thread should answer when its entry applies: the caller (nil when
/// nobody waits) and the request already decoded, so the applier need not decode the entry
/// it proposed itself.
struct PendingRequest: Sendable {
    let id: UInt64
    let origin: CallOrigin?
    let request: ApplyRequest
    /// The log index the entry was given when this member, as leader, appended it (0 while
    /// unknown). Once the applied index passes it without the ID showing up, the entry was
    /// lost to a leader change and the caller is told so at once.
    var expectedIndex: UInt64 = 0
}

/// A batch of linearizable reads on one event loop, confirmed together.
struct ReadWave: Sendable, Hashable {
    let loop: Int
    let wave: UInt64
}

/// What the raft thread publishes for other threads (Status, response headers, flow control).
final class RaftStatus: Sendable {
    let term = Atomic<UInt64>(0)
    /// The leader's member ID, 0 when none is known.
    let leader = Atomic<UInt64>(0)
    let committedIndex = Atomic<UInt64>(0)
    /// While this member leads: each member's match index (what the leader knows it holds),
    /// for MemberPromote's "learner in sync" check. nil while following.
    let matchIndexes = Mutex<[MemberID: UInt64]?>(nil)
}

/// The raft thread: owns the `RawNode`, its `MemoryStorage` and the WAL.
///
/// Each pass takes what the loops and the apply thread queued, ticks on time, and turns every
/// Ready into, in order: one WAL append with one fdatasync (entries and hard state), the
/// messages to peers (none for a single member; the peer transport comes with clusters), and
/// one message to the apply thread with the newly committed entries and the proposals waiting
/// for them. Reads are confirmed in waves: every read queued when a pass starts shares one
/// ReadIndex round.
final class RaftNode: @unchecked Sendable {
    // @unchecked: everything but `inbox` and `status` is touched only by the thread running
    // `run()`, after `init` handed it over.

    enum Limit {
        /// Proposals queued for the raft thread; beyond it loops answer "too many requests".
        static let queuedInputsMax = 10_000
        /// Proposals held while no leader is known (etcd blocks them until one is elected or
        /// their deadline passes; the loops' deadlines end them here too).
        static let queuedProposalsMax = 10_000
        /// Read waves waiting for a ReadIndex answer.
        static let pendingReadWavesMax = 4_096
        /// How often old WAL segments and snapshot files are purged (etcd: 30 s).
        static let purgeIntervalNanoseconds: Int64 = 30_000_000_000
        /// Entries kept in memory behind a snapshot, so a slow follower can catch up from the
        /// log rather than from a snapshot (etcd's snapshotCatchUpEntries).
        static let catchUpEntries: UInt64 = 5_000
        /// How long a ReadIndex round may go unanswered before its reads ask again (etcd 3.5's
        /// readIndexRetryTime).
        static let readIndexRetryNanoseconds: Int64 = 500_000_000
        /// How long a publish of this member's attributes may go uncommitted before it is
        /// proposed again.
        static let publishRetryNanoseconds: Int64 = 2_000_000_000
    }

    let inbox = Inbox<RaftInput>(capacity: Limit.queuedInputsMax)
    let status: RaftStatus
    let requestIDs: RequestIDGenerator

    private var node: RawNode
    private let storage: MemoryStorage
    private let log: MemberLog
    private let memberID: MemberID
    private let applyLoop: ApplyLoop
    /// The peer transport (set once before `run`; nil in tests that run a lone member).
    nonisolated(unsafe) private var transport: PeerTransport?
    private let tickNanoseconds: Int64
    /// `--max-wals` and `--max-snapshots` (0: keep all).
    private let maxWALs: Int
    private let maxSnapshots: Int
    private let logger: Logger
    /// Whether this member's log was created in this run (it then proposes the cluster version
    /// once it leads, as a fresh etcd member does).
    private let isNewLog: Bool

    /// Proposals appended since the last Ready went to the apply thread.
    private var registered: [PendingRequest] = []
    /// Proposals not yet appended: those of this pass, and all of them while no leader is known.
    private var queuedProposals: [RaftProposal] = []
    /// Membership changes not yet appended (same rules as `queuedProposals`).
    private var queuedConfChanges: [(ConfChange, PendingRequest)] = []
    /// The membership as of the last conf change handed out: what raft's configuration and the
    /// peer transport follow. The apply thread keeps its own copy, changed by the same entries
    /// through the same validation, so both agree on every change.
    private var membership: ClusterMembership
    /// Read waves not yet sent to raft, and those sent, by ReadIndex context.
    private var unsentReads: [ReadWave] = []
    private var sentReads: [UInt64: (waves: [ReadWave], sentAt: Int64)] = [:]
    /// Whether this member has proposed its attributes since it started (etcd's publish).
    private var isPublished = false
    /// The request ID of the latest attribute publish proposed, and when (monotonic ns).
    private var publishID: UInt64 = 0
    private var lastPublishAttempt: Int64 = 0
    private var isVersionProposed = false
    private var isStopping = false
    /// The configuration as of the last conf change handed out (or the snapshot's).
    private var confState: ConfState
    /// Whether this member already tried to lead without waiting for an election timeout.
    private var hasCampaigned = false
    private var wasLeader = false
    /// MoveLeader calls waiting for their transferee to lead.
    private var leaderTransfers: [(target: UInt64, pending: PendingRequest)] = []

    init(node: RawNode, storage: MemoryStorage, log: MemberLog, memberID: MemberID, clusterID: ClusterID, isNewLog: Bool,
         status: RaftStatus, applyLoop: ApplyLoop, tickMilliseconds: UInt64, maxWALs: Int, maxSnapshots: Int,
         logger: Logger) {
        self.maxWALs = maxWALs
        self.maxSnapshots = maxSnapshots
        self.status = status
        self.requestIDs = RequestIDGenerator(memberID: memberID)
        self.node = node
        self.storage = storage
        self.log = log
        self.memberID = memberID
        self.isNewLog = isNewLog
        self.applyLoop = applyLoop
        self.tickNanoseconds = Int64(tickMilliseconds) * 1_000_000
        self.logger = logger
        confState = (try? storage.initialState().1) ?? ConfState()
        membership = ClusterMembership.restored(from: storage, clusterID: clusterID)
        publishStatus()
    }

    /// Connects the peer transport; called once before `run`.
    func connect(transport: PeerTransport) {
        self.transport = transport
        transport.setMembers(membership)
    }

    // MARK: - The thread

    /// Runs on the raft thread until `.stop`.
    func run() {
        var nextTick = monotonicNanoseconds() &+ tickNanoseconds
        var nextPurge = monotonicNanoseconds()  // etcd purges once at start, then every interval
        var nextLeaseCheck = monotonicNanoseconds()
        while !isStopping {
            processReadies()
            let now = monotonicNanoseconds()
            let waitMilliseconds = Int32(clamping: max(0, (nextTick - now) / 1_000_000 + 1))
            let inputs = inbox.waitForItems(timeoutMilliseconds: waitMilliseconds)
            for input in inputs { handle(input) }
            if monotonicNanoseconds() >= nextTick {
                node.tick()
                publishMatchIndexes()
                nextTick &+= tickNanoseconds
                // After a stall (a long fsync), resume the cadence instead of bursting ticks.
                if nextTick < monotonicNanoseconds() { nextTick = monotonicNanoseconds() &+ tickNanoseconds }
            }
            proposeWaiting()
            retryUnansweredReads()
            requestReadIndex()
            if monotonicNanoseconds() >= nextLeaseCheck {
                nextLeaseCheck = monotonicNanoseconds() &+ LeaseLimits.expiryCheckIntervalNanoseconds
                revokeExpiredLeases()
                checkpointLeases()
            }
            if monotonicNanoseconds() >= nextPurge {
                nextPurge = monotonicNanoseconds() &+ Limit.purgeIntervalNanoseconds
                purgeOldFiles()
            }
        }
        processReadies()
        do {
            try log.close()
        } catch {
            logger.error("closing the WAL failed", [.error("\(error)")])
        }
    }

    private func handle(_ input: RaftInput) {
        switch input {
        case .propose(let proposal):
            queuedProposals.append(proposal)
        case .readIndex(let wave):
            if unsentReads.count + sentReads.count < Limit.pendingReadWavesMax {
                unsentReads.append(wave)
            } else {
                applyLoop.postReadResults([(wave, .failure(.tooManyRequests))])
            }
        case .proposeConfChange(let change, let pending):
            queuedConfChanges.append((change, pending))
        case .transferLeader(let target, let pending):
            if node.raft.state == .leader {
                node.transferLeader(to: target)
                leaderTransfers.append((target, pending))
            } else {
                applyLoop.postFailures([pending], error: .notLeader)
            }
        case .step(let message):
            // A message raft refuses (from a member it does not know, for a stale term) is
            // dropped, as etcd's raft does.
            try? node.step(message)
        case .reportUnreachable(let id):
            node.reportUnreachable(id)
        case .reportSnapshot(let id, let status):
            node.reportSnapshot(id, status: status)
        case .snapshot(let index, let membership):
            takeSnapshot(at: index, membership: membership)
        case .stop:
            isStopping = true
        }
    }

    // MARK: - Proposals

    /// etcd's expiry: the leader proposes a revoke for each expired lease, at most
    /// `LeaseLimits.revokesPerCheckMax` per check, every member then deleting the same keys at
    /// the same revision. A revoke lost to a leader change is proposed again after the
    /// lessor's retry interval if the lease is still there.
    private func revokeExpiredLeases() {
        guard node.raft.state == .leader else { return }
        let now = monotonicNanoseconds()
        let expired = applyLoop.leases.withLessor { $0.takeExpired(now: now, limit: LeaseLimits.revokesPerCheckMax) }
        for id in expired { queueLeaderProposal(.leaseRevoke(LeaseRevokeRequest(id: id.rawValue))) }
    }

    /// etcd's checkpointScheduledLeases: with lease checkpointing on, the leader proposes the
    /// checkpoints that came due (and the zeros that renewals owe), in entries of at most
    /// `LeaseLimits.checkpointsPerEntryMax`. A checkpoint lost to a leader change is not
    /// retried: the new leader schedules its own.
    private func checkpointLeases() {
        guard node.raft.state == .leader else { return }
        let now = monotonicNanoseconds()
        for _ in 0..<LeaseLimits.checkpointEntriesPerCheckMax {
            let checkpoints = applyLoop.leases.withLessor { $0.takeCheckpoints(now: now, limit: LeaseLimits.checkpointsPerEntryMax) }
            guard !checkpoints.isEmpty else { return }
            queueLeaderProposal(.leaseCheckpoint(LeaseCheckpointRequest(checkpoints: checkpoints)))
            if checkpoints.count < LeaseLimits.checkpointsPerEntryMax { return }
        }
    }

    /// Queues an entry the leader proposes on its own behalf (no client waits for its answer).
    private func queueLeaderProposal(_ request: ApplyRequest) {
        let requestID = requestIDs.next()
        guard let entry = request.internalRaftRequest(id: requestID) else {
            preconditionFailure("\(request) is not a raft entry")
        }
        queuedProposals.append(RaftProposal(data: entry.serializedBytes(),
                                            pending: PendingRequest(id: requestID, origin: nil, request: request)))
    }

    /// Appends every waiting proposal when a leader is known; otherwise keeps them (bounded).
    private func proposeWaiting() {
        guard !queuedProposals.isEmpty || !queuedConfChanges.isEmpty else { return }
        guard node.raft.lead != noneNodeID else {
            if queuedProposals.count > Limit.queuedProposalsMax {
                let dropped = queuedProposals.prefix(queuedProposals.count - Limit.queuedProposalsMax)
                applyLoop.postFailures(dropped.map(\.pending), error: .tooManyRequests)
                queuedProposals.removeFirst(dropped.count)
            }
            return
        }
        let isLeader = node.raft.state == .leader
        var refused: [PendingRequest] = []
        for proposal in queuedProposals {
            do {
                try node.propose(proposal.data)
                var pending = proposal.pending
                if isLeader { pending.expectedIndex = node.raft.raftLog.lastIndex }
                registered.append(pending)
            } catch {
                // Raft refuses proposals while leadership is being transferred (or when its
                // uncommitted-size limit is reached); etcd's server reports raft's error.
                refused.append(proposal.pending)
            }
        }
        queuedProposals.removeAll(keepingCapacity: true)
        for (change, pending) in queuedConfChanges {
            do {
                try node.proposeConfChange(change)
                var pending = pending
                if isLeader { pending.expectedIndex = node.raft.raftLog.lastIndex }
                registered.append(pending)
            } catch {
                refused.append(pending)
            }
        }
        queuedConfChanges.removeAll()
        if !refused.isEmpty { applyLoop.postFailures(refused, error: EtcdError(.unknown, "raft proposal dropped")) }
    }

    /// etcd's publish on start: this member's attributes (name, client URLs) through the v2
    /// path, proposed once a leader is known (a follower's proposal is forwarded) and again
    /// every `Limit.publishRetryNanoseconds` until the entry commits (a forwarded proposal can
    /// be lost to a leader change). A leader on a new log also proposes the cluster version
    /// once: entries 3 and 4 of a fresh single-member etcd, so raft indexes match.
    private func publishIfLeaderKnown() {
        guard !isPublished, node.raft.lead != noneNodeID else { return }
        let now = monotonicNanoseconds()
        guard publishID == 0 || now - lastPublishAttempt >= Limit.publishRetryNanoseconds else { return }
        lastPublishAttempt = now
        var attributes = Request()
        attributes.method = "PUT"
        attributes.path = "/0/members/\(String(memberID.rawValue, radix: 16))/attributes"
        attributes.val = log.memberAttributesJSON
        attributes.id = requestIDs.next()
        publishID = attributes.id
        try? node.propose(attributes.serializedBytes())
        guard isNewLog, !isVersionProposed, node.raft.state == .leader else { return }
        isVersionProposed = true
        var version = Request()
        version.method = "PUT"
        version.path = "/0/version"
        version.val = EtcdVersion.clusterVersion
        version.id = requestIDs.next()
        try? node.propose(version.serializedBytes())
    }

    /// Whether `entries` carry this member's publish (checked only until it is seen).
    private func notePublished(in entries: [Entry]) {
        guard !isPublished, publishID != 0 else { return }
        for entry in entries where entry.type == .normal && !entry.data.isEmpty {
            if case .v2(let request) = RaftEntryData(decoding: entry.data), request.id == publishID {
                isPublished = true
                return
            }
        }
    }

    // MARK: - Reads

    /// A ReadIndex round can vanish without a leader change (the leader drops requests until it
    /// has committed in its term; a message is lost): after `Limit.readIndexRetryNanoseconds`
    /// its waves ask again in the next round (etcd 3.5's retry), rather than wait for the
    /// request timeout.
    private func retryUnansweredReads() {
        guard !sentReads.isEmpty else { return }
        let cutoff = monotonicNanoseconds() - Limit.readIndexRetryNanoseconds
        for (context, sent) in sentReads where sent.sentAt < cutoff {
            sentReads[context] = nil
            unsentReads.append(contentsOf: sent.waves)
        }
    }

    /// One ReadIndex round for every wave queued since the last one.
    private func requestReadIndex() {
        guard !unsentReads.isEmpty, node.raft.lead != noneNodeID else { return }
        // A request ID: unique across members (it embeds the member ID), as etcd's read
        // contexts are. The leader keys pending reads by context and ignores a second request
        // with one already pending, so two followers counting from 1 would lose each other's.
        let context = requestIDs.next()
        sentReads[context] = (unsentReads, monotonicNanoseconds())
        unsentReads.removeAll(keepingCapacity: true)
        node.readIndex(context: Self.contextBytes(context))
    }

    private static func contextBytes(_ context: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: context >> (56 - 8 * UInt64($0))) }
    }

    private static func context(from bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    // MARK: - Ready

    private func processReadies() {
        campaignIfAlone()
        publishIfLeaderKnown()
        while node.hasReady {
            let ready = node.ready()
            if let softState = ready.softState { leadershipChanged(to: softState) }
            var installed: Snapshot?
            if let snapshot = ready.snapshot, !snapshot.isEmpty {
                installSnapshot(snapshot)
                installed = snapshot
            }
            // A leader's appends and heartbeats go out before its own fsync, so followers write
            // in parallel with it (etcd does the same). Safe here because this thread finishes
            // the save below before it handles any answer: no entry counts this member's copy
            // toward a commit before that copy is durable. Everything else (votes, append
            // answers) acknowledges what this member holds and goes only after the save.
            var afterSave = ready.messages
            if node.raft.state == .leader && !afterSave.isEmpty {
                let early = afterSave.filter(Self.maySendBeforeSave)
                if !early.isEmpty {
                    transport?.send(early)
                    afterSave.removeAll(where: Self.maySendBeforeSave)
                }
            }
            do {
                try log.save(hardState: ready.hardState ?? node.raft.hardState, entries: ready.entries,
                             mustSync: ready.mustSync)
            } catch {
                // Nothing of this Ready was acknowledged; a member that cannot write its log
                // must not go on (etcd panics here too).
                fatalError("WAL write failed; stopping so that nothing unsaved is acknowledged: \(error)")
            }
            storage.append(ready.entries)
            if let hardState = ready.hardState { storage.setHardState(hardState) }
            // A MsgSnap goes by way of the apply thread, which makes the snapshot it carries.
            if afterSave.contains(where: { $0.type == .snap }) {
                for message in afterSave where message.type == .snap { applyLoop.submitSnapshotMessage(message) }
                afterSave.removeAll { $0.type == .snap }
            }
            transport?.send(afterSave)
            notePublished(in: ready.committedEntries)
            for entry in ready.committedEntries where entry.type == .confChange {
                applyConfChange(entry)
            }
            var confirmedReads: [(index: UInt64, waves: [ReadWave])] = []
            for readState in ready.readStates {
                guard let context = Self.context(from: readState.requestContext),
                      let waves = sentReads.removeValue(forKey: context)?.waves else { continue }
                confirmedReads.append((readState.index, waves))
            }
            // Published before the hand-off: the apply thread decides from the leader and term
            // whether a new leader's empty entry makes its lessor primary, and a single member
            // commits that entry in the very Ready that made it leader.
            publishStatus()
            if !ready.committedEntries.isEmpty || !registered.isEmpty || !confirmedReads.isEmpty || installed != nil {
                applyLoop.submitCommitted(CommittedBatch(
                    pending: registered, entries: ready.committedEntries, reads: confirmedReads, snapshot: installed))
                registered.removeAll(keepingCapacity: true)
            }
            node.advance(ready)
            settleLeaderTransfers()
            campaignIfAlone()
            publishIfLeaderKnown()
        }
    }

    private static func maySendBeforeSave(_ message: Message) -> Bool {
        message.type == .app || message.type == .heartbeat
    }

    /// Hands a committed conf change to raft if the membership accepts it (etcd validates each
    /// at apply time and gives raft a no-op for one that fails, so every member refuses the
    /// same ones).
    private func applyConfChange(_ entry: Entry) {
        guard var change = try? ConfChange(serializedBytes: entry.data) else {
            fatalError("committed conf change at index \(entry.index) does not decode")
        }
        do {
            let decoded = try MembershipConfChange(change)
            try membership.validate(decoded)
            _ = membership.apply(decoded)
        } catch let error as JSONDecodeError {
            fatalError("committed conf change at index \(entry.index) has a bad context: \(error)")
        } catch {
            change.nodeID = noneNodeID
        }
        confState = node.applyConfChange(change)
        membershipChanged()
    }

    /// Answers MoveLeader calls: done once the transferee leads; failed as etcd's "leader
    /// transfer took too long" once raft gave the transfer up (after an election timeout) or
    /// someone else leads.
    private func settleLeaderTransfers() {
        guard !leaderTransfers.isEmpty else { return }
        // Still leading without a transfer under way: raft gave it up. Following while nobody
        // leads yet: the transferee's election is under way.
        let isGivenUp = node.raft.state == .leader && node.raft.leadTransferee == noneNodeID
        var done: [(CallOrigin, ApplyResult)] = []
        var failed: [PendingRequest] = []
        leaderTransfers.removeAll { transfer in
            if node.raft.lead == transfer.target {
                if let origin = transfer.pending.origin { done.append((origin, .movedLeader)) }
                return true
            }
            guard isGivenUp || (node.raft.state != .leader && node.raft.lead != noneNodeID) else { return false }
            failed.append(transfer.pending)
            return true
        }
        applyLoop.postResults(done)
        applyLoop.postFailures(failed, error: .timeoutLeaderTransfer)
    }

    /// Points the peer transport at the members now in the cluster.
    private func membershipChanged() {
        transport?.setMembers(membership)
    }

    /// A lone voter need not wait an election timeout to lead (etcd gets close to this by
    /// advancing its ticks on boot). Its configuration is known once the snapshot's or the
    /// replayed conf changes have been handed out.
    private func campaignIfAlone() {
        guard !hasCampaigned, confState.voters == [memberID.rawValue] else { return }
        hasCampaigned = true
        if node.raft.state != .leader { try? node.campaign() }
    }

    /// Reads sent in an earlier term will never be confirmed: their ReadIndex died with it.
    /// A member that stops leading stops expiring leases (etcd's lessor Demote); it becomes
    /// primary again only when, leading, it applies its own first entry (see ApplyLoop).
    private func leadershipChanged(to softState: SoftState) {
        ServerMetrics.shared.leaderObserved(softState.lead)
        logger.info("raft leader changed", [.string("leader", String(softState.lead, radix: 16)),
                                            .string("state", "\(softState.raftState)"),
                                            .int64("term", Int64(node.raft.term))])
        if softState.raftState != .leader {
            applyLoop.leases.withLessor { if $0.isPrimary { $0.demote() } }
        }
        guard !sentReads.isEmpty else { return }
        let lost = sentReads.values.flatMap(\.waves)
        sentReads.removeAll()
        applyLoop.postReadResults(lost.map { ($0, .failure(.leaderChanged)) })
    }

    private func publishStatus() {
        status.term.store(node.raft.term, ordering: .relaxed)
        status.leader.store(node.raft.lead, ordering: .relaxed)
        status.committedIndex.store(node.raft.raftLog.committed, ordering: .relaxed)
    }

    /// The leader's view of each member's log, for MemberPromote's readiness check. Once per
    /// tick rather than per Ready: a promote can judge from a heartbeat-old view, and the hot
    /// path builds no dictionary.
    private func publishMatchIndexes() {
        if node.raft.state == .leader {
            var matches: [MemberID: UInt64] = [:]
            for (id, progress) in node.raft.tracker.progress { matches[MemberID(id)] = progress.match }
            status.matchIndexes.withLock { $0 = matches }
        } else if wasLeader {
            status.matchIndexes.withLock { $0 = nil }
        }
        wasLeader = node.raft.state == .leader
    }

    // MARK: - Snapshots

    /// A leader's snapshot replacing this member's log (etcd's order: the .snap file and its
    /// WAL marker first, then the in-memory log). The backend it stands for was received with
    /// it (`<snap dir>/<index>.snap.db`); the apply thread puts that file in place before it
    /// applies anything after the snapshot, as the batch carrying it comes first.
    private func installSnapshot(_ snapshot: Snapshot) {
        do {
            try log.snapshotter.save(snapshot)
            try log.wal.saveSnapshot(WALSnapshot(index: snapshot.metadata.index, term: snapshot.metadata.term))
            try storage.applySnapshot(snapshot)
        } catch {
            fatalError("recording a leader's snapshot failed: \(error)")
        }
        do {
            membership = try ClusterMembership(v2StoreSnapshot: snapshot.data, clusterID: membership.clusterID)
        } catch {
            fatalError("the leader's snapshot at index \(snapshot.metadata.index) records no readable membership: \(error)")
        }
        confState = snapshot.metadata.confState
        membershipChanged()
        logger.info("applied a snapshot from the leader", [.int64("snapshot-index", Int64(snapshot.metadata.index))])
    }

    private func purgeOldFiles() {
        do {
            for name in try log.purge(maxWALs: maxWALs, maxSnapshots: maxSnapshots) {
                logger.info("purged file", [.string("path", name)])
            }
        } catch {
            logger.warn("failed to purge old files", [.error("\(error)")])
        }
    }

    /// Records a raft snapshot at `index` (whose effects the backend holds durably), then lets
    /// the in-memory log and old WAL segments go.
    private func takeSnapshot(at index: UInt64, membership: ClusterMembership) {
        do {
            guard try log.saveSnapshot(storage: storage, index: index, confState: confState, membership: membership)
            else { return }  // a leader's snapshot past `index` arrived meanwhile
            let compactTo = index > Limit.catchUpEntries ? index - Limit.catchUpEntries : 0
            // After a restart from a snapshot the log may not reach back that far yet.
            if compactTo >= (try storage.firstIndex()) { try storage.compact(to: compactTo) }
            logger.info("saved snapshot", [.int64("snapshot-index", Int64(index)),
                                           .int64("compact-index", Int64(compactTo))])
        } catch {
            fatalError("saving a snapshot failed: \(error)")
        }
    }
}
