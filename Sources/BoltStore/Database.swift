import EtcdIO
import Glibc
import Synchronization

/// A bbolt-format B+tree file: open it, then read and write through transactions.
///
/// Layout of a fresh file (bbolt's `init`): pages 0 and 1 are meta pages (txid 0 and 1),
/// page 2 an empty freelist, page 3 the empty leaf of the root bucket; four pages in all.
/// Pages are read through a read-only shared map of the file. When the file outgrows the map,
/// the commit maps it again; transactions that began on the old map keep it (and its
/// memory) alive until they end, so a remap never waits for readers and never pulls pages out
/// from under one.
///
/// Thread-safe: transactions may begin on any thread.
public final class Database: @unchecked Sendable {
    // @unchecked: `state` is behind a Mutex; `freelist` is touched only by the thread holding
    // the writer gate (between beginWrite and the end of that transaction); `file`, `path` and
    // `options` are immutable.

    public struct Options: Sendable {
        /// Map at least this many bytes up front (bbolt's `InitialMmapSize`).
        public var initialMmapBytes = 0
        /// Skip fdatasync (tests and bulk loads only: a crash may lose or corrupt data).
        public var noSync = false
        /// Open without writing or locking; write transactions are refused.
        public var isReadOnly = false
        /// Test hook called after each commit step; returning false stops the commit there (as a
        /// crash would), leaving the file as far as it got.
        public var commitHook: (@Sendable (CommitStep) -> Bool)?

        public init() {}
    }

    /// The map grows by doubling from 32 KiB to 1 GiB, then 1 GiB at a time (bbolt's mmapSize).
    static let mmapStepBytes = 1 << 30
    static let mmapMaxBytes = 0xFFFF_FFFF_FFFF
    /// Past this size the file grows by this much at a time (bbolt's `DefaultAllocSize`).
    static let allocStepBytes: Int64 = 16 * 1024 * 1024

    struct State {
        var isOpen = true
        var meta: Meta
        var mapping: MappedRegion
        var fileSize: Int64
        /// Open read transactions by the txid they read.
        var readers: [TransactionID: Int] = [:]
        var freePageCount = 0
        var pendingPageCount = 0
    }

    public let path: String
    let options: Options
    let file: any File
    private let state: Mutex<State>
    private let writerGate = WriterGate()
    private var freelist: Freelist
    /// Set (with the writer gate held) when a commit fails after it may have written to the file.
    private var hasFailedCommit = false
    /// Whether `open` initialized an empty file (set once, before the database is shared).
    private var wasCreated = false

    private init(path: String, file: any File, options: Options, meta: Meta, mapping: MappedRegion,
                 fileSize: Int64, freelist: Freelist) {
        self.path = path
        self.file = file
        self.options = options
        self.freelist = freelist
        self.state = Mutex(State(meta: meta, mapping: mapping, fileSize: fileSize,
                                 freePageCount: freelist.freeCount))
    }

    /// Opens (creating if absent) the database at `path`. Takes an exclusive lock on the file;
    /// throws `.io` with EWOULDBLOCK if another process holds it. Refuses a corrupt file: both
    /// metas invalid (`.invalid`, `.versionMismatch`, `.checksum`), a file shorter than its meta
    /// says (`.truncated`), or a meta pointing at pages that do not exist (`.corruptPage`).
    public static func open(path: String, fileSystem: any FileSystem,
                            options: Options = Options()) throws(BoltError) -> Database {
        let file: any File
        do {
            file = try fileSystem.open(path, options: options.isReadOnly ? [.read] : [.read, .write, .create],
                                       permissions: 0o600)
        } catch { throw .io(error) }
        let database: Database
        do {
            database = try open(file: file, path: path, options: options)
        } catch {
            try? file.close()
            throw error
        }
        if database.wasCreated {
            // bbolt stops at fdatasync of the new file; its directory entry needs an fsync of
            // the parent too, or a power loss can take the whole file away.
            do {
                try fileSystem.syncDirectory(parentDirectory(of: path))
            } catch {
                try? database.close()
                throw .io(error)
            }
        }
        return database
    }

