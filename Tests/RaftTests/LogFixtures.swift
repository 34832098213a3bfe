// Log entries for tests that build logs by hand.

@testable import Raft

/// Entries with `terms`, one each, at consecutive indexes from `first` (no data).
func entries(_ terms: [UInt64], from first: UInt64 = 1) -> [Entry] {
    terms.enumerated().map { Entry(term: $0.element, index: first + UInt64($0.offset)) }
}
