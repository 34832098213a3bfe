// The Changer as tables in the shape of etcd's confchange datadriven files: a command with its
// changes, then the configuration and progress it leaves (or the error it refuses with).
//
//   simple v1 l2 r3 u4      a simple change: vN voter, lN learner, rN remove, uN update
//   enter-joint [autoleave] ...   enter a joint configuration with those changes
//   leave-joint             leave it
//
// The last index starts at 0 and grows by one per command, so a progress's `next` tells in which
// command it was created (new nodes are probed from max(lastIndex, 1)).

@testable import Raft
import XCTest

final class ConfchangeChangerTests: XCTestCase {
    func testSimpleChanges() {
        check("""
        simple l1
        ----
        removed all voters

        simple v1
        ----
        voters=(1)
        1: next=1

        simple v2 l3
        ----
        voters=(1 2) learners=(3)
        1: next=1
        2: next=2
        3: next=2 learner

        simple v4 v5
        ----
        more than one voter changed without entering joint config

        simple r1 v4
        ----
        more than one voter changed without entering joint config

        simple r1 r2
        ----
        removed all voters

        simple l2
        ----
        voters=(1) learners=(2 3)
        1: next=1
        2: next=2 learner
        3: next=2 learner

        simple v2
        ----
        voters=(1 2) learners=(3)
        1: next=1
        2: next=2
        3: next=2 learner

        simple v1 u1 u7 r9 v0 l0 r0
        ----
        voters=(1 2) learners=(3)
        1: next=1
        2: next=2
        3: next=2 learner

        simple l2 v2
        ----
        voters=(1 2) learners=(3)
        1: next=1
        2: next=2
        3: next=2 learner

        simple r3 l3
        ----
        voters=(1 2) learners=(3)
        1: next=1
        2: next=2
        3: next=10 learner

        simple r3 r3
        ----
        voters=(1 2)
        1: next=1
        2: next=2
        """)
    }

    func testJointChanges() {
        check("""
        leave-joint
        ----
        can't leave a non-joint config

        enter-joint v1
        ----
        can't make a zero-voter config joint

        simple v1
        ----
        voters=(1)
        1: next=2

        simple v2
        ----
        voters=(1 2)
        1: next=2
        2: next=3

        simple v3
        ----
        voters=(1 2 3)
        1: next=2
        2: next=3
        3: next=4

        enter-joint autoleave r3 v4 l5
        ----
        voters=(1 2 4)&&(1 2 3) learners=(5) autoleave
        1: next=2
        2: next=3
        3: next=4
        4: next=5
        5: next=5 learner

        enter-joint
        ----
        config is already joint

        simple v6
        ----
        can't apply simple config change in joint config

        leave-joint
        ----
        voters=(1 2 4) learners=(5)
        1: next=2
        2: next=3
        4: next=5
        5: next=5 learner

        enter-joint l2 v5
        ----
        voters=(1 4 5)&&(1 2 4) learners_next=(2)
        1: next=2
        2: next=3
        4: next=5
        5: next=5

        leave-joint
        ----
        voters=(1 4 5) learners=(2)
        1: next=2
        2: next=3 learner
        4: next=5
        5: next=5

        enter-joint r1 r4 r5
        ----
        removed all voters

        enter-joint r9
        ----
        voters=(1 4 5)&&(1 4 5) learners=(2)
        1: next=2
        2: next=3 learner
        4: next=5
        5: next=5

        leave-joint
        ----
        voters=(1 4 5) learners=(2)
        1: next=2
        2: next=3 learner
        4: next=5
        5: next=5
        """)
    }

    /// A voter of the outgoing half keeps voting there while joint, however it is changed in the
    /// incoming half; only leaving decides what it becomes.
    func testOutgoingVoterChangedTwiceWhileJoint() {
        check("""
        simple v1
        ----
        voters=(1)
        1: next=1

        simple v2
        ----
        voters=(1 2)
        1: next=1
        2: next=1

        enter-joint l2 r2 l2 v3
        ----
        voters=(1 3)&&(1 2) learners_next=(2)
        1: next=1
        2: next=1
        3: next=2

        leave-joint
        ----
        voters=(1 3) learners=(2)
        1: next=1
        2: next=1 learner
        3: next=2

        enter-joint l1 v1 r3 v2
        ----
        voters=(1 2)&&(1 3)
        1: next=1
        2: next=1
        3: next=2
        """)
    }

