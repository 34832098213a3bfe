/// A collection of key/value pairs (and nested buckets) in byte order, inside a transaction.
///
/// Its tree is rooted at `header.root`; an *inline* bucket (root 0) is small enough that its
/// single leaf page is stored inside its parent's value, right after the 16-byte header.
/// Reads go through pages in the map; a write materializes the touched path as `Node`s, which
/// the commit rebalances and spills.
public final class Bucket {
    /// bbolt's limits (`MaxKeySize`, `MaxValueSize`).
    public static let keyBytesMax = 32768
    public static let valueBytesMax = (1 << 31) - 2
    /// Split pages are filled to this fraction (bbolt's `DefaultFillPercent`).
    public static let defaultFillPercent = 0.5

    unowned let tx: Transaction
    var header: BucketHeader
    /// Nested buckets opened in this write transaction, by name (spilled into this bucket).
    var buckets: [[UInt8]: Bucket]?
    /// The inline page, when `header.root == 0`.
    var inlinePage: Page?
    var rootNode: Node?
    /// Materialized nodes by the page they were read from (write transactions only).
    var nodes: [PageID: Node]?
    /// How full split pages are; raise it (up to 1.0) for append-only keys.
    public var fillPercent = Bucket.defaultFillPercent

    init(tx: Transaction, header: BucketHeader) {
        self.tx = tx
        self.header = header
        if tx.isWritable {
            buckets = [:]
            nodes = [:]
        }
    }

    /// The bucket's sequence number (bbolt's `Sequence`).
    public var sequence: UInt64 { header.sequence }

    public func cursor() -> Cursor { Cursor(bucket: self) }

    // MARK: reads

    /// The value stored at `key`, copied; nil if absent or a nested bucket.
    public func get(_ key: [UInt8]) -> [UInt8]? {
        key.withUnsafeBytes { getBorrowed($0).map { Array($0) } }
    }

    /// The value at `key` without copying: valid until the transaction ends (or, in a write
    /// transaction, until the next write to this bucket).
    /// O(log n), no allocation: descends from the root without a cursor stack.
    public func getBorrowed(_ key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        tx.checkOpen()
        var pgid = header.root
        while true {
            let ref = pageNode(pgid)
            if let node = ref.node {
                let (index, isExact) = node.search(key)
                if node.isLeaf {
                    guard isExact, node.inodes[index].flags & bucketLeafFlag == 0 else { return nil }
                    return node.inodes[index].value
                }
                pgid = node.inodes[Bucket.branchIndex(index, isExact, count: node.inodes.count)].pgid
            } else {
                let page = ref.page!
                let (index, isExact) = page.search(key)
                if page.isLeaf {
                    guard isExact, page.leafFlags(index) & bucketLeafFlag == 0 else { return nil }
                    return page.leafValue(index)
                }
                pgid = page.branchPageID(Bucket.branchIndex(index, isExact, count: page.count))
            }
        }
    }

    /// The child to descend into: the last whose first key is <= the target.
    @inline(__always)
    static func branchIndex(_ index: Int, _ isExact: Bool, count: Int) -> Int {
        let chosen = (!isExact && index > 0) ? index - 1 : index
        return min(chosen, count - 1)
    }

    /// Calls `body` with every key/value pair in order (borrowed; bucket entries have
    /// `isBucket` set).
    public func forEach<E: Error>(_ body: (BorrowedEntry) throws(E) -> Void) throws(E) {
        var c = cursor()
        var entry = c.firstBorrowed()
        while let current = entry {
            try body(current)
            entry = c.nextBorrowed()
        }
    }

    /// The nested bucket named `name`, or nil.
    public func nestedBucket(named name: [UInt8]) -> Bucket? {
        if let cached = buckets?[name] { return cached }
        var c = cursor()
        let found: Bucket? = name.withUnsafeBytes { key in
            guard let entry = c.seekRaw(key), entry.isBucket, bytesEqual(entry.key, key) else { return nil }
            return openBucket(entry.value)
        }
        if let found { buckets?[name] = found }
        return found
    }

    func openBucket(_ value: UnsafeRawBufferPointer) -> Bucket {
        let child = Bucket(tx: tx, header: BucketHeader.read(from: value.baseAddress!))
        if child.header.root == 0 {
            child.inlinePage = Page(base: value.baseAddress! + BucketHeader.size)
        }
        return child
    }

