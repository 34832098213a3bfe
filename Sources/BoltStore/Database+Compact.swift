/// Defragmentation: copy every bucket into a fresh database (bbolt's `Compact`, what etcd's
/// `Maintenance.Defragment` does before swapping the files).
extension Database {
    /// Copies all buckets, nested buckets, keys, values and sequences of this database into
    /// `destination` (normally new and empty), committing whenever about `txBytesMax` bytes have
    /// been copied (0: one transaction). Reads one consistent snapshot of this database.
    public func compact(into destination: Database, txBytesMax: Int = 64 * 1024 * 1024) throws(BoltError) {
        let source = try beginRead()
        defer { source.rollback() }
        var writer = try destination.beginWrite()
        var copied = 0
        do {
            for name in source.bucketNames() {
                let bucket = source.bucket(named: name)!
                try copyBucket(bucket, named: name, path: [], destination: destination,
                               writer: &writer, copied: &copied, txBytesMax: txBytesMax)
            }
        } catch {
            writer.rollback()
            throw error
        }
        try writer.commit()
    }

    private func copyBucket(_ bucket: Bucket, named name: [UInt8], path: [[UInt8]], destination: Database,
                            writer: inout Transaction, copied: inout Int, txBytesMax: Int) throws(BoltError) {
        let fullPath = path + [name]
        var target = try Database.openPath(fullPath, in: writer)
        try target.setSequence(bucket.sequence)
        target.fillPercent = 1.0  // keys arrive in order: pack pages full, as bbolt's compact does
        var c = bucket.cursor()
        var entry = c.firstBorrowed()
        while let current = entry {
            let key = Array(current.key)
            if current.isBucket {
                try copyBucket(bucket.nestedBucket(named: key)!, named: key, path: fullPath,
                               destination: destination, writer: &writer, copied: &copied, txBytesMax: txBytesMax)
                target = try Database.openPath(fullPath, in: writer)
                target.fillPercent = 1.0
            } else {
                if txBytesMax > 0 && copied + current.key.count + current.value.count > txBytesMax {
                    try writer.commit()
                    writer = try destination.beginWrite()
                    copied = 0
                    target = try Database.openPath(fullPath, in: writer)
                    target.fillPercent = 1.0
                }
                try target.put(current.key, current.value)
                copied += current.key.count + current.value.count
            }
            entry = c.nextBorrowed()
        }
    }

    /// The bucket at `path` (created if missing) in `tx`.
    private static func openPath(_ path: [[UInt8]], in tx: Transaction) throws(BoltError) -> Bucket {
        var bucket = try tx.createBucketIfNotExists(named: path[0])
        for name in path.dropFirst() { bucket = try bucket.createBucketIfNotExists(named: name) }
        return bucket
    }
}
