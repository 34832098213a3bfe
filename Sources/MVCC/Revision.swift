/// A point in the store's history.
///
/// Every write transaction gets one `main` revision; the changes inside it are numbered by `sub`,
/// starting at 0, in the order they were made. Revisions order by `main`, then `sub`.
///
/// In the backend a revision is the key of the `key` bucket: 8 bytes big-endian `main`, `_`,
/// 8 bytes big-endian `sub` (plus a trailing `t` for tombstones), so byte order equals this order.
public struct Revision: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The revision of the transaction that made the change.
    public var main: Int64
    /// The change's position inside its transaction.
    public var sub: Int64

    public init(main: Int64, sub: Int64 = 0) {
        self.main = main
        self.sub = sub
    }

    public static func < (a: Revision, b: Revision) -> Bool {
        a.main != b.main ? a.main < b.main : a.sub < b.sub
    }

    public var description: String { "\(main).\(sub)" }

    /// Length of a revision encoded as a `key` bucket key, without the tombstone mark.
    public static let encodedBytes = 8 + 1 + 8

    /// The backend key for this revision: `main` (big-endian), `_`, `sub` (big-endian).
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Revision.encodedBytes + 1)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: main) >> UInt64(shift))) }
        out.append(UInt8(ascii: "_"))
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: sub) >> UInt64(shift))) }
        return out
    }

    /// Decodes a backend key made by `bytes` (a trailing tombstone mark is ignored).
    /// Returns nil when `bytes` is too short to hold a revision.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count >= Revision.encodedBytes else { return nil }
        var main: UInt64 = 0
        var sub: UInt64 = 0
        for (i, byte) in bytes.prefix(Revision.encodedBytes).enumerated() {
            if i < 8 { main = main << 8 | UInt64(byte) } else if i > 8 { sub = sub << 8 | UInt64(byte) }
        }
        self.main = Int64(bitPattern: main)
        self.sub = Int64(bitPattern: sub)
    }
}
