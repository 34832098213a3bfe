import EtcdBasics
import Raft
import XCTest

@testable import EtcdServer

/// Helpers shared by the Peer* tests.
enum PeerTestSupport {
    /// `bytes` with the header lines named `names` (any case) removed from its head: how captured
    /// Go bytes are compared with swetcd's, which leave out Date, User-Agent and Accept-Encoding.
    static func removingHeaderLines(_ names: [String], from bytes: [UInt8]) -> [UInt8] {
        let blank: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == blank }) else { return bytes }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n").filter { line in
            !names.contains { line.lowercased().hasPrefix($0.lowercased() + ":") }
        }
        return Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + bytes[(headEnd + 4)...]
    }

    /// Every event a reader yields for `bytes` fed `pieceSize` bytes at a time, body pieces
    /// merged into one `.body` per message.
    static func readAll(_ bytes: [UInt8], role: PeerHTTPReader.Role, pieceSize: Int = .max,
                        closeAtEnd: Bool = false) throws -> [PeerHTTPReader.Event] {
        var reader = PeerHTTPReader(role: role)
        var events: [PeerHTTPReader.Event] = []
        func collect(_ event: PeerHTTPReader.Event) {
            if case .body(let piece) = event, case .body(let previous)? = events.last {
                events[events.count - 1] = .body(previous + piece)
            } else {
                events.append(event)
            }
        }
        var offset = 0
        while offset < bytes.count {
            let end = offset + min(pieceSize, bytes.count - offset)
            reader.append(bytes[offset..<end])
            offset = end
            while let event = try reader.next() { collect(event) }
        }
        if closeAtEnd, let event = try reader.connectionClosed() { collect(event) }
        return events
    }

    static func memberID(_ hex: String) -> MemberID { MemberID(UInt64(hex, radix: 16)!) }

    static func clusterID(_ hex: String) -> ClusterID { ClusterID(UInt64(hex, radix: 16)!) }
}
