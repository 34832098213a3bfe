import BoltStore
import EtcdBasics
import MVCC
import Raft
import Synchronization

/// The raft transport between members (etcd's rafthttp.Transport): one `PeerLink` per other
/// member, the listener serving the peer URLs (`PeerServer`), and the bridge to the raft
/// thread's inbox.
///
/// The raft thread calls `send` with each Ready's messages and `setMembers` after every conf
/// change; everything else runs on the transport's own threads and reaches raft only through
/// its bounded inbox (a message that finds it full is dropped, which raft tolerates).
final class PeerTransport: Sendable {
    let sender: PeerSender
    let connectivity: PeerConnectivity
    let logger: Logger
    /// etcd's peer dial timeout: 1 s plus one election timeout.
    let dialTimeoutMilliseconds: Int32
    /// Where received snapshot databases are written (`<data-dir>/member/snap`).
    let snapshotDirectory: String
    private let raftInbox: Inbox<RaftInput>
    private let links = Mutex<[MemberID: PeerLink]>([:])
    private let removed = Mutex<Set<MemberID>>([])
    /// Opens a read transaction on the backend for a snapshot sender to stream (taken under
    /// the store's lock: the apply thread may be swapping the file).
    private let beginBackendRead: @Sendable () -> Transaction?
    /// The membership served on `GET /members` (with names and client URLs).
    let members: @Sendable () -> [ClusterMember]
    /// A follower's forwarded MemberPromote, done by this member as leader.
    let promote: @Sendable (MemberID) -> Result<[ClusterMember], EtcdError>
    /// A follower's forwarded keep-alive or time-to-live (method, path, body), answered by
    /// this member's lessor.
    let lease: @Sendable (String, String, [UInt8]) -> PeerResponse
    /// Called when a peer says this member was removed from the cluster (410).
    private let onRemoved: @Sendable () -> Void
    private let isRemovedReported = Atomic<Bool>(false)

    init(sender: PeerSender, raftInbox: Inbox<RaftInput>, connectivity: PeerConnectivity, logger: Logger,
         electionTimeoutMilliseconds: UInt64, snapshotDirectory: String,
         beginBackendRead: @escaping @Sendable () -> Transaction?, members: @escaping @Sendable () -> [ClusterMember],
         promote: @escaping @Sendable (MemberID) -> Result<[ClusterMember], EtcdError>,
         lease: @escaping @Sendable (String, String, [UInt8]) -> PeerResponse,
         onRemoved: @escaping @Sendable () -> Void) {
        self.sender = sender
        self.raftInbox = raftInbox
        self.connectivity = connectivity
        self.logger = logger
        dialTimeoutMilliseconds = Int32(clamping: 1_000 + electionTimeoutMilliseconds)
        self.snapshotDirectory = snapshotDirectory
        self.beginBackendRead = beginBackendRead
        self.members = members
        self.promote = promote
        self.lease = lease
        self.onRemoved = onRemoved
    }

    var clusterID: ClusterID { sender.clusterID }

    // MARK: - Raft thread side

    /// Queues each message for its peer; a message for an unknown member is dropped, and one
    /// that finds its peer's queue full is dropped with the peer reported unreachable.
    func send(_ messages: [Message]) {
        guard !messages.isEmpty else { return }
        let current = links.withLock { $0 }
        var unreachable: Set<UInt64> = []
        for message in messages {
            guard let link = current[MemberID(message.to)] else { continue }
            if !link.send(message) {
                if message.type == .snap { reportSnapshot(link.id, status: .failure) }
                unreachable.insert(message.to)
            }
        }
        for id in unreachable { reportUnreachable(MemberID(id)) }
    }

    /// Makes the links follow `membership`: links to new members start, links to removed
    /// members stop, changed peer URLs take effect.
    ///
    /// A link stops only for a member the cluster removed, not for one `membership` does not
    /// list yet: a member replaying its log (or joining, seeded with the running cluster's
    /// members) passes through memberships that lack members it must keep talking to.
    func setMembers(_ membership: ClusterMembership) {
        removed.withLock { $0 = membership.removed }
        var wanted: [MemberID: [PeerAddress]] = [:]
        for member in membership.members where member.id != sender.memberID {
            wanted[member.id] = member.peerURLs.compactMap(PeerAddress.init(url:))
        }
        let (added, gone) = links.withLock { links -> ([PeerLink], [PeerLink]) in
            var added: [PeerLink] = []
            var gone: [PeerLink] = []
            for (id, link) in links where membership.isRemoved(id) {
                gone.append(link)
                links[id] = nil
            }
            for (id, urls) in wanted {
                if let link = links[id] {
                    link.update(urls: urls)
                } else {
                    let link = PeerLink(id: id, urls: urls, transport: self)
                    links[id] = link
                    added.append(link)
                }
            }
            return (added, gone)
        }
        for link in added {
            logger.info("added remote peer", [.string("local-member-id", sender.memberID.description),
                                              .string("remote-peer-id", link.id.description)])
            link.start()
        }
        for link in gone {
            link.stop()
            logger.info("removed remote peer", [.string("local-member-id", sender.memberID.description),
                                                .string("remote-peer-id", link.id.description)])
        }
    }

    func stop() {
        let all = links.withLock { links -> [PeerLink] in
            let all = Array(links.values)
            links.removeAll()
            return all
        }
        for link in all { link.stop() }
    }

    // MARK: - Transport threads' side

    func deliver(_ inputs: [RaftInput]) {
        for input in inputs { _ = raftInbox.post(input) }
    }

    func reportUnreachable(_ id: MemberID) {
        _ = raftInbox.post(.reportUnreachable(id.rawValue))
    }

    func reportSnapshot(_ id: MemberID, status: SnapshotStatus) {
        // Never dropped: raft waits in the snapshot state until it hears how the send went.
        raftInbox.post(contentsOf: [.reportSnapshot(id.rawValue, status)])
    }

    /// Hands a received MsgSnap to raft once its db is on disk (never dropped: the sender
    /// already counts it delivered).
    func deliverSnapshot(_ message: Message) {
        raftInbox.post(contentsOf: [.step(message)])
    }

    func isRemoved(_ id: MemberID) -> Bool { removed.withLock { $0.contains(id) } }

    func isKnownPeer(_ id: MemberID) -> Bool { links.withLock { $0[id] != nil } }

    /// The peer `id` dialed its stream of our messages: the link to it writes there.
    func attachStream(from id: MemberID, socket: PeerSocket) -> Bool {
        guard let link = links.withLock({ $0[id] }) else { return false }
        link.attach(socket)
        return true
    }

    func backendReadTransaction() -> Transaction? { beginBackendRead() }

    /// A peer answered 410: this member was removed from the cluster.
    func peerSaysRemoved(by id: MemberID) {
        guard isRemovedReported.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            return
        }
        logger.error("the member has been permanently removed from the cluster", [
            .string("local-member-id", sender.memberID.description), .string("remote-peer-id", id.description)])
        onRemoved()
    }
}
