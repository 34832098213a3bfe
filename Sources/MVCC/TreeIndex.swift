/// The in-memory index from keys to their histories (`KeyIndex`), ordered by key bytes.
///
/// A B-tree: each node holds up to `itemsPerNodeMax` key indexes in key order and, when it is not
/// a leaf, one more child than items. Lookups, puts and tombstones are O(log n); a range scan is
/// O(log n + keys visited). Keys are never removed one at a time: only compaction drops keys, and
/// it visits every key anyway, so it rebuilds the tree from the survivors.
///
/// Not thread-safe; owned by `KVStore`, which callers guard with a reader-writer lock. Read
/// methods never mutate.
final class TreeIndex {
    /// Maximum key indexes per node (odd, so a full node splits around a median).
    static let itemsPerNodeMax = 63

    private final class Node {
        var items: [KeyIndex]
        var children: [Node]
        var isLeaf: Bool { children.isEmpty }

        init(items: [KeyIndex] = [], children: [Node] = []) {
            self.items = items
            self.children = children
        }

        /// The position of the first item whose key is `>= key`, and whether it equals `key`.
        func lowerBound(_ key: [UInt8]) -> (index: Int, found: Bool) {
            var low = 0
            var high = items.count
            while low < high {
                let mid = (low + high) / 2
                if compareBytes(items[mid].key, key) < 0 { low = mid + 1 } else { high = mid }
            }
            return (low, low < items.count && compareBytes(items[low].key, key) == 0)
        }
    }

    private var root = Node()
    /// The number of keys in the index (deleted keys count until compaction removes them).
    private(set) var count = 0

    init() {}

    // MARK: Lookups

    /// What a read at `atRevision` sees of `key`: see `KeyIndex.get(atRevision:)`.
    func get(_ key: [UInt8], atRevision: Int64) -> (modified: Revision, created: Revision, version: Int64)? {
        guard let (node, i) = find(key) else { return nil }
        return node.items[i].get(atRevision: atRevision)
    }

    /// Calls `body` for each key index in `[key, end)` in key order (`end == nil`: no upper bound)
    /// until `body` returns false.
    func visit(from key: [UInt8], until end: [UInt8]?, _ body: (KeyIndex) -> Bool) {
        _ = visit(root, from: key, until: end, body)
    }

    /// The keys live at `atRevision` in the interval, with the revision holding each one's value.
    func range(_ interval: KeyInterval, atRevision: Int64) -> (keys: [[UInt8]], revisions: [Revision]) {
        var keys: [[UInt8]] = []
        var revisions: [Revision] = []
        forEach(in: interval) { ki in
            if let hit = ki.get(atRevision: atRevision) {
                keys.append(ki.key)
                revisions.append(hit.modified)
            }
        }
        return (keys, revisions)
    }

    /// The revisions holding the values of the keys live at `atRevision` in the interval, in key order.
    func revisions(_ interval: KeyInterval, atRevision: Int64) -> [Revision] {
        var revisions: [Revision] = []
        forEach(in: interval) { ki in
            if let hit = ki.get(atRevision: atRevision) { revisions.append(hit.modified) }
        }
        return revisions
    }

    /// Every revision `>= revision` of the keys in the interval, sorted by revision (see
    /// `KeyIndex.since`).
    func rangeSince(_ interval: KeyInterval, revision: Int64) -> [Revision] {
        var revisions: [Revision] = []
        forEach(in: interval) { revisions.append(contentsOf: $0.since(revision)) }
        if case .key = interval { return revisions }
        revisions.sort()
        return revisions
    }

    /// The revisions a compaction at `revision` would keep (`KeyIndex.keep`), changing nothing.
    func keep(atRevision revision: Int64) -> Set<Revision> {
        var available = Set<Revision>()
        _ = visit(root, from: [], until: nil) { ki in
            ki.keep(atRevision: revision, available: &available)
            return true
        }
        return available
    }

    // MARK: Changes

    /// Whether the index holds a history for `key` (live or deleted but not yet compacted away).
    /// O(log n).
    func hasKey(_ key: [UInt8]) -> Bool {
        find(key) != nil
    }

    /// Records a put of `key` at `revision`. O(log n).
    func put(_ key: [UInt8], revision: Revision) {
        if let (node, i) = find(key) {
            node.items[i].put(revision)
            return
        }
        var ki = KeyIndex(key: key)
        ki.put(revision)
        insert(ki)
    }

    /// Records a delete of `key` at `revision`. Returns false when the key is not live.
    func tombstone(_ key: [UInt8], revision: Revision) -> Bool {
        guard let (node, i) = find(key) else { return false }
        return node.items[i].tombstone(revision)
    }

