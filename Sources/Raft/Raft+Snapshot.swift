// Snapshots: the leader sends one to a follower whose next entries were compacted away; a
// follower installs one that is ahead of its commit index, replacing its log and configuration.

/// How sending a snapshot to a follower ended, as the application reports it
/// (`RawNode.reportSnapshot`). etcd's `SnapshotStatus`.
public enum SnapshotStatus: Sendable, Equatable {
    /// The follower received the whole snapshot.
    case finish
    /// Sending failed; the leader probes the follower again (and may send a newer snapshot).
    case failure
}

extension Raft {
    // MARK: Leader

    /// Sends `nodeID` the newest snapshot, when its next entries are no longer in the log.
    /// Skips this round when the follower has not been heard from lately (a snapshot is large;
    /// a follower that is down would waste it) or storage is still making the snapshot.
    mutating func maybeSendSnapshot(to nodeID: NodeID) -> Bool {
        guard tracker.progress[nodeID]!.recentActive else { return false }
        let snapshot: Snapshot
        do {
            snapshot = try raftLog.snapshot()
        } catch .snapshotTemporarilyUnavailable {
            return false
        } catch {
            preconditionFailure("raft storage failed reading its snapshot: \(error)")
        }
        precondition(!snapshot.isEmpty, "follower \(nodeID) needs a snapshot but storage has none")
        tracker.progress[nodeID]!.becomeSnapshot(snapshot.metadata.index)
        var message = Message(type: .snap, to: nodeID)
        message.snapshot = snapshot
        send(message)
        return true
    }

    /// The application reports how sending a snapshot went (`MsgSnapStatus`). Either way the
    /// follower is probed again, but only after its next heartbeat response (so a failure does
    /// not turn into a tight resend loop, and a success waits for the follower's own answer).
    mutating func handleSnapshotStatus(_ message: Message) {
        guard tracker.progress[message.from]!.state == .snapshot else { return }
        if message.reject {
            // Clear first: the follower does not hold the snapshot, so probe from its match.
            tracker.progress[message.from]!.pendingSnapshot = 0
        }
        tracker.progress[message.from]!.becomeProbe()
        tracker.progress[message.from]!.probeSent = true
    }

    // MARK: Follower

    /// Follower side of MsgSnap: install it if it moves us forward, and tell the leader where our
    /// log now ends (or, if ignored, what we have committed).
    mutating func handleSnapshot(_ message: Message) {
        if restore(message.snapshot) {
            send(Message(type: .appResp, to: message.from, index: raftLog.lastIndex))
        } else {
            send(Message(type: .appResp, to: message.from, index: raftLog.committed))
        }
    }

    /// Installs `snapshot` unless it is not newer than what we committed. When our log already
    /// holds its last entry we only fast-forward the commit index (the log after it is still
    /// good); otherwise the log and the configuration are replaced by the snapshot's. Returns
    /// whether the snapshot was installed (it then reaches the application in the next Ready).
    mutating func restore(_ snapshot: Snapshot) -> Bool {
        let metadata = snapshot.metadata
        guard metadata.index > raftLog.committed else { return false }
        guard state == .follower else {
            // Cannot happen (MsgSnap makes us a follower first); refuse rather than corrupt.
            becomeFollower(term: term + 1, lead: noneNodeID)
            return false
        }
        // A snapshot whose configuration leaves us out would leave us without progress of our own.
        guard metadata.confState.voters.contains(id) || metadata.confState.learners.contains(id) else {
            return false
        }
        if raftLog.matchTerm(index: metadata.index, term: metadata.term) {
            raftLog.commit(to: metadata.index)
            return false
        }
        raftLog.restore(snapshot)
        // The snapshot's configuration (joint halves, learners, learners-next, auto-leave), every
        // member probed from after the snapshot.
        applyConfState(metadata.confState)
        return true
    }
}
