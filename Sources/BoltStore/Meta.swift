/// The root of a bucket as bbolt stores it: the page of its root (0 for an inline bucket, whose
/// page follows this header in the value) and its sequence counter. 16 bytes.
public struct BucketHeader: Equatable, Sendable {
    public var root: PageID
    public var sequence: UInt64

    static let size = 16

    static func read(from p: UnsafeRawPointer) -> BucketHeader {
        BucketHeader(root: p.loadUnaligned(as: UInt64.self),
                     sequence: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    func write(to p: UnsafeMutableRawPointer) {
        p.storeBytes(of: root, as: UInt64.self)
        p.storeBytes(of: sequence, toByteOffset: 8, as: UInt64.self)
    }
}

/// A meta page's body (it follows the 16-byte page header). Two meta pages (ids 0 and 1) are
/// written alternately (`txid % 2`); the valid one with the higher `txid` is the database's
/// state. Layout (64 bytes): magic u32, version u32, pageSize u32, flags u32, root bucket
/// (16 bytes), freelist pgid u64, high-water pgid u64, txid u64, checksum u64, where the
/// checksum is FNV-1a 64 over the 56 bytes before it.
struct Meta: Equatable, Sendable {
    /// bbolt's `pgidNoFreelist`: the meta of a file written with NoFreelistSync (etcd's backend
    /// on Linux) names no freelist page; readers rebuild the freelist from the page tree.
    static let noFreelist: PageID = .max
    static let magic: UInt32 = 0xED0C_DAED
    static let version: UInt32 = 2
    static let size = 64
    static let checksummedBytes = 56

    var magic: UInt32 = Meta.magic
    var version: UInt32 = Meta.version
    var pageSize: UInt32 = UInt32(PageLayout.pageSize)
    var flags: UInt32 = 0
    var root = BucketHeader(root: 0, sequence: 0)
    /// Page holding the freelist.
    var freelist: PageID = 0
    /// High-water mark: pages `0..<pgid` exist; the file is at least `pgid * pageSize` long.
    var pgid: PageID = 0
    var txid: TransactionID = 0
    var checksum: UInt64 = 0

    /// Reads a meta body at `p` (the byte after a meta page's header).
    static func read(from p: UnsafeRawPointer) -> Meta {
        var m = Meta()
        m.magic = p.loadUnaligned(as: UInt32.self)
        m.version = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        m.pageSize = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        m.flags = p.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        m.root = BucketHeader.read(from: p + 16)
        m.freelist = p.loadUnaligned(fromByteOffset: 32, as: UInt64.self)
        m.pgid = p.loadUnaligned(fromByteOffset: 40, as: UInt64.self)
        m.txid = p.loadUnaligned(fromByteOffset: 48, as: UInt64.self)
        m.checksum = p.loadUnaligned(fromByteOffset: 56, as: UInt64.self)
        return m
    }

    /// Writes the fields (checksum as it stands) at `p`.
    func write(to p: UnsafeMutableRawPointer) {
        p.storeBytes(of: magic, as: UInt32.self)
        p.storeBytes(of: version, toByteOffset: 4, as: UInt32.self)
        p.storeBytes(of: pageSize, toByteOffset: 8, as: UInt32.self)
        p.storeBytes(of: flags, toByteOffset: 12, as: UInt32.self)
        root.write(to: p + 16)
        p.storeBytes(of: freelist, toByteOffset: 32, as: UInt64.self)
        p.storeBytes(of: pgid, toByteOffset: 40, as: UInt64.self)
        p.storeBytes(of: txid, toByteOffset: 48, as: UInt64.self)
        p.storeBytes(of: checksum, toByteOffset: 56, as: UInt64.self)
    }

    /// FNV-1a 64 over the encoded fields before `checksum` (what bbolt's `meta.sum64` hashes).
    func computeChecksum() -> UInt64 {
        withUnsafeTemporaryAllocation(byteCount: Meta.size, alignment: 8) { buffer in
            write(to: buffer.baseAddress!)
            return fnv1a64(UnsafeRawBufferPointer(rebasing: buffer[0..<Meta.checksummedBytes]))
        }
    }

    /// Why this meta cannot be used, or nil. bbolt accepts a zero checksum (files from before
    /// checksums existed); so does this.
    func validationError() -> BoltError? {
        if magic != Meta.magic { return .invalid }
        if version != Meta.version { return .versionMismatch }
        if checksum != 0 && checksum != computeChecksum() { return .checksum }
        return nil
    }

    /// Writes a whole meta page into `page` (a zeroed page-sized buffer): page id `txid % 2`
    /// unless given, meta flag, and a freshly computed checksum.
    func writePage(into page: UnsafeMutableRawPointer, pageID: PageID? = nil) {
        precondition(root.root < pgid, "root bucket page \(root.root) above high water mark \(pgid)")
        precondition(freelist < pgid, "freelist page \(freelist) above high water mark \(pgid)")
        MutablePage(base: page).setHeader(id: pageID ?? txid % 2, flags: .meta, count: 0, overflow: 0)
        var sealed = self
        sealed.checksum = sealed.computeChecksum()
        sealed.write(to: page + PageLayout.headerSize)
    }
}

/// FNV-1a, 64-bit (Go's `hash/fnv.New64a`).
func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
