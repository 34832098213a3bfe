import EtcdBasics
import EtcdIO
import ProtoWire
import Raft
import WAL

/// A member's durable raft state under `<data-dir>/member`: the WAL (`wal/`) and the raft
/// snapshots (`snap/*.snap`), as etcd lays them out. Owned by the raft thread after start.
final class MemberLog {
    let wal: WriteAheadLog
    let snapshotter: Snapshotter
    let walDirectory: String
    let snapDirectory: String
    /// `{"name":…,"clientURLs":[…]}`: what this member publishes about itself on start.
    let memberAttributesJSON: String
    private let fileSystem: any FileSystem
    private var lastSavedHardState = HardState()

    private init(wal: WriteAheadLog, snapshotter: Snapshotter, walDirectory: String, snapDirectory: String,
                 identity: ServerIdentity, fileSystem: any FileSystem) {
        self.wal = wal
        self.snapshotter = snapshotter
        self.walDirectory = walDirectory
        self.snapDirectory = snapDirectory
        self.fileSystem = fileSystem
        memberAttributesJSON = Self.attributesJSON(identity)
    }

    /// What opening found.
    struct Opened {
        let log: MemberLog
        /// The in-memory log raft reads: the snapshot, hard state and entries the WAL holds.
        let storage: MemoryStorage
        /// The raft node over `storage` (bootstrapped for a new member).
        let node: RawNode
        /// True when this run created the WAL (a new member).
        let isNew: Bool
        /// The index of the snapshot the member restarted from (0 for none).
        let snapshotIndex: UInt64
        /// Who the member is: from the flags for a new member, with the IDs its WAL records on
        /// a restart.
        let identity: ServerIdentity
    }