    private static func open(file: any File, path: String, options: Options) throws(BoltError) -> Database {
        let pageSize = Int64(PageLayout.pageSize)
        do {
            if !options.isReadOnly { try file.lockExclusive() }
            var size = try file.size()
            let wasCreated = size == 0 && !options.isReadOnly
            if wasCreated {
                try initialize(file)
                size = 4 * pageSize
            }
            if size < 2 * pageSize { throw BoltError.truncated(fileBytes: size, neededBytes: 2 * pageSize) }
            let mapping = try file.map(length: mmapSize(max(Int(size), options.initialMmapBytes)))
            let meta = try chooseMeta(mapping.bytes, fileSize: size)
            try checkMetaTargets(meta, mapping.bytes)
            let freelist = meta.freelist == Meta.noFreelist
                ? Freelist(freeIDs: try unreachablePages(meta, mapping.bytes))
                : Freelist(reading: Page(base: mapping.bytes.baseAddress! + Int(meta.freelist) * Int(pageSize)))
            let database = Database(path: path, file: file, options: options, meta: meta, mapping: mapping,
                                    fileSize: size, freelist: freelist)
            database.wasCreated = wasCreated
            return database
        } catch let error as IOError {
            throw .io(error)
        } catch let error as BoltError {
            throw error
        } catch {
            fatalError("unexpected error \(error)")
        }
    }

