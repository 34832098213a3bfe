import BoltStore
import CShim
import EtcdProto
import MVCC

/// One Maintenance.Snapshot call in progress: a read transaction pinning a consistent copy of
/// the backend, how much of it was sent, and the running SHA-256 of what was sent.
///
/// etcd's stream, which `etcdctl snapshot save` checks: the file in 32 KiB blobs, each with the
/// bytes still to come, then one last message whose blob is the SHA-256 of everything before it.
/// The loop sends only while the call's queued output is small, so a slow client holds one
/// read transaction, not the database in memory.
final class SnapshotStream {
    enum Limit {
        /// Bytes per message (etcd's `snapshotSendBufferSize`).
        static let chunkBytes = 32 * 1024
        /// Queued, unsent bytes on the call past which the loop waits for the client.
        static let queuedBytesMax = 256 * 1024
    }

    private let transaction: Transaction
    private let totalBytes: Int
    private(set) var sentBytes = 0
    private var digest: UnsafeMutableRawPointer?
    private(set) var isDigestSent = false

    init(backend: Backend) throws(BoltError) {
        transaction = try backend.database.beginRead()
        totalBytes = Int(transaction.copyBytes)
        digest = swetcd_sha256_new()
        precondition(digest != nil, "SHA-256 context allocation failed")
    }

    deinit {
        transaction.rollback()
        if let digest {
            var discard = [UInt8](repeating: 0, count: 32)
            swetcd_sha256_finish(digest, &discard)
        }
    }

    var isFinished: Bool { isDigestSent }

    /// The next message to send: a data chunk, or (after the last one) the checksum.
    func nextMessage() -> SnapshotResponse {
        var response = SnapshotResponse()
        if sentBytes < totalBytes {
            let count = min(Limit.chunkBytes, totalBytes - sentBytes)
            var blob = [UInt8](repeating: 0, count: count)
            blob.withUnsafeMutableBytes { transaction.copySnapshot(at: sentBytes, into: $0) }
            blob.withUnsafeBytes { swetcd_sha256_update(digest, $0.baseAddress, $0.count) }
            sentBytes += count
            response.remainingBytes = UInt64(totalBytes - sentBytes)
            response.blob = blob
        } else {
            var checksum = [UInt8](repeating: 0, count: 32)
            swetcd_sha256_finish(digest, &checksum)
            digest = nil
            isDigestSent = true
            response.blob = checksum
        }
        return response
    }
}