    /// Opens the member's log, or creates it when the data directory has none yet: a member of
    /// a new cluster bootstraps raft with one AddNode conf change per `bootstrapMembers` entry
    /// (etcd's StartNode with every --initial-cluster member, ordered by ID); a member joining
    /// an existing cluster (`bootstrapMembers` nil) starts with an empty log that the leader
    /// fills. On restart: the newest snapshot the WAL has
    /// a marker for, then the WAL from that marker (a torn tail cut off, corruption refused).
    ///
    /// `backendIndex` is the consistent index the backend file records. The backend never gets
    /// ahead of the synced WAL by itself (entries apply only after their fsync), but a WAL whose
    /// tail was cut away after the backend committed (a truncated file) ends before it; the
    /// member then continues from the backend, through a snapshot at `backendIndex`, rather than
    /// letting new entries take indexes the backend would skip as already applied.
    ///
    /// `walSegmentBytes` is the WAL's segment size: etcd's 64 MB, smaller only in simulations
    /// (a simulated disk holds every preallocated byte in memory).
    static func open(memberDirectory: String, walDirectory: String, identity flagIdentity: ServerIdentity,
                     raftConfig: (MemberID) -> Config, backendIndex: UInt64,
                     backendMembership: ClusterMembership, bootstrapMembers: [ClusterMember]?,
                     fileSystem: any FileSystem,
                     walSegmentBytes: Int64 = WriteAheadLog.segmentBytesDefault,
                     logger: Logger) throws -> Opened {
        let snapDirectory = memberDirectory + "/snap"
        try fileSystem.createDirectory(memberDirectory, permissions: 0o700)
        try fileSystem.createDirectory(snapDirectory, permissions: 0o700)
        let snapshotter = Snapshotter(fileSystem: fileSystem, directory: snapDirectory)
        let storage = MemoryStorage()
        if !hasWAL(in: walDirectory, fileSystem: fileSystem) {
            let identity = flagIdentity
            let metadata = WALMetadata(nodeID: identity.memberID.rawValue, clusterID: identity.clusterID.rawValue)
            let wal = try WriteAheadLog.create(fileSystem: fileSystem, directory: walDirectory, metadata: metadata,
                                               segmentBytes: walSegmentBytes)
            var node = RawNode(config: raftConfig(identity.memberID), storage: storage)
            if let bootstrapMembers {
                try node.bootstrap(peers: bootstrapMembers.sorted { $0.id < $1.id }.map {
                    Peer(id: $0.id.rawValue, context: Array($0.json.utf8))
                })
            }
            logger.info("started a new member's raft log", [.string("wal-dir", walDirectory)])
            let log = MemberLog(wal: wal, snapshotter: snapshotter, walDirectory: walDirectory,
                                snapDirectory: snapDirectory, identity: identity, fileSystem: fileSystem)
            return Opened(log: log, storage: storage, node: node, isNew: true, snapshotIndex: 0, identity: identity)
        }

        let markers = try WriteAheadLog.validSnapshotEntries(fileSystem: fileSystem, directory: walDirectory)
        let snapshot = try snapshotter.loadNewestAvailable(walSnapshots: markers) { path, error in
            logger.warn("set aside a broken snapshot file", [.string("path", path), .error("\(error)")])
        }
        var marker = WALSnapshot()
        if let snapshot {
            marker = WALSnapshot(index: snapshot.metadata.index, term: snapshot.metadata.term)
            try storage.applySnapshot(snapshot)
        }
        let (wal, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: walDirectory, snapshot: marker,
                                                     segmentBytes: walSegmentBytes)
        let metadata = try contents.decodedMetadata()
        let identity = flagIdentity.with(memberID: MemberID(metadata.nodeID), clusterID: ClusterID(metadata.clusterID))
        if identity.memberID != flagIdentity.memberID || identity.clusterID != flagIdentity.clusterID {
            // etcd ignores the bootstrap flags once a member has a WAL; say so, since they differ.
            logger.info("the WAL names this member; --initial-cluster and its token are ignored", [
                .string("local-member-id", identity.memberID.description),
                .string("cluster-id", identity.clusterID.description)])
        }
        storage.setHardState(contents.hardState)
        storage.append(contents.entries)
        let log = MemberLog(wal: wal, snapshotter: snapshotter, walDirectory: walDirectory,
                            snapDirectory: snapDirectory, identity: identity, fileSystem: fileSystem)
        log.lastSavedHardState = contents.hardState
        let walLastIndex = try storage.lastIndex()
        if backendIndex > walLastIndex {
            logger.warn("the WAL ends before the backend; continuing from the backend", [
                .int64("wal-last-index", Int64(walLastIndex)), .int64("backend-index", Int64(backendIndex))])
            try log.continueFromBackend(storage: storage, index: backendIndex, hardState: contents.hardState,
                                        confState: try storage.initialState().1, membership: backendMembership,
                                        identity: identity)
            marker = WALSnapshot(index: backendIndex, term: contents.hardState.term)
        }
        let node = RawNode(config: raftConfig(identity.memberID), storage: storage)
        logger.info("restarted from the raft log", [
            .string("wal-dir", walDirectory), .int64("snapshot-index", Int64(marker.index)),
            .int64("term", Int64(contents.hardState.term)),
            .int64("commit-index", Int64(contents.hardState.commit)),
            .int64("entries", Int64(contents.entries.count))])
        return Opened(log: log, storage: storage, node: node, isNew: false, snapshotIndex: marker.index,
                      identity: identity)
    }

    /// Whether `walDirectory` holds a WAL (the member is restarting, not bootstrapping).
    static func hasWAL(in walDirectory: String, fileSystem: any FileSystem) -> Bool {
        ((try? fileSystem.listDirectory(walDirectory)) ?? []).contains { $0.hasSuffix(".wal") }
    }

    /// Appends a Ready's entries and hard state; one fdatasync when `mustSync`.
    func save(hardState: HardState, entries: [Entry], mustSync: Bool) throws {
        guard !entries.isEmpty || hardState != lastSavedHardState else { return }
        // Written, then synced on its own, so the fsync alone is timed (etcd's metric).
        try wal.save(hardState: hardState, entries: entries, mustSync: false)
        if mustSync {
            let start = monotonicNanoseconds()
            try wal.sync()
            ServerMetrics.shared.walFsyncDuration.observe(nanoseconds: monotonicNanoseconds() - start)
        }
        lastSavedHardState = hardState
    }

