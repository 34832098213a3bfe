import EtcdBasics
import EtcdIO
import ProtoWire
import Raft
import WAL

/// A member's durable raft state under `<data-dir>/member`: the WAL (`wal/`) and the raft
/// snapshots (`snap/*.snap`), as etcd lays them out. Owned by the raft thread after start.
final class MemberLog {
    let wal: WriteAheadLog
    /// `{"name":…,"clientURLs":[…]}`: what this member publishes about itself on start.
    let memberAttributesJSON: String

    private init(wal: WriteAheadLog, memberAttributesJSON: String) {
        self.wal = wal
        self.memberAttributesJSON = memberAttributesJSON
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
    }

    /// Opens the member's log, or creates it (bootstrapping raft with this member as the only
    /// voter) when the data directory has none yet.
    static func open(memberDirectory: String, walDirectory: String, identity: ServerIdentity, raftConfig: Config,
                     fileSystem: any FileSystem, logger: Logger) throws -> Opened {
        let attributes = attributesJSON(identity)
        let storage = MemoryStorage()
        let exists = fileSystem.exists(walDirectory)
            && ((try? fileSystem.listDirectory(walDirectory))?.contains { $0.hasSuffix(".wal") } ?? false)
        if !exists {
            try fileSystem.createDirectory(memberDirectory, permissions: 0o700)
            let metadata = metadataBytes(memberID: identity.memberID, clusterID: identity.clusterID)
            let wal = try WriteAheadLog.create(fileSystem: fileSystem, directory: walDirectory, metadata: metadata)
            var node = RawNode(config: raftConfig, storage: storage)
            let context = Array(memberJSON(identity).utf8)
            try node.bootstrap(peers: [Peer(id: identity.memberID.rawValue, context: context)])
            logger.info("started a new member's raft log", [.string("wal-dir", walDirectory)])
            return Opened(log: MemberLog(wal: wal, memberAttributesJSON: attributes), storage: storage,
                          node: node, isNew: true, snapshotIndex: 0)
        }
        let (wal, contents) = try WriteAheadLog.open(fileSystem: fileSystem, directory: walDirectory)
        storage.setHardState(contents.hardState)
        storage.append(contents.entries)
        let node = RawNode(config: raftConfig, storage: storage)
        logger.info("restarted from the raft log", [
            .string("wal-dir", walDirectory), .int64("term", Int64(contents.hardState.term)),
            .int64("commit-index", Int64(contents.hardState.commit)),
            .int64("entries", Int64(contents.entries.count))])
        return Opened(log: MemberLog(wal: wal, memberAttributesJSON: attributes), storage: storage,
                      node: node, isNew: false, snapshotIndex: 0)
    }

    /// Appends a Ready's entries and hard state.
    func save(hardState: HardState, entries: [Entry], mustSync: Bool) throws {
        guard !entries.isEmpty || hardState != lastSavedHardState else { return }
        try wal.save(hardState: hardState, entries: entries)
        lastSavedHardState = hardState
    }

    private var lastSavedHardState = HardState()

    /// Records a snapshot at `index` (the backend already holds its effects durably).
    func saveSnapshot(storage: MemoryStorage, index: UInt64, confState: ConfState) throws {
        let term = try storage.term(at: index)
        try wal.saveSnapshot(WALSnapshot(index: index, term: term))
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
        "{\"id\":\(identity.memberID.rawValue),\"peerURLs\":\(jsonArray(identity.peerURLs)),\"name\":\(jsonString(identity.name))}"
    }

    static func attributesJSON(_ identity: ServerIdentity) -> String {
        var json = "{\"name\":\(jsonString(identity.name))"
        if !identity.clientURLs.isEmpty { json += ",\"clientURLs\":\(jsonArray(identity.clientURLs))" }
        return json + "}"
    }

    private static func jsonArray(_ strings: [String]) -> String {
        "[" + strings.map(jsonString).joined(separator: ",") + "]"
    }

    private static func jsonString(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
