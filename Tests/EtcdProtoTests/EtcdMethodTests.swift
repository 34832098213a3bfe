// The gRPC method table against etcd 3.4's service definitions.

import EtcdProto
import XCTest

final class EtcdMethodTests: XCTestCase {
    func testEveryEtcdRPCIsListedOnce() {
        // 5 KV + 1 Watch + 5 Lease + 5 Cluster + 7 Maintenance + 17 Auth (etcd 3.4's 16 and 3.5's
        // AuthStatus) + 5 Election + 2 Lock.
        XCTAssertEqual(EtcdMethod.allCases.count, 47)
        XCTAssertEqual(Set(EtcdMethod.allCases.map(\.path)).count, 47)
        let perService = Dictionary(grouping: EtcdMethod.allCases, by: \.service).mapValues(\.count)
        XCTAssertEqual(perService, [.kv: 5, .watch: 1, .lease: 5, .cluster: 5, .maintenance: 7, .auth: 17,
                                    .election: 5, .lock: 2])
    }

    func testPathsAreServiceSlashMethod() {
        for method in EtcdMethod.allCases {
            XCTAssertEqual(method.path, "/\(method.service.fullName)/\(method.methodName)")
        }
        XCTAssertEqual(EtcdMethod.range.path, "/etcdserverpb.KV/Range")
        XCTAssertEqual(EtcdMethod.compact.methodName, "Compact")
        XCTAssertEqual(EtcdMethod.userChangePassword.path, "/etcdserverpb.Auth/UserChangePassword")
        XCTAssertEqual(EtcdMethod.observe.path, "/v3electionpb.Election/Observe")
        XCTAssertEqual(EtcdMethod.unlock.path, "/v3lockpb.Lock/Unlock")
    }

    func testLookupByPath() {
        XCTAssertEqual(EtcdMethod(path: "/etcdserverpb.KV/Txn"), .txn)
        XCTAssertEqual(EtcdMethod(path: Array("/etcdserverpb.Maintenance/HashKV".utf8)), .hashKV)
        XCTAssertNil(EtcdMethod(path: "/etcdserverpb.KV/range"))
        XCTAssertNil(EtcdMethod(path: "/etcdserverpb.KV/Range/"))
        XCTAssertNil(EtcdMethod(path: ""))
    }

    func testStreamingKinds() {
        let streaming = EtcdMethod.allCases.filter { $0.streamingKind != .unary }
        XCTAssertEqual(Set(streaming), [.watch, .leaseKeepAlive, .snapshot, .observe])
        XCTAssertEqual(EtcdMethod.watch.streamingKind, .bidiStreaming)
        XCTAssertEqual(EtcdMethod.leaseKeepAlive.streamingKind, .bidiStreaming)
        XCTAssertEqual(EtcdMethod.snapshot.streamingKind, .serverStreaming)
        XCTAssertEqual(EtcdMethod.observe.streamingKind, .serverStreaming)
    }

    func testMessageTypes() {
        XCTAssertTrue(EtcdMethod.compact.requestType == CompactionRequest.self)
        XCTAssertTrue(EtcdMethod.compact.responseType == CompactionResponse.self)
        XCTAssertTrue(EtcdMethod.userAdd.requestType == AuthUserAddRequest.self)
        XCTAssertTrue(EtcdMethod.observe.requestType == LeaderRequest.self)
        XCTAssertTrue(EtcdMethod.observe.responseType == LeaderResponse.self)
    }
}
