import Glibc

/// A page number in the file: page `id` starts at byte `id * pageSize`.
public typealias PageID = UInt64
/// A transaction id. Every committed read-write transaction increments it by one.
public typealias TransactionID = UInt64

/// Sizes and flags of bbolt's page layout. bbolt writes its structs in the host's byte order;
/// every platform swetcd targets is little-endian, which is what these accessors read and write.
///
/// A page starts with a 16-byte header (`id` u64, `flags` u16, `count` u16, `overflow` u32).
/// Branch pages follow it with `count` 16-byte elements (`pos` u32, `ksize` u32, `pgid` u64);
/// leaf pages with `count` 16-byte elements (`flags` u32, `pos` u32, `ksize` u32, `vsize` u32).
/// `pos` is the distance from the element itself to its key; a leaf's value follows its key.
/// A page spanning several pages (`overflow` > 0) is contiguous in the file.
enum PageLayout {
    static let headerSize = 16
    static let branchElementSize = 16
    static let leafElementSize = 16
    /// bbolt keeps at least two keys per page when it splits.
    static let minKeysPerPage = 2
    /// The only page size swetcd writes or accepts (etcd's `os.Getpagesize()` on Linux).
    static let pageSize = 4096
}

/// The page type bits of the header's `flags`.
struct PageFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let branch = PageFlags(rawValue: 0x01)
    static let leaf = PageFlags(rawValue: 0x02)
    static let meta = PageFlags(rawValue: 0x04)
    static let freelist = PageFlags(rawValue: 0x10)
}

/// Leaf element flag marking the value as a nested bucket (16-byte header, maybe an inline page).
let bucketLeafFlag: UInt32 = 0x01

/// A read-only view of a page in the mmap, in a dirty buffer, or inside an inline bucket value.
/// Borrowed: valid as long as the memory behind `base` is.
struct Page {
    let base: UnsafeRawPointer

    var id: PageID { base.loadUnaligned(as: UInt64.self) }
    var flags: PageFlags { PageFlags(rawValue: base.loadUnaligned(fromByteOffset: 8, as: UInt16.self)) }
    var count: Int { Int(base.loadUnaligned(fromByteOffset: 10, as: UInt16.self)) }
    var overflow: UInt32 { base.loadUnaligned(fromByteOffset: 12, as: UInt32.self) }
    var isLeaf: Bool { flags.contains(.leaf) }
    var isBranch: Bool { flags.contains(.branch) }

    @inline(__always) private func element(_ index: Int) -> UnsafeRawPointer {
        base + PageLayout.headerSize + index * 16
    }

    /// The key of leaf or branch element `index` (both keep `pos`,`ksize` at the same offsets
    /// relative to each other, but not relative to the element start).
    @inline(__always) func leafKey(_ index: Int) -> UnsafeRawBufferPointer {
        let e = element(index)
        let pos = Int(e.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let ksize = Int(e.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        return UnsafeRawBufferPointer(start: e + pos, count: ksize)
    }

    @inline(__always) func leafValue(_ index: Int) -> UnsafeRawBufferPointer {
        let e = element(index)
        let pos = Int(e.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let ksize = Int(e.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let vsize = Int(e.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        return UnsafeRawBufferPointer(start: e + pos + ksize, count: vsize)
    }

    @inline(__always) func leafFlags(_ index: Int) -> UInt32 {
        element(index).loadUnaligned(as: UInt32.self)
    }

    @inline(__always) func branchKey(_ index: Int) -> UnsafeRawBufferPointer {
        let e = element(index)
        let pos = Int(e.loadUnaligned(as: UInt32.self))
        let ksize = Int(e.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        return UnsafeRawBufferPointer(start: e + pos, count: ksize)
    }

    @inline(__always) func branchPageID(_ index: Int) -> PageID {
        element(index).loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    }

    /// The first index whose key is >= `key` (count if none), and whether that key equals it.
    func search(_ key: UnsafeRawBufferPointer) -> (index: Int, isExact: Bool) {
        var low = 0
        var high = count
        let branch = isBranch
        while low < high {
            let mid = (low &+ high) >> 1
            let candidate = branch ? branchKey(mid) : leafKey(mid)
            if compareBytes(candidate, key) < 0 { low = mid + 1 } else { high = mid }
        }
        if low < count {
            let candidate = branch ? branchKey(low) : leafKey(low)
            return (low, compareBytes(candidate, key) == 0)
        }
        return (low, false)
    }
}

/// A writable page header in a buffer this process owns (dirty page, inline bucket value).
struct MutablePage {
    let base: UnsafeMutableRawPointer

    var page: Page { Page(base: UnsafeRawPointer(base)) }

    func setHeader(id: PageID, flags: PageFlags, count: Int, overflow: UInt32) {
        precondition(count <= 0xFFFF, "page element count \(count) does not fit in u16")
        base.storeBytes(of: id, as: UInt64.self)
        base.storeBytes(of: flags.rawValue, toByteOffset: 8, as: UInt16.self)
        base.storeBytes(of: UInt16(count), toByteOffset: 10, as: UInt16.self)
        base.storeBytes(of: overflow, toByteOffset: 12, as: UInt32.self)
    }
}

/// Lexicographic byte order (Go's `bytes.Compare`): negative, zero or positive.
@inline(__always)
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
        let r = memcmp(a.baseAddress!, b.baseAddress!, n)
        if r != 0 { return Int(r) }
    }
    return a.count - b.count
}

@inline(__always)
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}
