import EtcdBasics
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
    private let applyThread: PosixThread
    let identity: ServerIdentity
    private let logger: Logger

    /// Starts a single member. Throws (with the failing call) when a listener cannot be opened.
    public init(configuration: ServerConfig, logger: Logger) throws {
        self.logger = logger
        let identity = Self.identity(for: configuration)
        self.identity = identity
        try Self.prepareDataDirectory(configuration.dataDir)

        let kv = KVState(store: KVStore(), bootIndex: Self.bootEntries)
        let applyLoop = ApplyLoop(kv: kv, identity: identity)
        var grpcConfiguration = GRPCServerConfiguration()
        grpcConfiguration.maxReceiveMessageBytes = configuration.maxRequestBytes + Limits.grpcOverheadBytes
        grpcConfiguration.maxConcurrentStreams = Int(configuration.maxConcurrentStreams)
        let services = Services(
            kv: kv, identity: identity, applyLoop: applyLoop,
            maxRequestBytes: configuration.maxRequestBytes, maxTxnOps: configuration.maxTxnOps,
            grpcConfiguration: grpcConfiguration, version: Self.reportedVersion)

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

    /// Stops accepting, sends GOAWAY on every connection, and waits for the loops to drain.
    public func stop() {
        for loop in loops { loop.inbox.post(.shutdown) }
        for thread in loopThreads { thread.join() }
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

    /// Creates the data directory with etcd's permissions (0700) if it does not exist.
    private static func prepareDataDirectory(_ path: String) throws(Socket.Failure) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw Socket.Failure(call: "mkdir \(path)", errno: errno)
        }
    }
}
