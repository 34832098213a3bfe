import BoltStore
import EtcdBasics
import EtcdIO
import GRPC
import Glibc
import MVCC

/// The composition root: builds the store, the apply thread and one event loop per core from a
/// parsed configuration, and starts serving clients.
public final class EtcdServer: Sendable {
    /// etcd's server version as clients see it in Maintenance.Status; clients gate features on it.
    static let reportedVersion = "3.4.23"
    /// Raft entries a fresh single-member etcd has applied by the time it serves clients: the
    /// initial member's ConfChange, the new leader's empty entry, the member-attributes publish
    /// and the cluster-version set. Status reports raft indexes counted from here.
    static let bootEntries: UInt64 = 4

    private let loops: [EventLoop]
    private let loopThreads: [PosixThread]
    private let applyLoop: ApplyLoop
    private let applyThread: PosixThread
    private let kv: KVState
    let identity: ServerIdentity
    private let logger: Logger

    /// Starts a single member: opens (or creates) the backend file under the data directory,
    /// rebuilds the store from it, and starts serving. Throws when the data directory or the
    /// backend cannot be opened (locked by another process, corrupt) or a listener cannot be
    /// bound.
    public init(configuration: ServerConfig, logger: Logger) throws {
        self.logger = logger
        let identity = Self.identity(for: configuration)
        self.identity = identity

        let backendPath = configuration.dataDir + "/member/snap/db"
        let backend = try Self.openBackend(at: backendPath, logger: logger)
        let store = try KVStore.open(on: backend)
        logger.info("restored mvcc store", [.int64("current-revision", store.currentRevision),
                                            .int64("compact-revision", store.compactedRevision)])
        // The applied index continues from what the file records, as a restarted etcd's does.
        let kv = KVState(store: store, backend: backend, backendPath: backendPath,
                         bootIndex: max(Self.bootEntries, backend.consistentIndex()))
        self.kv = kv
        let applyLoop = ApplyLoop(kv: kv, identity: identity)
        self.applyLoop = applyLoop
        var grpcConfiguration = GRPCServerConfiguration()
        grpcConfiguration.maxReceiveMessageBytes = configuration.maxRequestBytes + Limits.grpcOverheadBytes
        grpcConfiguration.maxConcurrentStreams = Int(configuration.maxConcurrentStreams)
        let services = Services(
            kv: kv, identity: identity, applyLoop: applyLoop,
            maxRequestBytes: configuration.maxRequestBytes, maxTxnOps: configuration.maxTxnOps,
            grpcConfiguration: grpcConfiguration, version: Self.reportedVersion,
            quota: BackendQuota(flagBytes: configuration.quotaBackendBytes))

        let loopCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var loops: [EventLoop] = []
        for index in 0..<loopCount {
            var listeners: [Int32] = []
            for url in configuration.listenClientURLs {
                do {
                    listeners.append(try Socket.listen(host: url.host, port: UInt16(url.port ?? 2379)))
                } catch {
                    listeners.forEach { close($0) }
                    throw error
                }
            }
            loops.append(EventLoop(index: index, listeners: listeners, services: services))
        }
        self.loops = loops
        applyLoop.connect(replyInboxes: loops.map(\.inbox))
        applyThread = PosixThread(name: "swetcd-apply") { applyLoop.run() }
        loopThreads = loops.map { loop in PosixThread(name: "swetcd-loop\(loop.index)") { loop.run() } }

        for url in configuration.listenClientURLs {
            logger.warn("serving client traffic insecurely; this is strongly discouraged!",
                        [.string("address", url.hostPort)])
        }
        logger.info("ready to serve client requests")
    }

    /// Stops accepting, sends GOAWAY on every connection, waits for the loops to drain and the
    /// apply thread to commit what it was given, then closes the backend file.
    public func stop() {
        for loop in loops { loop.inbox.post(.shutdown) }
        for thread in loopThreads { thread.join() }
        applyLoop.stop()
        applyThread.join()
        kv.lock.withWriteLock {
            do {
                try kv.backend.close()
            } catch {
                logger.error("closing the backend failed", [.error("\(error)")])
            }
        }
    }

    private static func identity(for configuration: ServerConfig) -> ServerIdentity {
        let token = configuration.initialClusterToken
        let memberIDs = configuration.initialCluster.map {
            MemberIdentity.memberID(peerURLs: $0.peerURLs, clusterToken: token)
        }
        // verifyBootstrap() has checked that this member is in --initial-cluster with exactly its
        // advertised peer URLs, so its ID is the one every member derives for it.
        let ownID = MemberIdentity.memberID(peerURLs: configuration.initialAdvertisePeerURLs, clusterToken: token)
        return ServerIdentity(
            clusterID: MemberIdentity.clusterID(memberIDs: memberIDs),
            memberID: ownID,
            name: configuration.name,
            term: Term(2),
            peerURLs: configuration.initialAdvertisePeerURLs.map(\.description),
            clientURLs: configuration.advertiseClientURLs.map(\.description))
    }

    /// Opens etcd's backend file, `<data-dir>/member/snap/db`, creating the directories with
    /// etcd's permissions (0700) and the file (0600) if this is a new member.
    private static func openBackend(at path: String, logger: Logger) throws -> Backend {
        let fileSystem = PosixFileSystem()
        try fileSystem.createDirectory(String(path.dropLast("/db".count)), permissions: 0o700)
        let database: Database
        do {
            database = try Database.open(path: path, fileSystem: fileSystem)
        } catch {
            logger.error("failed to open backend", [.string("path", path), .error("\(error)")])
            throw error
        }
        return try Backend(database: database)
    }
}
