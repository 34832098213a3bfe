// Reading `Transfer-Encoding: chunked` bodies without holding a chunk whole: data is handed out
// as it arrives, however large the chunk.

/// The chunked-body state machine, driven by `PeerHTTPReader` over its receive buffer.
struct PeerChunkedDecoder: Sendable {
    /// Longest chunk-size line (hex size, extensions, CRLF) accepted; Go allows 4096 bytes.
    static let sizeLineBytesMax = 4096
    /// Longest trailer section accepted after the last chunk.
    static let trailerBytesMax = 8192

    enum Output: Equatable {
        case data(ArraySlice<UInt8>)
        case end
    }

    private enum State {
        case size
        case data(remaining: UInt64)
        case dataEnd
        case trailer
        case done
    }

    private var state = State.size

    /// The next piece of body data (at most `maxBytes`), `.end` after the last chunk and its
    /// trailer, or nil until more bytes arrive. Consumes what it returns from `buffer`.
    mutating func next(from buffer: inout PeerReadBuffer, maxBytes: Int) throws(PeerHTTPError) -> Output? {
        while true {
            switch state {
            case .size:
                guard let lineEnd = buffer.firstIndex(of: [0x0D, 0x0A]) else {
                    if buffer.count > Self.sizeLineBytesMax { throw .malformedChunk }
                    return nil
                }
                guard lineEnd <= Self.sizeLineBytesMax else { throw .malformedChunk }
                let size = try Self.parseSize(buffer.slice(at: 0, length: lineEnd))
                buffer.consume(lineEnd + 2)
                state = size == 0 ? .trailer : .data(remaining: size)
            case .data(let remaining):
                guard !buffer.isEmpty else { return nil }
                let length = Int(min(UInt64(min(buffer.count, maxBytes)), remaining))
                let data = buffer.slice(at: 0, length: length)
                buffer.consume(length)
                state = remaining == UInt64(length) ? .dataEnd : .data(remaining: remaining - UInt64(length))
                return .data(data)
            case .dataEnd:
                guard buffer.count >= 2 else { return nil }
                guard buffer.byte(at: 0) == 0x0D, buffer.byte(at: 1) == 0x0A else { throw .malformedChunk }
                buffer.consume(2)
                state = .size
            case .trailer:
                // Trailer fields end at an empty line; peers send none, so they are skipped.
                guard let lineEnd = buffer.firstIndex(of: [0x0D, 0x0A]) else {
                    if buffer.count > Self.trailerBytesMax { throw .malformedChunk }
                    return nil
                }
                buffer.consume(lineEnd + 2)
                if lineEnd == 0 {
                    state = .done
                    return .end
                }
            case .done:
                preconditionFailure("chunked body read past its end")
            }
        }
    }

    /// The hex size before any `;extension`.
    private static func parseSize(_ line: ArraySlice<UInt8>) throws(PeerHTTPError) -> UInt64 {
        let digits = PeerHTTPHeadParsing.trimmed(line.prefix { $0 != UInt8(ascii: ";") })
        guard !digits.isEmpty, digits.count <= 16 else { throw .malformedChunk }
        var size: UInt64 = 0
        for digit in digits {
            let value: UInt8
            switch digit {
            case 0x30...0x39: value = digit - 0x30
            case 0x41...0x46: value = digit - 0x41 + 10
            case 0x61...0x66: value = digit - 0x61 + 10
            default: throw .malformedChunk
            }
            size = size << 4 | UInt64(value)
        }
        return size
    }
}
