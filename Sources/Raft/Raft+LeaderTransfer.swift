// Leader transfer (Raft thesis §3.10): the leader brings the transferee's log up to date, then
// tells it to campaign at once (MsgTimeoutNow). Its vote requests carry a marker that lets them
// through the other nodes' leader lease, which would otherwise ignore them.

/// The context of vote requests from a transferee: it was told to campaign by the leader, so
/// followers must not hold their lease against it. etcd's `campaignTransfer`.
let campaignTransferContext: [UInt8] = Array("CampaignTransfer".utf8)

extension Raft {
    /// Leader side of MsgTransferLeader (`message.from` is the proposed transferee). Ignored for a
    /// learner, for ourselves and for the transfer already under way; a transfer to another node
    /// replaces it. The transfer must finish within an election timeout (the clock restarts
    /// now), else `tickHeartbeat` aborts it; meanwhile proposals are dropped.
    mutating func handleTransferLeader(_ message: Message) {
        let transferee = message.from
        guard let progress = tracker.progress[transferee], !progress.isLearner else { return }
        if leadTransferee != noneNodeID {
            if leadTransferee == transferee { return }
            abortLeaderTransfer()
        }
        if transferee == id { return }
        electionElapsed = 0
        leadTransferee = transferee
        if progress.match == raftLog.lastIndex {
            sendTimeoutNow(to: transferee)
        } else {
            // MsgTimeoutNow follows the append response that shows it caught up.
            sendAppend(to: transferee)
        }
    }

    mutating func sendTimeoutNow(to nodeID: NodeID) {
        send(Message(type: .timeoutNow, to: nodeID))
    }

    mutating func abortLeaderTransfer() {
        leadTransferee = noneNodeID
    }

    /// Follower side of MsgTimeoutNow: campaign now, without pre-vote (no partition to guard
    /// against: the leader asked) and past the others' leases.
    mutating func handleTimeoutNow() {
        guard isPromotable else { return }
        campaign(pre: false, transfer: true)
    }
}
