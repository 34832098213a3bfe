// Seeded randomized runs (RandomizedSimulationTests' faults: loss, duplication, reordering,
// partitions, restarts, membership changes, reads) plus this file's: nodes snapshot and compact
// their logs, leadership is transferred, and the transport reports unreachable peers and
// snapshot outcomes. The cluster's safety checks run after every Ready, and the healed cluster
// must commit a new entry everywhere.

@testable import Raft
import XCTest

extension SimulatedCluster {
    /// What a server does every so often: snapshot at its applied index, keep a few entries.
    func snapshotAndCompact(_ id: NodeID, keptEntries: UInt64) throws {
        let member = self[id]
        let applied = member.raft.raftLog.applied
        let storage = member.storage
        let confState = try member.confState ?? storage.snapshot().metadata.confState
        guard applied > (try storage.snapshot().metadata.index) else { return }
        try storage.createSnapshot(index: applied, confState: confState, data: Array("snap@\(applied)".utf8))
        if applied > keptEntries {
            do { try storage.compact(to: applied - keptEntries) } catch .compacted {}
        }
    }

    /// The transport's reports: a snapshot in flight ended (either way), or a peer was unreachable.
    func reportTransportOutcome(_ step: Int) {
        guard let leader = leaders.first,
              let peer = running.filter({ $0 != leader }).randomElement(using: &random) else { return }
        if self[leader].raft.tracker.progress[peer]?.state == .snapshot {
            self[leader].node.reportSnapshot(peer, status: step % 2 == 0 ? .finish : .failure)
        } else {
            self[leader].node.reportUnreachable(peer)
        }
    }

    /// One random event: this file's faults, else the general ones.
    func snapshotChaosStep(_ step: Int, configure: (inout Config) -> Void) throws {
        let roll = Int.random(in: 0..<100, using: &random)
        let someone = running.randomElement(using: &random)!
        switch roll {
        case 0..<8:
            try snapshotAndCompact(someone, keptEntries: UInt64.random(in: 0..<3, using: &random))
        case 8..<11:
            let transferee = running.randomElement(using: &random)!
            self[someone].node.transferLeader(to: transferee)
            try processReady(someone)
        case 11..<13:
            reportTransportOutcome(step)
            if let leader = leaders.first { try processReady(leader) }
        default:
            try chaosStep(step, configure: configure)
        }
    }
}

final class SnapshotSimulationTests: XCTestCase {
    /// Snapshots a follower installed from its leader, and transfers that made their transferee
    /// leader, across the seeds of one test: the runs must exercise what they claim to.
    private var snapshotsInstalled = 0
    private var transfersCompleted = 0

    override func tearDown() {
        if !isReplayingOneSeed {
            XCTAssertGreaterThan(snapshotsInstalled, 0, "no follower ever installed a snapshot")
            XCTAssertGreaterThan(transfersCompleted, 0, "no leader transfer ever completed")
        }
        super.tearDown()
    }

    private func run(size: Int, seed: UInt64, steps: Int, configure: @escaping (inout Config) -> Void) {
        let cluster = SimulatedCluster(size: size, seed: seed, configure: configure)
        cluster.reportsSnapshotOutcomes = true
        var installed: [NodeID: Snapshot] = [:]
        var transfers: [NodeID: UInt64] = [:]  // transferee -> term of the leader handing over
        do {
            for step in 0..<steps {
                try cluster.snapshotChaosStep(step, configure: configure)
                for id in cluster.ids {
                    let snapshot = try cluster[id].storage.snapshot()
                    if snapshot.data.starts(with: Array("sent@".utf8)) && installed[id] != snapshot {
                        installed[id] = snapshot
                        snapshotsInstalled += 1
                    }
                    let raft = cluster[id].raft
                    if raft.state == .leader && raft.leadTransferee != noneNodeID { transfers[raft.leadTransferee] = raft.term }
                    if raft.state == .leader, let term = transfers[id], raft.term > term {
                        transfers[id] = nil
                        transfersCompleted += 1
                    }
                }
            }
            // A snapshot lost on the way leaves its follower waiting for the transport's report.
            for leader in cluster.leaders {
                for (peer, progress) in cluster[leader].raft.tracker.progress where progress.state == .snapshot {
                    cluster[leader].node.reportSnapshot(peer, status: .failure)
                }
            }
            let converged = try cluster.converge(marker: Array("final".utf8))
            XCTAssertTrue(converged, "size \(size) seed \(seed) (\(replay(seed: seed))): no progress after healing: " + cluster.ids.map { id in
                let raft = cluster[id].raft
                return "\(id): \(raft.tracker.sortedIDs.map { "\($0):\(raft.tracker.progress[$0]!.state) m\(raft.tracker.progress[$0]!.match) n\(raft.tracker.progress[$0]!.next) ps\(raft.tracker.progress[$0]!.pendingSnapshot) ra\(raft.tracker.progress[$0]!.recentActive) \(raft.tracker.progress[$0]!.probeSent)" }) snap \((try? cluster[id].storage.snapshot().metadata.index) ?? 0) \(raft.state) t\(raft.term) lead \(raft.lead) commit \(raft.raftLog.committed) applied \(raft.raftLog.applied) first \(raft.raftLog.firstIndex) last \(raft.raftLog.lastIndex)"
            }.joined(separator: "; "))
            let longest = cluster.ids.map { cluster[$0].applied }.max { $0.count < $1.count }!
            for id in cluster.ids {
                XCTAssertEqual(Array(longest.prefix(cluster[id].applied.count)), cluster[id].applied,
                               "size \(size) seed \(seed) (\(replay(seed: seed))): node \(id) applied a different sequence")
            }
        } catch {
            XCTFail("size \(size) seed \(seed) (\(replay(seed: seed))): \(error)")
        }
    }

    /// The runs must actually exercise what they claim: snapshots installed, transfers done.
    func testThreeNodesWithSnapshotsAndTransfers() {
        for seed in simulationSeeds(150) { run(size: 3, seed: seed, steps: simulationSteps(250)) { _ in } }
    }

    func testFiveNodesWithSnapshotsAndTransfersUnderPreVoteAndCheckQuorum() {
        for seed in simulationSeeds(100) { run(size: 5, seed: seed, steps: simulationSteps(500)) { $0.preVote = true; $0.checkQuorum = true } }
    }
}
