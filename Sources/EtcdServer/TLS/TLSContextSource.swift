import Glibc
import Synchronization

/// The current TLS context of one side, rebuilt when the certificate or key file changes on
/// disk, so a rotated certificate is used from the next handshake on with no restart (etcd
/// reads the files again on each handshake, when serving and when dialing a peer). A rebuild
/// that fails (a half-written file, say) keeps the last good context and is tried again on
/// the next check.
final class TLSContextSource: Sendable {
    /// Which end the contexts are for.
    enum Role: Sendable {
        case server
        /// Dialing peers; `skipVerify` for self-signed peers (--peer-auto-tls).
        case client(skipVerify: Bool)
    }

    private struct FileStamp: Equatable {
        var device: UInt64 = 0
        var inode: UInt64 = 0
        var size: Int64 = 0
        var modified: Int64 = 0
        var modifiedNanoseconds: Int = 0
    }

    private struct State {
        var context: TLSContext
        var stamps: [FileStamp]
    }

    private let files: TLSFiles
    private let settings: TLSSettings
    private let role: Role
    private let state: Mutex<State>

    init(files: TLSFiles, settings: TLSSettings, role: Role = .server) throws(TLSContext.Failure) {
        self.files = files
        self.settings = settings
        self.role = role
        let stamps = Self.stamps(of: files)
        state = Mutex(State(context: try Self.build(files, settings, role), stamps: stamps))
    }

    private static func build(_ files: TLSFiles, _ settings: TLSSettings, _ role: Role) throws(TLSContext.Failure) -> TLSContext {
        switch role {
        case .server: try TLSContext(serverFiles: files, settings: settings)
        case .client(let skipVerify): try TLSContext(clientFiles: files, settings: settings, skipVerify: skipVerify)
        }
    }

    /// The context for a new connection: the files are looked at (two stat calls) and the
    /// context rebuilt if they changed.
    func current() -> TLSContext {
        let stamps = Self.stamps(of: files)
        return state.withLock { state in
            if stamps != state.stamps, let rebuilt = try? Self.build(files, settings, role) {
                state = State(context: rebuilt, stamps: stamps)
            }
            return state.context
        }
    }

    private static func stamps(of files: TLSFiles) -> [FileStamp] {
        [files.certFile, files.keyFile, files.trustedCAFile, files.crlFile].map { path in
            var info = stat()
            guard !path.isEmpty, stat(path, &info) == 0 else { return FileStamp() }
            return FileStamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                             modified: Int64(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
        }
    }
}
