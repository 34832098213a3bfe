/// One level of a cursor's path: a page (read path) or a node (changed in this write
/// transaction), and the position in it.
struct ElementRef {
    var page: Page?
    var node: Node?
    var index: Int

    // The page is checked first: it is a plain pointer, the node a reference to retain.
    var isLeaf: Bool {
        if let page { return page.isLeaf }
        return node!.isLeaf
    }
    var count: Int {
        if let page { return page.count }
        return node!.inodes.count
    }
}

/// A key/value pair borrowed from the transaction: valid until the transaction ends (bbolt's
/// rule for the slices it returns). `isBucket` marks a nested bucket's entry, whose `value` is
/// the bucket's header, not user data.
public struct BorrowedEntry {
    public let key: UnsafeRawBufferPointer
    public let value: UnsafeRawBufferPointer
    public let isBucket: Bool
}

/// Ordered iteration over one bucket: `first`, `last`, `next`, `prev` and `seek` (to the first
/// key >= the target). Keys come back in byte order. A cursor is only valid during its
/// transaction; a write to the bucket invalidates the cursor's position (as in bbolt).
///
/// The `…Borrowed` methods return pointers into the map without copying; the others copy into
/// `[UInt8]` (a nested bucket's entry has an empty value there).
public struct Cursor {
    let bucket: Bucket
    var stack: [ElementRef] = []

    init(bucket: Bucket) {
        self.bucket = bucket
        stack.reserveCapacity(8)
    }

    public mutating func first() -> (key: [UInt8], value: [UInt8])? { Cursor.copy(firstBorrowed()) }
    public mutating func last() -> (key: [UInt8], value: [UInt8])? { Cursor.copy(lastBorrowed()) }
    public mutating func next() -> (key: [UInt8], value: [UInt8])? { Cursor.copy(nextBorrowed()) }
    public mutating func prev() -> (key: [UInt8], value: [UInt8])? { Cursor.copy(prevBorrowed()) }
    public mutating func seek(_ key: [UInt8]) -> (key: [UInt8], value: [UInt8])? {
        Cursor.copy(key.withUnsafeBytes { seekBorrowed($0) })
    }

    static func copy(_ entry: BorrowedEntry?) -> (key: [UInt8], value: [UInt8])? {
        guard let entry else { return nil }
        return (Array(entry.key), entry.isBucket ? [] : Array(entry.value))
    }

    public mutating func firstBorrowed() -> BorrowedEntry? {
        bucket.tx.checkOpen()
        stack.removeAll(keepingCapacity: true)
        stack.append(bucket.pageNode(bucket.header.root))
        descendFirst()
        if stack[stack.count - 1].count == 0 { _ = moveNext() }
        return entry()
    }

    public mutating func lastBorrowed() -> BorrowedEntry? {
        bucket.tx.checkOpen()
        stack.removeAll(keepingCapacity: true)
        var ref = bucket.pageNode(bucket.header.root)
        ref.index = ref.count - 1
        stack.append(ref)
        descendLast()
        return entry()
    }

    /// (Checks that the transaction is open only when positioning: first/last/seek. Stepping
    /// is the hot loop of a range read.)
    public mutating func nextBorrowed() -> BorrowedEntry? {
        moveNext()
    }

    public mutating func prevBorrowed() -> BorrowedEntry? {
        var i = stack.count - 1
        while i >= 0 {
            if stack[i].index > 0 {
                stack[i].index -= 1
                break
            }
            stack.removeLast()
            i -= 1
        }
        if stack.isEmpty { return nil }
        descendLast()
        return entry()
    }

    /// Positions at the first key >= `key`.
    public mutating func seekBorrowed(_ key: UnsafeRawBufferPointer) -> BorrowedEntry? {
        bucket.tx.checkOpen()
        _ = seekRaw(key)
        let ref = stack[stack.count - 1]
        if ref.index >= ref.count { return moveNext() }
        return entry()
    }

    /// Positions where `key` is or would be (possibly one past a leaf's end) and returns the
    /// entry there, if any. The primitive under get/put/delete.
    mutating func seekRaw(_ key: UnsafeRawBufferPointer) -> BorrowedEntry? {
        stack.removeAll(keepingCapacity: true)
        var pgid = bucket.header.root
        while true {
            var ref = bucket.pageNode(pgid)
            if ref.isLeaf {
                if let node = ref.node { ref.index = node.search(key).index } else { ref.index = ref.page!.search(key).index }
                stack.append(ref)
                return entry()
            }
            let (index, isExact) = ref.node?.search(key) ?? ref.page!.search(key)
            ref.index = Bucket.branchIndex(index, isExact, count: ref.count)
            stack.append(ref)
            pgid = ref.node?.inodes[ref.index].pgid ?? ref.page!.branchPageID(ref.index)
        }
    }

    private func childPageID(_ ref: ElementRef) -> PageID {
        ref.node?.inodes[ref.index].pgid ?? ref.page!.branchPageID(ref.index)
    }

    private mutating func descendFirst() {
        while true {
            let ref = stack[stack.count - 1]
            if ref.isLeaf { break }
            var child = bucket.pageNode(childPageID(ref))
            child.index = 0
            stack.append(child)
        }
    }

    private mutating func descendLast() {
        while true {
            let ref = stack[stack.count - 1]
            if ref.isLeaf { break }
            var child = bucket.pageNode(childPageID(ref))
            child.index = child.count - 1
            stack.append(child)
        }
    }

    private mutating func moveNext() -> BorrowedEntry? {
        // Fast path: the next entry is on the same leaf.
        let top = stack.count - 1
        if top >= 0 && stack[top].index < stack[top].count - 1 {
            stack[top].index += 1
            return entry()
        }
        while true {
            var i = stack.count - 1
            while i >= 0 {
                if stack[i].index < stack[i].count - 1 {
                    stack[i].index += 1
                    break
                }
                i -= 1
            }
            if i < 0 {
                // Leave the cursor past the end so a later prev() has nothing odd to undo.
                if !stack.isEmpty { stack[stack.count - 1].index = stack[stack.count - 1].count }
                return nil
            }
            stack.removeSubrange((i + 1)...)
            descendFirst()
            if stack[stack.count - 1].count == 0 { continue }
            return entry()
        }
    }

    func entry() -> BorrowedEntry? {
        let top = stack.count - 1
        guard top >= 0 else { return nil }
        let index = stack[top].index
        guard index >= 0 else { return nil }  // last() on an empty page
        if let page = stack[top].page {
            guard index < page.count else { return nil }
            return BorrowedEntry(key: page.leafKey(index), value: page.leafValue(index),
                                 isBucket: page.leafFlags(index) & bucketLeafFlag != 0)
        }
        let node = stack[top].node!
        guard index < node.inodes.count else { return nil }
        let inode = node.inodes[index]
        return BorrowedEntry(key: inode.key, value: inode.value, isBucket: inode.flags & bucketLeafFlag != 0)
    }

    /// The leaf node at the cursor's position, materializing the path from the root (write
    /// transactions only).
    func node() -> Node {
        precondition(!stack.isEmpty, "accessing a node with an empty cursor stack")
        if let node = stack[stack.count - 1].node, node.isLeaf { return node }
        var node = stack[0].node ?? bucket.node(stack[0].page!.id, parent: nil)
        for ref in stack.dropLast() {
            precondition(!node.isLeaf, "expected branch node")
            node = node.childAt(ref.index)
        }
        precondition(node.isLeaf, "expected leaf node")
        return node
    }
}
