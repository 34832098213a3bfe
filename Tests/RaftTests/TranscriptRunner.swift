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
//   stabilize                                deliver every message until the network is quiet
//   isolate ID | heal                        cut ID off from everyone / reconnect everyone
//   drop-msgs                                discard everything in flight
//   raft-state | raft-log ID                 print roles and terms / ID's persisted log

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
        return text
    }

    static func describe(_ ready: Ready, of id: NodeID) -> [String] {
        var lines = ["> \(id) handling Ready"]
        if let soft = ready.softState { lines.append("  Lead:\(soft.lead) State:\(soft.raftState)") }
        if let hard = ready.hardState { lines.append("  HardState Term:\(hard.term) Vote:\(hard.vote) Commit:\(hard.commit)") }
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
            try cluster.stabilize()
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
        case "raft-log":
            let entries = cluster[argument!].storage.storedEntries
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
