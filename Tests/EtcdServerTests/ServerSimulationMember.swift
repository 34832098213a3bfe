// One simulated etcd member for ServerClusterSimulation: its own simulated disk (WAL, snap
// files, backend db), and the raft-thread and apply-thread state that RaftNode and ApplyLoop
// keep, driven here one step at a time instead of on threads.

import BoltStore
import EtcdBasics
import EtcdIO
import EtcdProto
@testable import EtcdServer
import MVCC
import Raft

/// A violated property of the simulated cluster (or a production path that would have stopped
/// the process), with what led to it.
struct ServerSimulationViolation: Error, CustomStringConvertible {
    let description: String
}

/// SplitMix64: every random choice of a simulation comes from one of these, seeded.
struct SimulationRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// What the raft thread hands the apply thread (CommittedBatch without the waiters).
struct SimulatedCommittedBatch {
    var entries: [Entry]
    var snapshot: Snapshot?
}

/// One member: the durable part (`fileSystem`) survives a crash; everything else is rebuilt
/// from it by `open`, as EtcdServer.init does.
final class ServerSimulationMember {
    static let memberDirectory = "/data/member"
    static let walDirectory = memberDirectory + "/wal"
    static let snapDirectory = memberDirectory + "/snap"
    static let backendPath = snapDirectory + "/db"
    /// Small WAL segments: the simulated disk holds every preallocated byte, and several
    /// segments per run exercise cutting and releasing them.
    static let walSegmentBytes: Int64 = 16 * 1024

    let id: MemberID
    let identity: ServerIdentity
    let fileSystem = SimulatedFileSystem()
    /// Applied entries between raft snapshots (`--snapshot-count`), small to exercise them.
    let snapshotCount: UInt64
    /// Entries kept in memory behind a snapshot (RaftNode's catchUpEntries, scaled down).
    let catchUpEntries: UInt64

    // Raft thread (RaftNode).
    private(set) var log: MemberLog!
    private(set) var storage: MemoryStorage!
    var node: RawNode!
    /// The raft thread's membership and configuration, as of the last conf change handed out.
    var raftMembership: ClusterMembership!
    var confState = ConfState()
    /// `.snapshot(index:membership:)` inputs posted by the apply thread, not yet handled.
    var snapshotRequests: [(index: UInt64, membership: ClusterMembership)] = []

    // Apply thread (ApplyLoop).
    private(set) var kv: KVState!
    var applied: UInt64 = 0
    /// The term of the entry at `applied` (0 until one was applied in this run).
    var appliedTerm: UInt64 = 0
    var consistentIndexAtStart: UInt64 = 0
    var applyMembership: MembershipApplier!
    /// The index of the last raft snapshot (ApplyLoop's `snapshotIndex`).
    var snapshotIndex: UInt64 = 0
    var applyQueue: [SimulatedCommittedBatch] = []

    /// False while crashed, and for good once stopped (removed from the cluster).
    var isRunning = false
    /// The member learned of its removal (applied it, or a peer refused it): it never restarts.
    var isStopped = false
    /// How many times the process started (its raft seed changes with it).
    var starts = 0
    /// Whether this run of the process has proposed its attributes yet (RaftNode's publish:
    /// once a leader is known; the simulation does not retry a lost one).
    var isPublished = false

    init(id: MemberID, clusterID: ClusterID, snapshotCount: UInt64, catchUpEntries: UInt64) {
        self.id = id
        identity = ServerIdentity(clusterID: clusterID, memberID: id, name: "m\(id.rawValue)", raft: RaftStatus(),
                                  peerURLs: [Self.peerURL(id)], clientURLs: ["http://m\(id.rawValue):2379"])
        self.snapshotCount = snapshotCount
        self.catchUpEntries = catchUpEntries
    }

    static func peerURL(_ id: MemberID) -> String { "http://m\(id.rawValue):2380" }

    /// The membership entry a conf change adding this member carries.
    static func clusterMember(_ id: MemberID, isLearner: Bool) -> ClusterMember {
        ClusterMember(id: id, peerURLs: [peerURL(id)], isLearner: isLearner)
    }

