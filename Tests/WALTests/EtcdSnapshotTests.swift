import EtcdIO
import Foundation
import Raft
import XCTest

@testable import WAL

/// Our snapshotter and WAL against files real etcd 3.4 wrote: the golden files in EtcdFiles.swift
/// always, and (when `etcd` and `etcdctl` are on PATH) files from a fresh etcd run.
final class EtcdSnapshotTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "walsnap-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root + "/member/snap", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/member/wal", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func testLoadsASnapFileEtcdWroteAndReencodesItByteForByte() throws {
        let name = "0000000000000002-0000000000000021.snap"
        try write(etcdSnapFile(), to: root + "/member/snap/" + name)
        let snapshotter = Snapshotter(fileSystem: PosixFileSystem(), directory: root + "/member/snap")
        let snapshot = try XCTUnwrap(try snapshotter.load())
        XCTAssertEqual(snapshot.metadata.term, 2)
        XCTAssertEqual(snapshot.metadata.index, 0x21)
        XCTAssertEqual(snapshot.metadata.confState.voters.count, 1)
        XCTAssertEqual(snapshot.data.first, UInt8(ascii: "{"))   // etcd's v2 store, as JSON
        XCTAssertEqual(SerializedSnapshot(wrapping: snapshot).serializedBytes(), etcdSnapFile())
    }

    /// etcd's server start-up path over etcd's own files: the WAL's valid markers, the newest
    /// .snap among them, then the WAL opened at it.
    func testRecoversFromEtcdsWALAndSnapFileAsEtcdsServerDoes() throws {
        let fileSystem = PosixFileSystem()
        try write(etcdSnapFile(), to: root + "/member/snap/0000000000000002-0000000000000021.snap")
        // A newer .snap whose marker never reached the WAL (etcd writes the file first).
        var orphan = try Snapshotter.read(fileSystem: fileSystem, path: root + "/member/snap/0000000000000002-0000000000000021.snap")
        orphan.metadata.index = 0x40
        try Snapshotter(fileSystem: fileSystem, directory: root + "/member/snap").save(orphan)
        try write(etcdWALSegment(), to: root + "/member/wal/0000000000000000-0000000000000000.wal")

        let markers = try WriteAheadLog.validSnapshotEntries(fileSystem: fileSystem, directory: root + "/member/wal")
        XCTAssertEqual(markers.first, WALSnapshot())
        XCTAssertTrue(markers.contains(WALSnapshot(index: 0x21, term: 2)), "\(markers)")
        XCTAssertEqual(markers.map(\.index), markers.map(\.index).sorted())

        let snapshotter = Snapshotter(fileSystem: fileSystem, directory: root + "/member/snap")
        XCTAssertEqual(try snapshotter.load()?.metadata.index, 0x40)
        let snapshot = try XCTUnwrap(try snapshotter.loadNewestAvailable(walSnapshots: markers))
        XCTAssertEqual(snapshot.metadata.index, 0x21)

        let (log, contents) = try WriteAheadLog.open(
            fileSystem: fileSystem, directory: root + "/member/wal",
            snapshot: WALSnapshot(index: snapshot.metadata.index, term: snapshot.metadata.term), segmentBytes: 1 << 16)
        defer { try? log.close() }
        XCTAssertEqual(contents.entries.first?.index, 0x22)
        XCTAssertGreaterThanOrEqual(contents.hardState.commit, 0x21)
        let metadata = try contents.decodedMetadata()
        XCTAssertNotEqual(metadata.nodeID, 0)
    }

    /// Two logs on one directory through the real flock: the second is refused.
    func testASecondOpenOfALockedLogFailsOnARealDisk() throws {
        let fileSystem = PosixFileSystem()
        let directory = root + "/member/wal2"
        let log = try WriteAheadLog.create(fileSystem: fileSystem, directory: directory, metadata: WALMetadata(nodeID: 1, clusterID: 1),
                                           segmentBytes: 1 << 16)
        XCTAssertThrowsError(try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: 1 << 16)) { error in
            guard case .locked? = error as? WALError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try purgeFiles(fileSystem: fileSystem, directory: directory, suffix: "wal", keep: 1), [])
        try log.close()
        let (reopened, _) = try WriteAheadLog.open(fileSystem: fileSystem, directory: directory, segmentBytes: 1 << 16)
        try reopened.close()
    }

    // MARK: A fresh etcd run (skipped without etcd)

    private func executable(_ name: String) -> URL? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    @discardableResult
    private func run(_ executable: URL, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// `etcd --snapshot-count 10` on loopback, 15 puts (with etcd's own start-up entries, enough
    /// for a snapshot; the golden files came from 30), a clean stop; then our snapshotter and WAL
    /// read what it left, the way etcd's own restart would.
    func testReadsTheDataDirectoryOfAFreshEtcdRun() throws {
        guard let etcd = executable("etcd"), let etcdctl = executable("etcdctl") else {
            throw XCTSkip("etcd or etcdctl not on PATH")
        }
        let base = 20000 + Int(getpid() % 20000)
        let client = "http://127.0.0.1:\(base)", peer = "http://127.0.0.1:\(base + 20000)"
        let dataDirectory = root + "/etcd"
        let server = Process()
        server.executableURL = etcd
        server.arguments = ["--name", "s1", "--data-dir", dataDirectory, "--snapshot-count", "10",
                            "--listen-client-urls", client, "--advertise-client-urls", client,
                            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                            "--initial-cluster", "s1=" + peer]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        // The first put waits (up to the dial timeout) for etcd to listen; no sleeps.
        for key in 1...15 {
            let status = try run(etcdctl, ["--endpoints", client, "--dial-timeout", "20s", "--command-timeout", "20s",
                                           "put", "key\(key)", "value\(key)"])
            XCTAssertEqual(status, 0, "etcdctl put key\(key)")
            if status != 0 { return }
        }
        server.terminate()   // SIGTERM: etcd stops cleanly
        server.waitUntilExit()

        let fileSystem = PosixFileSystem()
        let markers = try WriteAheadLog.validSnapshotEntries(fileSystem: fileSystem, directory: dataDirectory + "/member/wal")
        XCTAssertGreaterThanOrEqual(markers.count, 2, "\(markers)")   // the initial one and at least one snapshot
        let snapshotter = Snapshotter(fileSystem: fileSystem, directory: dataDirectory + "/member/snap")
        let snapshot = try XCTUnwrap(try snapshotter.loadNewestAvailable(walSnapshots: markers))
        XCTAssertGreaterThanOrEqual(snapshot.metadata.index, 10)
        XCTAssertFalse(try fileSystem.listDirectory(dataDirectory + "/member/snap").contains { $0.hasSuffix(".broken") })
        let (log, contents) = try WriteAheadLog.open(
            fileSystem: fileSystem, directory: dataDirectory + "/member/wal",
            snapshot: WALSnapshot(index: snapshot.metadata.index, term: snapshot.metadata.term))
        defer { try? log.close() }
        XCTAssertEqual(contents.entries.first?.index ?? snapshot.metadata.index + 1, snapshot.metadata.index + 1)
        XCTAssertGreaterThanOrEqual(contents.hardState.commit, 15)
    }
}
