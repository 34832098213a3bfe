import EtcdProto
import XCTest

@testable import EtcdServer

/// The checks a call passes before it is served or proposed while auth is on, including the
/// ones etcd 3.4 skipped (nested txns, prev_kv and leases inside a txn).
final class AuthCheckTests: XCTestCase {
    private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// User "u" may read and write "a" and read "r"; its caller is current.
    private func setting() throws -> (AuthStore, AuthCaller) {
        var store = try AuthStore.fixture(users: ["u"], roles: ["role"])
        _ = try store.userGrantRole(user: "u", role: "role")
        _ = try store.roleGrantPermission(role: "role", permission: Permission(permType: .readWrite, key: b("a")))
        _ = try store.roleGrantPermission(role: "role", permission: Permission(permType: .read, key: b("r")))
        return (store, AuthCaller(user: "u", revision: store.revision))
    }

    private func denied(_ expected: EtcdError, _ body: () throws(EtcdError) -> Void, file: StaticString = #filePath, line: UInt = #line) {
        do {
            try body()
            XCTFail("allowed", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }

    func testAPutNeedsWriteReadForPrevKVAndWriteOnTheLeasesKeys() throws {
        let (store, caller) = try setting()
        XCTAssertNoThrow(try AuthCheck.put(store, caller, PutRequest(key: b("a"), prevKv: true), leaseKeys: []))
        denied(.permissionDenied) { () throws(EtcdError) in try AuthCheck.put(store, caller, PutRequest(key: b("r")), leaseKeys: []) }
        denied(.permissionDenied) { () throws(EtcdError) in
            try AuthCheck.put(store, caller, PutRequest(key: b("a"), lease: 5), leaseKeys: [b("r")])
        }
        denied(.userEmpty) { () throws(EtcdError) in
            try AuthCheck.put(store, AuthCaller(user: "", revision: store.revision), PutRequest(key: b("a")), leaseKeys: [])
        }
    }

    func testATxnIsCheckedInEveryBranchAndEveryNestedTxn() throws {
        let (store, caller) = try setting()
        let allowed = TxnRequest(compare: [Compare(key: b("r"))], success: [RequestOp(request: .requestPut(PutRequest(key: b("a"))))],
                                 failure: [RequestOp(request: .requestRange(RangeRequest(key: b("r"))))])
        XCTAssertNoThrow(try AuthCheck.txn(store, caller, allowed, leaseKeys: { _ in [] }))
        let nested = TxnRequest(success: [RequestOp(request: .requestTxn(TxnRequest(
            failure: [RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: b("z"))))])))])
        denied(.permissionDenied) { () throws(EtcdError) in try AuthCheck.txn(store, caller, nested, leaseKeys: { _ in [] }) }
        let prevKVOnWriteOnly = TxnRequest(failure: [RequestOp(request: .requestPut(PutRequest(key: b("r"), prevKv: true)))])
        denied(.permissionDenied) { () throws(EtcdError) in try AuthCheck.txn(store, caller, prevKVOnWriteOnly, leaseKeys: { _ in [] }) }
        let compareOutside = TxnRequest(compare: [Compare(key: b("a"), rangeEnd: b("z"))])
        denied(.permissionDenied) { () throws(EtcdError) in try AuthCheck.txn(store, caller, compareOutside, leaseKeys: { _ in [] }) }
    }

    func testCredentialsFromBeforeAnAuthChangeAreOld() throws {
        var (store, caller) = try setting()
        _ = try store.roleAdd(name: "another")
        denied(.authOldRevision) { () throws(EtcdError) in try AuthCheck.range(store, caller, RangeRequest(key: b("a"))) }
        caller = AuthCaller(user: "u", revision: store.revision)
        XCTAssertNoThrow(try AuthCheck.range(store, caller, RangeRequest(key: b("a"))))
    }

    /// etcd's isOpPermitted and doSerialize: a token without an auth revision names no user, and
    /// a read served without raft needs the store's very revision (a JWT can carry a later one).
    func testATokenWithoutARevisionIsNoUserAndAServedReadNeedsTheStoresRevision() throws {
        let (store, caller) = try setting()
        denied(.userEmpty) { () throws(EtcdError) in
            try AuthCheck.range(store, AuthCaller(user: "u", revision: 0), RangeRequest(key: b("a")))
        }
        XCTAssertNoThrow(try AuthCheck.servedRead(store, caller))
        let ahead = AuthCaller(user: "u", revision: store.revision + 1)
        XCTAssertNoThrow(try AuthCheck.range(store, ahead, RangeRequest(key: b("a"))), "the permission check lets it by...")
        denied(.authOldRevision) { () throws(EtcdError) in try AuthCheck.servedRead(store, ahead) }
    }

    func testMaintenanceNeedsRootAndAnswersWithEtcdsRawAuthErrors() throws {
        let (store, caller) = try setting()
        denied(EtcdError(.unknown, "auth: permission denied")) { () throws(EtcdError) in try AuthCheck.maintenanceAdmin(store, caller) }
        denied(EtcdError(.unknown, "auth: user name is empty")) { () throws(EtcdError) in
            try AuthCheck.maintenanceAdmin(store, AuthCaller(user: "", revision: store.revision))
        }
        denied(.permissionDenied) { () throws(EtcdError) in try AuthCheck.admin(store, caller) }
        denied(.permissionDenied) { () throws(EtcdError) in try AuthCheck.leaseRevoke(store, caller, keys: [b("a"), b("r")]) }
    }
}
