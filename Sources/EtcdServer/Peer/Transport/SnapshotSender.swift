import BoltStore
import Glibc
import Raft

/// Sends a MsgSnap with the backend it stands for (etcd's merged snapshot): `POST
/// /raft/snapshot`, chunked, whose body is the message in stream framing followed by the db
/// file's bytes, read from a read transaction in `chunkBytes` pieces so the file is never held
/// in memory whole.
enum SnapshotSender {
    /// db bytes per chunk written.
    static let chunkBytes = 64 * 1024
    /// Each write, and the wait for the answer, may take this long (a receiver writing and
    /// syncing a large db answers only at the end).
    static let writeTimeoutMilliseconds: Int32 = 30_000
    static let answerTimeoutMilliseconds: Int32 = 120_000

    /// True when the peer answered 204 (it has the db and handed the message to raft).
    static func send(_ message: Message, to address: PeerAddress, transport: PeerTransport) -> Bool {
        guard let transaction = transport.backendReadTransaction() else { return false }
        defer { transaction.rollback() }
        guard let socket = PeerSocket.connect(to: address,
                                              timeoutMilliseconds: transport.dialTimeoutMilliseconds)
        else { return false }
        defer { socket.close() }
        let totalBytes = Int(transaction.copyBytes)
        transport.logger.info("sending database snapshot", [
            .string("remote-peer-id", String(message.to, radix: 16)),
            .int64("snapshot-index", Int64(message.snapshot.metadata.index)),
            .int64("bytes", Int64(totalBytes))])
        var connection = PeerHTTPConnection(socket: socket, role: .client)
        do {
            var head: [UInt8] = []
            PeerRequest.snapshotPost(host: address.hostPort, sender: transport.sender).encode(appendingTo: &head)
            var messageBytes: [UInt8] = []
            SnapshotBodyEncoder.encodeHead(message, appendingTo: &messageBytes)
            PeerChunkedEncoder.encodeChunk(messageBytes, appendingTo: &head)
            try connection.write(head, timeoutMilliseconds: writeTimeoutMilliseconds)
            var offset = 0
            var piece = [UInt8](repeating: 0, count: chunkBytes)
            while offset < totalBytes {
                let count = min(chunkBytes, totalBytes - offset)
                piece.withUnsafeMutableBytes { transaction.copySnapshot(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<count])) }
                var chunk: [UInt8] = []
                chunk.reserveCapacity(count + 16)
                PeerChunkedEncoder.encodeChunk(piece[0..<count], appendingTo: &chunk)
                try connection.write(chunk, timeoutMilliseconds: writeTimeoutMilliseconds)
                offset += count
            }
            var end: [UInt8] = []
            PeerChunkedEncoder.encodeEnd(appendingTo: &end)
            try connection.write(end, timeoutMilliseconds: writeTimeoutMilliseconds)
            guard case .responseHead(let answer) = try connection.next(timeoutMilliseconds: answerTimeoutMilliseconds)
            else { return false }
            if answer.status != 204 {
                transport.logger.warn("peer refused the database snapshot", [
                    .string("remote-peer-id", String(message.to, radix: 16)), .int64("status", Int64(answer.status))])
            }
            return answer.status == 204
        } catch {
            transport.logger.warn("failed to send database snapshot", [
                .string("remote-peer-id", String(message.to, radix: 16)), .error("\(error)")])
            return false
        }
    }
}
