import BoltStore
import EtcdIO
import EtcdProto
import GRPC
import MVCC
import XCTest

@testable import EtcdServer

/// A hasher that costs nothing: the "hash" is the password behind a marker, so tests can see
/// what was stored.
struct FakePasswordHasher: PasswordHasher {
    func hash(_ password: String) throws(EtcdError) -> [UInt8] { Array("fake:\(password)".utf8) }
    func verify(_ password: String, hash: [UInt8]) -> Bool { hash == Array("fake:\(password)".utf8) }
}

/// A hasher that must not be reached: a request refused before hashing never calls it.
struct UnreachableHasher: PasswordHasher {
    static let reached = EtcdError(.internal, "hasher reached")
    func hash(_ password: String) throws(EtcdError) -> [UInt8] { throw Self.reached }
    func verify(_ password: String, hash: [UInt8]) -> Bool { false }
}

/// Asserts that `body` throws exactly `expected` (code and text).
func assertAuthError<T>(_ expected: EtcdError, file: StaticString = #filePath, line: UInt = #line,
                        _ body: () throws(EtcdError) -> T) {
    do {
        _ = try body()
        XCTFail("expected \(expected.message)", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

extension AuthStore {
    /// A store with `users` (password "pw-<name>") and `roles` already added, auth disabled.
    static func fixture(users: [String] = [], roles: [String] = [], hasher: any PasswordHasher = FakePasswordHasher()) throws -> AuthStore {
        var store = AuthStore(hasher: hasher)
        for role in roles { _ = try store.roleAdd(name: role) }
        for user in users { _ = try store.userAdd(name: user, password: "pw-\(user)", options: nil) }
        return store
    }

    /// The fixture plus root holding the root role, with auth enabled.
    static func enabledFixture(users: [String] = [], roles: [String] = []) throws -> AuthStore {
        var store = try fixture(users: ["root"] + users, roles: roles)
        _ = try store.userGrantRole(user: "root", role: "root")
        _ = try store.authEnable()
        return store
    }
}

/// The auth store's management operations as etcd 3.4's `auth/store.go` performs them: which
/// error each refusal gives (in etcd's order of checks), what the root user and role may not
/// lose while auth is on, and which changes move the auth revision.
final class AuthStoreTests: XCTestCase {
    // MARK: - Errors as clients see them

    func testErrorsCarryEtcdsCodesAndTexts() {
        let expected: [(EtcdError, GRPCStatusCode, String)] = [
            (.rootUserNotExist, .failedPrecondition, "etcdserver: root user does not exist"),
            (.rootRoleNotExist, .failedPrecondition, "etcdserver: root user does not have root role"),
            (.userAlreadyExist, .failedPrecondition, "etcdserver: user name already exists"),
            (.userEmpty, .invalidArgument, "etcdserver: user name is empty"),
            (.userNotFound, .failedPrecondition, "etcdserver: user name not found"),
            (.roleAlreadyExist, .failedPrecondition, "etcdserver: role name already exists"),
            (.roleNotFound, .failedPrecondition, "etcdserver: role name not found"),
            (.roleEmpty, .invalidArgument, "etcdserver: role name is empty"),
            (.authFailed, .invalidArgument, "etcdserver: authentication failed, invalid user ID or password"),
            (.permissionDenied, .permissionDenied, "etcdserver: permission denied"),
            (.roleNotGranted, .failedPrecondition, "etcdserver: role is not granted to the user"),
            (.permissionNotGranted, .failedPrecondition, "etcdserver: permission is not granted to the role"),
            (.authNotEnabled, .failedPrecondition, "etcdserver: authentication is not enabled"),
            (.invalidAuthToken, .unauthenticated, "etcdserver: invalid auth token"),
            (.invalidAuthMgmt, .invalidArgument, "etcdserver: invalid auth management"),
            (.authOldRevision, .invalidArgument, "etcdserver: revision of auth store is old"),
            (.noPasswordUser, .unknown, "auth: authentication failed, password was given for no password user"),
        ]
        for (error, code, message) in expected {
            XCTAssertEqual(error.code, code, message)
            XCTAssertEqual(error.message, message)
        }
    }

    // MARK: - A new store

    func testANewStoreIsDisabledAtRevisionOneWithNobody() {
        let store = AuthStore(hasher: FakePasswordHasher())
        XCTAssertFalse(store.isEnabled)
        XCTAssertEqual(store.revision, 1)
        XCTAssertEqual(store.userList(), [])
        XCTAssertEqual(store.roleList(), [])
    }

    // MARK: - Enabling and disabling

    func testEnableNeedsTheRootUser() throws {
        var store = try AuthStore.fixture(users: ["alice"])
        assertAuthError(.rootUserNotExist) { () throws(EtcdError) in try store.authEnable() }
        XCTAssertFalse(store.isEnabled)
    }

    func testEnableNeedsRootToHoldTheRootRole() throws {
        var store = try AuthStore.fixture(users: ["root"], roles: ["root"])
        assertAuthError(.rootRoleNotExist) { () throws(EtcdError) in try store.authEnable() }
        XCTAssertFalse(store.isEnabled)
    }

    func testEnableWithRootRoleGrantedNeedsNoRoleRecordAndKeepsTheRevision() throws {
        var store = try AuthStore.fixture(users: ["root"])
        _ = try store.userGrantRole(user: "root", role: "root")
        let revision = store.revision
        let change = try store.authEnable()
        XCTAssertTrue(store.isEnabled)
        XCTAssertEqual(change, AuthStore.Change(isEnabled: true))
        XCTAssertEqual(store.revision, revision, "etcd's AuthEnable does not commit a revision")
    }

    func testEnablingTwiceChangesNothing() throws {
        var store = try AuthStore.enabledFixture()
        XCTAssertTrue(try store.authEnable().isEmpty)
    }

    func testDisableBumpsTheRevisionOnlyWhenEnabled() throws {
        var disabled = try AuthStore.fixture()
        XCTAssertTrue(disabled.authDisable().isEmpty)
        XCTAssertEqual(disabled.revision, 1)

        var store = try AuthStore.enabledFixture()
        let revision = store.revision
        let change = store.authDisable()
        XCTAssertFalse(store.isEnabled)
        XCTAssertEqual(change, AuthStore.Change(isEnabled: false, revision: revision + 1))
    }

    // MARK: - Users

    func testUserAddStoresTheHashDefaultOptionsAndBumpsTheRevision() throws {
        var store = try AuthStore.fixture()
        let change = try store.userAdd(name: "alice", password: "secret", options: nil)
        let expected = User(name: Array("alice".utf8), password: Array("fake:secret".utf8), roles: [],
                            options: UserAddOptions(noPassword: false))
        XCTAssertEqual(store.users["alice"], expected)
        XCTAssertEqual(change, AuthStore.Change(savedUsers: [expected], revision: 2))
        XCTAssertEqual(store.revision, 2)
    }

    func testUserAddWithoutPasswordStoresNoHash() throws {
        var store = try AuthStore.fixture()
        _ = try store.userAdd(name: "svc", password: "ignored", options: UserAddOptions(noPassword: true))
        XCTAssertEqual(store.users["svc"]?.password, [])
        XCTAssertEqual(store.users["svc"]?.options, UserAddOptions(noPassword: true))
    }

    func testUserAddRefusesAnEmptyNameThenAnExistingOneBeforeHashing() throws {
        var store = try AuthStore.fixture(users: ["alice"])
        let revision = store.revision
        store = AuthStore(hasher: UnreachableHasher(), isEnabled: false, revision: revision,
                          users: Array(store.users.values), roles: [])
        assertAuthError(.userEmpty) { () throws(EtcdError) in try store.userAdd(name: "", password: "x", options: nil) }
        assertAuthError(.userAlreadyExist) { () throws(EtcdError) in try store.userAdd(name: "alice", password: "x", options: nil) }
        assertAuthError(UnreachableHasher.reached) { () throws(EtcdError) in try store.userAdd(name: "bob", password: "x", options: nil) }
        XCTAssertEqual(store.revision, revision)
    }

    func testUserDeleteRemovesTheUserAndInvalidatesItsTokens() throws {
        var store = try AuthStore.fixture(users: ["alice", "bob"])
        let change = try store.userDelete(name: "alice")
        XCTAssertEqual(store.userList(), ["bob"])
        XCTAssertEqual(change, AuthStore.Change(deletedUsers: ["alice"], revision: 4, invalidatedUser: "alice"))
        assertAuthError(.userNotFound) { () throws(EtcdError) in try store.userDelete(name: "alice") }
    }

    func testRootCannotBeDeletedWhileAuthIsEnabledButCanBeWhileDisabled() throws {
        var store = try AuthStore.enabledFixture()
        assertAuthError(.invalidAuthMgmt) { () throws(EtcdError) in try store.userDelete(name: "root") }
        _ = store.authDisable()
        _ = try store.userDelete(name: "root")
        XCTAssertEqual(store.userList(), [])
    }

    func testChangePasswordKeepsRolesAndOptionsAndInvalidatesTokens() throws {
        var store = try AuthStore.fixture(users: ["alice"], roles: ["r"])
        _ = try store.userGrantRole(user: "alice", role: "r")
        let change = try store.userChangePassword(name: "alice", password: "new")
        let expected = User(name: Array("alice".utf8), password: Array("fake:new".utf8), roles: ["r"],
                            options: UserAddOptions())
        XCTAssertEqual(store.users["alice"], expected)
        XCTAssertEqual(change, AuthStore.Change(savedUsers: [expected], revision: 5, invalidatedUser: "alice"))
        assertAuthError(.userNotFound) { () throws(EtcdError) in try store.userChangePassword(name: "bob", password: "x") }
    }

    func testGrantRoleChecksTheUserFirstThenTheRole() throws {
        var store = try AuthStore.fixture(users: ["alice"])
        assertAuthError(.userNotFound) { () throws(EtcdError) in try store.userGrantRole(user: "bob", role: "nope") }
        assertAuthError(.roleNotFound) { () throws(EtcdError) in try store.userGrantRole(user: "alice", role: "nope") }
    }

    func testGrantedRolesAreSortedByBytesAndAGrantTwiceChangesNothing() throws {
        var store = try AuthStore.fixture(users: ["alice"], roles: ["b", "a", "C", "é"])
        for role in ["é", "b", "C", "a"] { _ = try store.userGrantRole(user: "alice", role: role) }
        XCTAssertEqual(try store.userGet(name: "alice"), ["C", "a", "b", "é"])
        let revision = store.revision
        XCTAssertTrue(try store.userGrantRole(user: "alice", role: "a").isEmpty)
        XCTAssertEqual(store.revision, revision)
    }

    func testRevokeRoleErrors() throws {
        var store = try AuthStore.fixture(users: ["alice"], roles: ["r"])
        assertAuthError(.userNotFound) { () throws(EtcdError) in try store.userRevokeRole(user: "bob", role: "r") }
        assertAuthError(.roleNotGranted) { () throws(EtcdError) in try store.userRevokeRole(user: "alice", role: "r") }
        _ = try store.userGrantRole(user: "alice", role: "r")
        let change = try store.userRevokeRole(user: "alice", role: "r")
        XCTAssertEqual(try store.userGet(name: "alice"), [])
        XCTAssertEqual(change.revision, store.revision)
    }

    func testRootKeepsTheRootRoleOnlyWhileAuthIsEnabled() throws {
        var store = try AuthStore.enabledFixture(roles: ["other"])
        _ = try store.userGrantRole(user: "root", role: "other")
        assertAuthError(.invalidAuthMgmt) { () throws(EtcdError) in try store.userRevokeRole(user: "root", role: "root") }
        _ = try store.userRevokeRole(user: "root", role: "other")
        _ = store.authDisable()
        _ = try store.userRevokeRole(user: "root", role: "root")
        XCTAssertEqual(try store.userGet(name: "root"), [])
    }

    func testUserGetAndListAreSortedByBytes() throws {
        let store = try AuthStore.fixture(users: ["bob", "Zed", "alice"])
        XCTAssertEqual(store.userList(), ["Zed", "alice", "bob"])
        assertAuthError(.userNotFound) { () throws(EtcdError) in try store.userGet(name: "carol") }
    }

    // MARK: - Roles

    func testRoleAddErrorsAndRevision() throws {
        var store = try AuthStore.fixture()
        assertAuthError(.roleEmpty) { () throws(EtcdError) in try store.roleAdd(name: "") }
        let change = try store.roleAdd(name: "r")
        XCTAssertEqual(change, AuthStore.Change(savedRoles: [Role(name: Array("r".utf8))], revision: 2))
        assertAuthError(.roleAlreadyExist) { () throws(EtcdError) in try store.roleAdd(name: "r") }
        XCTAssertEqual(store.revision, 2)
    }

    func testRoleDeleteRevokesItFromEveryUserInOneRevision() throws {
        var store = try AuthStore.fixture(users: ["alice", "bob", "carol"], roles: ["r", "s"])
        _ = try store.userGrantRole(user: "alice", role: "r")
        _ = try store.userGrantRole(user: "bob", role: "r")
        _ = try store.userGrantRole(user: "bob", role: "s")
        let revision = store.revision
        let change = try store.roleDelete(name: "r")
        XCTAssertEqual(store.roleList(), ["s"])
        XCTAssertEqual(try store.userGet(name: "alice"), [])
        XCTAssertEqual(try store.userGet(name: "bob"), ["s"])
        XCTAssertEqual(change.deletedRoles, ["r"])
        XCTAssertEqual(change.savedUsers.map { String(decoding: $0.name, as: UTF8.self) }, ["alice", "bob"])
        XCTAssertEqual(change.revision, revision + 1)
        assertAuthError(.roleNotFound) { () throws(EtcdError) in try store.roleDelete(name: "r") }
    }

    func testTheRootRoleCannotBeDeletedWhileAuthIsEnabled() throws {
        var store = try AuthStore.enabledFixture(roles: ["root"])
        assertAuthError(.invalidAuthMgmt) { () throws(EtcdError) in try store.roleDelete(name: "root") }
        _ = store.authDisable()
        _ = try store.roleDelete(name: "root")
        XCTAssertEqual(store.roleList(), [])
    }

    func testRoleGetAndList() throws {
        var store = try AuthStore.fixture(roles: ["b", "a"])
        _ = try store.roleGrantPermission(role: "a", permission: Permission(permType: .read, key: Array("k".utf8)))
        XCTAssertEqual(store.roleList(), ["a", "b"])
        XCTAssertEqual(try store.roleGet(name: "a"), [Permission(permType: .read, key: Array("k".utf8))])
        XCTAssertEqual(try store.roleGet(name: "b"), [])
        assertAuthError(.roleNotFound) { () throws(EtcdError) in try store.roleGet(name: "root") }
    }

    func testHasRole() throws {
        var store = try AuthStore.fixture(users: ["alice"], roles: ["r"])
        _ = try store.userGrantRole(user: "alice", role: "r")
        XCTAssertTrue(store.hasRole(user: "alice", role: "r"))
        XCTAssertFalse(store.hasRole(user: "alice", role: "s"))
        XCTAssertFalse(store.hasRole(user: "bob", role: "r"))
    }

    // MARK: - Revision

    func testEveryChangeButEnableAndNoOpsBumpsTheRevisionByOne() throws {
        var store = AuthStore(hasher: FakePasswordHasher())
        var expected: UInt64 = 1
        func step(_ bumps: Bool, _ body: (inout AuthStore) throws(EtcdError) -> AuthStore.Change) throws {
            let change = try body(&store)
            if bumps { expected += 1 }
            XCTAssertEqual(store.revision, expected)
            XCTAssertEqual(change.revision, bumps ? expected : nil)
        }
        try step(true) { s throws(EtcdError) in try s.userAdd(name: "root", password: "p", options: nil) }
        try step(true) { s throws(EtcdError) in try s.roleAdd(name: "r") }
        try step(true) { s throws(EtcdError) in try s.userGrantRole(user: "root", role: "root") }
        try step(false) { s throws(EtcdError) in try s.userGrantRole(user: "root", role: "root") }
        try step(false) { s throws(EtcdError) in try s.authEnable() }
        try step(true) { s throws(EtcdError) in
            try s.roleGrantPermission(role: "r", permission: Permission(permType: .read, key: [1]))
        }
        try step(true) { s throws(EtcdError) in
            try s.roleGrantPermission(role: "r", permission: Permission(permType: .write, key: [1]))
        }
        try step(true) { s throws(EtcdError) in try s.roleRevokePermission(role: "r", key: [1], rangeEnd: []) }
        try step(true) { s throws(EtcdError) in try s.userAdd(name: "a", password: "p", options: nil) }
        try step(true) { s throws(EtcdError) in try s.userChangePassword(name: "a", password: "q") }
        try step(true) { s throws(EtcdError) in try s.userGrantRole(user: "a", role: "r") }
        try step(true) { s throws(EtcdError) in try s.userRevokeRole(user: "a", role: "r") }
        try step(true) { s throws(EtcdError) in try s.roleDelete(name: "r") }
        try step(true) { s throws(EtcdError) in try s.userDelete(name: "a") }
        try step(true) { s in s.authDisable() }
        try step(false) { s in s.authDisable() }
    }

    // MARK: - Authentication

    func testAuthenticateAtApplyNeedsAuthOnAndAUserWithAPassword() throws {
        var store = try AuthStore.fixture(users: ["alice"])
        assertAuthError(.authNotEnabled) { () throws(EtcdError) in try store.authenticate(user: "alice") }
        _ = try store.userAdd(name: "svc", password: "", options: UserAddOptions(noPassword: true))
        _ = try store.userAdd(name: "root", password: "r", options: nil)
        _ = try store.userGrantRole(user: "root", role: "root")
        _ = try store.authEnable()
        XCTAssertNoThrow(try store.authenticate(user: "alice"))
        assertAuthError(.authFailed) { () throws(EtcdError) in try store.authenticate(user: "bob") }
        assertAuthError(.authFailed) { () throws(EtcdError) in try store.authenticate(user: "svc") }
    }

    func testCheckPassword() throws {
        var store = try AuthStore.fixture(users: ["alice"])
        assertAuthError(.authNotEnabled) { () throws(EtcdError) in try store.checkPassword(user: "alice", password: "pw-alice") }
        _ = try store.userAdd(name: "svc", password: "", options: UserAddOptions(noPassword: true))
        _ = try store.userAdd(name: "root", password: "r", options: nil)
        _ = try store.userGrantRole(user: "root", role: "root")
        _ = try store.authEnable()
        XCTAssertEqual(try store.checkPassword(user: "alice", password: "pw-alice"), store.revision)
        assertAuthError(.authFailed) { () throws(EtcdError) in try store.checkPassword(user: "alice", password: "wrong") }
        assertAuthError(.authFailed) { () throws(EtcdError) in try store.checkPassword(user: "bob", password: "pw-bob") }
        assertAuthError(.noPasswordUser) { () throws(EtcdError) in try store.checkPassword(user: "svc", password: "") }
    }

    func testTableChecksPasswordsAndDropsTokensAsChangesSay() throws {
        let table = AuthTable(store: try AuthStore.enabledFixture(users: ["alice", "bob"]), tokens: SimpleTokens())
        XCTAssertEqual(try table.checkPassword(user: "alice", password: "pw-alice"), table.revision)
        assertAuthError(.authFailed) { () throws(EtcdError) in try table.checkPassword(user: "alice", password: "pw-bob") }
        let tokens = table.withTokens { tokens in
            ["alice", "bob"].enumerated().map { tokens.assign(user: $1, prefix: "abcdefghijklmnop", index: UInt64($0 + 1), now: 0) }
        }
        let change = try table.withStore { store throws(EtcdError) in try store.userChangePassword(name: "alice", password: "new") }
        table.applyToTokens(change)
        XCTAssertNil(table.withTokens { $0.user(of: tokens[0], now: 1) })
        XCTAssertEqual(table.withTokens { $0.user(of: tokens[1], now: 1) }, "bob")
        table.applyToTokens(table.withStore { $0.authDisable() })
        XCTAssertNil(table.withTokens { $0.user(of: tokens[1], now: 2) })
    }

    // MARK: - Admin

    func testAdminCheck() throws {
        var store = try AuthStore.fixture(users: ["alice", "root"])
        XCTAssertNoThrow(try store.checkAdmin(user: ""), "nothing is checked while auth is off")
        _ = try store.userGrantRole(user: "root", role: "root")
        _ = try store.authEnable()
        XCTAssertTrue(store.isAdmin(user: "root"))
        XCTAssertFalse(store.isAdmin(user: "alice"))
        XCTAssertNoThrow(try store.checkAdmin(user: "root"))
        assertAuthError(.userEmpty) { () throws(EtcdError) in try store.checkAdmin(user: "") }
        assertAuthError(.userNotFound) { () throws(EtcdError) in try store.checkAdmin(user: "bob") }
        assertAuthError(.permissionDenied) { () throws(EtcdError) in try store.checkAdmin(user: "alice") }
    }

    // MARK: - Backend

    private func openBackend(_ fs: SimulatedFileSystem) throws -> Backend {
        try Backend(database: try Database.open(path: "/db", fileSystem: fs))
    }

    private func entries(of bucket: [UInt8], in backend: Backend) -> [String: [UInt8]] {
        backend.withReadTransaction { tx in
            var entries: [String: [UInt8]] = [:]
            tx.bucket(named: bucket)?.forEach { entries[String(decoding: $0.key, as: UTF8.self)] = Array($0.value) }
            return entries
        }
    }

    func testOpeningANewBackendCreatesTheBucketsAndStoresRevisionOne() throws {
        let backend = try openBackend(SimulatedFileSystem())
        let store = AuthBackend.open(on: backend, hasher: FakePasswordHasher())
        try backend.commit()
        XCTAssertEqual(store.revision, 1)
        XCTAssertEqual(entries(of: AuthBackend.BucketName.auth, in: backend), ["authRevision": [0, 0, 0, 0, 0, 0, 0, 1]])
        backend.withReadTransaction { tx in
            XCTAssertNotNil(tx.bucket(named: AuthBackend.BucketName.authUsers))
            XCTAssertNotNil(tx.bucket(named: AuthBackend.BucketName.authRoles))
        }
    }

    func testChangesSavedToTheBackendComeBackAfterReopening() throws {
        let fs = SimulatedFileSystem()
        let backend = try openBackend(fs)
        var store = AuthBackend.open(on: backend, hasher: FakePasswordHasher())
        func apply(_ body: (inout AuthStore) throws(EtcdError) -> AuthStore.Change) throws {
            AuthBackend.save(try body(&store), on: backend)
        }
        try apply { s throws(EtcdError) in try s.userAdd(name: "root", password: "r", options: nil) }
        try apply { s throws(EtcdError) in try s.userAdd(name: "gone", password: "g", options: nil) }
        try apply { s throws(EtcdError) in try s.userAdd(name: "alice", password: "a", options: nil) }
        try apply { s throws(EtcdError) in try s.roleAdd(name: "r") }
        try apply { s throws(EtcdError) in try s.roleAdd(name: "dropped") }
        try apply { s throws(EtcdError) in try s.roleGrantPermission(role: "r", permission: Permission(permType: .readWrite, key: Array("a".utf8), rangeEnd: Array("b".utf8))) }
        try apply { s throws(EtcdError) in try s.userGrantRole(user: "alice", role: "r") }
        try apply { s throws(EtcdError) in try s.userGrantRole(user: "alice", role: "dropped") }
        try apply { s throws(EtcdError) in try s.roleDelete(name: "dropped") }
        try apply { s throws(EtcdError) in try s.userDelete(name: "gone") }
        try apply { s throws(EtcdError) in try s.userGrantRole(user: "root", role: "root") }
        try apply { s throws(EtcdError) in try s.authEnable() }
        try backend.commit()
        XCTAssertEqual(entries(of: AuthBackend.BucketName.auth, in: backend),
                       ["authEnabled": [1], "authRevision": [0, 0, 0, 0, 0, 0, 0, 12]])
        XCTAssertEqual(entries(of: AuthBackend.BucketName.authUsers, in: backend)["alice"],
                       store.users["alice"]!.serializedBytes())
        XCTAssertEqual(Set(entries(of: AuthBackend.BucketName.authRoles, in: backend).keys), ["r"])

        try backend.close()
        let reopened = AuthBackend.open(on: try openBackend(fs), hasher: FakePasswordHasher())
        XCTAssertTrue(reopened.isEnabled)
        XCTAssertEqual(reopened.revision, 12)
        XCTAssertEqual(reopened.users, store.users)
        XCTAssertEqual(reopened.roles, store.roles)
        XCTAssertTrue(reopened.isPermitted(user: "alice", key: Array("a1".utf8), rangeEnd: [], write: true))
        XCTAssertFalse(reopened.isPermitted(user: "alice", key: Array("b".utf8), rangeEnd: [], write: true))
    }
}
