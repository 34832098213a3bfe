import EtcdProto
import GRPC

/// The texts of the errors clientv3's Election and etcd's election server return.
enum ElectionErrors {
    static let notLeader = GRPCStatus(.unknown, "election: not leader")
    static let noLeader = GRPCStatus(.unknown, "election: no leader")
    static let missingLeaderKey = GRPCStatus(.unknown, #""leader" field must be provided"#)
}

/// v3electionpb.Election/Campaign (clientv3's Election.Campaign on the caller's lease): the
/// caller's key `name/<lease hex>` with its value joins the candidates; it leads once every
/// key under `name/` created before it is gone. A candidate already in line with another value
/// proclaims the new one first.
struct CampaignRecipe: Recipe, Equatable {
    private let name: [UInt8]
    private let prefix: [UInt8]
    private let value: [UInt8]
    private var lease: Int64
    private var key: [UInt8] = []
    private var leaderRevision: Int64 = 0
    /// The header of the campaign's txn: the answer's, as etcd's.
    private var header: ResponseHeader?
    private var phase = Phase.joining

    private enum Phase: Equatable {
        case joining
        case proclaiming
        case waiting(WaitDeletes)
        /// The wait failed for a reason of its own: the key stays (etcd resigns only when the
        /// caller's context ends).
        case failed
    }

    init(_ request: CampaignRequest) {
        name = request.name
        prefix = request.name + [UInt8(ascii: "/")]
        value = request.value
        lease = request.lease
    }

    mutating func start() -> [RecipeStep] {
        if lease == 0 { return [.grantLease(LeaseGrantRequest(ttl: RecipeKeys.sessionTTLSeconds))] }
        return [join()]
    }

    private mutating func join() -> RecipeStep {
        key = RecipeKeys.sessionKey(prefix: prefix, lease: lease)
        return .txn(TxnRequest(
            compare: [RecipeKeys.createRevision(of: key, is: 0)],
            success: [RequestOp(request: .requestPut(PutRequest(key: key, value: value, lease: lease)))],
            failure: [RequestOp(request: .requestRange(RangeRequest(key: key)))]))
    }

    mutating func next(_ input: RecipeInput) -> [RecipeStep] {
        switch (phase, input) {
        case (_, .failed(let status)):
            if status.code != .deadlineExceeded && status.code != .cancelled { phase = .failed }
            return [recipeFailure(status)]
        case (.joining, .leaseGranted(let granted)):
            lease = granted.id
            return [join()]
        case (.joining, .txn(let response)):
            header = response.header
            leaderRevision = response.header?.revision ?? 0
            if !response.succeeded, case .responseRange(let mine)? = response.responses.first?.response,
               let existing = mine.kvs.first {
                leaderRevision = existing.createRevision
                if existing.value != value {
                    phase = .proclaiming
                    return [ProclaimRecipe.proclaim(key: key, revision: leaderRevision, lease: lease, value: value)]
                }
            }
            return startWaiting()
        case (.proclaiming, .txn(let response)):
            // Lost the key in between: etcd resigns (nothing to delete) and fails.
            guard response.succeeded else { return [.fail(ElectionErrors.notLeader)] }
            return startWaiting()
        case (.waiting(let wait), .range(let response)):
            if let watch = wait.wait(after: response) { return [watch] }
            return [.reply(.campaign(CampaignResponse(
                header: header, leader: LeaderKey(name: name, key: key, rev: leaderRevision, lease: lease))))]
        case (.waiting(let wait), .watched(let response)):
            if let lost = WaitDeletes.lostWatch(response) {
                phase = .failed
                return [.fail(lost)]
            }
            return WaitDeletes.sawDeletion(response) ? [wait.check] : []
        default:
            return []
        }
    }

    private mutating func startWaiting() -> [RecipeStep] {
        let wait = WaitDeletes(prefix: prefix, maxCreateRevision: leaderRevision - 1)
        phase = .waiting(wait)
        return [wait.check]
    }

    /// A campaign cancelled while waiting resigns (etcd's Campaign on a done context).
    var cleanupOnCancel: RecipeStep? {
        guard case .waiting = phase else { return nil }
        return ResignRecipe.resign(key: key, revision: leaderRevision)
    }
}

/// v3electionpb.Election/Proclaim: a new value for the leader's key, if it is still the
/// caller's (same create revision).
struct ProclaimRecipe: Recipe, Equatable {
    private let request: ProclaimRequest

    init(_ request: ProclaimRequest) {
        self.request = request
    }

    static func proclaim(key: [UInt8], revision: Int64, lease: Int64, value: [UInt8]) -> RecipeStep {
        .txn(TxnRequest(compare: [RecipeKeys.createRevision(of: key, is: revision)],
                        success: [RequestOp(request: .requestPut(PutRequest(key: key, value: value, lease: lease)))]))
    }

    mutating func start() -> [RecipeStep] {
        guard let leader = request.leader else { return [.fail(ElectionErrors.missingLeaderKey)] }
        return [Self.proclaim(key: leader.key, revision: leader.rev, lease: leader.lease, value: request.value)]
    }

