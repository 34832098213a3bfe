import CShim
import Glibc

/// `--auto-tls` / `--peer-auto-tls` (etcd's `transport.SelfCert`): a self-signed certificate
/// and key under `<data-dir>/fixtures/<client|peer>/`, made once and reused while both files
/// exist, with the listen hosts as its names.
enum AutoTLS {
    static func selfSigned(directory: String, hosts: [String], base: TLSFiles, clientAuth: Bool = false) throws(ConfigError) -> TLSFiles {
        var files = base
        files.certFile = directory + "/cert.pem"
        files.keyFile = directory + "/key.pem"
        if access(files.certFile, F_OK) == 0 && access(files.keyFile, F_OK) == 0 { return files }
        // Each level of the directory, as `mkdir -p` (levels that exist are left alone).
        let bytes = Array(directory.utf8)
        for end in bytes.indices where end > 0 && (bytes[end] == UInt8(ascii: "/") || end == bytes.count - 1) {
            let prefix = String(decoding: bytes[...(bytes[end] == UInt8(ascii: "/") ? end - 1 : end)], as: UTF8.self)
            mkdir(prefix, 0o700)
        }
        var message = [CChar](repeating: 0, count: 512)
        let unique = Array(Set(hosts)).sorted()
        var pointers = unique.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        let status = pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { hostPointers in
                swetcd_tls_self_signed(files.certFile, files.keyFile, hostPointers.baseAddress, hostPointers.count,
                                       clientAuth ? 1 : 0, &message, message.count)
            }
        }
        guard status == 0 else {
            throw .invalid("cannot generate a self-signed certificate: "
                + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return files
    }
}
