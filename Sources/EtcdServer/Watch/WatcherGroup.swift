import MVCC

/// A set of watchers indexed by what they watch: single-key watchers in a dictionary by key,
/// range watchers in a `KeyRangeTree` with one node per distinct range. etcd's `watcherGroup`.
///
/// Finding the watchers of a key costs one dictionary lookup plus a tree stab: it grows with the
/// watchers that match, not with the group's size.
struct WatcherGroup: Sendable {
    private var byKey: [[UInt8]: Set<WatcherKey>] = [:]
    private var ranges = KeyRangeTree<Set<WatcherKey>>()
    /// The number of watchers held.
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    /// Adds `watcher`, which watches `interval`. It must not be in the group yet.
    mutating func add(_ watcher: WatcherKey, _ interval: KeyInterval) {
        switch interval {
        case .key(let key):
            let inserted = byKey[key, default: []].insert(watcher).inserted
            precondition(inserted, "watcher \(watcher) added twice")
        case .from, .between:
            let (start, end) = Self.bounds(interval)
            let found = ranges.modify(start: start, end: end) { set in
                precondition(set.insert(watcher).inserted, "watcher \(watcher) added twice")
            }
            if !found { ranges.insert(start: start, end: end, value: [watcher]) }
        }
        count += 1
    }

    /// Removes `watcher`, which watches `interval`. Returns false if it was not in the group.
    @discardableResult
    mutating func remove(_ watcher: WatcherKey, _ interval: KeyInterval) -> Bool {
        var removed = false
        switch interval {
        case .key(let key):
            if var set = byKey[key], set.remove(watcher) != nil {
                removed = true
                byKey[key] = set.isEmpty ? nil : set
            }
        case .from, .between:
            let (start, end) = Self.bounds(interval)
            var emptied = false
            _ = ranges.modify(start: start, end: end) { set in
                removed = set.remove(watcher) != nil
                emptied = set.isEmpty
            }
            if emptied { ranges.remove(start: start, end: end) }
        }
        if removed { count -= 1 }
        return removed
    }

    /// Calls `body` for every watcher whose interval holds `key` (in no particular order).
    /// Returns the number of index entries looked at: 1 for the key map plus the tree nodes.
    @discardableResult
    func forEachWatcher(of key: [UInt8], _ body: (WatcherKey) -> Void) -> Int {
        if let set = byKey[key] { for watcher in set { body(watcher) } }
        guard ranges.count > 0 else { return 1 }
        return 1 + ranges.stab(key) { set in for watcher in set { body(watcher) } }
    }

    /// Whether any watcher's interval holds `key` (etcd's `watcherGroup.contains`).
    func contains(_ key: [UInt8]) -> Bool {
        if byKey[key] != nil { return true }
        var found = false
        ranges.stab(key) { _ in found = true }
        return found
    }

    private static func bounds(_ interval: KeyInterval) -> ([UInt8], [UInt8]?) {
        switch interval {
        case .key(let key): return (key, key + [0])
        case .from(let start): return (start, nil)
        case .between(let start, let end): return (start, end)
        }
    }
}