    // MARK: writes

    /// Stores `value` at `key`, replacing any value there.
    public func put(_ key: [UInt8], _ value: [UInt8]) throws(BoltError) {
        try withBytes(key) { (k) throws(BoltError) in
            try withBytes(value) { (v) throws(BoltError) in try put(k, v) }
        }
    }

    /// Stores `value` at `key`, copying both into the transaction.
    public func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws(BoltError) {
        try tx.checkWritable()
        if key.count == 0 { throw .keyRequired }
        if key.count > Bucket.keyBytesMax { throw .keyTooLarge }
        if value.count > Bucket.valueBytesMax { throw .valueTooLarge }
        var c = cursor()
        if let entry = c.seekRaw(key), bytesEqual(entry.key, key), entry.isBucket { throw .incompatibleValue }
        let storedKey = tx.arena.copy(key)
        c.node().put(oldKey: storedKey, newKey: storedKey, value: tx.arena.copy(value), pgid: 0, flags: 0)
    }

    /// Removes `key` if present.
    public func delete(_ key: [UInt8]) throws(BoltError) {
        try withBytes(key) { (k) throws(BoltError) in try delete(k) }
    }

    public func delete(_ key: UnsafeRawBufferPointer) throws(BoltError) {
        try tx.checkWritable()
        var c = cursor()
        guard let entry = c.seekRaw(key), bytesEqual(entry.key, key) else { return }
        if entry.isBucket { throw .incompatibleValue }
        c.node().delete(key)
    }

    public func setSequence(_ value: UInt64) throws(BoltError) {
        try tx.checkWritable()
        if rootNode == nil { _ = node(header.root, parent: nil) }
        header.sequence = value
    }

    /// Increments and returns the sequence (bbolt's `NextSequence`).
    public func nextSequence() throws(BoltError) -> UInt64 {
        try tx.checkWritable()
        if rootNode == nil { _ = node(header.root, parent: nil) }
        header.sequence += 1
        return header.sequence
    }

    /// Creates a nested bucket; throws `.bucketExists` if there is one, `.incompatibleValue`
    /// if the name holds a value.
    public func createBucket(named name: [UInt8]) throws(BoltError) -> Bucket {
        try tx.checkWritable()
        if name.isEmpty { throw .bucketNameRequired }
        var c = cursor()
        let existing: BorrowedEntry? = name.withUnsafeBytes { c.seekRaw($0) }
        if let existing, existing.key.elementsEqual(name) {
            throw existing.isBucket ? .bucketExists : .incompatibleValue
        }
        // A new bucket is an empty inline leaf: header (root 0) + an empty leaf page header.
        let valueBytes = BucketHeader.size + PageLayout.headerSize
        let value = tx.arena.allocate(valueBytes)
        MutablePage(base: value + BucketHeader.size).setHeader(id: 0, flags: .leaf, count: 0, overflow: 0)
        let key = name.withUnsafeBytes { tx.arena.copy($0) }
        c.node().put(oldKey: key, newKey: key, value: UnsafeRawBufferPointer(start: value, count: valueBytes),
                     pgid: 0, flags: bucketLeafFlag)
        inlinePage = nil
        return nestedBucket(named: name)!
    }

    public func createBucketIfNotExists(named name: [UInt8]) throws(BoltError) -> Bucket {
        do {
            return try createBucket(named: name)
        } catch .bucketExists {
            return nestedBucket(named: name)!
        }
    }

    /// Deletes a nested bucket and everything in it, freeing its pages.
    public func deleteBucket(named name: [UInt8]) throws(BoltError) {
        try tx.checkWritable()
        var c = cursor()
        let entry: BorrowedEntry? = name.withUnsafeBytes { c.seekRaw($0) }
        guard let entry, entry.key.elementsEqual(name) else { throw .bucketNotFound }
        if !entry.isBucket { throw .incompatibleValue }
        let child = nestedBucket(named: name)!
        var childNames: [[UInt8]] = []
        child.forEach { if $0.isBucket { childNames.append(Array($0.key)) } }
        for childName in childNames { try child.deleteBucket(named: childName) }
        buckets?[name] = nil
        child.nodes = nil
        child.rootNode = nil
        child.freeAllPages()
        name.withUnsafeBytes { c.node().delete($0) }
    }
}
