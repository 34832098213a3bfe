// The contract every hand-written message codec fulfils, and the entry points callers use.

/// A protobuf message with a hand-written codec.
///
/// Conformers write their fields in field-number order and skip proto3 default values, which is what
/// etcd's Go encoder does, so equal messages encode to the same bytes etcd would send.
public protocol ProtoMessage: Sendable, Equatable {
    /// The message with every field at its proto3 default.
    init()

    /// Decodes one message from all of `reader`'s remaining bytes.
    ///
    /// `depth` is how many messages enclose this one (0 for the outermost); it is passed on,
    /// plus one, to nested messages so that `ProtoReader.readMessage` can refuse hostile nesting.
    /// Unknown fields are skipped. Throws on malformed input; the reader's position is then
    /// unspecified.
    init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError)

    /// The exact number of bytes `encode(to:)` writes. O(size of the message tree).
    var encodedSize: Int { get }

    /// Appends the message's fields (without any outer tag or length) to `writer`.
    func encode(to writer: inout ProtoWriter)

    /// The message's Go type name, which gogo-protobuf's decoder puts in its errors
    /// ("RangeRequest"). Defaults to the Swift type's name.
    static var goTypeName: String { get }

    /// The Go struct field that holds field `number` ("Key", "RangeEnd", "PrevKv"), or nil if the
    /// message does not declare it. gogo names the field in its wrong-wire-type error, and decides
    /// by it whether wire type 6 or 7 is a wrong wire type or an illegal one. Defaults to nil;
    /// messages that clients send must provide it.
    static func goFieldName(_ number: Int) -> String?
}

extension ProtoMessage {
    public static var goTypeName: String { String(describing: Self.self) }

    public static func goFieldName(_ number: Int) -> String? { nil }

    /// Decodes a whole buffer as one message. The buffer need only live for the call.
    ///
    /// Errors are attributed (`ProtoDecodeError.attributed(to:)`), so their text is gogo's.
    @inlinable
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoDecodeError) {
        var reader = ProtoReader(bytes)
        do {
            try self.init(decoding: &reader, depth: 0)
        } catch {
            throw error.attributed(to: Self.self)
        }
    }

    /// Decodes a whole array as one message.
    @inlinable
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodeError) {
        // withUnsafeBytes only rethrows untyped errors; carry the typed one out in a Result.
        let decoded = bytes.withUnsafeBytes { buffer in
            Result { () throws(ProtoDecodeError) -> Self in try Self(serializedBytes: buffer) }
        }
        self = try decoded.get()
    }

    /// Decodes a slice (say, a gRPC frame's payload inside a larger read buffer) as one message.
    @inlinable
    public init(serializedBytes bytes: ArraySlice<UInt8>) throws(ProtoDecodeError) {
        // withUnsafeBytes only rethrows untyped errors; carry the typed one out in a Result.
        let decoded = bytes.withUnsafeBytes { buffer in
            Result { () throws(ProtoDecodeError) -> Self in try Self(serializedBytes: buffer) }
        }
        self = try decoded.get()
    }

    /// The message's encoding in a new array of exactly `encodedSize` bytes.
    @inlinable
    public func serializedBytes() -> [UInt8] {
        let size = encodedSize
        var writer = ProtoWriter(reservingCapacity: size)
        encode(to: &writer)
        precondition(writer.bytes.count == size, "encodedSize disagrees with encode(to:)")
        return writer.bytes
    }

    /// Appends the message's encoding to the end of `bytes`, growing it at most once.
    ///
    /// For reused output buffers (a connection's write buffer, a gRPC frame under construction):
    /// the array is moved into the writer and back, never copied.
    @inlinable
    public func encode(appendingTo bytes: inout [UInt8]) {
        let size = encodedSize
        var writer = ProtoWriter()
        swap(&writer.bytes, &bytes)
        let start = writer.bytes.count
        writer.bytes.reserveCapacity(start + size)
        encode(to: &writer)
        precondition(writer.bytes.count - start == size, "encodedSize disagrees with encode(to:)")
        swap(&writer.bytes, &bytes)
    }
}
