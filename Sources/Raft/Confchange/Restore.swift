// Rebuilding a tracker configuration from a ConfState (a snapshot's, or storage's at startup).

extension Changer {
    /// The configuration `confState` describes, built by replaying changes on `tracker` (normally
    /// empty) exactly as they could have happened: the outgoing voters are added one simple change
    /// at a time, then a joint configuration is entered that removes them and adds the incoming
    /// voters, the learners and the learners-next. Without outgoing voters, everything is added
    /// by simple changes. etcd's `confchange.Restore`.
    ///
    /// Throws when `confState` is not a configuration raft could have reached (say, outgoing
    /// voters with no incoming ones).
    public static func restore(_ confState: ConfState, tracker: ProgressTracker, lastIndex: UInt64) throws(ConfChangeError) -> Outcome {
        var current = tracker
        func step(_ operation: (Changer) throws(ConfChangeError) -> Outcome) throws(ConfChangeError) {
            let outcome = try operation(Changer(tracker: current, lastIndex: lastIndex))
            current.config = outcome.config
            current.progress = outcome.progress
        }
        let incoming = confState.votersOutgoing.map { ConfChangeSingle(type: .removeNode, nodeID: $0) }
            + confState.voters.map { ConfChangeSingle(type: .addNode, nodeID: $0) }
            + (confState.learners + confState.learnersNext).map { ConfChangeSingle(type: .addLearnerNode, nodeID: $0) }
        if confState.votersOutgoing.isEmpty {
            for change in incoming {
                try step { changer throws(ConfChangeError) in try changer.simple(changes: [change]) }
            }
        } else {
            for id in confState.votersOutgoing {
                try step { changer throws(ConfChangeError) in
                    try changer.simple(changes: [ConfChangeSingle(type: .addNode, nodeID: id)])
                }
            }
            try step { changer throws(ConfChangeError) in
                try changer.enterJoint(autoLeave: confState.autoLeave, changes: incoming)
            }
        }
        return Outcome(config: current.config, progress: current.progress)
    }
}
