import EtcdProto
import GRPC
import XCTest

@testable import EtcdServer

/// How a call's `:path` is resolved: grpc-go's exact answers for paths no service serves, since
/// clients and tools match on the code and the text.
final class RouterTests: XCTestCase {
    func testServedMethodsResolve() throws {
        XCTAssertEqual(try EtcdMethod.resolve(path: "/etcdserverpb.KV/Range").get(), .range)
        XCTAssertEqual(try EtcdMethod.resolve(path: "/etcdserverpb.Maintenance/Status").get(), .status)
        XCTAssertEqual(try EtcdMethod.resolve(path: "/etcdserverpb.Cluster/MemberList").get(), .memberList)
    }

    func testUnknownMethodOfAKnownServiceNamesBoth() {
        XCTAssertEqual(failure(of: "/etcdserverpb.KV/Frobnicate"),
                       GRPCStatus(.unimplemented, "unknown method Frobnicate for service etcdserverpb.KV"))
    }

    func testUnknownServiceIsNamed() {
        XCTAssertEqual(failure(of: "/foo.Bar/Baz"), GRPCStatus(.unimplemented, "unknown service foo.Bar"))
    }

    func testPathWithoutMethodSeparatorIsMalformed() {
        // grpc-go answers a path it cannot split with RESOURCE_EXHAUSTED, quoting it as Go's %q.
        XCTAssertEqual(failure(of: "nonsense"),
                       GRPCStatus(.resourceExhausted, "malformed method name: \"nonsense\""))
    }

    func testEveryEtcdMethodIsServed() {
        for method in EtcdMethod.allCases {
            XCTAssertNil(failure(of: method.path), "\(method.path) resolves")
        }
        XCTAssertEqual(try EtcdMethod.resolve(path: "/v3electionpb.Election/Campaign").get(), .campaign)
        XCTAssertEqual(try EtcdMethod.resolve(path: "/v3lockpb.Lock/Unlock").get(), .unlock)
    }

    func testRaftEntrySizeCountsTheWrapperAroundTheRequest() {
        // A request of n bytes travels inside InternalRaftRequest next to a 13-byte header: one
        // tag byte, a length varint, and the payload.
        XCTAssertEqual(RaftEntrySize.estimate(requestBytes: 100), 13 + 1 + 1 + 100)
        XCTAssertEqual(RaftEntrySize.estimate(requestBytes: 200), 13 + 1 + 2 + 200)
        XCTAssertEqual(RaftEntrySize.estimate(requestBytes: 1 << 21), 13 + 1 + 4 + (1 << 21))
    }

    private func failure(of path: String) -> GRPCStatus? {
        if case .failure(let status) = EtcdMethod.resolve(path: path) { return status }
        return nil
    }
}
