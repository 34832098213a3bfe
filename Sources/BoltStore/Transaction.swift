import EtcdIO

/// A read-only or read-write transaction over one consistent snapshot of the database.
///
/// Any number of read-only transactions run at once, each on the meta page that was current
/// when it began; the pages that snapshot reaches are not reused until it ends. One read-write
/// transaction at a time: `Database.beginWrite` waits for the previous one to end. End every
/// transaction with `commit()` or `rollback()` (read-only ones with `rollback()`); values and
/// cursors borrowed from it are invalid afterwards.
///
/// Not thread-safe: use a transaction from one thread.
public final class Transaction {
    let db: Database
    public let isWritable: Bool
    /// This transaction's copy of the meta; a write transaction's txid is the committed one + 1.
    var meta: Meta
    /// The root bucket (bucket names are its keys).
    private(set) var root: Bucket!
    /// The map this transaction reads pages from, kept alive until it ends.
    private var mapping: MappedRegion
    var mappedBytes: UnsafeRawBufferPointer { mapping.bytes }
    private var isClosed = false

    // Write transactions only.
    var freelist = Freelist()
    private var dirtyPages: [PageID: UnsafeMutableRawPointer] = [:]
    let arena = ByteArena()
    private var nodes: [Node] = []

    init(db: Database, meta: Meta, mapping: MappedRegion, isWritable: Bool, freelist: Freelist) {
        self.db = db
        self.meta = meta
        self.mapping = mapping
        self.isWritable = isWritable
        self.freelist = freelist
        if isWritable { self.meta.txid += 1 }
        self.root = Bucket(tx: self, header: meta.root)
    }

    deinit {
        precondition(isClosed, "transaction \(meta.txid) dropped without commit or rollback")
    }

    /// The transaction id: the committed txid it reads (read-only), or the one it will commit.
    public var id: TransactionID { meta.txid }
    /// Bytes in use by this snapshot: high-water page count × page size (etcd's `dbSize`).
    public var size: Int64 { Int64(meta.pgid) * Int64(PageLayout.pageSize) }

    // MARK: buckets

    /// The top-level bucket `name`, or nil.
    public func bucket(named name: [UInt8]) -> Bucket? {
        checkOpen()
        return root.nestedBucket(named: name)
    }

    public func createBucket(named name: [UInt8]) throws(BoltError) -> Bucket {
        try root.createBucket(named: name)
    }

    public func createBucketIfNotExists(named name: [UInt8]) throws(BoltError) -> Bucket {
        try root.createBucketIfNotExists(named: name)
    }

    public func deleteBucket(named name: [UInt8]) throws(BoltError) {
        try root.deleteBucket(named: name)
    }

    /// Names of the top-level buckets, in order.
    public func bucketNames() -> [[UInt8]] {
        checkOpen()
        var names: [[UInt8]] = []
        root.forEach { if $0.isBucket { names.append(Array($0.key)) } }
        return names
    }

    /// A cursor over the root bucket (whose keys are the bucket names).
    public func cursor() -> Cursor {
        checkOpen()
        return root.cursor()
    }

    // MARK: pages

    /// The page `id`, from this transaction's dirty pages or the map.
    func page(_ id: PageID) -> Page {
        if isWritable, let dirty = dirtyPages[id] { return Page(base: UnsafeRawPointer(dirty)) }
        let pageSize = PageLayout.pageSize
        precondition(id < meta.pgid && (Int(id) + 1) * pageSize <= mapping.bytes.count,
                     "page \(id) beyond high water mark \(meta.pgid) or map \(mapping.bytes.count)")
        return Page(base: mapping.bytes.baseAddress! + Int(id) * pageSize)
    }

