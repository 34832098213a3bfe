import MVCC

/// Half-open key ranges `[start, end)` (a nil `end` has no upper bound), each holding a value,
/// answering "which ranges hold this key?" without looking at the others: etcd's
/// `adt.IntervalTree` for range watchers.
///
/// A treap ordered by `(start, end)`, each node augmented with the largest `end` in its subtree,
/// kept in one array (indices, not references) so the tree has value semantics. Priorities come
/// from a counter through a fixed mixer: the shape is deterministic for a given sequence of
/// inserts.
///
/// Complexity: insert, remove and find are O(log n) expected; a stab is O((k + 1) log n)
/// expected for k ranges holding the key, since it only enters subtrees whose largest end lies
/// above the key and leaves a subtree once its starts pass the key.
struct KeyRangeTree<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var start: [UInt8]
        var end: [UInt8]?
        /// The largest `end` in this subtree (nil: unbounded). Invariant: kept by `update`.
        var maxEnd: [UInt8]?
        var priority: UInt64
        var left: Int
        var right: Int
        var value: Value
    }

    private static var none: Int { -1 }
    private var nodes: [Node] = []
    private var free: [Int] = []
    private var root = -1
    private var inserts: UInt64 = 0
    /// The number of ranges held.
    private(set) var count = 0

    init() {}

    /// The value stored for exactly `[start, end)`, if any.
    func find(start: [UInt8], end: [UInt8]?) -> Value? {
        var t = root
        while t != Self.none {
            let order = Self.compare(start, end, nodes[t].start, nodes[t].end)
            if order == 0 { return nodes[t].value }
            t = order < 0 ? nodes[t].left : nodes[t].right
        }
        return nil
    }

    /// Changes the value stored for exactly `[start, end)`; returns false if there is none.
    mutating func modify(start: [UInt8], end: [UInt8]?, _ body: (inout Value) -> Void) -> Bool {
        var t = root
        while t != Self.none {
            let order = Self.compare(start, end, nodes[t].start, nodes[t].end)
            if order == 0 {
                body(&nodes[t].value)
                return true
            }
            t = order < 0 ? nodes[t].left : nodes[t].right
        }
        return false
    }

    /// Adds `[start, end)` with `value`. The range must not be present yet.
    mutating func insert(start: [UInt8], end: [UInt8]?, value: Value) {
        inserts &+= 1
        let node = Node(start: start, end: end, maxEnd: end, priority: Self.mix(inserts),
                        left: Self.none, right: Self.none, value: value)
        let index: Int
        if let reused = free.popLast() {
            nodes[reused] = node
            index = reused
        } else {
            nodes.append(node)
            index = nodes.count - 1
        }
        root = insert(index, into: root)
        count += 1
    }

    /// Removes `[start, end)`; returns false if it was not present.
    @discardableResult
    mutating func remove(start: [UInt8], end: [UInt8]?) -> Bool {
        var removed = false
        root = remove(start, end, from: root, removed: &removed)
        if removed { count -= 1 }
        return removed
    }

    /// Calls `body` with the value of every range holding `key`, in range order. Returns the
    /// number of tree nodes looked at (the cost, for tests and metrics).
    @discardableResult
    func stab(_ key: [UInt8], _ body: (Value) -> Void) -> Int {
        var visited = 0
        stab(key, root, &visited, body)
        return visited
    }

    // MARK: - Treap mechanics

    private func stab(_ key: [UInt8], _ t: Int, _ visited: inout Int, _ body: (Value) -> Void) {
        guard t != Self.none else { return }
        visited += 1
        let node = nodes[t]
        // Nothing below ends above the key: no range here holds it.
        if let maxEnd = node.maxEnd, compareBytes(maxEnd, key) <= 0 { return }
        stab(key, node.left, &visited, body)
        // This node and everything to its right start after the key.
        if compareBytes(node.start, key) > 0 { return }
        if node.end.map({ compareBytes(key, $0) < 0 }) ?? true { body(node.value) }
        stab(key, node.right, &visited, body)
    }

    private mutating func insert(_ n: Int, into t: Int) -> Int {
        guard t != Self.none else { return n }
        let order = Self.compare(nodes[n].start, nodes[n].end, nodes[t].start, nodes[t].end)
        precondition(order != 0, "range inserted twice into KeyRangeTree")
        var top = t
        if order < 0 {
            nodes[t].left = insert(n, into: nodes[t].left)
            if nodes[nodes[t].left].priority > nodes[t].priority { top = rotateRight(t) }
        } else {
            nodes[t].right = insert(n, into: nodes[t].right)
            if nodes[nodes[t].right].priority > nodes[t].priority { top = rotateLeft(t) }
        }
        update(top)
        return top
    }

    private mutating func remove(_ start: [UInt8], _ end: [UInt8]?, from t: Int, removed: inout Bool) -> Int {
        guard t != Self.none else { return Self.none }
        let order = Self.compare(start, end, nodes[t].start, nodes[t].end)
        if order < 0 {
            nodes[t].left = remove(start, end, from: nodes[t].left, removed: &removed)
        } else if order > 0 {
            nodes[t].right = remove(start, end, from: nodes[t].right, removed: &removed)
        } else {
            removed = true
            let merged = merge(nodes[t].left, nodes[t].right)
            free.append(t)
            return merged
        }
        update(t)
        return t
    }

    /// Joins two treaps where every range of `a` orders before every range of `b`.
    private mutating func merge(_ a: Int, _ b: Int) -> Int {
        if a == Self.none { return b }
        if b == Self.none { return a }
        if nodes[a].priority > nodes[b].priority {
            nodes[a].right = merge(nodes[a].right, b)
            update(a)
            return a
        }
        nodes[b].left = merge(a, nodes[b].left)
        update(b)
        return b
    }

    private mutating func rotateRight(_ t: Int) -> Int {
        let l = nodes[t].left
        nodes[t].left = nodes[l].right
        nodes[l].right = t
        update(t)
        return l
    }

    private mutating func rotateLeft(_ t: Int) -> Int {
        let r = nodes[t].right
        nodes[t].right = nodes[r].left
        nodes[r].left = t
        update(t)
        return r
    }

    private mutating func update(_ t: Int) {
        var maxEnd = nodes[t].end
        for child in [nodes[t].left, nodes[t].right] where child != Self.none {
            maxEnd = Self.later(maxEnd, nodes[child].maxEnd)
        }
        nodes[t].maxEnd = maxEnd
    }

    /// The larger of two ends, nil being unbounded.
    private static func later(_ a: [UInt8]?, _ b: [UInt8]?) -> [UInt8]? {
        guard let a, let b else { return nil }
        return compareBytes(a, b) >= 0 ? a : b
    }

    /// Orders ranges by start, then end (nil, unbounded, last).
    private static func compare(_ s1: [UInt8], _ e1: [UInt8]?, _ s2: [UInt8], _ e2: [UInt8]?) -> Int {
        let byStart = compareBytes(s1, s2)
        if byStart != 0 { return byStart }
        switch (e1, e2) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let a?, let b?): return compareBytes(a, b)
        }
    }

    /// SplitMix64's finaliser: spreads a counter into priorities that look random.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
