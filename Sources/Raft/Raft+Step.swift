// Message handling: the term rules every message goes through, then the role's own step.

extension Raft {
    /// Handles one message: a peer's, or a local one (`hup`, `beat`, `prop`, `checkQuorum`).
    ///
    /// Throws `proposalDropped` for a proposal that cannot be placed (no leader known).
    public mutating func step(_ message: Message) throws(RaftError) {
        if message.term > term {
            if message.type == .vote || message.type == .preVote {
                // Leader lease: a node that heard from a leader within the election timeout
                // ignores the vote request, so a partitioned node cannot depose it (§6 of the thesis).
                let inLease = checkQuorum && lead != noneNodeID && electionElapsed < electionTimeout
                // ...unless the leader itself asked the candidate to campaign (leader transfer).
                let isTransfer = message.context == campaignTransferContext
                if inLease && !isTransfer { return }
            }
            switch message.type {
            case .preVote:
                break  // A pre-vote never changes our term.
            case .preVoteResp where !message.reject:
                break  // We raise our term when the pre-election is won.
            case .app, .heartbeat, .snap:
                becomeFollower(term: message.term, lead: message.from)
            default:
                becomeFollower(term: message.term, lead: noneNodeID)
            }
        } else if message.term != 0 && message.term < term {
            if (checkQuorum || preVote) && (message.type == .heartbeat || message.type == .app) {
                // A stale leader (perhaps one whose term we passed through pre-vote-less
                // elections) learns our term from this and steps down.
                send(Message(type: .appResp, to: message.from))
            } else if message.type == .preVote {
                send(Message(type: .preVoteResp, to: message.from, term: term, reject: true))
            }
            return
        }

        switch message.type {
        case .hup:
            // Not while a received snapshot awaits the application: it may change the
            // configuration, and the entries it replaces cannot be scanned for conf changes.
            if state != .leader && !raftLog.hasPendingSnapshot && !hasUnappliedConfChange { campaign(pre: preVote) }
        case .vote, .preVote:
            handleVoteRequest(message)
        default:
            switch state {
            case .leader: try stepLeader(message)
            case .candidate, .preCandidate: try stepCandidate(message)
            case .follower: try stepFollower(message)
            }
        }
    }

    /// Grants a vote to a candidate whose log is at least as up-to-date as ours, if we have not
    /// voted for someone else in this term (Raft §5.2, §5.4.1).
    private mutating func handleVoteRequest(_ message: Message) {
        let canVote = vote == message.from
            || (vote == noneNodeID && lead == noneNodeID)
            || (message.type == .preVote && message.term > term)
        if canVote && raftLog.isUpToDate(lastIndex: message.index, lastTerm: message.logTerm) {
            // Answer in the candidate's term: a pre-vote grant must say which term it was for.
            send(Message(type: message.type.voteResponse, to: message.from, term: message.term))
            if message.type == .vote {
                electionElapsed = 0
                vote = message.from
            }
        } else {
            send(Message(type: message.type.voteResponse, to: message.from, term: term, reject: true))
        }
    }

    /// Starts an election (or a pre-election, which asks for votes in `term + 1` without taking it).
    /// `transfer`: the leader asked us to (MsgTimeoutNow); our vote requests say so.
    mutating func campaign(pre: Bool, transfer: Bool = false) {
        guard isPromotable else { return }
        let voteType: MessageType
        let voteTerm: UInt64
        if pre {
            becomePreCandidate()
            voteType = .preVote
            voteTerm = term + 1
        } else {
            becomeCandidate()
            voteType = .vote
            voteTerm = term
        }
        if poll(id, granted: true) == .won {
            // A single-voter cluster wins at once.
            if pre { campaign(pre: false) } else { becomeLeader() }
            return
        }
        for voter in tracker.voters.sortedVoters where voter != id {
            var request = Message(type: voteType, to: voter, term: voteTerm,
                                  logTerm: raftLog.lastTerm, index: raftLog.lastIndex)
            if transfer { request.context = campaignTransferContext }
            send(request)
        }
    }

