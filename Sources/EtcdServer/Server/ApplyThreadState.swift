/// What the apply thread keeps between batches: who waits for which request, which reads wait
/// for which applied index, and the replies gathered for each event loop. Owned by the apply
/// thread alone.
struct ApplyThreadState {
    /// The index of the last entry applied (or skipped as already applied).
    var applied: UInt64
    /// The term of the entry at `applied` (0 until one has been applied in this run).
    var appliedTerm: UInt64 = 0
    /// The backend's consistent index when the member started: entries up to it are in the
    /// file already and are not applied again.
    private(set) var consistentIndexAtStart: UInt64
    /// Proposals waiting for their entry, by request ID.
    var waiters: [UInt64: PendingRequest] = [:]
    /// Proposals with a known log index, in proposal order (so in index order), to find the
    /// ones a leader change discarded. `expectedHead` is the first not yet checked.
    private var expected: [PendingRequest] = []
    private var expectedHead = 0
    /// Proposals whose index this member does not know (it forwarded them to the leader), in
    /// arrival order with when they are given up; `forwardedHead` is the first not yet due.
    private var forwarded: [(id: UInt64, abandonAt: Int64)] = []
    private var forwardedHead = 0
    /// How long a forwarded proposal may wait for its entry. A leader that drops it (it lost
    /// leadership before appending it) never says so; its caller gives up after etcd's request
    /// timeout, and this forgets the proposal some time after that, as etcd's wait registry is
    /// cleared when a caller times out.
    let forwardedProposalLifetimeNanoseconds: Int64
    /// Confirmed reads waiting for `applied` to reach their index, in arrival order.
    private var reads: [(index: UInt64, waves: [ReadWave])] = []
    /// Replies to `compaction --physical` requests, sent when the records are gone.
    var physicalCompactionReplies: [(CallOrigin, ApplyResult)] = []
    private var repliesByLoop: [[LoopMessage]]

    init(loopCount: Int, applied: UInt64, forwardedProposalLifetimeNanoseconds: Int64 = 60_000_000_000) {
        self.applied = applied
        self.forwardedProposalLifetimeNanoseconds = forwardedProposalLifetimeNanoseconds
        consistentIndexAtStart = applied
        repliesByLoop = Array(repeating: [], count: loopCount)
    }

    /// Starts over from a leader's snapshot at `applied` whose backend holds entries through
    /// `consistentIndex`.
    mutating func restart(applied: UInt64, term: UInt64, consistentIndex: UInt64) {
        self.applied = applied
        appliedTerm = term
        consistentIndexAtStart = consistentIndex
    }

    /// Takes note of a batch's proposals and reads (before its entries apply); `now` is
    /// CLOCK_MONOTONIC nanoseconds.
    mutating func register(_ batch: CommittedBatch, now: Int64 = 0) {
        for pending in batch.pending {
            waiters[pending.id] = pending
            if pending.expectedIndex > 0 {
                expected.append(pending)
            } else {
                forwarded.append((pending.id, now &+ forwardedProposalLifetimeNanoseconds))
            }
        }
        reads.append(contentsOf: batch.reads)
    }

    /// Forgets forwarded proposals past their lifetime (their callers are long gone); returns
    /// how many were still waiting.
    mutating func abandonForwardedProposals(now: Int64) -> Int {
        var abandoned = 0
        while forwardedHead < forwarded.count, forwarded[forwardedHead].abandonAt <= now {
            if waiters.removeValue(forKey: forwarded[forwardedHead].id) != nil { abandoned += 1 }
            forwardedHead += 1
        }
        if forwardedHead > 1024 && forwardedHead * 2 > forwarded.count {
            forwarded.removeFirst(forwardedHead)
            forwardedHead = 0
        }
        return abandoned
    }

    mutating func reply(_ origin: CallOrigin, _ result: ApplyResult) {
        repliesByLoop[origin.loop].append(.applied(origin, result))
    }

    mutating func releasePhysicalCompactionReplies() {
        for (origin, result) in physicalCompactionReplies { reply(origin, result) }
        physicalCompactionReplies.removeAll()
    }

    /// A proposal whose expected index has been applied without its ID showing up was replaced
    /// in the log by another leader's entry: it will never apply. etcd lets such a caller wait
    /// for its timeout; answering at once with the same error is kinder and equally true.
    mutating func failLostProposals() {
        while expectedHead < expected.count, expected[expectedHead].expectedIndex <= applied {
            let pending = expected[expectedHead]
            expectedHead += 1
            if let lost = waiters.removeValue(forKey: pending.id), let origin = lost.origin {
                reply(origin, .failure(.timeout))
            }
        }
        if expectedHead > 1024 && expectedHead * 2 > expected.count {
            expected.removeFirst(expectedHead)
            expectedHead = 0
        }
    }

    /// Lets loops serve the reads whose index has been applied.
    mutating func releaseReads(upTo index: UInt64) {
        guard !reads.isEmpty else { return }
        var kept: [(index: UInt64, waves: [ReadWave])] = []
        for read in reads {
            if read.index <= index {
                for wave in read.waves {
                    repliesByLoop[wave.loop].append(.readIndex(wave: wave.wave, result: .success(())))
                }
            } else {
                kept.append(read)
            }
        }
        reads = kept
    }

    /// Posts every loop its replies in one message burst.
    mutating func flush(to inboxes: [Inbox<LoopMessage>]) {
        for loop in inboxes.indices where !repliesByLoop[loop].isEmpty {
            inboxes[loop].post(contentsOf: repliesByLoop[loop])
            repliesByLoop[loop].removeAll(keepingCapacity: true)
        }
    }
}
