/// Streaming a consistent copy of the database (etcd's `Maintenance.Snapshot`, bbolt's
/// `Tx.WriteTo`).
extension Transaction {
    /// Bytes `write(to:)` produces: the snapshot's high-water size.
    public var copyBytes: Int64 { size }

    /// Streams this read transaction's snapshot as a complete database file: two meta pages
    /// (txid on page 0 and txid-1 on page 1, both describing this snapshot), then pages 2..<pgid from the
    /// map, in chunks of at most `chunkBytes`. The result opens as a database equal to this
    /// snapshot. Pages this snapshot reaches are not reused while it is open, so writers may
    /// commit meanwhile.
    public func write<E: Error>(chunkBytes: Int = 1 << 20,
                                to sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        checkOpen()
        precondition(!isWritable, "copy a read transaction: a write transaction's changes are not on disk yet")
        let pageSize = PageLayout.pageSize
        let metaBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * pageSize, alignment: pageSize)
        defer { metaBuffer.deallocate() }
        writeCopyMetaPages(into: metaBuffer)
        try sink(UnsafeRawBufferPointer(metaBuffer))
        let end = Int(meta.pgid) * pageSize
        var offset = 2 * pageSize
        let chunk = max(pageSize, chunkBytes / pageSize * pageSize)
        while offset < end {
            let count = min(chunk, end - offset)
            precondition(offset + count <= mappedBytes.count, "snapshot page beyond the map")
            try sink(UnsafeRawBufferPointer(rebasing: mappedBytes[offset..<(offset + count)]))
            offset += count
        }
    }
}

extension Transaction {
    /// Copies `buffer.count` bytes of the snapshot `write(to:)` would produce, starting at
    /// `offset`, into `buffer` (pull-style, for a sender paced by its client's flow control).
    /// `offset + buffer.count` must not exceed `copyBytes`.
    public func copySnapshot(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) {
        checkOpen()
        precondition(!isWritable, "copy a read transaction: a write transaction's changes are not on disk yet")
        precondition(offset >= 0 && offset + buffer.count <= Int(copyBytes), "snapshot copy out of range")
        let pageSize = PageLayout.pageSize
        var written = 0
        if offset < 2 * pageSize {
            // The two meta pages are generated, as in write(to:); build them once per call.
            let metaPages = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * pageSize, alignment: pageSize)
            defer { metaPages.deallocate() }
            writeCopyMetaPages(into: metaPages)
            let count = min(buffer.count, 2 * pageSize - offset)
            UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: metaPages[offset..<(offset + count)]))
            written = count
        }
        if written < buffer.count {
            let start = offset + written
            let count = buffer.count - written
            precondition(start + count <= mappedBytes.count, "snapshot page beyond the map")
            UnsafeMutableRawBufferPointer(rebasing: buffer[written...])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: mappedBytes[start..<(start + count)]))
        }
    }

    /// Fills `pages` (two pages' worth) with the copy's meta pages, zero-padded. bbolt's
    /// layout: page 0 holds this snapshot's meta, page 1 the same with txid - 1, so either
    /// survives a torn first commit into the copy. Shared by `write(to:)` and `copySnapshot`,
    /// which must produce the same bytes.
    private func writeCopyMetaPages(into pages: UnsafeMutableRawBufferPointer) {
        let pageSize = PageLayout.pageSize
        precondition(pages.count == 2 * pageSize, "copy meta pages: buffer of \(pages.count) bytes")
        pages.initializeMemory(as: UInt8.self, repeating: 0)
        meta.writePage(into: pages.baseAddress!, pageID: 0)
        var older = meta
        older.txid = meta.txid &- 1
        older.writePage(into: pages.baseAddress! + pageSize, pageID: 1)
    }
}
