// Why a peer stream, pipeline or snapshot body could not be decoded.

import ProtoWire

/// A failure decoding etcd's peer framings. These are operating errors (a peer sent bad or too
/// many bytes, or hung up mid-frame); the caller drops the connection, as etcd does.
public enum PeerStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A length prefix beyond the decoder's limit (etcd: `ErrExceedSizeLimit`, checked before
    /// anything is read or allocated).
    case exceedSizeLimit(length: UInt64, limit: UInt64)
    /// A msgappv2 frame type other than 0, 1, 2.
    case unknownMsgAppV2Type(UInt8)
    /// The length-prefixed bytes are not a raftpb message (or entry).
    case malformed(ProtoDecodeError)
    /// The body or connection ended inside a frame (Go's `io.ErrUnexpectedEOF`).
    case truncated
    /// A snapshot body whose message is not MsgSnap (etcd answers 400 "wrong raft message type").
    case wrongSnapshotMessageType

    /// etcd's text for the same failure, as it logs it or returns it to its stream reader.
    public var description: String {
        switch self {
        case .exceedSizeLimit: "rafthttp: error limit exceeded"
        case .unknownMsgAppV2Type(let type): "failed to parse type \(type) in msgappv2 stream"
        case .malformed(let error): "\(error)"
        case .truncated: "unexpected EOF"
        case .wrongSnapshotMessageType: "wrong raft message type"
        }
    }
}
