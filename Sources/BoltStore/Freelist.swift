/// The set of pages a write transaction may reuse, in bbolt's "array" freelist format.
///
/// On disk: a page with the freelist flag whose elements are sorted u64 page ids. When there are
/// 0xFFFF or more ids, `count` holds 0xFFFF and the first u64 after the header holds the real
/// count. What is written is the free ids *and* the pending ones (a crash forgets the readers
/// that pinned them, so after reopening they are free).
///
/// In memory: `ids` are free now; `pending[txid]` were freed by write transaction `txid` and may
/// still be visible to readers that started before it committed. They become free (`release`)
/// once no open reader has a txid below `txid`.
///
/// A value type: a write transaction works on its own copy and the database adopts it only when
/// the commit succeeds, so a rollback (or a failed commit) needs no undo.
struct Freelist: Equatable {
    /// Free page ids, sorted ascending. Invariant: disjoint from every pending list.
    private(set) var ids: [PageID] = []
    /// Ids freed by each transaction, not yet released.
    private(set) var pending: [TransactionID: [PageID]] = [:]
    /// Every id in `ids` or `pending`, for O(1) double-free checks.
    private var cache: Set<PageID> = []

    static let countOverflowMarker = 0xFFFF

    init() {}

    /// The free ids read from a freelist page.
    init(reading page: Page) {
        precondition(page.flags.contains(.freelist), "page \(page.id) is not a freelist page")
        ids = Freelist.decodeIDs(page).sorted()
        cache = Set(ids)
    }

    /// A freelist of exactly `freeIDs` (rebuilt from the page tree of a file that stores none).
    init(freeIDs: [PageID]) {
        ids = freeIDs.sorted()
        cache = Set(ids)
    }

    var freeCount: Int { ids.count }
    var pendingCount: Int { pending.values.reduce(0) { $0 + $1.count } }
    /// How many ids `write` stores.
    var count: Int { freeCount + pendingCount }

    /// Bytes the on-disk freelist needs (header, the overflow count slot if used, the ids).
    var encodedSize: Int {
        var n = count
        if n >= Freelist.countOverflowMarker { n += 1 }
        return PageLayout.headerSize + 8 * n
    }

    func isFree(_ id: PageID) -> Bool { cache.contains(id) }

    /// Takes `n` contiguous free pages (lowest run first) and returns the first id, or nil.
    mutating func allocate(count n: Int) -> PageID? {
        precondition(n > 0)
        guard !ids.isEmpty else { return nil }
        var initial: PageID = 0
        var previous: PageID = 0
        for (i, id) in ids.enumerated() {
            precondition(id > 1, "invalid page allocation: \(id)")
            if previous == 0 || id - previous != 1 { initial = id }
            if id - initial + 1 == PageID(n) {
                ids.removeSubrange((i - n + 1)...i)
                for k in 0..<PageID(n) { cache.remove(initial + k) }
                return initial
            }
            previous = id
        }
        return nil
    }

    /// Records that transaction `txid` freed page `id` and its `overflow` continuation pages.
    mutating func free(txid: TransactionID, id: PageID, overflow: UInt32) {
        precondition(id > 1, "cannot free page 0 or 1: \(id)")
        for page in id...(id + PageID(overflow)) {
            let (inserted, _) = cache.insert(page)
            precondition(inserted, "page \(page) already freed")
            pending[txid, default: []].append(page)
        }
    }

    /// Moves every page freed by a transaction with id <= `txid` to the free list.
    mutating func release(upTo txid: TransactionID) {
        var released: [PageID] = []
        for (tid, list) in pending where tid <= txid {
            released += list
            pending[tid] = nil
        }
        guard !released.isEmpty else { return }
        ids = Freelist.mergeSorted(ids, released.sorted())
    }

    /// All ids to store on disk: free and pending, sorted.
    func allIDs() -> [PageID] {
        var pendingIDs: [PageID] = []
        pendingIDs.reserveCapacity(pendingCount)
        for list in pending.values { pendingIDs += list }
        return Freelist.mergeSorted(ids, pendingIDs.sorted())
    }

    /// Encodes into `page` (zeroed, at least `encodedSize` bytes); sets the header but not the
    /// page id/overflow, which the allocator owns.
    func write(into page: MutablePage, id: PageID, overflow: UInt32) {
        let all = allIDs()
        let count = all.count
        var offset = PageLayout.headerSize
        if count >= Freelist.countOverflowMarker {
            page.setHeader(id: id, flags: .freelist, count: Freelist.countOverflowMarker, overflow: overflow)
            page.base.storeBytes(of: UInt64(count), toByteOffset: offset, as: UInt64.self)
            offset += 8
        } else {
            page.setHeader(id: id, flags: .freelist, count: count, overflow: overflow)
        }
        for pid in all {
            page.base.storeBytes(of: pid, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
    }

    /// The ids stored in a freelist page, honouring the 0xFFFF count convention.
    static func decodeIDs(_ page: Page) -> [PageID] {
        var offset = PageLayout.headerSize
        var count = page.count
        if count == countOverflowMarker {
            count = Int(page.base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var result: [PageID] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            result.append(page.base.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self))
        }
        return result
    }

    static func mergeSorted(_ a: [PageID], _ b: [PageID]) -> [PageID] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var merged: [PageID] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] <= b[j] { merged.append(a[i]); i += 1 } else { merged.append(b[j]); j += 1 }
        }
        merged += a[i...]
        merged += b[j...]
        return merged
    }
}
