// Log replication: the leader's appends and heartbeats, the follower's checks, commit by quorum.

extension Raft {
    /// Appends entries of the current term to the leader's own log and commits what a quorum has.
    /// Returns false, appending nothing, when they would push the uncommitted payload past
    /// `maxUncommittedBytes` (a leader with nothing uncommitted always accepts, so one large
    /// entry can still get through).
    mutating func appendEntries(_ entries: [Entry]) -> Bool {
        let payload = entries.reduce(UInt64(0)) { $0 + UInt64($1.data.count) }
        if uncommittedBytes > 0 && (payload > maxUncommittedBytes || uncommittedBytes > maxUncommittedBytes - payload) {
            return false
        }
        uncommittedBytes += payload
        let lastIndex = raftLog.lastIndex
        var stamped = entries
        for offset in stamped.indices {
            stamped[offset].term = term
            stamped[offset].index = lastIndex + 1 + UInt64(offset)
        }
        let newLast = raftLog.append(stamped)
        _ = tracker.progress[id]?.maybeUpdate(newLast)
        _ = maybeCommit()
        return true
    }

    /// Entries were handed to the application committed: they no longer count as uncommitted.
    mutating func reduceUncommittedBytes(_ committedEntries: [Entry]) {
        let payload = committedEntries.reduce(UInt64(0)) { $0 + UInt64($1.data.count) }
        uncommittedBytes = payload > uncommittedBytes ? 0 : uncommittedBytes - payload
    }

    /// Commits the highest index a quorum stores, if that entry is from this term.
    mutating func maybeCommit() -> Bool {
        raftLog.maybeCommit(maxIndex: tracker.committed(), term: term)
    }

    mutating func broadcastAppend() {
        for nodeID in tracker.sortedIDs where nodeID != id { sendAppend(to: nodeID) }
    }

    /// Heartbeats carry the newest pending read's context, so a periodic round also confirms
    /// reads whose own round was lost.
    mutating func broadcastHeartbeat() {
        broadcastHeartbeat(context: readOnly.lastPendingContext ?? [])
    }

    mutating func broadcastHeartbeat(context: [UInt8]) {
        for nodeID in tracker.sortedIDs where nodeID != id {
            // Never tell a follower to commit past what it is known to hold.
            let commit = min(tracker.progress[nodeID]!.match, raftLog.committed)
            var heartbeat = Message(type: .heartbeat, to: nodeID, commit: commit)
            heartbeat.context = context
            send(heartbeat)
        }
    }

    mutating func sendAppend(to nodeID: NodeID) {
        _ = maybeSendAppend(to: nodeID, sendIfEmpty: true)
    }

    /// Sends `nodeID` the entries from its `next` on (up to `maxMsgSizeBytes`), unless its progress
    /// is paused. When those entries (or the term before them) were compacted away, sends the
    /// storage's snapshot instead and holds the follower in snapshot state until it reports back.
    /// Returns whether a message went out.
    @discardableResult
    mutating func maybeSendAppend(to nodeID: NodeID, sendIfEmpty: Bool) -> Bool {
        guard var progress = tracker.progress[nodeID], !progress.isPaused else { return false }
        let previousTerm = raftLog.term(at: progress.next - 1)
        let entries = raftLog.entries(from: progress.next, maxSize: maxMsgSizeBytes)
        if (entries?.isEmpty ?? true) && !sendIfEmpty { return false }
        guard let previousTerm, let entries else {
            return maybeSendSnapshot(to: nodeID)
        }
        let append = Message(type: .app, to: nodeID, logTerm: previousTerm, index: progress.next - 1,
                             entries: entries, commit: raftLog.committed)
        if let last = entries.last?.index {
            switch progress.state {
            case .replicate:
                progress.optimisticUpdate(last)
                progress.inflights.add(last)
            case .probe:
                progress.probeSent = true
            case .snapshot:
                preconditionFailure("sending entries to follower \(nodeID) in snapshot state")
            }
        }
        tracker.progress[nodeID] = progress
        send(append)
        return true
    }

    /// Leader side of an append response: move the follower's progress forward, or back off.
    mutating func handleAppendResponse(_ message: Message) {
        let from = message.from
        tracker.progress[from]!.recentActive = true
        if message.reject {
            var probeIndex = message.rejectHint
            if message.logTerm > 0 {
                probeIndex = raftLog.findConflictByTerm(index: message.rejectHint, term: message.logTerm)
            }
            if tracker.progress[from]!.maybeDecrease(rejected: message.index, hint: probeIndex) {
                if tracker.progress[from]!.state == .replicate { tracker.progress[from]!.becomeProbe() }
                sendAppend(to: from)
            }
            return
        }
        let wasPaused = tracker.progress[from]!.isPaused
        guard tracker.progress[from]!.maybeUpdate(message.index) else { return }
        switch tracker.progress[from]!.state {
        case .probe:
            tracker.progress[from]!.becomeReplicate()
        case .replicate:
            tracker.progress[from]!.inflights.freeLE(message.index)
        case .snapshot:
            // The follower holds the snapshot (or caught up another way): replicate after it,
            // through probe so that `next` accounts for the snapshot.
            if tracker.progress[from]!.match >= tracker.progress[from]!.pendingSnapshot {
                tracker.progress[from]!.becomeProbe()
                tracker.progress[from]!.becomeReplicate()
            }
        }
        if maybeCommit() {
            // The commit index moved within this term: reads held for the first commit may go.
            releasePendingReadIndexMessages()
            broadcastAppend()
        } else if wasPaused {
            sendAppend(to: from)
        }
        // Fill the window while there is more to send.
        while maybeSendAppend(to: from, sendIfEmpty: false) {}
        // A leader transfer waits for the transferee to hold our whole log.
        if from == leadTransferee && tracker.progress[from]!.match == raftLog.lastIndex {
            sendTimeoutNow(to: from)
        }
    }

    /// Follower side of MsgApp: the log matching check, then append and commit.
    mutating func handleAppendEntries(_ message: Message) {
        if message.index < raftLog.committed {
            send(Message(type: .appResp, to: message.from, index: raftLog.committed))
            return
        }
        if let lastNew = raftLog.maybeAppend(index: message.index, logTerm: message.logTerm,
                                             committed: message.commit, entries: message.entries) {
            send(Message(type: .appResp, to: message.from, index: lastNew))
            return
        }
        // Mismatch: suggest where the leader should probe next, skipping a whole term at a time.
        let hintIndex = raftLog.findConflictByTerm(index: min(message.index, raftLog.lastIndex),
                                                  term: message.logTerm)
        let hintTerm = raftLog.term(at: hintIndex) ?? 0
        send(Message(type: .appResp, to: message.from, logTerm: hintTerm, index: message.index,
                     reject: true, rejectHint: hintIndex))
    }

    mutating func handleHeartbeat(_ message: Message) {
        raftLog.commit(to: message.commit)
        var response = Message(type: .heartbeatResp, to: message.from)
        response.context = message.context
        send(response)
    }
}