    /// Writes bbolt's four initial pages and syncs them.
    private static func initialize(_ file: any File) throws(IOError) {
        let pageSize = PageLayout.pageSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 * pageSize, alignment: pageSize)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        let base = buffer.baseAddress!
        for i in 0..<2 {
            var meta = Meta()
            meta.freelist = 2
            meta.root = BucketHeader(root: 3, sequence: 0)
            meta.pgid = 4
            meta.txid = TransactionID(i)
            meta.writePage(into: base + i * pageSize)
        }
        MutablePage(base: base + 2 * pageSize).setHeader(id: 2, flags: .freelist, count: 0, overflow: 0)
        MutablePage(base: base + 3 * pageSize).setHeader(id: 3, flags: .leaf, count: 0, overflow: 0)
        try file.write(UnsafeRawBufferPointer(buffer), at: 0)
        try file.dataSync()
    }

    /// The valid meta with the highest txid; if neither is valid, meta 0's reason.
    static func chooseMeta(_ bytes: UnsafeRawBufferPointer, fileSize: Int64) throws(BoltError) -> Meta {
        let base = bytes.baseAddress!
        let metas = [Meta.read(from: base + PageLayout.headerSize),
                     Meta.read(from: base + PageLayout.pageSize + PageLayout.headerSize)]
        let valid = metas.filter { $0.validationError() == nil }
        guard let best = valid.max(by: { $0.txid < $1.txid }) else { throw metas[0].validationError()! }
        if best.pageSize != UInt32(PageLayout.pageSize) { throw .unsupportedPageSize(best.pageSize) }
        let needed = Int64(best.pgid) * Int64(PageLayout.pageSize)
        if fileSize < needed { throw .truncated(fileBytes: fileSize, neededBytes: needed) }
        return best
    }

    /// The root and freelist pages the meta names exist and have the right types.
    static func checkMetaTargets(_ meta: Meta, _ bytes: UnsafeRawBufferPointer) throws(BoltError) {
        func page(_ id: PageID, _ what: String) throws(BoltError) -> Page {
            guard id >= 2, id < meta.pgid else {
                throw .corruptPage(id, "\(what) outside pages 2..<\(meta.pgid)")
            }
            let page = Page(base: bytes.baseAddress! + Int(id) * PageLayout.pageSize)
            guard PageID(page.overflow) + id < meta.pgid else {
                throw .corruptPage(id, "\(what) overflows past page \(meta.pgid)")
            }
            return page
        }
        let rootPage = try page(meta.root.root, "root bucket")
        if !rootPage.isLeaf && !rootPage.isBranch { throw .corruptPage(meta.root.root, "root is not a leaf or branch") }
        guard meta.freelist != Meta.noFreelist else { return }
        let freelistPage = try page(meta.freelist, "freelist")
        if !freelistPage.flags.contains(.freelist) { throw .corruptPage(meta.freelist, "not a freelist page") }
        for id in Freelist.decodeIDs(freelistPage) where id < 2 || id >= meta.pgid {
            throw .corruptPage(meta.freelist, "freelist holds page \(id) outside 2..<\(meta.pgid)")
        }
    }

    /// The pages no bucket reaches: the freelist of a file that does not store one (bbolt's
    /// `freepages`). Walks every bucket's tree from the root; a page reached twice, or one
    /// outside the file, is corruption. O(pages).
    static func unreachablePages(_ meta: Meta, _ bytes: UnsafeRawBufferPointer) throws(BoltError) -> [PageID] {
        var reachable = [Bool](repeating: false, count: Int(meta.pgid))
        reachable[0] = true
        reachable[1] = true
        var stack: [PageID] = [meta.root.root]
        while let id = stack.popLast() {
            guard id >= 2, id < meta.pgid else { throw .corruptPage(id, "page outside 2..<\(meta.pgid) in the tree") }
            let page = Page(base: bytes.baseAddress! + Int(id) * PageLayout.pageSize)
            let last = id + PageID(page.overflow)
            guard last < meta.pgid else { throw .corruptPage(id, "overflows past page \(meta.pgid)") }
            for covered in id...last {
                if reachable[Int(covered)] { throw .corruptPage(covered, "reached twice in the tree") }
                reachable[Int(covered)] = true
            }
            if page.isBranch {
                for index in 0..<page.count { stack.append(page.branchPageID(index)) }
            } else if page.isLeaf {
                for index in 0..<page.count where page.leafFlags(index) & bucketLeafFlag != 0 {
                    let header = BucketHeader.read(from: page.leafValue(index).baseAddress!)
                    // Root 0: an inline bucket, stored in the value itself (never holds buckets).
                    if header.root != 0 { stack.append(header.root) }
                }
            } else {
                throw .corruptPage(id, "neither a branch nor a leaf page in the tree")
            }
        }
        return (2..<meta.pgid).filter { !reachable[Int($0)] }
    }

    /// bbolt's map size for a file of `size` bytes.
    static func mmapSize(_ size: Int) -> Int {
        for shift in 15...30 where size <= 1 << shift { return 1 << shift }
        var result = size
        let remainder = result % mmapStepBytes
        if remainder > 0 { result += mmapStepBytes - remainder }
        return min(result, mmapMaxBytes)
    }

    // MARK: transactions

    /// Begins a read-only transaction on the latest committed state.
    public func beginRead() throws(BoltError) -> Transaction {
        let (meta, mapping) = try state.withLock { (s) throws(BoltError) -> (Meta, MappedRegion) in
            if !s.isOpen { throw .databaseNotOpen }
            s.readers[s.meta.txid, default: 0] += 1
            return (s.meta, s.mapping)
        }
        return Transaction(db: self, meta: meta, mapping: mapping, isWritable: false, freelist: Freelist())
    }

    /// Begins the read-write transaction, waiting for the current one (if any) to end.
    public func beginWrite() throws(BoltError) -> Transaction {
        if options.isReadOnly { throw .databaseReadOnly }
        writerGate.enter()
        let snapshot = state.withLock { s -> (Meta, MappedRegion, TransactionID?)? in
            guard s.isOpen else { return nil }
            return (s.meta, s.mapping, s.readers.keys.min())
        }
        guard let (meta, mapping, oldestReader) = snapshot else {
            writerGate.leave()
            throw .databaseNotOpen
        }
        if hasFailedCommit {
            writerGate.leave()
            throw .previousCommitFailed
        }
        // Pages freed by transactions no open reader predates are free for reuse now.
        if let oldestReader {
            if oldestReader > 0 { freelist.release(upTo: oldestReader - 1) }
        } else {
            freelist.release(upTo: TransactionID.max)
        }
        return Transaction(db: self, meta: meta, mapping: mapping, isWritable: true, freelist: freelist)
    }

    /// Runs `body` in a read-write transaction and commits it; rolls back if `body` throws.
    /// Throws `body`'s error or a `BoltError` (untyped because Swift does not yet infer typed
    /// throws for closures; use `beginWrite`/`commit` for typed errors).
    public func update<T>(_ body: (Transaction) throws -> T) throws -> T {
        let tx = try beginWrite()
        let result: T
        do {
            result = try body(tx)
        } catch {
            tx.rollback()
            throw error
        }
        try tx.commit()
        return result
    }

    /// Runs `body` in a read-only transaction (throws what `body` or `beginRead` throws).
    public func view<T>(_ body: (Transaction) throws -> T) throws -> T {
        let tx = try beginRead()
        defer { tx.rollback() }
        return try body(tx)
    }

    func endRead(txid: TransactionID) {
        state.withLock { s in
            let remaining = s.readers[txid, default: 0] - 1
            precondition(remaining >= 0, "reader count for txid \(txid) below zero")
            s.readers[txid] = remaining == 0 ? nil : remaining
        }
    }

    func endWrite() { writerGate.leave() }

    /// Called by a failing commit before it ends (writer gate held).
    func recordFailedCommit() { hasFailedCommit = true }

    // MARK: commit support (called with the writer gate held)

    func writeFile(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BoltError) {
        do { try file.write(bytes, at: offset) } catch { throw .io(error) }
    }

    func syncData() throws(BoltError) {
        if options.noSync { return }
        do { try file.dataSync() } catch { throw .io(error) }
    }

    func writeMeta(_ meta: Meta) throws(BoltError) {
        let pageSize = PageLayout.pageSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pageSize, alignment: pageSize)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        meta.writePage(into: buffer.baseAddress!)
        try writeFile(UnsafeRawBufferPointer(buffer), at: Int64(meta.txid % 2) * Int64(pageSize))
    }

    /// Grows the file so `needed` bytes exist: to the next map size while small, then in
    /// `allocStepBytes` steps; truncate + fsync so the new size is durable before pages land.
    func grow(toCover needed: Int64) throws(BoltError) {
        let current = state.withLock { $0.fileSize }
        guard needed > current else { return }
        var target = Int64(Database.mmapSize(Int(needed)))
        if target >= Database.allocStepBytes { target = needed + Database.allocStepBytes }
        let pageSize = Int64(PageLayout.pageSize)
        target = (target + pageSize - 1) / pageSize * pageSize
        do {
            try file.truncate(to: target)
            if !options.noSync { try file.sync() }
        } catch { throw .io(error) }
        state.withLock { $0.fileSize = target }
    }

    /// Publishes a committed transaction: its meta becomes current, its freelist the database's,
    /// and the map is redone if the data outgrew it (old maps live on in their readers).
    func finishCommit(meta: Meta, freelist: Freelist) {
        self.freelist = freelist
        let needed = Int(meta.pgid) * PageLayout.pageSize
        var newMapping: MappedRegion?
        if needed > state.withLock({ $0.mapping.bytes.count }) {
            // A failed remap leaves the old map; the next reader of a page past it would trap,
            // so treat it as fatal here rather than serve a torn view.
            do {
                newMapping = try file.map(length: Database.mmapSize(needed))
            } catch {
                fatalError("remap of \(path) to \(needed) bytes failed after commit: \(error)")
            }
        }
        state.withLock { s in
            s.meta = meta
            if let newMapping { s.mapping = newMapping }
            s.freePageCount = freelist.freeCount
            s.pendingPageCount = freelist.pendingCount
        }
    }

    // MARK: size and lifecycle

    /// The file's size in bytes.
    public var fileSize: Int64 { state.withLock { $0.fileSize } }

    /// Bytes up to the high-water mark of the latest commit (what etcd reports as `dbSize`).
    public var size: Int64 { state.withLock { Int64($0.meta.pgid) * Int64(PageLayout.pageSize) } }

    /// `size` minus the free pages (etcd's `dbSizeInUse`).
    public var inUseBytes: Int64 {
        state.withLock { Int64($0.meta.pgid) * Int64(PageLayout.pageSize) - Int64($0.freePageCount) * Int64(PageLayout.pageSize) }
    }

    /// Free and pending page counts after the latest commit (bbolt's `FreePageN`/`PendingPageN`).
    public var freePageCounts: (free: Int, pending: Int) {
        state.withLock { ($0.freePageCount, $0.pendingPageCount) }
    }

    /// Closes the file after the current write transaction (if any) ends. Read transactions
    /// still open keep their map and may finish; new ones are refused. The file lock is
    /// released when the last of them ends (its map holds the open file).
    public func close() throws(BoltError) {
        writerGate.enter()
        defer { writerGate.leave() }
        let wasOpen = state.withLock { s in
            let was = s.isOpen
            s.isOpen = false
            // A mapping keeps the open file (and so its flock) alive: drop ours so the lock goes
            // with the descriptor, unless a reader still holds the map.
            s.mapping = MappedRegion(bytes: UnsafeRawBufferPointer(start: nil, count: 0), release: { _ in })
            return was
        }
        guard wasOpen else { return }
        do { try file.close() } catch { throw .io(error) }
    }
}

/// A lock held from `enter` to `leave`, possibly across calls (the write transaction's
/// lifetime), unlike `Mutex.withLock`.
final class WriterGate: @unchecked Sendable {
    // @unchecked: `isHeld` is only read and written with `mutex` locked.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var isHeld = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func enter() {
        pthread_mutex_lock(mutex)
        while isHeld { pthread_cond_wait(condition, mutex) }
        isHeld = true
        pthread_mutex_unlock(mutex)
    }

    func leave() {
        pthread_mutex_lock(mutex)
        precondition(isHeld, "writer gate left without entering")
        isHeld = false
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }
}
