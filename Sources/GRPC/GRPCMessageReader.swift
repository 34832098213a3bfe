/// Reassembles gRPC's length-prefixed messages from a request body that arrives in arbitrary
/// pieces (DATA frames split and merge messages freely).
///
/// On the wire each message is a 1-byte compressed flag, a 4-byte big-endian length, then that
/// many payload bytes. The reader checks the prefix the moment it is complete, in grpc-go's order
/// (`recvMsg` then `checkRecvPayload`), so an oversized message is refused before a single byte of
/// it is buffered:
///
/// - length > `maxMessageBytes` → RESOURCE_EXHAUSTED
///   "grpc: received message larger than max (N vs. M)"
/// - flag 1 (compressed) → INTERNAL "grpc: compressed flag set with identity or empty encoding"
///   (the server accepts no grpc-encoding but identity, so a compressed message is always this)
/// - any other flag → INTERNAL "grpc: received unexpected payload format F"
///
/// Memory: at most one partial message, never more than `maxMessageBytes`, and never much more
/// than the bytes actually received (the declared length is not trusted for allocation). A message
/// that arrives whole inside one piece is copied once, straight into the array handed out.
public struct GRPCMessageReader: Sendable {
    /// Largest accepted payload, in bytes.
    public let maxMessageBytes: Int
    /// Bytes of the current 5-byte prefix read so far (0 between messages).
    private var prefixBytesRead = 0
    private var flag: UInt8 = 0
    private var declaredLength: UInt32 = 0
    /// The partial payload of the current message; its capacity is the declared length.
    private var partial: [UInt8] = []

    /// gRPC's per-message prefix: flag byte plus 4-byte length.
    public static let prefixBytes = 5

    public init(maxMessageBytes: Int) {
        precondition(maxMessageBytes >= 0, "negative message limit")
        self.maxMessageBytes = maxMessageBytes
    }

    /// Bytes of memory held for the partial message (its buffer's capacity).
    public var reservedBytes: Int { partial.capacity }

    /// Part of a message has been read: the body ending now would cut it short.
    public var hasPartialMessage: Bool { prefixBytesRead > 0 }

    /// Consumes the next piece of the body, calling `onMessage` with each payload it completes, in
    /// order. Throws the status grpc-go would answer with; after a throw the reader must not be used.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer,
                                 onMessage: ([UInt8]) -> Void) throws(GRPCStatus) {
        var index = 0
        while index < bytes.count {
            if prefixBytesRead < Self.prefixBytes {
                let byte = bytes[index]
                index += 1
                if prefixBytesRead == 0 { flag = byte } else { declaredLength = declaredLength << 8 | UInt32(byte) }
                prefixBytesRead += 1
                guard prefixBytesRead == Self.prefixBytes else { continue }
                try checkPrefix()
                let length = Int(declaredLength)
                if bytes.count - index >= length {
                    // The whole payload is here: one copy, into the array handed out.
                    onMessage(Array(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)])))
                    index += length
                    resetForNextMessage()
                }
            } else {
                let wanted = Int(declaredLength) - partial.count
                let count = min(wanted, bytes.count - index)
                reserveForAppending(count)
                partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
                index += count
                if count == wanted {
                    let message = partial
                    partial = []
                    resetForNextMessage()
                    onMessage(message)
                }
            }
        }
    }

    private func checkPrefix() throws(GRPCStatus) {
        if Int(declaredLength) > maxMessageBytes {
            throw GRPCStatus(.resourceExhausted,
                             "grpc: received message larger than max (\(declaredLength) vs. \(maxMessageBytes))")
        }
        switch flag {
        case 0: return
        case 1: throw GRPCStatus(.internal, "grpc: compressed flag set with identity or empty encoding")
        default: throw GRPCStatus(.internal, "grpc: received unexpected payload format \(flag)")
        }
    }

    /// Grows `partial` toward the declared length no faster than bytes arrive (at most doubling),
    /// so a client that declares a large message and then stalls holds at most about twice what
    /// it actually sent, and the finished array never has capacity beyond the declared length.
    private mutating func reserveForAppending(_ count: Int) {
        let needed = partial.count + count
        guard needed > partial.capacity else { return }
        partial.reserveCapacity(min(Int(declaredLength), max(needed, 2 * partial.capacity)))
    }

    private mutating func resetForNextMessage() {
        prefixBytesRead = 0
        flag = 0
        declaredLength = 0
    }
}
