import EtcdProto
import XCTest

@testable import EtcdServer

/// Key permissions as etcd 3.4 grants and checks them (`auth/store.go`,
/// `auth/range_perm_cache.go`): a request's whole range must lie in the union of the user's
/// permitted intervals; a single-key permission covers [key, key+"\0"); a range end of "\0"
/// means "every key from here on"; the root role may do anything.
final class AuthPermissionTests: XCTestCase {
    private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func permission(_ type: Permission.PermissionType, _ key: String, _ rangeEnd: String = "") -> Permission {
        Permission(permType: type, key: b(key), rangeEnd: b(rangeEnd))
    }

    /// A store where user "u" holds role "r" (and role "s", empty), granted `permissions`.
    private func store(granting permissions: [Permission]) throws -> AuthStore {
        var store = try AuthStore.fixture(users: ["u"], roles: ["r", "s"])
        _ = try store.userGrantRole(user: "u", role: "r")
        _ = try store.userGrantRole(user: "u", role: "s")
        for permission in permissions { _ = try store.roleGrantPermission(role: "r", permission: permission) }
        return store
    }

    private func reads(_ store: AuthStore, _ key: String, _ rangeEnd: String = "") -> Bool {
        store.isPermitted(user: "u", key: b(key), rangeEnd: b(rangeEnd), write: false)
    }

    private func writes(_ store: AuthStore, _ key: String, _ rangeEnd: String = "") -> Bool {
        store.isPermitted(user: "u", key: b(key), rangeEnd: b(rangeEnd), write: true)
    }

    // MARK: - Granting and revoking

    func testGrantKeepsPermissionsSortedByKey() throws {
        var store = try AuthStore.fixture(roles: ["r"])
        for key in ["m", "a", "z", "b"] { _ = try store.roleGrantPermission(role: "r", permission: permission(.read, key)) }
        XCTAssertEqual(try store.roleGet(name: "r").map { String(decoding: $0.key, as: UTF8.self) }, ["a", "b", "m", "z"])
        assertAuthError(.roleNotFound) { () throws(EtcdError) in try store.roleGrantPermission(role: "x", permission: self.permission(.read, "k")) }
    }

