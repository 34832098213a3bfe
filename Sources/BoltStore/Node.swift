/// One entry of a node: a leaf's key/value (with flags, e.g. `bucketLeafFlag`) or a branch's
/// key/child page. Keys and values point into the mmap, a dirty page or the transaction's arena,
/// all of which outlive the write transaction that holds the node.
struct INode {
    var flags: UInt32 = 0
    var pgid: PageID = 0
    var key: UnsafeRawBufferPointer
    var value: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
}

/// The in-memory, copy-on-write form of a page that a write transaction changes. A node is read
/// from its page on first change; at commit, `rebalance` merges underfull nodes, and `spill`
/// splits overfull ones and writes each into freshly allocated pages (the old page is freed, so
/// readers of older snapshots keep seeing it).
final class Node {
    unowned let bucket: Bucket
    var isLeaf: Bool
    var unbalanced = false
    var spilled = false
    /// The first key this node had when it was read (its key in the parent); nil if new.
    var key: UnsafeRawBufferPointer?
    /// The page this node was read from (0 once freed, or if new).
    var pgid: PageID = 0
    /// Strong on purpose: a split creates a parent only its children know. The transaction
    /// breaks the cycles when it closes.
    var parent: Node?
    var children: [Node] = []
    var inodes: [INode] = []

    init(bucket: Bucket, isLeaf: Bool, parent: Node?) {
        self.bucket = bucket
        self.isLeaf = isLeaf
        self.parent = parent
        bucket.tx.registerNode(self)
    }

    var root: Node { parent?.root ?? self }
    var minKeys: Int { isLeaf ? 1 : 2 }
    var elementSize: Int { isLeaf ? PageLayout.leafElementSize : PageLayout.branchElementSize }

    /// Bytes this node takes as a page.
    var size: Int {
        var total = PageLayout.headerSize
        let element = elementSize
        for inode in inodes { total += element + inode.key.count + inode.value.count }
        return total
    }

    func sizeLessThan(_ limit: Int) -> Bool {
        var total = PageLayout.headerSize
        let element = elementSize
        for inode in inodes {
            total += element + inode.key.count + inode.value.count
            if total >= limit { return false }
        }
        return true
    }

    /// First index whose key is >= `key`, and whether it is equal.
    func search(_ key: UnsafeRawBufferPointer) -> (index: Int, isExact: Bool) {
        var low = 0
        var high = inodes.count
        while low < high {
            let mid = (low &+ high) >> 1
            if compareBytes(inodes[mid].key, key) < 0 { low = mid + 1 } else { high = mid }
        }
        return (low, low < inodes.count && bytesEqual(inodes[low].key, key))
    }

    func childAt(_ index: Int) -> Node {
        precondition(!isLeaf, "childAt(\(index)) on a leaf node")
        return bucket.node(inodes[index].pgid, parent: self)
    }

    func childIndex(_ child: Node) -> Int { search(child.key ?? child.inodes[0].key).index }

    func nextSibling() -> Node? {
        guard let parent else { return nil }
        let index = parent.childIndex(self)
        return index >= parent.inodes.count - 1 ? nil : parent.childAt(index + 1)
    }

    func previousSibling() -> Node? {
        guard let parent else { return nil }
        let index = parent.childIndex(self)
        return index == 0 ? nil : parent.childAt(index - 1)
    }

    /// Inserts or replaces the entry at `oldKey` (a branch renames a child's key this way).
    func put(oldKey: UnsafeRawBufferPointer, newKey: UnsafeRawBufferPointer,
             value: UnsafeRawBufferPointer, pgid: PageID, flags: UInt32) {
        precondition(pgid < bucket.tx.meta.pgid, "pgid \(pgid) above high water mark \(bucket.tx.meta.pgid)")
        precondition(oldKey.count > 0 && newKey.count > 0, "put: zero-length key")
        let (index, isExact) = search(oldKey)
        let entry = INode(flags: flags, pgid: pgid, key: newKey, value: value)
        if isExact { inodes[index] = entry } else { inodes.insert(entry, at: index) }
    }

    func delete(_ key: UnsafeRawBufferPointer) {
        let (index, isExact) = search(key)
        guard isExact else { return }
        inodes.remove(at: index)
        unbalanced = true
    }

    /// Loads this node's entries from `page` (pointers into the page's memory).
    func read(_ page: Page, pageID: PageID) {
        pgid = pageID
        isLeaf = page.isLeaf
        let count = page.count
        inodes.removeAll(keepingCapacity: true)
        inodes.reserveCapacity(count)
        for i in 0..<count {
            if isLeaf {
                inodes.append(INode(flags: page.leafFlags(i), pgid: 0, key: page.leafKey(i), value: page.leafValue(i)))
            } else {
                inodes.append(INode(flags: 0, pgid: page.branchPageID(i), key: page.branchKey(i)))
            }
            precondition(inodes[i].key.count > 0, "read: zero-length key in page \(pageID)")
        }
        key = inodes.first?.key
    }

    /// Encodes into `page` (zeroed, at least `size` bytes). Sets flags and count; the caller owns
    /// the header's id and overflow.
    func write(into page: MutablePage) {
        precondition(inodes.count < 0xFFFF, "inode overflow: \(inodes.count)")
        let flags: PageFlags = isLeaf ? .leaf : .branch
        let id = page.page.id
        let overflow = page.page.overflow
        page.setHeader(id: id, flags: flags, count: inodes.count, overflow: overflow)
        var offset = PageLayout.headerSize + elementSize * inodes.count
        for (i, inode) in inodes.enumerated() {
            precondition(inode.key.count > 0, "write: zero-length key")
            let elementOffset = PageLayout.headerSize + elementSize * i
            let element = page.base + elementOffset
            let pos = UInt32(offset - elementOffset)
            if isLeaf {
                element.storeBytes(of: inode.flags, as: UInt32.self)
                element.storeBytes(of: pos, toByteOffset: 4, as: UInt32.self)
                element.storeBytes(of: UInt32(inode.key.count), toByteOffset: 8, as: UInt32.self)
                element.storeBytes(of: UInt32(inode.value.count), toByteOffset: 12, as: UInt32.self)
            } else {
                precondition(inode.pgid != id, "write: circular dependency on page \(id)")
                element.storeBytes(of: pos, as: UInt32.self)
                element.storeBytes(of: UInt32(inode.key.count), toByteOffset: 4, as: UInt32.self)
                element.storeBytes(of: inode.pgid, toByteOffset: 8, as: UInt64.self)
            }
            (page.base + offset).copyMemory(from: inode.key.baseAddress!, byteCount: inode.key.count)
            offset += inode.key.count
            if inode.value.count > 0 {
                (page.base + offset).copyMemory(from: inode.value.baseAddress!, byteCount: inode.value.count)
                offset += inode.value.count
            }
        }
    }
}
