// Bytes received but not yet decoded, shared by the peer decoders.

/// An append-at-the-back, consume-from-the-front byte queue.
///
/// Consumed bytes are dropped lazily: the front is compacted away when it is at least half the
/// storage, so appending and consuming are amortized O(bytes) and a stream never re-copies more
/// than it holds. Invariant: `0 <= readIndex <= storage.count`.
struct PeerReadBuffer: Sendable {
    private var storage: [UInt8] = []
    private var readIndex = 0

    /// Bytes appended and not yet consumed.
    var count: Int { storage.count - readIndex }
    var isEmpty: Bool { count == 0 }

    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        if readIndex > 0 && readIndex * 2 >= storage.count {
            storage.removeFirst(readIndex)
            readIndex = 0
        }
        storage.append(contentsOf: bytes)
    }

    /// The unconsumed byte at `offset` from the front. Precondition: `offset < count`.
    func byte(at offset: Int) -> UInt8 {
        precondition(offset >= 0 && offset < count, "read past the buffered bytes")
        return storage[readIndex + offset]
    }

    /// The big-endian 64-bit integer at `offset`. Precondition: `offset + 8 <= count`.
    func uint64(at offset: Int) -> UInt64 {
        precondition(offset >= 0 && offset + 8 <= count, "read past the buffered bytes")
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(storage[readIndex + offset + i]) }
        return value
    }

    /// `length` unconsumed bytes starting `offset` from the front, without copying.
    func slice(at offset: Int, length: Int) -> ArraySlice<UInt8> {
        precondition(offset >= 0 && length >= 0 && offset + length <= count, "read past the buffered bytes")
        return storage[(readIndex + offset)..<(readIndex + offset + length)]
    }

    /// The first `length` unconsumed bytes, as a new array, consumed.
    mutating func take(_ length: Int) -> [UInt8] {
        let bytes = Array(slice(at: 0, length: length))
        consume(length)
        return bytes
    }

    mutating func consume(_ length: Int) {
        precondition(length >= 0 && length <= count, "consumed more than buffered")
        readIndex += length
        if readIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readIndex = 0
        }
    }

    /// Index of the first occurrence of `pattern` in the unconsumed bytes, searching from
    /// `offset`, as an offset from the front; nil if absent.
    func firstIndex(of pattern: [UInt8], from offset: Int = 0) -> Int? {
        guard pattern.count <= count else { return nil }
        var i = max(offset, 0)
        while i + pattern.count <= count {
            var matched = true
            for j in 0..<pattern.count where storage[readIndex + i + j] != pattern[j] {
                matched = false
                break
            }
            if matched { return i }
            i += 1
        }
        return nil
    }
}

extension UInt64 {
    /// Appends this value as 8 big-endian bytes (etcd's `binary.BigEndian` length prefixes).
    func appendBigEndian(to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: self >> UInt64(shift))) }
    }
}
