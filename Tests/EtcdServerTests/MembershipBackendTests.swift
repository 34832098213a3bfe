import BoltStore
import EtcdBasics
import EtcdIO
import MVCC
import XCTest

@testable import EtcdServer

/// The membership's durable copy: the keys and values etcd 3.4 keeps in its backend, and the
/// membership rebuilt from them after a restart.
final class MembershipBackendTests: XCTestCase {
    private func openBackend(_ fs: SimulatedFileSystem) throws -> Backend {
        try Backend(database: try Database.open(path: "/db", fileSystem: fs))
    }

    private func contents(of bucket: [UInt8], in backend: Backend) -> [String: String] {
        backend.withReadTransaction { tx in
            var entries: [String: String] = [:]
            tx.bucket(named: bucket)?.forEach { entries[String(decoding: $0.key, as: UTF8.self)] = String(decoding: $0.value, as: UTF8.self) }
            return entries
        }
    }

    /// The same operations as were run against a real etcd 3.4.23 (one member; a learner added,
    /// its URL updated, then removed; the member's own URLs updated), leave what that etcd's
    /// `members`, `members_removed` and `cluster` buckets held afterwards.
    func testWritesLeaveWhatEtcdLeavesInItsBuckets() throws {
        let fs = SimulatedFileSystem()
        let backend = try openBackend(fs)
        let n1 = MemberID(0xbdae9bbc11dd390d), learner = MemberID(0x31c6be85c24548ac)
        var membership = ClusterMembership(clusterID: ClusterID(0xd1cfaf999eb97a2a))
        let changes: [MembershipConfChange] = [
            .add(ClusterMember(id: n1, name: "n1", peerURLs: ["http://127.0.0.1:23801"])),
            .add(ClusterMember(id: learner, peerURLs: ["http://127.0.0.1:23811"], isLearner: true)),
            .update(id: learner, peerURLs: ["http://127.0.0.1:23821"], isLearner: false),
            .remove(learner),
            .update(id: n1, peerURLs: ["http://127.0.0.1:23801", "http://localhost:23801"], isLearner: false),
        ]
        MembershipBackend.perform(membership.setVersion("3.4.0"), on: backend)
        for change in changes.prefix(1) {
            try membership.validate(change)
            MembershipBackend.perform(membership.apply(change), on: backend)
        }
        MembershipBackend.perform(try XCTUnwrap(membership.updateAttributes(of: n1, name: "n1", clientURLs: ["http://127.0.0.1:23791"])), on: backend)
        for change in changes.dropFirst() {
            try membership.validate(change)
            MembershipBackend.perform(membership.apply(change), on: backend)
        }
        try backend.commit()

        XCTAssertEqual(contents(of: Backend.BucketName.members, in: backend), [
            "bdae9bbc11dd390d": #"{"id":13668033151171901709,"peerURLs":["http://127.0.0.1:23801","http://localhost:23801"],"name":"n1","clientURLs":["http://127.0.0.1:23791"]}"#,
        ])
        XCTAssertEqual(contents(of: Backend.BucketName.membersRemoved, in: backend), ["31c6be85c24548ac": "removed"])
        XCTAssertEqual(contents(of: Backend.BucketName.cluster, in: backend), ["clusterVersion": "3.4.0"])
        try backend.close()
    }

    func testRecoveryRebuildsTheCommittedMembershipAfterACrash() throws {
        let fs = SimulatedFileSystem()
        var backend = try openBackend(fs)
        XCTAssertEqual(try MembershipBackend.recover(from: backend, clusterID: ClusterID(7)), ClusterMembership(clusterID: ClusterID(7)),
                       "a new backend holds an empty membership")

        var membership = ClusterMembership(clusterID: ClusterID(7))
        let writes = [
            membership.apply(.add(ClusterMember(id: MemberID(1), name: "a", peerURLs: ["http://a:2380"], clientURLs: ["http://a:2379"]))),
            membership.apply(.add(ClusterMember(id: MemberID(0xabc), peerURLs: ["http://b:2380"], isLearner: true))),
            membership.apply(.add(ClusterMember(id: MemberID(UInt64.max), peerURLs: ["http://c:2380"]))),
            membership.apply(.remove(MemberID(UInt64.max))),
            membership.setVersion("3.4.0"),
        ]
        for write in writes { MembershipBackend.perform(write, on: backend) }
        try backend.commit()
        let committed = membership
        MembershipBackend.perform(membership.apply(.promote(MemberID(0xabc))), on: backend)   // never committed

        fs.crash(.loseUnsynced)
        backend = try openBackend(fs)
        let recovered = try MembershipBackend.recover(from: backend, clusterID: ClusterID(7))
        XCTAssertEqual(recovered, committed)
        XCTAssertEqual(recovered.member(MemberID(0xabc))?.isLearner, true)
        XCTAssertTrue(recovered.isRemoved(MemberID(UInt64.max)))
        XCTAssertEqual(recovered.version, "3.4.0")
    }

    func testRecoveryRefusesEntriesEtcdCouldNotHaveWritten() throws {
        let cases: [(bucket: [UInt8], key: String, value: String)] = [
            (Backend.BucketName.members, "xyz", #"{"id":1,"peerURLs":["u"]}"#),
            (Backend.BucketName.members, "2", #"{"id":1,"peerURLs":["u"]}"#),
            (Backend.BucketName.members, "1", #"{"id":1,"peerURLs":"u"}"#),
            (Backend.BucketName.membersRemoved, "-1", "removed"),
            (Backend.BucketName.membersRemoved, "10000000000000000", "removed"),
        ]
        for (bucket, key, value) in cases {
            let backend = try openBackend(SimulatedFileSystem())
            try backend.writeTransaction().bucket(named: bucket)?.put(Array(key.utf8), Array(value.utf8))
            try backend.commit()
            XCTAssertThrowsError(try MembershipBackend.recover(from: backend, clusterID: ClusterID(1)), "\(key) \(value)")
        }
    }
}