    private mutating func poll(_ voter: NodeID, granted: Bool) -> VoteResult {
        tracker.recordVote(voter, granted: granted)
        return tracker.tallyVotes().result
    }

    private mutating func stepCandidate(_ message: Message) throws(RaftError) {
        let myVoteResponse: MessageType = state == .preCandidate ? .preVoteResp : .voteResp
        switch message.type {
        case .prop:
            throw .proposalDropped
        case .app:
            becomeFollower(term: message.term, lead: message.from)
            handleAppendEntries(message)
        case .heartbeat:
            becomeFollower(term: message.term, lead: message.from)
            handleHeartbeat(message)
        case .snap:
            becomeFollower(term: message.term, lead: message.from)
            handleSnapshot(message)
        case myVoteResponse:
            switch poll(message.from, granted: !message.reject) {
            case .won:
                if state == .preCandidate {
                    campaign(pre: false)
                } else {
                    becomeLeader()
                    broadcastAppend()
                }
            case .lost:
                becomeFollower(term: term, lead: noneNodeID)
            case .pending:
                break
            }
        default:
            break
        }
    }

    private mutating func stepFollower(_ message: Message) throws(RaftError) {
        switch message.type {
        case .prop:
            guard !disableProposalForwarding, forwardToLeader(message) else { throw .proposalDropped }
        case .app:
            electionElapsed = 0
            lead = message.from
            handleAppendEntries(message)
        case .heartbeat:
            electionElapsed = 0
            lead = message.from
            handleHeartbeat(message)
        case .snap:
            electionElapsed = 0
            lead = message.from
            handleSnapshot(message)
        case .transferLeader:
            // Without a known leader the request is dropped; the caller retries.
            forwardToLeader(message)
        case .timeoutNow:
            handleTimeoutNow()
        case .readIndex:
            // Without a known leader the read is dropped; the caller retries on its timeout.
            forwardToLeader(message)
        case .readIndexResp:
            guard message.entries.count == 1 else { return }
            readStates.append(ReadState(index: message.index, requestContext: message.entries[0].data))
        default:
            break
        }
    }

    /// Sends `message` on to the known leader, keeping its sender; returns false (sending
    /// nothing) when no leader is known.
    @discardableResult
    private mutating func forwardToLeader(_ message: Message) -> Bool {
        guard lead != noneNodeID else { return false }
        var forwarded = message
        forwarded.to = lead
        send(forwarded)
        return true
    }

    private mutating func stepLeader(_ message: Message) throws(RaftError) {
        switch message.type {
        case .beat:
            broadcastHeartbeat()
            return
        case .checkQuorum:
            tracker.progress[id]?.recentActive = true
            if !tracker.isQuorumActive() {
                becomeFollower(term: term, lead: noneNodeID)
            }
            for nodeID in tracker.sortedIDs where nodeID != id {
                tracker.progress[nodeID]?.recentActive = false
            }
            return
        case .prop:
            precondition(!message.entries.isEmpty, "stepped empty MsgProp")
            guard tracker.progress[id] != nil else { throw .proposalDropped }
            // Leadership is being handed over: the next leader takes proposals.
            guard leadTransferee == noneNodeID else { throw .proposalDropped }
            var entries = message.entries
            admitConfChanges(&entries)
            guard appendEntries(entries) else { throw .proposalDropped }
            broadcastAppend()
            return
        case .readIndex:
            leaderHandleReadIndex(message)
            return
        default:
            break
        }
        guard tracker.progress[message.from] != nil else { return }
        switch message.type {
        case .appResp:
            handleAppendResponse(message)
        case .heartbeatResp:
            tracker.progress[message.from]!.heartbeatAcknowledged()
            if tracker.progress[message.from]!.match < raftLog.lastIndex { sendAppend(to: message.from) }
            handleReadIndexAck(message)
        case .unreachable:
            if tracker.progress[message.from]!.state == .replicate { tracker.progress[message.from]!.becomeProbe() }
        case .snapStatus:
            handleSnapshotStatus(message)
        case .transferLeader:
            handleTransferLeader(message)
        default:
            break
        }
    }
}