    /// Allocates `count` contiguous pages (from the freelist, else at the end of the file) as a
    /// zeroed dirty buffer with its header's id and overflow set.
    func allocate(count: Int) throws(BoltError) -> (PageID, MutablePage) {
        let bytes = count * PageLayout.pageSize
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: PageLayout.pageSize)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let id: PageID
        if let reused = freelist.allocate(count: count) {
            id = reused
        } else {
            id = meta.pgid
            meta.pgid += PageID(count)
        }
        let page = MutablePage(base: buffer)
        page.setHeader(id: id, flags: [], count: 0, overflow: UInt32(count - 1))
        dirtyPages[id] = buffer
        return (id, page)
    }

    /// Frees page `id` (and its overflow) as of this transaction.
    func freePage(_ id: PageID) {
        freelist.free(txid: meta.txid, id: id, overflow: page(id).overflow)
    }

    func registerNode(_ node: Node) { nodes.append(node) }

    // MARK: state checks

    func checkOpen() {
        precondition(!isClosed, "transaction \(meta.txid) used after it ended")
    }

    func checkWritable() throws(BoltError) {
        checkOpen()
        if !isWritable { throw .transactionNotWritable }
    }

    // MARK: ending

    /// Makes the changes durable (see `CommitStep` for the order) and ends the transaction.
    /// On failure the transaction is rolled back and the database keeps its previous state.
    /// Committing an ended transaction throws `.transactionClosed`; committing a read-only one
    /// is a programmer error.
    public func commit() throws(BoltError) {
        if isClosed { throw .transactionClosed }
        precondition(isWritable, "commit of a read-only transaction")
        do {
            try commitSteps()
        } catch {
            switch error {
            case .io, .commitInterrupted: db.recordFailedCommit()
            default: break
            }
            close()
            throw error
        }
        db.finishCommit(meta: meta, freelist: freelist)
        close()
    }

    private func commitSteps() throws(BoltError) {
        let hook = db.options.commitHook
        func reached(_ step: CommitStep) throws(BoltError) {
            if let hook, !hook(step) { throw .commitInterrupted(step) }
        }
        root.rebalance()
        try root.spill()
        meta.root.root = root.header.root
        meta.root.sequence = root.header.sequence
        try reached(.spilled)

        // The old freelist page is pending like any other page this transaction replaced. (A
        // file written with bbolt's NoFreelistSync, as etcd writes its backend, has none; from
        // this commit on it has one.)
        if meta.freelist != Meta.noFreelist { freePage(meta.freelist) }
        let (freelistID, freelistPage) = try allocate(count: freelist.encodedSize / PageLayout.pageSize + 1)
        freelist.write(into: freelistPage, id: freelistID, overflow: freelistPage.page.overflow)
        meta.freelist = freelistID
        try db.grow(toCover: Int64(meta.pgid + 1) * Int64(PageLayout.pageSize))
        try reached(.fileGrown)

        try writeDirtyPages()
        try reached(.pagesWritten)
        try db.syncData()
        try reached(.pagesSynced)

        try db.writeMeta(meta)
        try reached(.metaWritten)
        try db.syncData()
        try reached(.metaSynced)
    }

    /// Writes dirty pages in page order, one write per run of adjacent pages (bbolt writes
    /// each page on its own; fewer syscalls, same bytes).
    private func writeDirtyPages() throws(BoltError) {
        let pageSize = PageLayout.pageSize
        let ids = dirtyPages.keys.sorted()
        var runs: [(start: PageID, pages: [UnsafeMutableRawPointer], bytes: Int)] = []
        for id in ids {
            let buffer = dirtyPages[id]!
            let bytes = (Int(Page(base: buffer).overflow) + 1) * pageSize
            if let last = runs.last, last.start + PageID(last.bytes / pageSize) == id, last.bytes + bytes <= Transaction.writeRunBytesMax {
                runs[runs.count - 1].pages.append(buffer)
                runs[runs.count - 1].bytes += bytes
            } else {
                runs.append((id, [buffer], bytes))
            }
        }
        for run in runs {
            if run.pages.count == 1 {
                try db.writeFile(UnsafeRawBufferPointer(start: run.pages[0], count: run.bytes), at: Int64(run.start) * Int64(pageSize))
                continue
            }
            let staging = UnsafeMutableRawPointer.allocate(byteCount: run.bytes, alignment: pageSize)
            defer { staging.deallocate() }
            var offset = 0
            for page in run.pages {
                let bytes = (Int(Page(base: page).overflow) + 1) * pageSize
                (staging + offset).copyMemory(from: page, byteCount: bytes)
                offset += bytes
            }
            try db.writeFile(UnsafeRawBufferPointer(start: staging, count: run.bytes), at: Int64(run.start) * Int64(pageSize))
        }
    }

    /// Largest single write when coalescing adjacent dirty pages.
    static let writeRunBytesMax = 4 << 20

    /// Ends the transaction, discarding a write transaction's changes. Does nothing if it has
    /// already ended (so a `defer { tx.rollback() }` is safe after a commit, as in bbolt).
    public func rollback() {
        if isClosed { return }
        close()
    }

    private func close() {
        isClosed = true
        // Let go of the map now, not when this object dies: the map holds the open file.
        mapping = MappedRegion(bytes: UnsafeRawBufferPointer(start: nil, count: 0), release: { _ in })
        if isWritable {
            for buffer in dirtyPages.values { buffer.deallocate() }
            dirtyPages.removeAll()
            // Nodes point at each other both ways; cut the cycles so they are freed.
            for node in nodes {
                node.parent = nil
                node.children = []
            }
            nodes.removeAll()
            root = nil
            arena.releaseAll()
            db.endWrite()
        } else {
            root = nil
            db.endRead(txid: meta.txid)
        }
    }
}
