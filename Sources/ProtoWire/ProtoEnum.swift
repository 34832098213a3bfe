// Proto3 enums as Swift enums.

/// A proto3 enum mirrored as a Swift enum backed by its Int32 wire values.
///
/// Proto3 requires every enum's first value to be 0, and that value is what an absent field means.
/// A wire value this build does not know decodes to that zero case too (etcd's messages give no
/// meaning to values outside their enums), which keeps decoding total.
public protocol ProtoEnum: RawRepresentable, Sendable, Equatable where RawValue == Int32 {
    /// The case for wire value 0: the field's default, and the stand-in for unknown values.
    static var protoDefault: Self { get }
}

extension ProtoEnum {
    @inlinable
    public static var protoDefault: Self {
        guard let zero = Self(rawValue: 0) else {
            preconditionFailure("proto3 enum \(Self.self) has no case for wire value 0")
        }
        return zero
    }

    /// Maps a wire value to its case, or to `protoDefault` when this build does not know it.
    @inlinable
    public init(wireValue: Int32) {
        self = Self(rawValue: wireValue) ?? Self.protoDefault
    }
}
