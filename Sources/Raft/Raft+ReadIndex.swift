// ReadIndex on the leader: note the commit index, confirm leadership by a heartbeat round,
// answer the reader. The bookkeeping is in ReadOnly.swift.

extension Raft {
    /// Leader side of MsgReadIndex (this node's own read, or one a follower forwarded).
    mutating func leaderHandleReadIndex(_ message: Message) {
        guard message.entries.count == 1 else { return }
        if tracker.voters.voters == [id] {
            // The only voter: nobody else can have been elected, the commit index is current.
            answerRead(message, index: raftLog.committed)
            return
        }
        // Until an entry of this term commits, our commit index may lag what the previous
        // leader committed and acknowledged; a read at it could miss an acknowledged write.
        guard committedEntryInCurrentTerm else {
            pendingReadIndexMessages.append(message)
            return
        }
        startReadIndexRound(message)
    }

    var committedEntryInCurrentTerm: Bool {
        (raftLog.term(at: raftLog.committed) ?? 0) == term
    }

    /// Queues the read at the current commit index; this leader acknowledges it at once, and a
    /// heartbeat round carrying its context asks the others.
    private mutating func startReadIndexRound(_ message: Message) {
        let context = message.entries[0].data
        readOnly.addRequest(index: raftLog.committed, message)
        // Our own acknowledgement never makes a quorum alone: a sole voter answered at once.
        _ = readOnly.receiveAck(from: id, context: context)
        broadcastHeartbeat(context: context)
    }

    /// The first entry of this term committed: reads waiting for it can start their round.
    mutating func releasePendingReadIndexMessages() {
        guard !pendingReadIndexMessages.isEmpty, committedEntryInCurrentTerm else { return }
        let waiting = pendingReadIndexMessages
        pendingReadIndexMessages.removeAll()
        for message in waiting { startReadIndexRound(message) }
    }

    /// A heartbeat response echoing a read's context: once a quorum has, that read and every
    /// read queued before it are answered.
    mutating func handleReadIndexAck(_ message: Message) {
        guard !message.context.isEmpty,
              let acks = readOnly.receiveAck(from: message.from, context: message.context),
              tracker.voters.voteResult(acks) == .won else { return }
        serveConfirmedReads(message.context)
    }

    private mutating func serveConfirmedReads(_ context: [UInt8]) {
        for status in readOnly.advance(confirmed: context) {
            answerRead(status.request, index: status.index)
        }
    }

    /// A read of our own becomes a ReadState; a follower's gets a MsgReadIndexResp.
    private mutating func answerRead(_ request: Message, index: UInt64) {
        if request.from == noneNodeID || request.from == id {
            readStates.append(ReadState(index: index, requestContext: request.entries[0].data))
        } else {
            send(Message(type: .readIndexResp, to: request.from, index: index, entries: request.entries))
        }
    }
}
