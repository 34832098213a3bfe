import BoltStore
import EtcdBasics
import EtcdIO
import GRPC
import Glibc
import MVCC
import Raft

/// The composition root: builds the store, the apply thread and one event loop per core from a
/// parsed configuration, and starts serving clients.
public final class EtcdServer: Sendable {
    private let loops: [EventLoop]
    private let loopThreads: [PosixThread]
    private let applyLoop: ApplyLoop
    private let applyThread: PosixThread
    private let raftNode: RaftNode
    private let raftThread: PosixThread
    private let transport: PeerTransport
    private let peerServer: PeerServer
    private let kv: KVState
    let identity: ServerIdentity
    private let logger: Logger

    /// Starts a single member: opens (or creates) the backend file and the raft log under the
    /// data directory, rebuilds the store from the backend, replays the log past what the
    /// backend holds, and starts serving. Throws when the data directory, the backend or the
    /// WAL cannot be opened (locked by another process, corrupt) or a listener cannot be bound.
    public init(configuration: ServerConfig, logger: Logger) throws {
        self.logger = logger
        let raftStatus = RaftStatus()
        let peerConnectivity = PeerConnectivity()
        let flagIdentity = Self.identity(for: configuration, raftStatus: raftStatus)

        // Bind first, as etcd does: clients that connect while the member restores its state
        // wait in the accept queue instead of being refused and backing off.
        PeerTLS.install(try Self.peerTLS(configuration))
        let listenersByLoop = try Self.bindListeners(configuration)
        let peerListeners = try Self.bindPeerListeners(configuration)

        let memberDirectory = configuration.dataDir + "/member"
        let backendPath = memberDirectory + "/snap/db"
        // The WAL's and the backend's disk: --unsafe-no-fsync drops their syncs, as etcd's does.
        let fileSystem: any FileSystem = configuration.unsafeNoFsync ? UnsyncedFileSystem(PosixFileSystem()) : PosixFileSystem()
        let backend = try Self.openBackend(at: backendPath, fileSystem: fileSystem, logger: logger)
        let store = try KVStore.open(on: backend)
        // The last raft entry whose effects the file holds: replay starts after it.
        let consistentIndex = backend.consistentIndex()
        logger.info("restored mvcc store", [.int64("current-revision", store.currentRevision),
                                            .int64("compact-revision", store.compactedRevision),
                                            .int64("consistent-index", Int64(consistentIndex))])
        let (startIdentity, bootstrapMembers, remoteCluster) = try Self.bootstrap(configuration, flagIdentity: flagIdentity)
        let kv = KVState(store: store, backend: backend, backendPath: backendPath,
                         appliedIndex: consistentIndex)
        self.kv = kv
        let openLog = { (backendIndex: UInt64) throws -> MemberLog.Opened in
            try MemberLog.open(
                memberDirectory: memberDirectory,
                walDirectory: Self.walDirectory(configuration),
                identity: startIdentity, raftConfig: { Self.raftConfig(configuration, memberID: $0) },
                backendIndex: backendIndex,
                backendMembership: (try? MembershipBackend.recover(from: kv.backend, clusterID: flagIdentity.clusterID))
                    ?? ClusterMembership(clusterID: flagIdentity.clusterID),
                bootstrapMembers: bootstrapMembers,
                fileSystem: fileSystem, logger: logger)
        }
        var opened = try openLog(consistentIndex)
        // A leader's snapshot recorded just before the process stopped: its db replaces the
        // backend, and the log is opened again to reach what that db holds.
        let startIndex = try SnapshotInstaller.recoverOnRestart(
            snapshotIndex: opened.snapshotIndex, storage: opened.storage, kv: kv,
            snapshotDirectory: memberDirectory + "/snap", fileSystem: fileSystem)
        if startIndex != consistentIndex {
            try opened.log.close()
            opened = try openLog(startIndex)
            kv.appliedIndex.store(startIndex, ordering: .relaxed)
        }
        let identity = opened.identity
        self.identity = identity
        let restartMembership = ClusterMembership.restored(from: opened.storage, clusterID: identity.clusterID)
        let membershipView = MembershipView(localID: identity.memberID, membership: restartMembership)
        let watchFanout = WatchFanout(loopCount: listenersByLoop.count)
        let leases = LeaseTable(minTTL: LeaseLimits.ttlMinSeconds(
            heartbeatMilliseconds: Int64(configuration.heartbeatIntervalMs),
            electionMilliseconds: Int64(configuration.electionTimeoutMs)),
            checkpointing: LeaseCheckpointing(configuration))
        LeaseRecovery.restore(leases, backend: kv.backend, store: kv.store)
        let auth = AuthTable(store: AuthBackend.open(on: kv.backend, hasher: BcryptHasher(cost: Int(clamping: configuration.bcryptCost))),
                             tokens: SimpleTokens(ttlSeconds: Int64(clamping: configuration.authTokenTTLSeconds)),
                             jwt: configuration.authToken.hasPrefix("jwt") ? try JWTTokens(option: configuration.authToken) : nil)
        let applyLoop = ApplyLoop(kv: kv, identity: identity, snapshotCount: configuration.snapshotCount,
                                  snapshotIndex: opened.snapshotIndex,
                                  membership: restartMembership, membershipView: membershipView,
                                  watchFanout: watchFanout,
                                  batchInterval: configuration.backendBatchInterval,
                                  batchLimit: configuration.backendBatchLimit, leases: leases, auth: auth,
                                  electionTimeout: .milliseconds(Int64(configuration.electionTimeoutMs)),
                                  compactionBatchLimit: configuration.experimentalCompactionBatchLimit,
                                  fileSystem: fileSystem, logger: logger)
        self.applyLoop = applyLoop
        let raftNode = RaftNode(
            node: opened.node, storage: opened.storage, log: opened.log, memberID: identity.memberID,
            clusterID: identity.clusterID,
            isNewLog: opened.isNew, status: raftStatus, applyLoop: applyLoop,
            tickMilliseconds: configuration.heartbeatIntervalMs,
            maxWALs: Int(clamping: configuration.maxWALs), maxSnapshots: Int(clamping: configuration.maxSnapshots),
            logger: logger)
        self.raftNode = raftNode
        var grpcConfiguration = GRPCServerConfiguration()
        grpcConfiguration.maxReceiveMessageBytes = configuration.maxRequestBytes + Limits.grpcOverheadBytes
        grpcConfiguration.maxConcurrentStreams = Int(configuration.maxConcurrentStreams)
        let sender = PeerSender(memberID: identity.memberID, clusterID: identity.clusterID, peerURLs: identity.peerURLs)
        let dialTimeoutMilliseconds = Int32(clamping: 1_000 + configuration.electionTimeoutMs)
        let promoter = MemberPromoter(
            membership: membershipView, raft: raftNode, applyLoop: applyLoop, sender: sender,
            isStrictReconfigCheck: configuration.strictReconfigCheck,
            requestTimeoutNanoseconds: Self.requestTimeoutNanoseconds(configuration),
            dialTimeoutMilliseconds: dialTimeoutMilliseconds)
        let leaseForwarder = LeaseForwarder(
            leases: leases, membership: membershipView, raftStatus: raftNode.status, localID: identity.memberID,
            requestTimeoutNanoseconds: Self.requestTimeoutNanoseconds(configuration),
            dialTimeoutMilliseconds: dialTimeoutMilliseconds,
            appliedIndex: { kv.appliedIndex.load(ordering: .relaxed) })
        let authWorker = AuthWorker(table: auth, raft: raftNode, applyLoop: applyLoop)
        authWorker.start()
        let services = Services(
            kv: kv, identity: identity, applyLoop: applyLoop, raft: raftNode,
            maxRequestBytes: configuration.maxRequestBytes, maxTxnOps: configuration.maxTxnOps,
            grpcConfiguration: grpcConfiguration, version: EtcdVersion.etcdCompatibleVersion,
            quota: BackendQuota(flagBytes: configuration.quotaBackendBytes),
            requestTimeoutNanoseconds: Self.requestTimeoutNanoseconds(configuration),
            peers: peerConnectivity, isStrictReconfigCheck: configuration.strictReconfigCheck,
            promoter: promoter, watchFanout: watchFanout,
            watchProgressIntervalNanoseconds: configuration.experimentalWatchProgressNotifyInterval.nanoseconds,
            watchFragmentBytes: configuration.maxRequestBytes + Limits.grpcOverheadBytes,
            membership: membershipView, leaseForwarder: leaseForwarder,
            clientTLS: try Self.clientTLS(configuration),
            clientListenersSecure: (configuration.listenClientURLs + configuration.listenMetricsURLs).map(\.isSecure),
            metricsListenerStart: configuration.listenClientURLs.count,
            httpAccess: HTTPAccessPolicy(servesGateway: configuration.enableGRPCGateway,
                                         corsOrigins: configuration.corsOrigins, hostWhitelist: configuration.hostWhitelist),
            logger: logger,
            auth: auth, authWorker: authWorker)

        let loops = listenersByLoop.enumerated().map { index, listeners in
            EventLoop(index: index, listeners: listeners, services: services)
        }
        self.loops = loops
        applyLoop.connect(replyInboxes: loops.map(\.inbox), raftInbox: raftNode.inbox)
        watchFanout.connect(loops.map(\.inbox))
        leaseForwarder.connect(loops.map(\.inbox))
        leaseForwarder.start()
        let transport = PeerTransport(
            sender: sender,
            raftInbox: raftNode.inbox, connectivity: peerConnectivity, logger: logger,
            electionTimeoutMilliseconds: configuration.electionTimeoutMs, snapshotDirectory: memberDirectory + "/snap",
            beginBackendRead: { kv.lock.withReadLock { try? kv.backend.database.beginRead() } },
            members: { membershipView.membership.members },
            promote: { promoter.promoteAsLeader($0) },
            lease: { method, path, body in
                // etcd's handler first waits (up to a second) for the applied index to reach
                // what was committed when the request came (a peer connection thread may wait).
                let target = raftNode.status.committedIndex.load(ordering: .relaxed)
                let waitDeadline = monotonicNanoseconds() + 1_000_000_000
                while kv.appliedIndex.load(ordering: .relaxed) < target && monotonicNanoseconds() < waitDeadline {
                    usleep(5_000)
                }
                return LeaseForwarding.response(method: method, path: path, body: body, leases: leases, now: monotonicNanoseconds(),
                                                hasAppliedCommitted: kv.appliedIndex.load(ordering: .relaxed) >= target,
                                                clusterID: identity.clusterID)
            },
            onRemoved: { Self.stopRemovedMember(logger: logger) })
        self.transport = transport
        raftNode.connect(transport: transport)
        applyLoop.connect(snapshotSender: { transport.send([$0]) })
        if let remoteCluster {
            // A joining member talks to the running members before its log names them.
            transport.setMembers(ClusterMembership(clusterID: remoteCluster.clusterID, members: remoteCluster.members))
        }
        // etcd stops a member once the cluster has removed it.
        membershipView.onLocalMemberRemoved {
            logger.warn("the member has been permanently removed from the cluster",
                        [.string("local-member-id", identity.memberID.description)])
            Self.stopRemovedMember(logger: logger)
        }
        peerServer = PeerServer(listeners: peerListeners, secureListeners: configuration.listenPeerURLs.map(\.isSecure),
                                transport: transport)
        peerServer.start()
        applyThread = PosixThread(name: "swetcd-apply") { applyLoop.run() }
        raftThread = PosixThread(name: "swetcd-raft") { raftNode.run() }
        loopThreads = loops.map { loop in PosixThread(name: "swetcd-loop\(loop.index)") { loop.run() } }

        for url in configuration.listenClientURLs {
            logger.warn("serving client traffic insecurely; this is strongly discouraged!",
                        [.string("address", url.hostPort)])
        }
        logger.info("ready to serve client requests")
    }

