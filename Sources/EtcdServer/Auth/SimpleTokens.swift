/// The tokens Authenticate hands out under `--auth-token simple`: etcd 3.4's `tokenSimple`
/// as a pure value, with time passed in (monotonic nanoseconds).
///
/// A token is "<16 random letters>.<raft index>": the leader draws the letters when it
/// proposes the Authenticate entry, and every member assigns the same token when the entry
/// applies at that index (so any member accepts it). A token lives for the TTL after its last
/// use; deleting a user or changing their password drops their tokens, and disabling auth
/// drops all of them. Tokens are in memory only, as in etcd: a restart forgets them.
struct SimpleTokens: Sendable {
    /// etcd's `--auth-token-ttl` default, in seconds.
    static let defaultTTLSeconds: Int64 = 300
    /// Letters in a token's random part.
    static let prefixLetters = 16
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    private struct Entry: Sendable {
        let user: String
        /// Monotonic nanoseconds after which the token no longer holds.
        var expiry: Int64
    }

    /// How long a token lives after its last use, in nanoseconds.
    let ttlNanoseconds: Int64
    /// Tokens are kept only while auth is enabled (etcd starts and stops its TTL keeper).
    private(set) var isEnabled = false
    private var tokens: [String: Entry] = [:]

    /// `ttlSeconds` of 0 or less means etcd's default, as etcd treats it.
    init(ttlSeconds: Int64 = SimpleTokens.defaultTTLSeconds) {
        let seconds = ttlSeconds > 0 ? ttlSeconds : Self.defaultTTLSeconds
        ttlNanoseconds = seconds * 1_000_000_000
    }

    var count: Int { tokens.count }

    mutating func enable() { isEnabled = true }

    /// Drops every token; later assignments are not kept until auth is enabled again.
    mutating func disable() {
        isEnabled = false
        tokens = [:]
    }

    /// A fresh random part for a token (etcd's `genTokenPrefix`): 16 letters a–z, A–Z.
    static func generatePrefix(using random: inout some RandomNumberGenerator) -> String {
        let letters = (0..<prefixLetters).map { _ in alphabet.randomElement(using: &random)! }
        return String(decoding: letters, as: UTF8.self)
    }

    /// Assigns the token "<prefix>.<index>" to `user` and returns it; it lives for the TTL from
    /// `now`. While disabled the token is returned but not kept (as in etcd). Assigning a token
    /// twice is a broken invariant: each apply index assigns at most one.
    mutating func assign(user: String, prefix: String, index: UInt64, now: Int64) -> String {
        let token = "\(prefix).\(index)"
        guard isEnabled else { return token }
        precondition(tokens[token] == nil, "simple token \(token) assigned twice")
        tokens[token] = Entry(user: user, expiry: now + ttlNanoseconds)
        return token
    }

    /// Draws a prefix from `random` and assigns the token, for a caller that has no prefix
    /// from the leader.
    mutating func assign(user: String, index: UInt64, now: Int64, random: inout some RandomNumberGenerator) -> String {
        assign(user: user, prefix: Self.generatePrefix(using: &random), index: index, now: now)
    }

    /// The user `token` was assigned to, or nil when it is unknown or expired; a valid token
    /// is renewed for another TTL. The caller must first wait until the member has applied
    /// `index(of: token)` (etcd's index waiter), since the token exists only from there on.
    mutating func user(of token: String, now: Int64) -> String? {
        guard Self.index(of: token) != nil, let entry = tokens[token] else { return nil }
        guard now <= entry.expiry else {
            tokens[token] = nil
            return nil
        }
        tokens[token]!.expiry = now + ttlNanoseconds
        return entry.user
    }

    /// The apply index in `token`, nil when it is not "<text>.<decimal>" with exactly one dot
    /// (etcd refuses such a token as invalid before looking it up). A sign is refused too: no
    /// token is ever assigned with one, so etcd finds none after waiting on its index.
    static func index(of token: String) -> UInt64? {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty,
              parts[1].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return UInt64(Substring(parts[1]))
    }

    /// Drops every token of `user` (deleted, or given a new password). O(tokens).
    mutating func invalidate(user: String) {
        tokens = tokens.filter { $0.value.user != user }
    }

    /// Drops every token whose TTL ran out by `now`; etcd sweeps once a second. O(tokens).
    mutating func removeExpired(now: Int64) {
        tokens = tokens.filter { now <= $0.value.expiry }
    }
}
