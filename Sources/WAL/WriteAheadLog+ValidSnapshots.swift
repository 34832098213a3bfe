// Which snapshots the log can start from (etcd 3.4 wal.ValidSnapshotEntries): the server asks
// before loading a `.snap` file, and loads the newest one that has a marker here
// (`Snapshotter.loadNewestAvailable`).

import EtcdIO
import ProtoWire
import Raft

extension WriteAheadLog {
    /// The snapshot markers in the log at `directory`, in log order, keeping only those at or
    /// below the last saved hard state's commit index (a marker past the commit would name a
    /// snapshot of entries that were never committed, so starting there is not safe).
    ///
    /// Reads every segment read-only and takes no lock, so it works while another process has
    /// the log open. A torn tail is tolerated; corruption elsewhere throws as `open` does.
    /// O(bytes in the log).
    public static func validSnapshotEntries(fileSystem: any FileSystem, directory: String) throws(WALError) -> [WALSnapshot] {
        let names = try wrap { () throws(IOError) in try fileSystem.listDirectory(directory) }
        let segments = try SegmentName.segments(in: names)
        guard !segments.isEmpty else { throw .noSegments(directory: directory) }
        var decoder = RecordDecoder()
        var markers: [WALSnapshot] = []
        var state = HardState()
        for (position, segment) in segments.enumerated() {
            let path = directory + "/" + segment.fileName
            let bytes = try wrap { () throws(IOError) in try fileSystem.readFile(path) }
            let decoded = try decoder.decodeSegment(bytes, file: path, isLastSegment: position == segments.count - 1)
            for record in decoded.records {
                switch record.recordType {
                case .snapshot: markers.append(try decodeRecord(WALSnapshot.self, record))
                case .state: state = try decodeRecord(HardState.self, record)
                default: break
                }
            }
        }
        return markers.filter { $0.index <= state.commit }
    }

    private static func decodeRecord<M: ProtoMessage>(_ type: M.Type, _ record: WALRecord) throws(WALError) -> M {
        do { return try M(serializedBytes: record.data ?? []) } catch {
            throw .inconsistent("bad \(M.goTypeName) record: \(error)")
        }
    }
}
