// The random events of a ServerClusterSimulation run (client writes, message loss and delay,
// partitions, crashes and restarts, membership changes), the healing at the end, and the
// final checks.

import EtcdBasics
import EtcdIO
import EtcdProto
@testable import EtcdServer
import MVCC
import Raft

extension ServerClusterSimulation {
    /// One random event.
    func step(_ step: Int) throws {
        let roll = Int.random(in: 0..<100, using: &random)
        let someone = running.randomElement(using: &random)
        switch roll {
        case 0..<38 where !network.isEmpty:
            try deliverRandomMessage()
        case 0..<60:
            guard let someone else { return }
            self[someone].node.tick()
            try raftPass(someone)
        case 60..<72:
            guard let someone else { return }
            try applyPass(someone, commit: Bool.random(using: &random))
        case 72..<86:
            guard let someone else { return }
            if !self[someone].isPublished && self[someone].node.raft.lead != noneNodeID {
                try publishAttributes(of: someone)
            } else {
                try proposeClientRequest(at: someone, step: step)
            }
        case 86..<89:
            try proposeMembershipChange()
        case 89..<91:
            try crashSomeone()
        case 91..<94:
            try restartSomeone()
        case 94..<97:
            if let someone { isolate(someone.rawValue) }
        default:
            cut.removeAll()
        }
    }

    /// Delivers, drops, delays or duplicates a random message.
    private func deliverRandomMessage() throws {
        let position = Int.random(in: 0..<network.count, using: &random)
        let inFlight = network[position]
        let fate = Int.random(in: 0..<100, using: &random)
        if fate < 5 { return try deliver(inFlight) }  // duplicated: delivered, and kept
        if fate < 10 { return }  // delayed
        network.remove(at: position)
        if fate < 15 { return try lose(inFlight) }
        try deliver(inFlight)
    }

    func isolate(_ id: UInt64) {
        for other in members.keys where other.rawValue != id {
            cut.insert([id, other.rawValue])
            cut.insert([other.rawValue, id])
        }
    }

    // MARK: - Clients

