import EtcdBasics
import EtcdProto

/// Every lease of the member and the keys attached to each: etcd's `lessor`, as a pure state
/// machine. Time comes in as `now` (monotonic nanoseconds); it reads no clock, writes no file
/// and sends nothing. The apply thread changes it as entries apply (grant, revoke, attach,
/// detach), the event loops renew and read it, and the leader's expiry check takes what has
/// expired (see `LeaseTable`, which guards it).
///
/// Only the primary lessor (the leader's, once it has applied its first entry of the term)
/// keeps expiry deadlines; every other member holds its leases "forever", since expiry is the
/// leader's decision, carried out as a revoke through the log so that every member deletes the
/// same keys at the same revision.
struct Lessor: Sendable {
    struct Lease: Sendable, Equatable {
        let id: LeaseID
        /// Seconds, as granted (raised to the minimum).
        var ttl: Int64
        /// A checkpointed remaining TTL in seconds; 0 when none (the whole TTL counts).
        var remainingTTL: Int64
        /// When it expires (monotonic nanoseconds); nil while this lessor is not primary.
        var expiry: Int64?
        var keys: Set<[UInt8]> = []

        /// The TTL a refresh counts from: a checkpointed remainder if any, else the TTL.
        var refreshSeconds: Int64 { remainingTTL > 0 ? remainingTTL : ttl }
    }

    /// What a keep-alive found.
    enum RenewOutcome: Sendable, Equatable {
        /// Renewed: it now expires `ttl` seconds from now.
        case renewed(ttl: Int64)
        /// No such lease.
        case notFound
        /// It has expired and its revoke is under way: etcd makes the caller wait, and answers
        /// "not found" once the revoke applied, or "not primary" (so the caller asks the new
        /// leader, where the promotion extended the lease) if leadership moved first.
        case expiring
        /// This lessor is not the primary one: the leader must renew.
        case notPrimary
    }

    /// The shortest TTL a lease gets (see `LeaseLimits.ttlMinSeconds`).
    let minTTL: Int64
    /// nil when leases are not checkpointed.
    let checkpointing: LeaseCheckpointing?
    private(set) var leases: [LeaseID: Lease] = [:]
    /// The lease each attached key belongs to.
    private var keyLeases: [[UInt8]: LeaseID] = [:]
    private var expiryQueue = LeaseExpiryQueue()
    /// When each lease is next checkpointed (primary only; one entry per lease).
    private var checkpointQueue = LeaseExpiryQueue()
    /// Renewed leases whose checkpointed remainder the other members must forget (etcd
    /// proposes a zero checkpoint on such a renewal), proposed with the next checkpoints.
    private var checkpointsToClear: Set<LeaseID> = []
    private(set) var isPrimary = false

    init(minTTL: Int64, checkpointing: LeaseCheckpointing? = nil) {
        precondition(minTTL > 0)
        precondition(checkpointing.map { $0.intervalNanoseconds > 0 } ?? true)
        self.minTTL = minTTL
        self.checkpointing = checkpointing
    }

    var count: Int { leases.count }

    func contains(_ id: LeaseID) -> Bool { leases[id] != nil }

    // MARK: - Changes the log makes (every member, in log order)

    /// Grants lease `id` for `ttl` seconds (raised to `minTTL`). Returns the lease as
    /// granted, to be persisted.
    mutating func grant(_ id: LeaseID, ttl: Int64, now: Int64) throws(EtcdError) -> Lease {
        // etcd refuses the zero ID as not found; a server-chosen ID is never zero.
        guard id != .none else { throw .leaseNotFound }
        guard ttl <= LeaseLimits.ttlMaxSeconds else { throw .leaseTTLTooLarge }
        guard leases[id] == nil else { throw .leaseExist }
        var lease = Lease(id: id, ttl: max(ttl, minTTL), remainingTTL: 0, expiry: nil)
        if isPrimary {
            lease.expiry = now + lease.ttl * 1_000_000_000
            expiryQueue.set(id, deadline: lease.expiry!)
        }
        leases[id] = lease
        scheduleCheckpoint(id, now: now)
        return lease
    }

