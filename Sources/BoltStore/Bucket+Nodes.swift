/// The write side of a bucket: materializing nodes, and what a commit does to the bucket tree.
extension Bucket {
    /// The page or node for `pgid`: the node if this write transaction changed it, else the
    /// page (inline buckets have only page 0).
    func pageNode(_ pgid: PageID) -> ElementRef {
        if header.root == 0 {
            precondition(pgid == 0, "inline bucket non-zero page access: \(pgid)")
            if let rootNode { return ElementRef(page: nil, node: rootNode, index: 0) }
            return ElementRef(page: inlinePage!, node: nil, index: 0)
        }
        if let node = nodes?[pgid] { return ElementRef(page: nil, node: node, index: 0) }
        return ElementRef(page: tx.page(pgid), node: nil, index: 0)
    }

    /// The node for `pgid`, reading it from its page on first use.
    func node(_ pgid: PageID, parent: Node?) -> Node {
        precondition(nodes != nil, "nodes exist only in write transactions")
        if let existing = nodes![pgid] { return existing }
        let page = inlinePage ?? tx.page(pgid)
        let node = Node(bucket: self, isLeaf: page.isLeaf, parent: parent)
        if let parent { parent.children.append(node) } else { rootNode = node }
        node.read(page, pageID: pgid)
        nodes![pgid] = node
        return node
    }

    /// Merges underfull nodes, here and in nested buckets.
    func rebalance() {
        // A merge removes nodes from `nodes`; those must not be rebalanced again (Go's map
        // iteration skips deleted entries; a snapshot of the values would not). Page order
        // keeps the result independent of dictionary order.
        for id in nodes!.keys.sorted() {
            if let node = nodes![id] { node.rebalance() }
        }
        for child in buckets!.values { child.rebalance() }
    }

    /// Writes nested buckets first (inline ones into their value, others into pages), records
    /// their new headers here, then spills this bucket's nodes.
    func spill() throws(BoltError) {
        // Sorted so that the pages a commit allocates do not depend on dictionary order.
        for name in buckets!.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let child = buckets![name]!
            let value: UnsafeRawBufferPointer
            if child.isInlineable {
                child.freeAllPages()
                value = child.encodeInline()
            } else {
                try child.spill()
                let buffer = tx.arena.allocate(BucketHeader.size)
                child.header.write(to: buffer)
                value = UnsafeRawBufferPointer(start: buffer, count: BucketHeader.size)
            }
            if child.rootNode == nil { continue }
            var c = cursor()
            let key = name.withUnsafeBytes { tx.arena.copy($0) }
            let entry = c.seekRaw(key)
            precondition(entry.map { bytesEqual($0.key, key) && $0.isBucket } ?? false,
                         "misplaced bucket header for \(name)")
            c.node().put(oldKey: key, newKey: key, value: value, pgid: 0, flags: bucketLeafFlag)
        }
        guard let rootNode else { return }
        try rootNode.spill()
        self.rootNode = rootNode.root
        precondition(self.rootNode!.pgid < tx.meta.pgid, "root pgid above high water mark")
        header.root = self.rootNode!.pgid
    }

    /// Whether this bucket fits inline: a single leaf, no nested buckets, at most a quarter page.
    var isInlineable: Bool {
        guard let rootNode, rootNode.isLeaf else { return false }
        var size = PageLayout.headerSize
        for inode in rootNode.inodes {
            size += PageLayout.leafElementSize + inode.key.count + inode.value.count
            if inode.flags & bucketLeafFlag != 0 || size > PageLayout.pageSize / 4 { return false }
        }
        return true
    }

    /// The value an inline bucket is stored as: its header, then its root node as a page.
    func encodeInline() -> UnsafeRawBufferPointer {
        let node = rootNode!
        let count = BucketHeader.size + node.size
        let buffer = tx.arena.allocate(count)
        var inlineHeader = header
        inlineHeader.root = 0
        inlineHeader.write(to: buffer)
        node.write(into: MutablePage(base: buffer + BucketHeader.size))
        return UnsafeRawBufferPointer(start: buffer, count: count)
    }

    /// Frees every page of this bucket's tree (not nested buckets', which have their own).
    func freeAllPages() {
        guard header.root != 0 else { return }
        forEachPageNode(header.root) { page, node in
            if let page { tx.freePage(page.id) } else { node!.free() }
        }
        header.root = 0
    }

    private func forEachPageNode(_ pgid: PageID, _ body: (Page?, Node?) -> Void) {
        let ref = pageNode(pgid)
        body(ref.page, ref.node)
        if let node = ref.node {
            if !node.isLeaf { for inode in node.inodes { forEachPageNode(inode.pgid, body) } }
        } else if let page = ref.page, page.isBranch {
            for i in 0..<page.count { forEachPageNode(page.branchPageID(i), body) }
        }
    }
}