    /// A put, delete, txn or compaction proposed at `id` (a follower forwards it to the leader).
    func proposeClientRequest(at id: MemberID, step: Int) throws {
        let member = self[id]
        let key = Self.keys.randomElement(using: &random)!
        let value = Array("v\(step)".utf8)
        let request: ApplyRequest
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<55:
            request = .put(PutRequest(key: key, value: value))
        case 55..<70:
            request = .deleteRange(DeleteRangeRequest(key: key))
        case 70..<95:
            let other = Self.keys.randomElement(using: &random)!
            request = .txn(TxnRequest(
                compare: [Compare(result: .greater, target: .version, key: key, targetUnion: .version(0))],
                success: [RequestOp(request: .requestPut(PutRequest(key: other, value: value)))],
                failure: [RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: other))),
                          RequestOp(request: .requestPut(PutRequest(key: key, value: value)))]))
        default:
            let revision = member.kv.store.currentRevision
            guard revision > 1 else { return }
            request = .compaction(CompactionRequest(revision: Int64.random(in: 1..<revision, using: &random)))
        }
        let requestID = nextRequestID
        nextRequestID += 1
        guard let data = request.internalRaftRequest(id: requestID)?.serializedBytes() else {
            preconditionFailure("\(request) is no raft entry")
        }
        guard (try? member.node.propose(data)) != nil else { return }
        proposer[requestID] = id
        note("\(id.rawValue) proposes #\(requestID) \(request)")
        try raftPass(id)
    }

    /// RaftNode's publish on start: the member's name and client URLs through the v2 path.
    func publishAttributes(of id: MemberID) throws {
        let member = self[id]
        var attributes = Request()
        attributes.method = "PUT"
        attributes.path = "/0/members/\(String(id.rawValue, radix: 16))/attributes"
        attributes.val = member.log.memberAttributesJSON
        attributes.id = nextRequestID
        nextRequestID += 1
        guard (try? member.node.propose(attributes.serializedBytes())) != nil else { return }
        member.isPublished = true
        note("\(id.rawValue) publishes its attributes")
        count("attribute publishes")
        try raftPass(id)
    }

    // MARK: - Membership

    /// The running leader of the highest term.
    var leader: MemberID? {
        running.filter { self[$0].node.raft.state == .leader }.max { self[$0].node.raft.term < self[$1].node.raft.term }
    }

    /// A member change proposed at the leader, as the Cluster service does: add a learner, add
    /// a voter, promote the learner, or remove a member. The process of an added member starts
    /// at once with an empty log (etcd's `--initial-cluster-state existing`); raft's leader
    /// fills it. Validation at apply time may refuse the change (then raft gets a no-op).
    func proposeMembershipChange() throws {
        guard let leaderID = leader else { return }
        let membership = self[leaderID].raftMembership!
        let voters = membership.votingMembers.map(\.id)
        let learners = membership.members.filter(\.isLearner).map(\.id)
        let change: MembershipConfChange
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where membership.members.count < Self.membersMax && learners.isEmpty:
            change = .add(ServerSimulationMember.clusterMember(MemberID(nextMemberID), isLearner: true))
        case 1 where membership.members.count < Self.membersMax:
            change = .add(ServerSimulationMember.clusterMember(MemberID(nextMemberID), isLearner: false))
        case 2 where !learners.isEmpty:
            change = .promote(learners[0])
        case 3:
            let candidates = voters.count > Self.votersMin ? membership.members.map(\.id) : learners
            guard let removed = candidates.randomElement(using: &random) else { return }
            change = .remove(removed)
        default:
            return
        }
        let requestID = nextRequestID
        nextRequestID += 1
        guard (try? self[leaderID].node.proposeConfChange(change.confChange(requestID: requestID))) != nil else { return }
        note("\(leaderID.rawValue) proposes \(change)")
        count("membership changes proposed")
        if case .add(let added) = change {
            nextMemberID += 1
            let member = ServerSimulationMember(id: added.id, clusterID: Self.clusterID,
                                                snapshotCount: UInt64(Int.random(in: 3...25, using: &random)),
                                                catchUpEntries: UInt64(Int.random(in: 0...8, using: &random)))
            try member.open(bootstrapMembers: nil, seed: seed, preVote: preVote)
            members[added.id] = member
        }
        try raftPass(leaderID)
    }

    // MARK: - Crashes

    /// The voters of the newest membership any running member applied.
    private var currentVoters: [MemberID] {
        let newest = running.max { self[$0].applied < self[$1].applied }
        return newest.map { self[$0].applyMembership.membership.votingMembers.map(\.id) } ?? []
    }

    /// Power loss at a random running member, as long as a quorum of voters keeps running.
    func crashSomeone() throws {
        let voters = currentVoters
        guard let victim = running.randomElement(using: &random) else { return }
        let runningVoters = voters.filter { self[$0].isRunning && $0 != victim }.count
        guard runningVoters > voters.count / 2 else { return }
        let outcomes: [CrashOutcome] = [.loseUnsynced, .keepUnsynced, .seeded(random.next())]
        let outcome = outcomes.randomElement(using: &random)!
        note("\(victim.rawValue) crashes (\(outcome))")
        count("crashes")
        self[victim].crash(outcome)
    }

    /// Restarts a crashed member from its disk.
    func restartSomeone() throws {
        let down = sortedIDs.filter { !self[$0].isRunning && !self[$0].isStopped }
        guard let id = down.randomElement(using: &random) else { return }
        try restart(id)
    }

    func restart(_ id: MemberID) throws {
        do {
            try self[id].open(bootstrapMembers: nil, seed: seed, preVote: preVote)
        } catch {
            throw violation("member \(id.rawValue) cannot restart from its disk: \(error)")
        }
        note("\(id.rawValue) restarts: applied \(self[id].applied) snapshot \(self[id].snapshotIndex)")
        count("restarts")
        try raftPass(id)
    }

    // MARK: - Healing

    /// Heals the network, restarts every crashed member, and drives the cluster until a
    /// marker put proposed at the leader is applied by every member of the final membership.
    func converge() throws -> Bool {
        cut.removeAll()
        for id in sortedIDs where !self[id].isRunning && !self[id].isStopped { try restart(id) }
        let marker = Array("final".utf8)
        var markerID: UInt64?
        for round in 0..<600 {
            for id in running { self[id].node.tick(); try raftPass(id) }
            var deliveries = 0
            while !network.isEmpty && deliveries < 20_000 {
                deliveries += 1
                try deliver(network.removeFirst())
            }
            for id in running {
                repeat { try applyPass(id, commit: round % 3 == 0) } while self[id].isRunning && !self[id].applyQueue.isEmpty
            }
            guard let leaderID = leader else { continue }
            let leaderMember = self[leaderID]
            let finalMembers = leaderMember.applyMembership.membership.members.map(\.id)
            if markerID == nil || round % 50 == 0 {
                let requestID = nextRequestID
                nextRequestID += 1
                let put = ApplyRequest.put(PutRequest(key: marker, value: Array("\(round)".utf8)))
                if (try? leaderMember.node.propose(put.internalRaftRequest(id: requestID)!.serializedBytes())) != nil {
                    proposer[requestID] = leaderID
                    markerID = requestID
                    try raftPass(leaderID)
                }
            }
            guard let markerID, acknowledged.contains(markerID) else { continue }
            let target = leaderMember.applied
            let settled = finalMembers.allSatisfy { id in
                guard let member = members[id], member.isRunning else { return false }
                return member.applied == target && member.applyQueue.isEmpty
            }
            if settled && finalMembers.allSatisfy({ self[$0].applied == leaderMember.node.raft.raftLog.committed }) {
                return true
            }
        }
        return false
    }

    /// For a failure message: the final membership, and the configuration of the snapshot a
    /// lagging member would be sent (raft's stored one: a member added after it is not in it,
    /// and raft refuses a snapshot that leaves it out).
    var leaderSnapshotSummary: String {
        guard let leaderID = leader, let snapshot = try? self[leaderID].storage.snapshot() else { return "" }
        let final = self[leaderID].applyMembership.membership.members.map(\.id.rawValue)
        let conf = snapshot.metadata.confState
        return "\n  final members \(final); leader \(leaderID.rawValue)'s stored snapshot at \(snapshot.metadata.index) has voters \(conf.voters.sorted()) learners \(conf.learners.sorted()); its log starts at \((try? self[leaderID].storage.firstIndex()) ?? 0)"
    }

    /// After `converge`: every member of the final membership holds the same hash, membership
    /// and keys; the keys are what the committed log says (replayed into a dictionary); every
    /// acknowledged request is in the committed log.
    func checkFinalState() throws {
        guard let leaderID = leader else { throw violation("no leader after converging") }
        let finalMembers = self[leaderID].applyMembership.membership.members.map(\.id)
        for id in finalMembers {
            let member = self[id]
            // Finish any compaction so hashes compare like for like.
            while member.kv.store.isCompacting { _ = member.kv.store.continueCompaction(recordsMax: .max) }
        }
        let reference = self[leaderID]
        let referenceHash = try reference.hash()
        let model = try modelOfCommittedLog(through: reference.applied)
        for id in finalMembers {
            let member = self[id]
            if try member.hash() != referenceHash {
                throw violation("after healing, member \(id.rawValue) hash \(try member.hash()) differs from leader \(leaderID.rawValue)'s \(referenceHash)")
            }
            if member.applyMembership.membership != reference.applyMembership.membership {
                throw violation("after healing, member \(id.rawValue)'s membership differs from the leader's")
            }
            let values = try member.currentKeyValues()
            if values != model {
                let differing = Set(values.keys).union(model.keys).filter { values[$0] != model[$0] }
                    .map { String(decoding: $0, as: UTF8.self) }.sorted()
                throw violation("member \(id.rawValue)'s keys differ from the committed log's at \(differing)")
            }
        }
        let committedIDs = Set(committed.values.compactMap { entry -> UInt64? in
            guard entry.type == .normal, !entry.data.isEmpty,
                  case .request(let id, _, _) = RaftEntryData(decoding: entry.data) else { return nil }
            return id
        })
        if let lost = acknowledged.subtracting(committedIDs).min() {
            throw violation("request #\(lost) was acknowledged but is not in the committed log")
        }
    }

    /// The committed log's requests replayed into a key → value dictionary (a model of
    /// etcd's semantics for the requests the simulation makes).
    private func modelOfCommittedLog(through index: UInt64) throws -> [[UInt8]: [UInt8]] {
        var model: [[UInt8]: [UInt8]] = [:]
        func perform(_ operation: RequestOp) {
            switch operation.request {
            case .requestPut(let put)?: model[put.key] = put.value
            case .requestDeleteRange(let delete)?: model[delete.key] = nil
            default: preconditionFailure("the simulation makes no \(operation)")
            }
        }
        for position in 1...max(1, index) {
            guard let entry = committed[position] else {
                if position == 1 && index == 0 { break }
                throw violation("no member applied index \(position)")
            }
            guard entry.type == .normal, !entry.data.isEmpty,
                  case .request(_, let request, _) = RaftEntryData(decoding: entry.data) else { continue }
            switch request {
            case .put(let put): model[put.key] = put.value
            case .deleteRange(let delete): model[delete.key] = nil
            case .txn(let txn):
                // Each txn's single guard: version(key) > 0, that is, the key exists.
                let holds = model[txn.compare[0].key] != nil
                (holds ? txn.success : txn.failure).forEach(perform)
            default: break
            }
        }
        return model
    }
}