    /// Revokes lease `id`. Returns its keys, sorted, for the caller to delete in one revision
    /// (sorted so that every member deletes them in the same order).
    mutating func revoke(_ id: LeaseID) throws(EtcdError) -> [[UInt8]] {
        guard let lease = leases.removeValue(forKey: id) else { throw .leaseNotFound }
        expiryQueue.remove(id)
        checkpointQueue.remove(id)
        checkpointsToClear.remove(id)
        for key in lease.keys { keyLeases[key] = nil }
        return lease.keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Records that `key` now lives under `lease` (a put with a lease, or none): it leaves the
    /// lease it had. A lease that does not exist (any more) takes no keys.
    mutating func keyPut(_ key: [UInt8], lease id: LeaseID) {
        let previous = keyLeases[key] ?? .none
        guard previous != id else { return }
        if previous != .none {
            leases[previous]?.keys.remove(key)
            keyLeases[key] = nil
        }
        guard id != .none, leases[id] != nil else { return }
        leases[id]!.keys.insert(key)
        keyLeases[key] = id
    }

    /// Records that `key` was deleted: it leaves its lease.
    mutating func keyDeleted(_ key: [UInt8]) {
        guard let id = keyLeases.removeValue(forKey: key) else { return }
        leases[id]?.keys.remove(key)
    }

    /// The lease `key` is attached to, `.none` if none.
    func lease(of key: [UInt8]) -> LeaseID { keyLeases[key] ?? .none }

    /// A checkpoint: the leader recorded that `id` has `remainingTTL` seconds left (0: forget
    /// the last one). The next promotion counts from it instead of the whole TTL. On the
    /// primary, the lease's next checkpoint is scheduled. Returns the lease as it now is (to be
    /// persisted if checkpoints are), nil if there is no such lease.
    mutating func checkpoint(_ id: LeaseID, remainingTTL: Int64, now: Int64) -> Lease? {
        guard leases[id] != nil else { return nil }
        leases[id]!.remainingTTL = max(0, remainingTTL)
        scheduleCheckpoint(id, now: now)
        return leases[id]
    }

    // MARK: - Leadership

    /// This member leads and has applied everything of earlier terms: every lease gets a fresh
    /// deadline `extend` nanoseconds later than its TTL would give, so that the time the
    /// election took is not held against healthy leases. When leases would pile up (more than
    /// etcd's revoke rate expiring in one second), later ones are spread out as etcd does.
    mutating func promote(extendNanoseconds extend: Int64, now: Int64) {
        isPrimary = true
        expiryQueue.removeAll()
        checkpointQueue.removeAll()
        checkpointsToClear.removeAll()
        for id in leases.keys {
            let expiry = now + extend + leases[id]!.refreshSeconds * 1_000_000_000
            leases[id]!.expiry = expiry
            expiryQueue.set(id, deadline: expiry)
            scheduleCheckpoint(id, now: now)
        }
        guard leases.count >= LeaseLimits.revokesPerSecondMax else { return }
        spreadExpiries(extend: extend, now: now)
    }

    /// etcd's pile-up adjustment: walking leases in expiry order, once more than
    /// `promotedExpiriesPerSecondMax` fall in one one-second window, each further lease is
    /// pushed back in proportion to how far over the rate the window is.
    private mutating func spreadExpiries(extend: Int64, now: Int64) {
        let second: Int64 = 1_000_000_000
        let target = Int64(LeaseLimits.promotedExpiriesPerSecondMax)
        let ordered = leases.values.sorted { ($0.expiry!, $0.id.rawValue) < ($1.expiry!, $1.id.rawValue) }
        var baseWindow = ordered[0].expiry! - now
        var nextWindow = baseWindow + second
        var expires: Int64 = 0
        for lease in ordered {
            let remaining = lease.expiry! - now
            if remaining > nextWindow {
                baseWindow = remaining
                nextWindow = baseWindow + second
                expires = 1
                continue
            }
            expires += 1
            guard expires > target else { continue }
            // A lease already `d` into the window needs `d` less delay.
            let delay = second * expires / target - (remaining - baseWindow)
            nextWindow = baseWindow + delay
            let expiry = now + delay + extend + lease.refreshSeconds * second
            leases[lease.id]!.expiry = expiry
            expiryQueue.set(lease.id, deadline: expiry)
        }
    }

    /// This member no longer leads: no lease expires here until it leads again.
    mutating func demote() {
        isPrimary = false
        expiryQueue.removeAll()
        checkpointQueue.removeAll()
        checkpointsToClear.removeAll()
        for id in leases.keys { leases[id]!.expiry = nil }
    }

    // MARK: - The primary's view of time

    /// Keep-alive: the lease expires its TTL from now (a checkpointed remainder is dropped).
    mutating func renew(_ id: LeaseID, now: Int64) -> RenewOutcome {
        guard isPrimary else { return .notPrimary }
        guard var lease = leases[id] else { return .notFound }
        if let expiry = lease.expiry, expiry <= now { return .expiring }
        // The other members still hold the last checkpoint: they must forget it, or a leader
        // elected before the next one would count from it rather than from this renewal.
        if checkpointing != nil && lease.remainingTTL > 0 { checkpointsToClear.insert(id) }
        lease.remainingTTL = 0
        lease.expiry = now + lease.ttl * 1_000_000_000
        leases[id] = lease
        expiryQueue.set(id, deadline: lease.expiry!)
        return .renewed(ttl: lease.ttl)
    }

    /// Whole seconds `id` has left (etcd truncates), or nil without such a lease. A lease
    /// without a deadline (not primary) reports etcd's "forever": Int64.max nanoseconds.
    func remainingSeconds(_ id: LeaseID, now: Int64) -> Int64? {
        guard let lease = leases[id] else { return nil }
        guard let expiry = lease.expiry else { return Int64.max / 1_000_000_000 }
        return (expiry - now) / 1_000_000_000
    }

    /// The leases that have expired, at most `limit`, earliest first; each is handed out again
    /// after `LeaseLimits.expiredRetryNanoseconds` if it still exists then. Empty unless primary.
    mutating func takeExpired(now: Int64, limit: Int) -> [LeaseID] {
        guard isPrimary else { return [] }
        var expired: [LeaseID] = []
        while expired.count < limit, let (id, deadline) = expiryQueue.first, deadline <= now {
            expiryQueue.set(id, deadline: now + LeaseLimits.expiredRetryNanoseconds)
            if let expiry = leases[id]?.expiry, expiry <= now { expired.append(id) }
        }
        return expired
    }

    /// Lease IDs, earliest expiry first (etcd's `Leases()` order), IDs breaking ties.
    func leaseIDsByExpiry() -> [LeaseID] {
        leases.values.sorted { ($0.expiry ?? .max, $0.id.rawValue) < ($1.expiry ?? .max, $1.id.rawValue) }.map(\.id)
    }

    // MARK: - Checkpoints

    /// The checkpoints the primary should propose now, at most `limit`: first a zero for each
    /// renewed lease that had a checkpointed remainder, then each lease whose checkpoint time
    /// came, with the whole seconds it has left rounded up (etcd's
    /// `findDueScheduledCheckpoints`). A lease with its whole TTL left, or already expired,
    /// needs none. Empty unless primary with checkpointing on.
    mutating func takeCheckpoints(now: Int64, limit: Int) -> [LeaseCheckpoint] {
        guard isPrimary, checkpointing != nil else { return [] }
        var due: [LeaseCheckpoint] = []
        while due.count < limit, let id = checkpointsToClear.first {
            checkpointsToClear.remove(id)
            if leases[id] != nil { due.append(LeaseCheckpoint(id: id.rawValue, remainingTTL: 0)) }
        }
        while due.count < limit, let (id, time) = checkpointQueue.first, time <= now {
            checkpointQueue.remove(id)
            guard let lease = leases[id], let expiry = lease.expiry, now < expiry else { continue }
            let remaining = (expiry - now + 999_999_999) / 1_000_000_000
            guard remaining < lease.ttl else { continue }
            due.append(LeaseCheckpoint(id: id.rawValue, remainingTTL: remaining))
        }
        return due
    }

    /// etcd's `scheduleCheckpointIfNeeded`: on the primary, a lease whose TTL (or checkpointed
    /// remainder) is longer than the interval is checkpointed one interval from now.
    private mutating func scheduleCheckpoint(_ id: LeaseID, now: Int64) {
        guard isPrimary, let interval = checkpointing?.intervalNanoseconds, let lease = leases[id],
              lease.refreshSeconds > interval / 1_000_000_000 else { return }
        checkpointQueue.set(id, deadline: now + interval)
    }

    // MARK: - Recovery

    /// Replaces every lease with those stored in the backend (restart, or a leader's snapshot
    /// installed): held forever until promoted, TTLs raised to the minimum, no keys yet (the
    /// caller attaches each live key with `keyPut`).
    mutating func restore(_ stored: [(id: LeaseID, ttl: Int64, remainingTTL: Int64)]) {
        leases.removeAll()
        keyLeases.removeAll()
        expiryQueue.removeAll()
        checkpointQueue.removeAll()
        checkpointsToClear.removeAll()
        isPrimary = false
        for lease in stored {
            leases[lease.id] = Lease(id: lease.id, ttl: max(lease.ttl, minTTL), remainingTTL: lease.remainingTTL, expiry: nil)
        }
    }
}
