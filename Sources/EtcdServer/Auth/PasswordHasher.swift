/// Turns passwords into the hashes the auth store keeps, and checks a password against one.
/// The server uses `BcryptHasher` (etcd's format); tests inject a cheap fake.
protocol PasswordHasher: Sendable {
    /// A new hash of `password` (with a fresh salt, so two calls differ).
    func hash(_ password: String) throws(EtcdError) -> [UInt8]
    /// True when `password` is the one `hash` was made from. False for a hash it cannot read.
    func verify(_ password: String, hash: [UInt8]) -> Bool
}