    func testRestoreRebuildsEveryConfState() throws {
        var joint = ConfState(voters: [1, 2, 4], learners: [5])
        joint.votersOutgoing = [1, 2, 3]
        joint.learnersNext = [3]
        joint.autoLeave = true
        var jointExplicit = ConfState(voters: [7], learners: [])
        jointExplicit.votersOutgoing = [7, 8, 9]
        for confState in [ConfState(), ConfState(voters: [1]), ConfState(voters: [1, 2, 3]),
                          ConfState(voters: [1, 2], learners: [3, 4]), joint, jointExplicit] {
            let outcome = try Changer.restore(confState, tracker: ProgressTracker(maxInflight: 4), lastIndex: 10)
            var tracker = ProgressTracker(maxInflight: 4)
            tracker.config = outcome.config
            tracker.progress = outcome.progress
            XCTAssertEqual(tracker.confState, confState)
        }
        XCTAssertEqual(try Changer.restore(joint, tracker: ProgressTracker(maxInflight: 4), lastIndex: 10).config.description,
                       "voters=(1 2 4)&&(1 2 3) learners=(5) learners_next=(3) autoleave")
    }

    func testRestoreRefusesAConfStateRaftCannotReach() {
        var noIncoming = ConfState(voters: [])
        noIncoming.votersOutgoing = [1]
        XCTAssertThrowsError(try Changer.restore(noIncoming, tracker: ProgressTracker(maxInflight: 4), lastIndex: 1)) {
            XCTAssertEqual($0 as? ConfChangeError, .removedAllVoters)
        }
        XCTAssertThrowsError(try Changer.restore(ConfState(voters: [], learners: [1]),
                                                 tracker: ProgressTracker(maxInflight: 4), lastIndex: 1)) {
            XCTAssertEqual(($0 as? ConfChangeError)?.description, "removed all voters")
        }
    }

    // MARK: The table runner

    /// Runs each `command\n----\nexpected` block in order on one tracker and compares the output.
    private func check(_ script: String, file: StaticString = #filePath, line: UInt = #line) {
        var tracker = ProgressTracker(maxInflight: 4)
        var lastIndex: UInt64 = 0
        for block in script.components(separatedBy: "\n\n") {
            let parts = block.components(separatedBy: "\n----\n")
            XCTAssertEqual(parts.count, 2, "malformed block: \(block)", file: file, line: line)
            guard parts.count == 2 else { return }
            let command = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
            let output = Self.run(command, on: &tracker, lastIndex: lastIndex)
            XCTAssertEqual(output, parts[1].trimmingCharacters(in: .whitespacesAndNewlines),
                           "after: \(command)", file: file, line: line)
            lastIndex += 1
        }
    }

    private static func run(_ command: String, on tracker: inout ProgressTracker, lastIndex: UInt64) -> String {
        var words = command.split(separator: " ").map(String.init)
        let verb = words.removeFirst()
        let autoLeave = words.first == "autoleave"
        if autoLeave { words.removeFirst() }
        let changes = words.map { word -> ConfChangeSingle in
            let nodeID = NodeID(word.dropFirst())!
            switch word.first {
            case "v": return ConfChangeSingle(type: .addNode, nodeID: nodeID)
            case "l": return ConfChangeSingle(type: .addLearnerNode, nodeID: nodeID)
            case "r": return ConfChangeSingle(type: .removeNode, nodeID: nodeID)
            case "u": return ConfChangeSingle(type: .updateNode, nodeID: nodeID)
            default: preconditionFailure("unknown change \(word)")
            }
        }
        let changer = Changer(tracker: tracker, lastIndex: lastIndex)
        do {
            let outcome: Changer.Outcome
            switch verb {
            case "simple": outcome = try changer.simple(changes: changes)
            case "enter-joint": outcome = try changer.enterJoint(autoLeave: autoLeave, changes: changes)
            case "leave-joint": outcome = try changer.leaveJoint()
            default: preconditionFailure("unknown command \(verb)")
            }
            tracker.config = outcome.config
            tracker.progress = outcome.progress
        } catch {
            return error.description
        }
        var lines = [tracker.config.description]
        for id in tracker.sortedIDs {
            let progress = tracker.progress[id]!
            lines.append("\(id): next=\(progress.next)\(progress.isLearner ? " learner" : "")")
        }
        return lines.joined(separator: "\n")
    }
}