    func testGrantingTheSameKeyAndRangeAgainUpdatesItsType() throws {
        var store = try AuthStore.fixture(roles: ["r"])
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "a", "c"))
        let change = try store.roleGrantPermission(role: "r", permission: permission(.write, "a", "c"))
        XCTAssertEqual(try store.roleGet(name: "r"), [permission(.write, "a", "c")])
        XCTAssertEqual(change.savedRoles, [Role(name: b("r"), keyPermission: [permission(.write, "a", "c")])])
    }

    func testASecondRangeAtTheSameKeyGoesAfterTheFirst() throws {
        var store = try AuthStore.fixture(roles: ["r"])
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "a", "c"))
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "b"))
        _ = try store.roleGrantPermission(role: "r", permission: permission(.write, "a"))
        XCTAssertEqual(try store.roleGet(name: "r"), [permission(.read, "a", "c"), permission(.write, "a"), permission(.read, "b")])
    }

    /// etcd compares only the first permission at a key: re-granting the second range there
    /// adds a duplicate, and one revoke removes both.
    func testRegrantingTheSecondRangeAtAKeyAddsADuplicateAsEtcdDoes() throws {
        var store = try AuthStore.fixture(roles: ["r"])
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "a", "c"))
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "a"))
        _ = try store.roleGrantPermission(role: "r", permission: permission(.write, "a"))
        XCTAssertEqual(try store.roleGet(name: "r"), [permission(.read, "a", "c"), permission(.read, "a"), permission(.write, "a")])
        _ = try store.roleRevokePermission(role: "r", key: b("a"), rangeEnd: [])
        XCTAssertEqual(try store.roleGet(name: "r"), [permission(.read, "a", "c")])
    }

    func testRevokeRemovesOnlyTheExactRange() throws {
        var store = try AuthStore.fixture(roles: ["r"])
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "a", "z"))
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "a", "c"))
        assertAuthError(.permissionNotGranted) { () throws(EtcdError) in try store.roleRevokePermission(role: "r", key: self.b("a"), rangeEnd: []) }
        assertAuthError(.permissionNotGranted) { () throws(EtcdError) in try store.roleRevokePermission(role: "r", key: self.b("a"), rangeEnd: self.b("b")) }
        assertAuthError(.roleNotFound) { () throws(EtcdError) in try store.roleRevokePermission(role: "x", key: self.b("a"), rangeEnd: self.b("c")) }
        _ = try store.roleRevokePermission(role: "r", key: b("a"), rangeEnd: b("c"))
        XCTAssertEqual(try store.roleGet(name: "r"), [permission(.read, "a", "z")])
    }

    // MARK: - Single keys

    func testASingleKeyPermissionCoversThatKeyOnly() throws {
        let store = try store(granting: [permission(.readWrite, "foo")])
        XCTAssertTrue(reads(store, "foo"))
        XCTAssertTrue(writes(store, "foo"))
        XCTAssertFalse(reads(store, "fo"))
        XCTAssertFalse(reads(store, "foo\u{0}"))
        XCTAssertFalse(reads(store, "foo/bar"))
        XCTAssertTrue(reads(store, "foo", "foo\u{0}"), "the range holding only foo")
        XCTAssertFalse(reads(store, "foo", "foo\u{1}"))
        XCTAssertFalse(reads(store, "foo", "\u{0}"), "every key from foo on")
    }

    // MARK: - Ranges

    func testARangePermissionEndsBeforeItsRangeEnd() throws {
        let store = try store(granting: [permission(.read, "a", "c")])
        XCTAssertTrue(reads(store, "a"))
        XCTAssertTrue(reads(store, "b\u{ff}"))
        XCTAssertFalse(reads(store, "c"), "the range end is exclusive")
        XCTAssertTrue(reads(store, "a", "c"))
        XCTAssertTrue(reads(store, "b", "c"))
        XCTAssertFalse(reads(store, "a", "c\u{0}"), "one key past the end")
        XCTAssertFalse(reads(store, "a", "d"))
        XCTAssertFalse(reads(store, "0", "b"), "starts before the permitted interval")
        XCTAssertFalse(reads(store, "b", "\u{0}"))
    }

    func testAPrefixPermissionCoversPrefixRangesBelowIt() throws {
        // etcdctl role grant-permission r read foo/ --prefix → ["foo/", "foo0")
        let store = try store(granting: [permission(.read, "foo/", "foo0")])
        XCTAssertTrue(reads(store, "foo/"))
        XCTAssertTrue(reads(store, "foo/bar"))
        XCTAssertTrue(reads(store, "foo/", "foo0"))
        XCTAssertTrue(reads(store, "foo/bar/", "foo/bar0"))
        XCTAssertFalse(reads(store, "foo"))
        XCTAssertFalse(reads(store, "foo0"))
        XCTAssertFalse(reads(store, "foo", "foo0"))
    }

    func testAFromKeyPermissionCoversEveryKeyFromItOn() throws {
        let store = try store(granting: [permission(.read, "m", "\u{0}")])
        XCTAssertTrue(reads(store, "m"))
        XCTAssertTrue(reads(store, "zzz"))
        XCTAssertTrue(reads(store, "\u{ff}"))
        XCTAssertTrue(reads(store, "m", "\u{0}"))
        XCTAssertTrue(reads(store, "n", "\u{0}"))
        XCTAssertTrue(reads(store, "n", "\u{ff}\u{ff}"))
        XCTAssertFalse(reads(store, "l"))
        XCTAssertFalse(reads(store, "a", "\u{0}"))
    }

    func testTheWholeKeySpaceAsEtcdctlGrantsIt() throws {
        // etcdctl role grant-permission r read "" --prefix → key "\0", range end "\0"
        let store = try store(granting: [permission(.read, "\u{0}", "\u{0}")])
        XCTAssertTrue(reads(store, "\u{0}", "\u{0}"))
        XCTAssertTrue(reads(store, "anything"))
    }

    func testAPermissionWithAnEmptyKeyGrantsNothingAsInEtcd() throws {
        // In etcd's bytes-affine order the empty key lies above every key.
        let store = try store(granting: [permission(.read, "", "\u{0}")])
        XCTAssertFalse(reads(store, "a"))
        XCTAssertFalse(reads(store, "\u{0}", "\u{0}"))
    }

    func testARangeEndAtOrBelowTheKeyChecksTheKeyAlone() throws {
        // With one grant, etcd's interval tree answers [b, a) as it answers b alone (checked with pkg/adt).
        let store = try store(granting: [permission(.read, "a", "c")])
        XCTAssertTrue(reads(store, "b", "a"))
        XCTAssertTrue(reads(store, "b", "b"))
        XCTAssertFalse(reads(store, "c", "a"))
    }

    // MARK: - Unions

    func testOverlappingGrantsMerge() throws {
        let store = try store(granting: [permission(.read, "a", "c"), permission(.read, "b", "e")])
        XCTAssertTrue(reads(store, "a", "e"))
        XCTAssertFalse(reads(store, "a", "f"))
    }

    func testTouchingGrantsMerge() throws {
        let store = try store(granting: [permission(.read, "a", "c"), permission(.read, "c", "e"), permission(.read, "e")])
        XCTAssertTrue(reads(store, "a", "e\u{0}"))
        XCTAssertFalse(reads(store, "a", "e\u{1}"))
    }

    func testAGapBetweenGrantsDeniesARangeAcrossIt() throws {
        let store = try store(granting: [permission(.read, "a", "c"), permission(.read, "d", "f")])
        XCTAssertFalse(reads(store, "a", "f"))
        XCTAssertFalse(reads(store, "c"))
        XCTAssertTrue(reads(store, "d", "f"))
    }

    func testGrantsOfDifferentRolesMerge() throws {
        var store = try store(granting: [permission(.read, "a", "c")])
        _ = try store.roleGrantPermission(role: "s", permission: permission(.read, "c", "e"))
        XCTAssertTrue(reads(store, "a", "e"))
    }

    func testAnIntervalInsideAnotherChangesNothing() throws {
        let store = try store(granting: [permission(.read, "a", "z"), permission(.read, "b", "c")])
        XCTAssertTrue(reads(store, "a", "z"))
        XCTAssertFalse(reads(store, "a", "z\u{0}"))
    }

    // MARK: - Read and write

    func testReadWriteAndReadWriteAreSeparate() throws {
        let store = try store(granting: [permission(.read, "r"), permission(.write, "w"), permission(.readWrite, "rw")])
        XCTAssertTrue(reads(store, "r"))
        XCTAssertFalse(writes(store, "r"))
        XCTAssertFalse(reads(store, "w"))
        XCTAssertTrue(writes(store, "w"))
        XCTAssertTrue(reads(store, "rw"))
        XCTAssertTrue(writes(store, "rw"))
    }

    func testAReadAndAWriteGrantDoNotMakeAReadRangeAcrossBoth() throws {
        let store = try store(granting: [permission(.read, "a", "c"), permission(.write, "c", "e")])
        XCTAssertFalse(reads(store, "a", "e"))
        XCTAssertFalse(writes(store, "a", "e"))
    }

    // MARK: - Who

    func testRootMayDoAnythingAndStrangersNothing() throws {
        var store = try AuthStore.fixture(users: ["root"])
        _ = try store.userGrantRole(user: "root", role: "root")
        XCTAssertTrue(store.isPermitted(user: "root", key: b("any"), rangeEnd: b("\u{0}"), write: true))
        XCTAssertFalse(store.isPermitted(user: "nobody", key: b("any"), rangeEnd: [], write: false))
    }

    // MARK: - Changes take effect

    func testPermissionsFollowRoleGrantsRevokesAndDeletes() throws {
        var store = try store(granting: [permission(.read, "a", "c")])
        _ = try store.roleGrantPermission(role: "s", permission: permission(.read, "k"))
        XCTAssertTrue(reads(store, "k"))
        _ = try store.roleRevokePermission(role: "s", key: b("k"), rangeEnd: [])
        XCTAssertFalse(reads(store, "k"))
        _ = try store.userRevokeRole(user: "u", role: "r")
        XCTAssertFalse(reads(store, "a"))
        _ = try store.userGrantRole(user: "u", role: "r")
        XCTAssertTrue(reads(store, "a"))
        _ = try store.roleDelete(name: "r")
        XCTAssertFalse(reads(store, "a"))
    }

    func testRevokingOneOfTwoOverlappingGrantsKeepsTheOther() throws {
        var store = try store(granting: [permission(.read, "a", "e"), permission(.read, "c", "g")])
        _ = try store.roleRevokePermission(role: "r", key: b("c"), rangeEnd: b("g"))
        XCTAssertTrue(reads(store, "a", "e"))
        XCTAssertTrue(reads(store, "d"))
        XCTAssertFalse(reads(store, "e"))
    }

    func testADeletedAndReaddedUserHasNoPermissions() throws {
        var store = try store(granting: [permission(.read, "a")])
        _ = try store.userDelete(name: "u")
        _ = try store.userAdd(name: "u", password: "p", options: nil)
        XCTAssertFalse(reads(store, "a"))
    }

    // MARK: - The full check

    func testCheckPermissionAsEtcdsIsOpPermitted() throws {
        var store = try AuthStore.enabledFixture(users: ["u"], roles: ["r"])
        _ = try store.userGrantRole(user: "u", role: "r")
        _ = try store.roleGrantPermission(role: "r", permission: permission(.read, "a"))
        let revision = store.revision
        XCTAssertNoThrow(try store.checkPermission(user: "u", revision: revision, key: b("a"), rangeEnd: [], write: false))
        XCTAssertNoThrow(try store.checkPermission(user: "u", revision: revision + 1, key: b("a"), rangeEnd: [], write: false))
        assertAuthError(.permissionDenied) { () throws(EtcdError) in
            try store.checkPermission(user: "u", revision: revision, key: self.b("a"), rangeEnd: [], write: true)
        }
        assertAuthError(.permissionDenied) { () throws(EtcdError) in
            try store.checkPermission(user: "ghost", revision: revision, key: self.b("a"), rangeEnd: [], write: false)
        }
        assertAuthError(.userEmpty) { () throws(EtcdError) in
            try store.checkPermission(user: "", revision: 0, key: self.b("a"), rangeEnd: [], write: false)
        }
        assertAuthError(.authOldRevision) { () throws(EtcdError) in
            try store.checkPermission(user: "u", revision: revision - 1, key: self.b("a"), rangeEnd: [], write: false)
        }
        _ = store.authDisable()
        XCTAssertNoThrow(try store.checkPermission(user: "", revision: 0, key: b("z"), rangeEnd: [], write: true))
    }

    // MARK: - The merged intervals

    func testMergedIntervalsAreSortedDisjointAndNotTouching() {
        let permissions = UserRangePermissions([
            permission(.read, "m", "\u{0}"), permission(.read, "d", "f"), permission(.read, "a", "c"),
            permission(.read, "b", "d"), permission(.read, "x"), permission(.write, "q"),
        ])
        typealias Interval = UserRangePermissions.Interval
        XCTAssertEqual(permissions.read, [Interval(begin: b("a"), end: b("f")), Interval(begin: b("m"), end: [])])
        XCTAssertEqual(permissions.write, [Interval(begin: b("q"), end: b("q\u{0}"))])
    }
}
