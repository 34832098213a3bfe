// A transcript runner in the style of etcd-io/raft's interaction tests: a script of commands, each
// followed by `----` and the exact output it must produce. Output is deterministic (seeded
// timeouts, ordered iteration), so a change in behaviour shows up as a reviewable diff; on a
// mismatch the test prints the whole transcript as it now runs, ready to paste in on purpose.
//
// Commands:
//   add-nodes N [pre-vote] [check-quorum]   start a fresh cluster of N voters
//   campaign ID | propose ID DATA            call RawNode.campaign / propose, handle the Ready
//   read-index ID CONTEXT                    call RawNode.readIndex, handle the Ready
//   tick-heartbeat ID                        one tick
//   tick-election ID                         leader: one election timeout of ticks; others: tick
//                                            until the randomized timeout fires (at most 2x)
//   stabilize [drop=TYPE]                    deliver every message until the network is quiet
//                                            (losing every message of TYPE, e.g. MsgSnap)
//   deliver-msgs [ID]                        one round: deliver what is in flight now (to ID
//                                            only, if given); replies wait for the next round
//   partition A B | C ...                    cut every link between the groups ("|" separates)
//   isolate ID | heal                        cut ID off from everyone / reconnect everyone
//   drop-msgs                                discard everything in flight
//   raft-state | raft-log ID                 print roles and terms / ID's persisted log
//   status ID                                ID's Status, and a leader's progress per peer
//   compact ID INDEX                         ID's storage: snapshot at INDEX (data "snap@INDEX",
//                                            ID's configuration), then drop the entries before it
//   transfer-leader ID TRANSFEREE            call RawNode.transferLeader on ID, handle the Ready
//   report-unreachable ID PEER               call RawNode.reportUnreachable on ID
//   report-snapshot ID PEER finish|failure   call RawNode.reportSnapshot on ID

@testable import Raft
import XCTest

enum TranscriptFormat {
    static func describe(_ entry: Entry) -> String {
        let kind: String
        switch entry.type {
        case .normal: kind = "EntryNormal"
        case .confChange: kind = "EntryConfChange"
        case .confChangeV2: kind = "EntryConfChangeV2"
        }
        return "\(entry.term)/\(entry.index) \(kind) \"\(String(decoding: entry.data, as: UTF8.self))\""
    }

    static func describe(_ message: Message) -> String {
        var text = "\(message.from)->\(message.to) \(message.type.name) Term:\(message.term) Log:\(message.logTerm)/\(message.index)"
        if message.reject { text += " Rejected (Hint: \(message.rejectHint))" }
        if message.commit != 0 { text += " Commit:\(message.commit)" }
        if !message.entries.isEmpty { text += " Entries:[\(message.entries.map(describe).joined(separator: ", "))]" }
        if !message.context.isEmpty { text += " Context:\(String(decoding: message.context, as: UTF8.self))" }
        if message.type == .snap { text += " " + describe(message.snapshot) }
        return text
    }

    static func describe(_ snapshot: Snapshot) -> String {
        let metadata = snapshot.metadata
        return "Snapshot Index:\(metadata.index) Term:\(metadata.term) Voters:\(metadata.confState.voters)"
            + " Data:\"\(String(decoding: snapshot.data, as: UTF8.self))\""
    }

    static func describe(_ ready: Ready, of id: NodeID) -> [String] {
        var lines = ["> \(id) handling Ready"]
        if let soft = ready.softState { lines.append("  Lead:\(soft.lead) State:\(soft.raftState)") }
        if let hard = ready.hardState { lines.append("  HardState Term:\(hard.term) Vote:\(hard.vote) Commit:\(hard.commit)") }
        if let snapshot = ready.snapshot { lines.append("  " + describe(snapshot)) }
        if !ready.entries.isEmpty { lines.append("  Entries: " + ready.entries.map(describe).joined(separator: ", ")) }
        if !ready.committedEntries.isEmpty {
            lines.append("  CommittedEntries: " + ready.committedEntries.map(describe).joined(separator: ", "))
        }
        for message in ready.messages { lines.append("  " + describe(message)) }
        for read in ready.readStates {
            lines.append("  ReadState Index:\(read.index) Context:\(String(decoding: read.requestContext, as: UTF8.self))")
        }
        return lines
    }
}

/// Runs one transcript against a fresh environment and reports mismatches.
final class TranscriptRunner {
    private var cluster: SimulatedCluster?
    private let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    private func requireCluster() -> SimulatedCluster {
        guard let cluster else { preconditionFailure("transcript: add-nodes first") }
        return cluster
    }