    mutating func next(_ input: RecipeInput) -> [RecipeStep] {
        switch input {
        case .txn(let response):
            guard response.succeeded else { return [.fail(ElectionErrors.notLeader)] }
            return [.reply(.proclaim(ProclaimResponse(header: response.header)))]
        case .failed(let status):
            return [recipeFailure(status)]
        default:
            return []
        }
    }

    var cleanupOnCancel: RecipeStep? { nil }
}

/// v3electionpb.Election/Resign: deletes the leader's key if it is still the caller's; a key
/// that is gone or someone else's is no error.
struct ResignRecipe: Recipe, Equatable {
    private let request: ResignRequest

    init(_ request: ResignRequest) {
        self.request = request
    }

    static func resign(key: [UInt8], revision: Int64) -> RecipeStep {
        .txn(TxnRequest(compare: [RecipeKeys.createRevision(of: key, is: revision)],
                        success: [RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: key)))]))
    }

    mutating func start() -> [RecipeStep] {
        guard let leader = request.leader else { return [.fail(ElectionErrors.missingLeaderKey)] }
        return [Self.resign(key: leader.key, revision: leader.rev)]
    }

    mutating func next(_ input: RecipeInput) -> [RecipeStep] {
        switch input {
        case .txn(let response): [.reply(.resign(ResignResponse(header: response.header)))]
        case .failed(let status): [recipeFailure(status)]
        default: []
        }
    }

    var cleanupOnCancel: RecipeStep? { nil }
}

/// v3electionpb.Election/Leader: the oldest key under `name/`.
struct LeaderRecipe: Recipe, Equatable {
    private let prefix: [UInt8]

    init(_ request: LeaderRequest) {
        prefix = request.name + [UInt8(ascii: "/")]
    }

    mutating func start() -> [RecipeStep] {
        [.range(RecipeKeys.firstCreated(under: prefix))]
    }

    mutating func next(_ input: RecipeInput) -> [RecipeStep] {
        switch input {
        case .range(let response):
            guard let leader = response.kvs.first else { return [.fail(ElectionErrors.noLeader)] }
            return [.reply(.leader(LeaderResponse(header: response.header, kv: leader)))]
        case .failed(let status):
            return [recipeFailure(status)]
        default:
            return []
        }
    }

    var cleanupOnCancel: RecipeStep? { nil }
}

/// v3electionpb.Election/Observe (clientv3's Election.Observe): the current leader, then every
/// new value it proclaims, then the next leader once its key is deleted; while there is none,
/// the first key put under `name/`. The stream lasts until the caller ends it.
struct ObserveRecipe: Recipe, Equatable {
    private let prefix: [UInt8]
    private var phase = Phase.looking

    private enum Phase: Equatable {
        /// Reading the oldest key.
        case looking
        /// No leader: watching the prefix for the first put.
        case awaitingLeader
        /// Following the leader's key until it is deleted.
        case following
    }

    init(_ request: LeaderRequest) {
        prefix = request.name + [UInt8(ascii: "/")]
    }

    mutating func start() -> [RecipeStep] {
        phase = .looking
        return [.range(RecipeKeys.firstCreated(under: prefix))]
    }

    /// How Observe ends when a read or watch fails: etcd's server forwards clientv3's
    /// Election.Observe channel, which closes without an error, so the stream ends with OK.
    private static let ending = RecipeStep.fail(.ok)

    mutating func next(_ input: RecipeInput) -> [RecipeStep] {
        switch (phase, input) {
        case (_, .failed):
            return [Self.ending]
        case (.looking, .range(let response)):
            let revision = response.header?.revision ?? 0
            guard let leader = response.kvs.first else {
                phase = .awaitingLeader
                return [.watch(WatchCreateRequest(key: prefix, rangeEnd: RecipeKeys.prefixEnd(prefix), startRevision: revision))]
            }
            return follow(leader, header: response.header, revision: revision)
        case (.awaitingLeader, .watched(let response)):
            // Only a put names a leader; a delete here would only make the loop spin.
            guard let put = response.events.first(where: { $0.type == .put }), let kv = put.kv else {
                return response.canceled ? [Self.ending] : []
            }
            var header = response.header
            header?.revision = kv.modRevision
            return follow(kv, header: header, revision: kv.modRevision)
        case (.following, .watched(let response)):
            if response.canceled { return [Self.ending] }
            var steps: [RecipeStep] = []
            for event in response.events {
                if event.type == .delete { return steps + start() }
                steps.append(.send(LeaderResponse(header: response.header, kv: event.kv)))
            }
            return steps
        default:
            return []
        }
    }

    private mutating func follow(_ leader: KeyValue, header: ResponseHeader?, revision: Int64) -> [RecipeStep] {
        phase = .following
        return [.send(LeaderResponse(header: header, kv: leader)),
                .watch(WatchCreateRequest(key: leader.key, startRevision: revision + 1))]
    }

    var cleanupOnCancel: RecipeStep? { nil }
}