    /// Stops accepting, sends GOAWAY on every connection, waits for the loops to drain, the raft
    /// thread to hand over what is committed and close the WAL, and the apply thread to apply
    /// and commit it; then closes the backend file.
    public func stop() {
        for loop in loops { loop.inbox.post(.shutdown) }
        for thread in loopThreads { thread.join() }
        raftNode.inbox.post(contentsOf: [.stop])
        raftThread.join()
        peerServer.stop()
        transport.stop()
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

    /// A member the cluster removed stops, as etcd's does: its server ends and the process
    /// exits with status 0 (the data directory can no longer rejoin).
    private static func stopRemovedMember(logger: Logger) -> Never {
        logger.warn("data-dir used by this member must be removed")
        exit(0)
    }

    /// Whether the member's WAL exists (a restart, not a bootstrap).
    public static func hasWAL(_ configuration: ServerConfig) -> Bool {
        MemberLog.hasWAL(in: walDirectory(configuration), fileSystem: PosixFileSystem())
    }

    /// `--wal-dir`, or etcd's default `<data-dir>/member/wal`.
    private static func walDirectory(_ configuration: ServerConfig) -> String {
        configuration.walDir.isEmpty ? configuration.dataDir + "/member/wal" : configuration.walDir
    }

    /// One set of client listeners per event loop (SO_REUSEPORT spreads connections over them).
    private static func bindListeners(_ configuration: ServerConfig) throws -> [[Int32]] {
        let loopCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var bound: [[Int32]] = []
        for _ in 0..<loopCount {
            var listeners: [Int32] = []
            // The --listen-metrics-urls listeners follow the client ones (see
            // Services.metricsListenerStart).
            for url in configuration.listenClientURLs + configuration.listenMetricsURLs {
                do {
                    listeners.append(try Socket.listen(host: url.host, port: UInt16(url.port ?? 2379)))
                } catch {
                    listeners.forEach { close($0) }
                    bound.joined().forEach { close($0) }
                    throw error
                }
            }
            bound.append(listeners)
        }
        return bound
    }

    /// The client port's TLS context, when a client URL is https (etcd refuses https without a
    /// certificate unless --auto-tls, which the validation checked).
    private static func clientTLS(_ configuration: ServerConfig) throws -> TLSContextSource? {
        guard (configuration.listenClientURLs + configuration.listenMetricsURLs).contains(where: \.isSecure) else { return nil }
        let settings = try Self.tlsSettings(configuration)
        var files = configuration.clientTLS
        if files.isEmpty && files.autoTLS {
            files = try AutoTLS.selfSigned(directory: configuration.dataDir + "/fixtures/client",
                                           hosts: configuration.listenClientURLs.map(\.host), base: files)
        }
        do {
            return try TLSContextSource(files: files, settings: settings)
        } catch {
            throw ConfigError.invalid("client TLS: \(error)")
        }
    }

    /// The peer port's TLS, when a peer URL (ours or a member's) is https, or peer TLS files
    /// are given (etcd then dials https peers with them).
    private static func peerTLS(_ configuration: ServerConfig) throws -> PeerTLS? {
        var files = configuration.peerTLS
        let anySecure = (configuration.listenPeerURLs + configuration.initialAdvertisePeerURLs).contains(where: \.isSecure)
        guard anySecure || !files.isEmpty || files.autoTLS else { return nil }
        let settings = try Self.tlsSettings(configuration)
        var isSelfSigned = false
        if files.isEmpty && files.autoTLS {
            files = try AutoTLS.selfSigned(directory: configuration.dataDir + "/fixtures/peer",
                                           hosts: configuration.listenPeerURLs.map(\.host), base: files, clientAuth: true)
            isSelfSigned = true
        }
        guard !files.isEmpty else { return nil }
        do {
            return try PeerTLS(files: files, settings: settings, isSelfSigned: isSelfSigned)
        } catch {
            throw ConfigError.invalid("peer TLS: \(error)")
        }
    }

    private static func tlsSettings(_ configuration: ServerConfig) throws -> TLSSettings {
        let versions = try configuration.tlsVersions()
        return TLSSettings(cipherList: try TLSCipherSuites.openSSLCipherList(configuration.cipherSuites),
                           minimumVersion: versions.minimum, maximumVersion: versions.maximum)
    }

    /// The peer listeners, one per --listen-peer-urls entry.
    private static func bindPeerListeners(_ configuration: ServerConfig) throws -> [Int32] {
        var bound: [Int32] = []
        for url in configuration.listenPeerURLs {
            do {
                bound.append(try Socket.listen(host: url.host, port: UInt16(url.port ?? 2380)))
            } catch {
                bound.forEach { close($0) }
                throw error
            }
        }
        return bound
    }

    enum Limit {
        /// How long a new member asks its peers whether it was bootstrapped before (etcd's
        /// bootstrap timeout: one second).
        static let bootstrapCheckMilliseconds: Int32 = 1_000
    }

    /// Who a member without a WAL is and how its raft log starts: a member of a new cluster
    /// bootstraps with every --initial-cluster member; one joining an existing cluster asks the
    /// running members (their peer URLs in --initial-cluster) for the cluster ID and the ID
    /// `member add` gave it. A member with a WAL is who its WAL says (see MemberLog.open).
    private static func bootstrap(_ configuration: ServerConfig, flagIdentity: ServerIdentity) throws
        -> (ServerIdentity, [ClusterMember]?, RemoteCluster?) {
        guard !hasWAL(configuration) else { return (flagIdentity, nil, nil) }
        let token = configuration.initialClusterToken
        let others = configuration.initialCluster.filter { $0.name != configuration.name }
            .flatMap { $0.peerURLs.map(\.description) }
        if configuration.initialClusterState == .new {
            let members = configuration.initialCluster.map {
                ClusterMember(id: MemberIdentity.memberID(peerURLs: $0.peerURLs, clusterToken: token), name: $0.name,
                              peerURLs: $0.peerURLs.map(\.description))
            }
            // etcd's isMemberBootstrapped: a running cluster that already lists this member as
            // started means its data directory was lost or moved; bootstrapping it again would
            // make a second cluster under the same IDs.
            if !others.isEmpty,
               let running = RemoteCluster.fetch(from: others, dialTimeoutMilliseconds: Limit.bootstrapCheckMilliseconds,
                                                 timeoutMilliseconds: Limit.bootstrapCheckMilliseconds),
               running.members.contains(where: { $0.id == flagIdentity.memberID && !$0.clientURLs.isEmpty }) {
                throw BootstrapError("member \(flagIdentity.memberID) has already been bootstrapped")
            }
            return (flagIdentity, members, nil)
        }
        guard let remote = RemoteCluster.fetch(
            from: others, dialTimeoutMilliseconds: Int32(clamping: 1_000 + configuration.electionTimeoutMs),
            timeoutMilliseconds: RemoteCluster.Limit.timeoutMilliseconds)
        else {
            throw BootstrapError("cannot fetch cluster info from peer urls: could not retrieve cluster information from the given URLs")
        }
        let id = try remote.memberID(initialCluster: configuration.initialCluster.map { ($0.name, $0.peerURLs.map(\.description)) },
                                     localName: configuration.name)
        return (flagIdentity.with(memberID: id, clusterID: remote.clusterID), nil, remote)
    }

    /// etcd's raft settings: ticks of --heartbeat-interval, an election timeout of
    /// --election-timeout in ticks, CheckQuorum on, PreVote by flag, 1 MiB appends, 512 in flight.
    private static func raftConfig(_ configuration: ServerConfig, memberID: MemberID) -> Config {
        let heartbeat = max(1, configuration.heartbeatIntervalMs)
        var config = Config(id: memberID.rawValue,
                            electionTick: Int(max(2, configuration.electionTimeoutMs / heartbeat)),
                            heartbeatTick: 1, seed: UInt64.random(in: 1...UInt64.max))
        config.checkQuorum = true
        config.preVote = configuration.preVote
        config.maxSizePerMsgBytes = 1024 * 1024
        config.maxInflightMsgs = 512
        return config
    }

    /// etcd's ReqTimeout: 5 s plus two election timeouts; a proposal or read waiting longer
    /// gets "request timed out".
    private static func requestTimeoutNanoseconds(_ configuration: ServerConfig) -> Int64 {
        (5_000 + 2 * Int64(configuration.electionTimeoutMs)) * 1_000_000
    }

    private static func identity(for configuration: ServerConfig, raftStatus: RaftStatus) -> ServerIdentity {
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
            raft: raftStatus,
            peerURLs: configuration.initialAdvertisePeerURLs.map(\.description),
            clientURLs: configuration.advertiseClientURLs.map(\.description))
    }

    /// Opens etcd's backend file, `<data-dir>/member/snap/db`, creating the directories with
    /// etcd's permissions (0700) and the file (0600) if this is a new member.
    private static func openBackend(at path: String, fileSystem: any FileSystem, logger: Logger) throws -> Backend {
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