    /// Runs `command`, returning its output lines.
    func run(_ command: String) throws -> [String] {
        let words = command.split(separator: " ").map(String.init)
        guard let verb = words.first else { return [] }
        let argument = words.count > 1 ? UInt64(words[1]) : nil
        if verb == "add-nodes" {
            let options = Set(words.dropFirst(2))
            cluster = SimulatedCluster(size: Int(argument ?? 1), seed: seed) {
                $0.preVote = options.contains("pre-vote")
                $0.checkQuorum = options.contains("check-quorum")
            }
            return ["ok"]
        }
        let cluster = requireCluster()
        cluster.transcript = []
        defer { cluster.transcript = nil }
        switch verb {
        case "campaign":
            try cluster[argument!].node.campaign()
            try cluster.processReady(argument!)
        case "propose":
            do {
                try cluster[argument!].node.propose(Array(words[2].utf8))
            } catch {
                cluster.transcript?.append("error: \(error)")
            }
            try cluster.processReady(argument!)
        case "read-index":
            try cluster.readIndex(on: argument!, context: Array(words[2].utf8))
        case "tick-heartbeat":
            try cluster.tick(argument!)
        case "tick-election":
            // A leader: one election timeout (a CheckQuorum round). Others: until the randomized
            // timeout fires and the role changes (at most twice the election timeout).
            let before = cluster[argument!].raft.state
            for _ in 0..<(before == .leader ? 10 : 20) {
                try cluster.tick(argument!)
                if cluster[argument!].raft.state != before { break }
            }
        case "stabilize":
            if let drop = words.dropFirst().first(where: { $0.hasPrefix("drop=") }) {
                // Like stabilize, but messages of one type are lost on the way.
                let lostType = drop.dropFirst("drop=".count)
                for id in cluster.ids { try cluster.processReady(id) }
                while !cluster.network.isEmpty {
                    let message = cluster.network.removeFirst()
                    if message.type.name == lostType {
                        cluster.transcript?.append("> dropped \(TranscriptFormat.describe(message))")
                    } else {
                        try cluster.deliver(message)
                    }
                }
            } else {
                try cluster.stabilize()
            }
        case "deliver-msgs":
            let inFlight = cluster.network.filter { argument == nil || $0.to == argument! }
            cluster.network.removeAll { argument == nil || $0.to == argument! }
            for message in inFlight { try cluster.deliver(message) }
        case "partition":
            let groups = words.dropFirst().split(separator: "|").map { $0.compactMap { UInt64($0) } }
            cluster.partition(groups)
            cluster.network.removeAll { !cluster.canTalk($0.from, $0.to) }
        case "isolate":
            cluster.isolate(argument!)
            cluster.network.removeAll { $0.from == argument! || $0.to == argument! }
        case "heal":
            cluster.heal()
        case "drop-msgs":
            cluster.network.removeAll()
        case "raft-state":
            for id in cluster.ids {
                let raft = cluster[id].raft
                cluster.transcript?.append("\(id): \(raft.state) Term:\(raft.term) Lead:\(raft.lead)")
            }
        case "compact":
            let member = cluster[argument!]
            let index = UInt64(words[2])!
            let confState = try member.confState ?? member.storage.snapshot().metadata.confState
            try member.storage.createSnapshot(index: index, confState: confState, data: Array("snap@\(index)".utf8))
            try member.storage.compact(to: index)
        case "transfer-leader":
            cluster[argument!].node.transferLeader(to: UInt64(words[2])!)
            try cluster.processReady(argument!)
        case "report-unreachable":
            cluster[argument!].node.reportUnreachable(UInt64(words[2])!)
            try cluster.processReady(argument!)
        case "report-snapshot":
            cluster[argument!].node.reportSnapshot(UInt64(words[2])!, status: words[3] == "failure" ? .failure : .finish)
            try cluster.processReady(argument!)
        case "status":
            let status = cluster[argument!].node.status
            cluster.transcript?.append("Term:\(status.hardState.term) Commit:\(status.hardState.commit) Applied:\(status.applied) Last:\(status.lastIndex) LeadTransferee:\(status.leadTransferee)")
            if cluster[argument!].raft.state == .leader {
                for (peer, progress) in cluster[argument!].raft.tracker.progress.sorted(by: { $0.key < $1.key }) {
                    var line = "\(peer): \(progress.state) match=\(progress.match) next=\(progress.next)"
                    if progress.isPaused { line += " paused" }
                    if progress.pendingSnapshot != 0 { line += " pendingSnap=\(progress.pendingSnapshot)" }
                    cluster.transcript?.append(line)
                }
            }
        case "raft-log":
            let entries = cluster[argument!].storage.storedEntries
            let snapshot = try cluster[argument!].storage.snapshot().metadata
            if snapshot.index > 0 { cluster.transcript?.append("snapshot \(snapshot.term)/\(snapshot.index)") }
            cluster.transcript?.append(contentsOf: entries.isEmpty ? ["log is empty"] : entries.map(TranscriptFormat.describe))
        default:
            preconditionFailure("transcript: unknown command \(verb)")
        }
        let output = cluster.transcript ?? []
        return output.isEmpty ? ["ok"] : output
    }

    /// Runs every `command\n----\noutput` block of `script` (blocks separated by blank lines);
    /// fails with the full rewritten transcript if any output differs.
    static func check(_ script: String, seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line) {
        let runner = TranscriptRunner(seed: seed)
        var rewritten: [String] = []
        var mismatches: [String] = []
        let blocks = script.components(separatedBy: "\n\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        for block in blocks {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let separator = lines.firstIndex(of: "----") else {
                XCTFail("transcript block without ----: \(block)", file: file, line: line)
                return
            }
            let command = lines[..<separator].joined(separator: " ")
            let expected = Array(lines[(separator + 1)...])
            let actual: [String]
            do {
                actual = try runner.run(command)
            } catch {
                actual = ["safety violation: \(error)"]
            }
            if actual != expected { mismatches.append(command) }
            rewritten.append(([command, "----"] + actual).joined(separator: "\n"))
        }
        if !mismatches.isEmpty {
            XCTFail("transcript differs at: \(mismatches.joined(separator: "; "))\n--- transcript as it now runs ---\n"
                    + rewritten.joined(separator: "\n\n"), file: file, line: line)
        }
    }
}
