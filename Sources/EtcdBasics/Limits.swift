/// Named limits shared across modules. Every size, count and queue in swetcd has a maximum; the
/// ones more than one module needs live here, each with its unit in its name.
public enum Limits {
    /// etcd's default `--max-request-bytes` (1.5 MiB).
    public static let maxRequestBytesDefault = 1_572_864
    /// etcd's default `--max-txn-ops`.
    public static let maxTxnOpsDefault = 128
    /// gRPC framing overhead etcd allows on top of `--max-request-bytes` when it sets the gRPC
    /// server's maximum receive size (`grpcOverheadBytes` in etcd).
    public static let grpcOverheadBytes = 512 * 1024
    /// How deeply nested a protobuf message may be before decoding refuses it (nested txns).
    public static let protoDecodeDepthMax = 64
}
