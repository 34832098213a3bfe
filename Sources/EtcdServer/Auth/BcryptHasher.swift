import CShim

/// bcrypt in the "$2a$" form Go's `x/crypto/bcrypt` writes, so hashes move between etcd and
/// swetcd in either direction (through libxcrypt, `swetcd_bcrypt_hash` / `swetcd_bcrypt_verify`).
///
/// bcrypt reads at most 72 bytes of a password, and the C boundary ends a password at its
/// first NUL byte (Go's bcrypt would hash the bytes after it too).
struct BcryptHasher: PasswordHasher {
    /// etcd's `--bcrypt-cost` default (Go's `bcrypt.DefaultCost`).
    static let defaultCost = 10
    /// The range Go's bcrypt accepts (`MinCost` … `MaxCost`); etcd falls back to the default
    /// outside it.
    static let costRange = 4...31
    /// A "$2a$NN$" hash is 60 characters; room for its NUL and some slack.
    private static let hashBufferBytes = 128

    /// log2 of the number of key expansion rounds.
    let cost: Int

    /// A cost outside `costRange` becomes the default, as etcd's `NewAuthStore` does.
    init(cost: Int = BcryptHasher.defaultCost) {
        self.cost = Self.costRange.contains(cost) ? cost : Self.defaultCost
    }

    /// Hashes with a salt from the kernel. Fails (UNKNOWN, as etcd sends a hashing error) only
    /// when libxcrypt cannot, which a valid cost and a working getrandom never cause.
    func hash(_ password: String) throws(EtcdError) -> [UInt8] {
        var output = [CChar](repeating: 0, count: Self.hashBufferBytes)
        let status = password.withCString { text in
            output.withUnsafeMutableBufferPointer { buffer in
                swetcd_bcrypt_hash(text, password.utf8.count, Int32(cost), buffer.baseAddress, buffer.count)
            }
        }
        guard status == 0 else { throw EtcdError(.unknown, "bcrypt: cannot hash the password") }
        let length = output.firstIndex(of: 0)!
        return output[..<length].map { UInt8(bitPattern: $0) }
    }

    func verify(_ password: String, hash: [UInt8]) -> Bool {
        guard !hash.contains(0) else { return false }
        let hashText = hash.map { CChar(bitPattern: $0) } + [0]
        return password.withCString { text in
            hashText.withUnsafeBufferPointer { swetcd_bcrypt_verify(text, password.utf8.count, $0.baseAddress!) == 1 }
        }
    }
}
