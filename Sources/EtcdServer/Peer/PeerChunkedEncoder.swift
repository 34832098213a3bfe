// Writing `Transfer-Encoding: chunked` bodies, as Go's server does for etcd's stream responses
// (one chunk per flush: a stream writer flushes after each message batch) and Go's client does
// for snapshot POSTs.

/// Appends HTTP/1.1 chunks: `<hex size>\r\n<data>\r\n`, ended by `0\r\n\r\n`.
public enum PeerChunkedEncoder {
    /// Appends `data` as one chunk. An empty `data` appends nothing (a zero-size chunk would end
    /// the body).
    public static func encodeChunk(_ data: some Collection<UInt8>, appendingTo bytes: inout [UInt8]) {
        guard !data.isEmpty else { return }
        bytes.append(contentsOf: String(data.count, radix: 16).utf8)
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: data)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// Appends the last chunk (no trailer fields), ending the body.
    public static func encodeEnd(appendingTo bytes: inout [UInt8]) {
        bytes.append(contentsOf: "0\r\n\r\n".utf8)
    }
}