    /// Adds a key index built elsewhere (restoring from the backend). The key must be new.
    func insert(_ ki: KeyIndex) {
        precondition(find(ki.key) == nil, "TreeIndex.insert of a key that is present")
        if root.items.count == TreeIndex.itemsPerNodeMax {
            let newRoot = Node(children: [root])
            split(newRoot, child: 0)
            root = newRoot
        }
        var node = root
        while true {
            var (i, _) = node.lowerBound(ki.key)
            if node.isLeaf {
                node.items.insert(ki, at: i)
                count += 1
                return
            }
            if node.children[i].items.count == TreeIndex.itemsPerNodeMax {
                split(node, child: i)
                if compareBytes(ki.key, node.items[i].key) > 0 { i += 1 }
            }
            node = node.children[i]
        }
    }

    /// Compacts every key at `revision` (`KeyIndex.compact`), drops keys left empty, and returns
    /// the revisions that still hold values a read at `revision` or later can see. O(n log n).
    func compact(atRevision revision: Int64) -> Set<Revision> {
        var available = Set<Revision>()
        var survivors: [KeyIndex] = []
        survivors.reserveCapacity(count)
        _ = visit(root, from: [], until: nil) { ki in
            var ki = ki
            ki.compact(atRevision: revision, available: &available)
            if !ki.isEmpty { survivors.append(ki) }
            return true
        }
        root = Node()
        count = 0
        for ki in survivors { insert(ki) }
        return available
    }

    // MARK: Internals

    private func forEach(in interval: KeyInterval, _ body: (KeyIndex) -> Void) {
        switch interval {
        case .key(let key):
            if let (node, i) = find(key) { body(node.items[i]) }
        case .from(let key):
            visit(from: key, until: nil) { body($0); return true }
        case .between(let key, let end):
            visit(from: key, until: end) { body($0); return true }
        }
    }

    private func find(_ key: [UInt8]) -> (Node, Int)? {
        var node = root
        while true {
            let (i, found) = node.lowerBound(key)
            if found { return (node, i) }
            if node.isLeaf { return nil }
            node = node.children[i]
        }
    }

    /// Splits the full child `parent.children[child]` around its median, which moves up into `parent`.
    private func split(_ parent: Node, child: Int) {
        let left = parent.children[child]
        let mid = TreeIndex.itemsPerNodeMax / 2
        let right = Node(items: Array(left.items[(mid + 1)...]),
                         children: left.isLeaf ? [] : Array(left.children[(mid + 1)...]))
        let median = left.items[mid]
        left.items.removeSubrange(mid...)
        if !left.isLeaf { left.children.removeSubrange((mid + 1)...) }
        parent.items.insert(median, at: child)
        parent.children.insert(right, at: child + 1)
    }

    /// In-order walk of `node`'s items in `[key, end)`. Returns false once `body` asked to stop
    /// or `end` was reached.
    private func visit(_ node: Node, from key: [UInt8], until end: [UInt8]?, _ body: (KeyIndex) -> Bool) -> Bool {
        let (start, _) = node.lowerBound(key)
        for i in start..<node.items.count {
            if !node.isLeaf && !visit(node.children[i], from: key, until: end, body) { return false }
            let item = node.items[i]
            if let end, compareBytes(item.key, end) >= 0 { return false }
            if !body(item) { return false }
        }
        if !node.isLeaf { return visit(node.children[node.items.count], from: key, until: end, body) }
        return true
    }
}

/// Which keys a range, delete or watch covers, decoded from etcd's `(key, range_end)` pair.
public enum KeyInterval: Hashable, Sendable {
    /// Exactly one key (`range_end` empty).
    case key([UInt8])
    /// Every key `>= key` (`range_end` is the single byte `\0`).
    case from([UInt8])
    /// Keys in `[key, end)` (any other `range_end`; an `end <= key` covers nothing).
    case between([UInt8], [UInt8])

    /// Decodes etcd's convention: empty `rangeEnd` means the key alone, `"\0"` means no upper bound.
    public init(key: [UInt8], rangeEnd: [UInt8]) {
        if rangeEnd.isEmpty {
            self = .key(key)
        } else if rangeEnd.count == 1 && rangeEnd[0] == 0 {
            self = .from(key)
        } else {
            self = .between(key, rangeEnd)
        }
    }

    /// Whether `key` lies in the interval.
    public func contains(_ key: [UInt8]) -> Bool {
        switch self {
        case .key(let k): return k == key
        case .from(let start): return compareBytes(key, start) >= 0
        case .between(let start, let end): return compareBytes(key, start) >= 0 && compareBytes(key, end) < 0
        }
    }
}

/// Lexicographic comparison of byte strings (what Go's `bytes.Compare` does): -1, 0 or 1.
@inlinable
public func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            let n = min(pa.count, pb.count)
            var i = 0
            while i < n {
                if pa[i] != pb[i] { return pa[i] < pb[i] ? -1 : 1 }
                i += 1
            }
            return pa.count == pb.count ? 0 : (pa.count < pb.count ? -1 : 1)
        }
    }
}
