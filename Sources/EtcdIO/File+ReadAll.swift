/// Reading a whole file into memory: WAL segments on recovery, `.snap` files on load.
extension File {
    /// All of this file's bytes, read from offset 0 until `read` reports the end (a file that
    /// shrinks meanwhile yields what was there). O(size).
    public func readAll() throws(IOError) -> [UInt8] {
        let size = Int(try self.size())
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            // withUnsafeMutableBytes only rethrows untyped errors: carry the typed one out.
            let result = bytes.withUnsafeMutableBytes { buffer in
                Result { () throws(IOError) -> Int in
                    try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: Int64(done))
                }
            }
            let count = try result.get()
            if count == 0 { break }
            done += count
        }
        bytes.removeSubrange(done...)
        return bytes
    }
}

extension FileSystem {
    /// The bytes of the file at `path`, opened read-only for the read and closed after. O(size).
    public func readFile(_ path: String) throws(IOError) -> [UInt8] {
        let file = try open(path, options: .read, permissions: 0o600)
        defer { try? file.close() }
        return try file.readAll()
    }
}