    /// Starts the process on what the disk holds, in EtcdServer.init's order: the backend and
    /// the store rebuilt from it, then the raft log (created, bootstrapping `bootstrapMembers`,
    /// when the disk has no WAL), then both threads' membership from the raft snapshot.
    func open(bootstrapMembers: [ClusterMember]?, seed: UInt64, preVote: Bool) throws {
        precondition(!isRunning && !isStopped, "member \(id) opened while running or stopped")
        starts += 1
        try fileSystem.createDirectory(Self.snapDirectory, permissions: 0o700)
        if starts == 1 {
            // The data directory as provisioned: etcd (and swetcd) create `<data-dir>/member`
            // without syncing its parents, which a real file system's journal makes durable
            // with the first fsync; the strict simulated disk would lose it.
            for directory in ["/", "/data"] { try fileSystem.syncDirectory(directory) }
        }
        let backend = try Backend(database: try Database.open(path: Self.backendPath, fileSystem: fileSystem))
        let store = try KVStore.open(on: backend)
        let consistentIndex = backend.consistentIndex()
        let clusterID = identity.clusterID
        let raftSeed = seed &* 1_000_003 &+ id.rawValue &* 131 &+ UInt64(starts)
        let kv = KVState(store: store, backend: backend, backendPath: Self.backendPath, appliedIndex: consistentIndex)
        let openLog = { [fileSystem, identity] (backendIndex: UInt64) throws -> MemberLog.Opened in
            try MemberLog.open(
                memberDirectory: Self.memberDirectory, walDirectory: Self.walDirectory, identity: identity,
                raftConfig: { memberID in
                    var config = Config(id: memberID.rawValue, electionTick: 10, heartbeatTick: 1, seed: raftSeed)
                    config.checkQuorum = true
                    config.preVote = preVote
                    config.maxSizePerMsgBytes = 256
                    config.maxInflightMsgs = 4
                    return config
                },
                backendIndex: backendIndex,
                backendMembership: (try? MembershipBackend.recover(from: kv.backend, clusterID: clusterID))
                    ?? ClusterMembership(clusterID: clusterID),
                bootstrapMembers: bootstrapMembers, fileSystem: fileSystem, walSegmentBytes: Self.walSegmentBytes,
                logger: Logger(minimumLevel: .error, fileDescriptors: []))
        }
        // EtcdServer.init's order: the log, then the backend recovered from a leader's snapshot
        // the raft thread recorded but the apply thread never installed, then the log again.
        var opened = try openLog(consistentIndex)
        let startIndex = try SnapshotInstaller.recoverOnRestart(
            snapshotIndex: opened.snapshotIndex, storage: opened.storage, kv: kv,
            snapshotDirectory: Self.snapDirectory, fileSystem: fileSystem)
        if startIndex != consistentIndex {
            try opened.log.close()
            opened = try openLog(startIndex)
        }
        self.kv = kv
        log = opened.log
        storage = opened.storage
        node = opened.node
        let restored = ClusterMembership.restored(from: opened.storage, clusterID: clusterID)
        raftMembership = restored
        confState = (try? opened.storage.initialState().1) ?? ConfState()
        applied = startIndex
        appliedTerm = 0
        consistentIndexAtStart = startIndex
        applyMembership = MembershipApplier(membership: restored, localID: id, consistentIndexAtStart: startIndex)
        snapshotIndex = opened.snapshotIndex
        snapshotRequests = []
        applyQueue = []
        isPublished = false
        isRunning = true
    }

    /// Power loss: the process's memory is gone, the disk keeps what `outcome` says.
    func crash(_ outcome: CrashOutcome) {
        precondition(isRunning, "member \(id) crashed while down")
        isRunning = false
        log = nil
        node = nil
        storage = nil
        kv = nil
        applyMembership = nil
        raftMembership = nil
        applyQueue = []
        snapshotRequests = []
        fileSystem.crash(outcome)
    }

    /// etcd stops a member the cluster removed; its disk is never opened again.
    func stopForGood() {
        if isRunning { crash(.keepUnsynced) }
        isStopped = true
    }

    /// The backend as its last commit left it: what a leader streams with a MsgSnap
    /// (SnapshotSender reads it through a read transaction).
    func committedDatabaseBytes() throws -> [UInt8] {
        let transaction = try kv.backend.database.beginRead()
        defer { transaction.rollback() }
        var bytes = [UInt8](repeating: 0, count: Int(transaction.copyBytes))
        bytes.withUnsafeMutableBytes { transaction.copySnapshot(at: 0, into: $0) }
        return bytes
    }

    /// What PeerServer does with a received snapshot's db before raft sees the message: written
    /// to `<snap dir>/<index>.snap.db` through a synced temporary file and a rename.
    func receiveDatabase(_ bytes: [UInt8], snapshotIndex index: UInt64) throws {
        let finalPath = Self.snapDirectory + "/" + PeerServer.dbFileName(index)
        let temporaryPath = finalPath + ".tmp"
        let file = try fileSystem.open(temporaryPath, options: [.write, .create, .truncate], permissions: 0o600)
        try bytes.withUnsafeBytes { try file.write($0, at: 0) }
        try file.sync()
        try file.close()
        try fileSystem.rename(temporaryPath, to: finalPath)
        try fileSystem.syncDirectory(Self.snapDirectory)
    }

    /// The MVCC hash of every revision (Maintenance.HashKV at revision 0).
    func hash() throws -> KVStore.HashResult {
        try kv.store.hashByRevision(0)
    }

    /// Every current key and value (a range over the whole key space).
    func currentKeyValues() throws -> [[UInt8]: [UInt8]] {
        let result = try kv.store.range(key: [0], rangeEnd: [0])
        var values: [[UInt8]: [UInt8]] = [:]
        for kv in result.kvs { values[kv.key] = kv.value }
        return values
    }
}
