/// Stable memory for keys and values a write transaction holds in its nodes (caller-supplied
/// keys and values, encoded inline buckets). Bump-allocated in chunks and freed all at once when
/// the transaction ends, so node entries can be plain pointers, like bbolt's slices.
final class ByteArena {
    static let chunkBytes = 64 * 1024
    private var chunks: [UnsafeMutableRawPointer] = []
    private var current: UnsafeMutableRawPointer?
    private var used = 0
    private var capacity = 0

    /// Copies `bytes` into the arena and returns the stable copy.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard bytes.count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let target = allocate(bytes.count)
        target.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        return UnsafeRawBufferPointer(start: target, count: bytes.count)
    }

    /// Zeroed memory of `count` bytes, valid until `releaseAll`.
    func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        if count > ByteArena.chunkBytes / 4 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 8)
            block.initializeMemory(as: UInt8.self, repeating: 0, count: count)
            chunks.append(block)
            return block
        }
        let aligned = (count + 7) & ~7
        if current == nil || used + aligned > capacity {
            let block = UnsafeMutableRawPointer.allocate(byteCount: ByteArena.chunkBytes, alignment: 8)
            block.initializeMemory(as: UInt8.self, repeating: 0, count: ByteArena.chunkBytes)
            chunks.append(block)
            current = block
            used = 0
            capacity = ByteArena.chunkBytes
        }
        let result = current! + used
        used += aligned
        return result
    }

    func releaseAll() {
        for chunk in chunks { chunk.deallocate() }
        chunks.removeAll()
        current = nil
        used = 0
        capacity = 0
    }

    deinit { releaseAll() }
}

/// `withUnsafeBytes` for a typed-throwing body (the stdlib's is `rethrows`, untyped).
@inline(__always)
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(BoltError) -> R) throws(BoltError) -> R {
    let result: Result<R, BoltError> = bytes.withUnsafeBytes { pointer in
        Result { () throws(BoltError) -> R in try body(pointer) }
    }
    return try result.get()
}
