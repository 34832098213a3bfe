import CShim

/// etcd's JWT token provider (`--auth-token jwt,pub-key=P,priv-key=K,sign-method=RS256,ttl=5m`):
/// a token is `header.claims.signature`, base64url, the claims `{"exp":…,"revision":…,
/// "username":…}`; any member with the key checks it without shared state, and a token whose
/// revision is older than the auth store's is refused as old, so clients authenticate again
/// after a permission change. With only a public key the member checks tokens but issues none.
final class JWTTokens: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is not changed after loading; OpenSSL lets threads sign and
    // verify with one key at the same time.
    private let key: UnsafeMutableRawPointer
    let algorithm: String
    let canSign: Bool
    let ttlSeconds: Int64

    /// etcd's default `ttl` option.
    static let defaultTTLSeconds: Int64 = 5 * 60
    static let algorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]

    /// Parses `--auth-token` of the `jwt,...` form and loads its key; etcd's errors for bad
    /// options ("auth: invalid auth options").
    init(option: String) throws(ConfigError) {
        var options: [String: String] = [:]
        for part in option.split(separator: ",").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .invalid("auth: invalid auth options") }
            options[String(pair[0])] = String(pair[1])
        }
        guard let method = options["sign-method"], Self.algorithms.contains(method) else {
            throw .invalid("auth: invalid auth options")
        }
        var ttl = Self.defaultTTLSeconds
        if let text = options["ttl"] {
            guard let duration = GoValueParsing.parseDuration(text), duration > .zero else { throw .invalid("auth: invalid auth options") }
            ttl = max(1, duration.components.seconds)
        }
        let loaded: UnsafeMutableRawPointer?
        if let path = options["priv-key"] {
            loaded = swetcd_jwt_key_load(path, 1)
            canSign = true
        } else if let path = options["pub-key"] {
            loaded = swetcd_jwt_key_load(path, 0)
            canSign = false
        } else {
            throw .invalid("auth: invalid auth options")
        }
        guard let loaded else { throw .invalid("auth: invalid auth options") }
        let kind = swetcd_jwt_key_kind(loaded)
        guard (method.hasPrefix("E") && kind == 2) || (!method.hasPrefix("E") && kind == 1) else {
            swetcd_jwt_key_free(loaded)
            throw .invalid("auth: invalid auth options")
        }
        key = loaded
        algorithm = method
        ttlSeconds = ttl
    }

    deinit { swetcd_jwt_key_free(key) }

    /// A token for `user` at auth `revision`, valid `ttlSeconds` from `nowUnixSeconds`; nil
    /// when this member only verifies (etcd: ErrVerifyOnly) or signing failed.
    func assign(user: String, revision: UInt64, nowUnixSeconds: Int64) -> String? {
        guard canSign else { return nil }
        let header = Self.base64URL(Array("{\"alg\":\"\(algorithm)\",\"typ\":\"JWT\"}".utf8))
        let claims = Self.base64URL(Array(("{\"exp\":\(nowUnixSeconds + ttlSeconds),\"revision\":\(revision),\"username\":"
            + JSONText.string(user) + "}").utf8))
        let signed = Array((header + "." + claims).utf8)
        var signature = [UInt8](repeating: 0, count: 1024)
        let length = signed.withUnsafeBytes { data in
            swetcd_jwt_sign(key, algorithm, data.baseAddress, data.count, &signature, signature.count)
        }
        guard length > 0 else { return nil }
        return header + "." + claims + "." + Self.base64URL(Array(signature.prefix(length)))
    }

    /// The user and revision of a valid, unexpired token signed with our key and algorithm.
    func info(token: String, nowUnixSeconds: Int64) -> (user: String, revision: UInt64)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Self.decodeBase64URL(parts[0]),
              let claimsBytes = Self.decodeBase64URL(parts[1]), let signature = Self.decodeBase64URL(parts[2]),
              case .object(let header)? = try? JSONValue(parsing: headerBytes),
              header.last(where: { $0.key == "alg" })?.value == .string(algorithm)
        else { return nil }
        let signed = Array((parts[0] + "." + parts[1]).utf8)
        let isValid = signed.withUnsafeBytes { data in
            swetcd_jwt_verify(key, algorithm, data.baseAddress, data.count, signature, signature.count) == 1
        }
        guard isValid, case .object(let claims)? = try? JSONValue(parsing: claimsBytes) else { return nil }
        return Self.identity(claims, nowUnixSeconds: nowUnixSeconds)
    }

    /// The user and revision signed claims carry, if their time claims hold now. etcd reads
    /// `revision` as a JSON number (a float64) and converts it, so 4.0 is revision 4.
    static func identity(_ claims: [JSONField], nowUnixSeconds: Int64) -> (user: String, revision: UInt64)? {
        guard timeClaimsHold(claims, nowUnixSeconds: nowUnixSeconds),
              case .string(let user)? = claims.last(where: { $0.key == "username" })?.value,
              case .number(let revisionText)? = claims.last(where: { $0.key == "revision" })?.value,
              let revision = Double(revisionText), revision >= 0, revision < 0x1p64
        else { return nil }
        return (user, UInt64(revision))
    }

    /// The registered time claims as the JWT library etcd uses checks them (golang-jwt's
    /// `MapClaims.Valid`, at whole seconds): each may be absent; a present one must be a number;
    /// `exp` must be after now (0 means none), `iat` and `nbf` at or before now.
    static func timeClaimsHold(_ claims: [JSONField], nowUnixSeconds now: Int64) -> Bool {
        for name in ["exp", "iat", "nbf"] {
            guard let value = claims.last(where: { $0.key == name })?.value else { continue }
            guard case .number(let text) = value, let number = Double(text) else { return false }
            guard number != 0 else { continue }
            let seconds = goSeconds(number)
            if name == "exp" ? now >= seconds : now < seconds { return false }
        }
        return true
    }

    /// Go's `time.Unix(int64(s), frac).Truncate(time.Second)` in seconds: the floor, and
    /// Int64.min where Go's conversion of an out-of-range float gives it on amd64.
    private static func goSeconds(_ number: Double) -> Int64 {
        guard number.isFinite, number >= -0x1p63, number < 0x1p63 else { return .min }
        return Int64(number.rounded(.down))
    }

    // MARK: - base64url without padding (RFC 7515)

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            if index + 1 < bytes.count { out.append(alphabet[Int(triple >> 6 & 63)]) }
            if index + 2 < bytes.count { out.append(alphabet[Int(triple & 63)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeBase64URL(_ text: Substring) -> [UInt8]? {
        var values: [UInt32] = []
        values.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(UInt32(byte - UInt8(ascii: "A")))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(UInt32(byte - UInt8(ascii: "a")) + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(UInt32(byte - UInt8(ascii: "0")) + 52)
            case UInt8(ascii: "-"): values.append(62)
            case UInt8(ascii: "_"): values.append(63)
            default: return nil
            }
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var accumulator: UInt32 = 0
            for value in chunk { accumulator = accumulator << 6 | value }
            accumulator <<= UInt32(6 * (4 - chunk.count))
            let produced = chunk.count - 1
            for shift in [16, 8, 0].prefix(produced) { out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(shift))) }
            index += 4
        }
        return out
    }
}
