/// What a commit does to nodes: split the overfull ones, write them to new pages, and merge the
/// underfull ones into a sibling. Thresholds are bbolt's so the trees have the same shape.
extension Node {
    static let minFillPercent = 0.1
    static let maxFillPercent = 1.0

    /// Breaks this node into page-sized nodes (itself first). A node with at most
    /// `2 * minKeysPerPage` entries, or one that fits, stays whole.
    func split(pageSize: Int) -> [Node] {
        // The cut points bbolt's repeated split-in-two would choose, found in one pass over the
        // entries; each piece is then copied once. (Splitting the remainder again and again
        // copies it again and again: quadratic for a node that grew by many thousands of
        // entries in one transaction, such as a large DeleteRange's tombstones.)
        var cuts: [Int] = []
        var start = 0
        while let cut = splitPoint(from: start, pageSize: pageSize) {
            cuts.append(cut)
            start = cut
        }
        guard !cuts.isEmpty else { return [self] }
        if parent == nil {
            let newParent = Node(bucket: bucket, isLeaf: false, parent: nil)
            newParent.children = [self]
            parent = newParent
        }
        var nodes: [Node] = [self]
        for (position, cut) in cuts.enumerated() {
            let end = position + 1 < cuts.count ? cuts[position + 1] : inodes.count
            let next = Node(bucket: bucket, isLeaf: isLeaf, parent: parent)
            parent!.children.append(next)
            next.inodes = Array(inodes[cut..<end])
            nodes.append(next)
        }
        inodes.removeSubrange(cuts[0]...)
        return nodes
    }

    /// Where the entries from `start` on would be cut (nil: they fit one page, or are too few
    /// to split): bbolt's `splitTwo` rule applied to `inodes[start...]`.
    private func splitPoint(from start: Int, pageSize: Int) -> Int? {
        let count = inodes.count - start
        if count <= PageLayout.minKeysPerPage * 2 || sizeLessThan(pageSize, from: start) { return nil }
        let fill = min(max(bucket.fillPercent, Node.minFillPercent), Node.maxFillPercent)
        let threshold = Int(Double(pageSize) * fill)
        return start + splitIndex(threshold: threshold, from: start)
    }

    /// Where to cut `inodes[start...]` so the first part fills up to `threshold` bytes, keeping
    /// at least `minKeysPerPage` entries on each side; relative to `start`.
    private func splitIndex(threshold: Int, from start: Int) -> Int {
        var size = PageLayout.headerSize
        var index = 0
        let element = elementSize
        for i in 0..<(inodes.count - start - PageLayout.minKeysPerPage) {
            index = i
            let inode = inodes[start + i]
            let entry = element + inode.key.count + inode.value.count
            if i >= PageLayout.minKeysPerPage && size + entry > threshold { break }
            size += entry
        }
        return index
    }

    private func sizeLessThan(_ limit: Int, from start: Int) -> Bool {
        var total = PageLayout.headerSize
        let element = elementSize
        for position in start..<inodes.count {
            let inode = inodes[position]
            total += element + inode.key.count + inode.value.count
            if total >= limit { return false }
        }
        return true
    }

    /// Writes this node (children first) into freshly allocated pages, freeing the page it came
    /// from, and records the new pages in the parent; then spills the parent if it is new.
    func spill() throws(BoltError) {
        let tx = bucket.tx
        if spilled { return }
        children.sort { compareBytes($0.inodes[0].key, $1.inodes[0].key) < 0 }
        for child in children { try child.spill() }
        children = []
        let pageSize = PageLayout.pageSize
        for node in split(pageSize: pageSize) {
            if node.pgid > 0 {
                tx.freePage(node.pgid)
                node.pgid = 0
            }
            let (id, buffer) = try tx.allocate(count: (node.size + pageSize - 1) / pageSize)
            precondition(id < tx.meta.pgid, "pgid \(id) above high water mark \(tx.meta.pgid)")
            node.pgid = id
            node.write(into: buffer)
            node.spilled = true
            if let parent = node.parent {
                let oldKey = node.key ?? node.inodes[0].key
                parent.put(oldKey: oldKey, newKey: node.inodes[0].key,
                           value: UnsafeRawBufferPointer(start: nil, count: 0), pgid: id, flags: 0)
                node.key = node.inodes[0].key
            }
        }
        if let parent, parent.pgid == 0 {
            children = []
            try parent.spill()
        }
    }

    /// Merges this node into a sibling when it holds under a quarter page or too few keys;
    /// collapses a root branch with one child; removes empty nodes. Recurses up.
    func rebalance() {
        guard unbalanced else { return }
        unbalanced = false
        let threshold = PageLayout.pageSize / 4
        if size > threshold && inodes.count > minKeys { return }

        guard let parent else {
            if !isLeaf && inodes.count == 1 {
                let child = bucket.node(inodes[0].pgid, parent: self)
                isLeaf = child.isLeaf
                inodes = child.inodes
                children = child.children
                for inode in inodes {
                    if let grandchild = bucket.nodes?[inode.pgid] { grandchild.parent = self }
                }
                child.parent = nil
                bucket.nodes?[child.pgid] = nil
                child.free()
            }
            return
        }

        if inodes.isEmpty {
            parent.delete(key!)
            parent.removeChild(self)
            bucket.nodes?[pgid] = nil
            free()
            parent.rebalance()
            return
        }

        precondition(parent.inodes.count > 1, "parent must have at least 2 children")
        if parent.childIndex(self) == 0 {
            let target = nextSibling()!
            adoptChildren(of: target, into: self)
            inodes += target.inodes
            parent.delete(target.key!)
            parent.removeChild(target)
            bucket.nodes?[target.pgid] = nil
            target.free()
        } else {
            let target = previousSibling()!
            adoptChildren(of: self, into: target)
            target.inodes += inodes
            parent.delete(key!)
            parent.removeChild(self)
            bucket.nodes?[pgid] = nil
            free()
        }
        parent.rebalance()
    }

    /// Moves the materialized children of `source`'s entries under `destination`.
    private func adoptChildren(of source: Node, into destination: Node) {
        for inode in source.inodes {
            guard let child = bucket.nodes?[inode.pgid] else { continue }
            child.parent?.removeChild(child)
            child.parent = destination
            destination.children.append(child)
        }
    }

    func removeChild(_ target: Node) {
        if let index = children.firstIndex(where: { $0 === target }) { children.remove(at: index) }
    }

    /// Returns this node's page to the freelist (pending until no reader can see it).
    func free() {
        if pgid != 0 {
            bucket.tx.freePage(pgid)
            pgid = 0
        }
    }
}