    /// Records a snapshot at `index`, whose effects the backend already holds durably: the
    /// `.snap` file first, then its WAL marker (etcd's order: a marker never names a missing
    /// file), then lets go of the WAL segments wholly before it.
    ///
    /// Does nothing, returning false, when the log's snapshot is already at or past `index`: a
    /// leader's snapshot the raft thread recorded after the apply thread asked for this one.
    @discardableResult
    func saveSnapshot(storage: MemoryStorage, index: UInt64, confState: ConfState,
                      membership: ClusterMembership) throws -> Bool {
        guard index > (try storage.snapshot()).metadata.index else { return false }
        let snapshot = try storage.createSnapshot(index: index, confState: confState,
                                                  data: V2StoreSnapshot.json(membership: membership))
        try snapshotter.save(snapshot)
        try wal.saveSnapshot(WALSnapshot(index: snapshot.metadata.index, term: snapshot.metadata.term))
        wal.releaseLock(to: index)
        return true
    }

    /// Makes `index` (the backend's) the start of the log: a snapshot there, recorded as any
    /// other (.snap, WAL marker), with the commit index moved up to it.
    private func continueFromBackend(storage: MemoryStorage, index: UInt64, hardState: HardState,
                                     confState: ConfState, membership: ClusterMembership,
                                     identity: ServerIdentity) throws {
        // A backend written before membership was kept names no members: this one alone.
        let membership = membership.members.isEmpty
            ? ClusterMembership(clusterID: identity.clusterID, members: [ClusterMember(
                id: identity.memberID, name: identity.name, peerURLs: identity.peerURLs, clientURLs: identity.clientURLs)])
            : membership
        var configuration = confState
        if configuration.voters.isEmpty {
            configuration = membership.confState
        }
        let snapshot = Snapshot(data: V2StoreSnapshot.json(membership: membership), metadata: SnapshotMetadata(confState: configuration, index: index,
                                                                       term: max(1, hardState.term)))
        try snapshotter.save(snapshot)
        try wal.saveSnapshot(WALSnapshot(index: index, term: snapshot.metadata.term))
        try storage.applySnapshot(snapshot)
        var moved = hardState
        moved.commit = index
        moved.term = max(1, hardState.term)
        try wal.save(hardState: moved, entries: [], mustSync: true)
        storage.setHardState(moved)
        lastSavedHardState = moved
    }

    /// Removes WAL segments and snapshot files beyond the newest `maxWALs` / `maxSnapshots`
    /// (0: keep all), never a segment the WAL still holds. Returns the removed names.
    func purge(maxWALs: Int, maxSnapshots: Int) throws -> [String] {
        var removed = try purgeFiles(fileSystem: fileSystem, directory: walDirectory, suffix: ".wal", keep: maxWALs)
        removed += try purgeFiles(fileSystem: fileSystem, directory: snapDirectory, suffix: ".snap", keep: maxSnapshots)
        return removed
    }

    func close() throws {
        try wal.close()
    }

    // MARK: - etcd's encodings

    /// etcdserverpb.Metadata{NodeID, ClusterID}: the WAL's metadata record.
    static func metadataBytes(memberID: MemberID, clusterID: ClusterID) -> [UInt8] {
        var writer = ProtoWriter()
        writer.writeUInt64(field: 1, memberID.rawValue)
        writer.writeUInt64(field: 2, clusterID.rawValue)
        return writer.bytes
    }

    /// The member as etcd's ConfChange context carries it (membership.Member as JSON).
    static func memberJSON(_ identity: ServerIdentity) -> String {
        ClusterMember(id: identity.memberID, name: identity.name, peerURLs: identity.peerURLs).json
    }

    /// What the member publishes about itself: its name and client URLs.
    static func attributesJSON(_ identity: ServerIdentity) -> String {
        ClusterMember(id: identity.memberID, name: identity.name, peerURLs: identity.peerURLs,
                      clientURLs: identity.clientURLs).attributesJSON
    }

}
