import Glibc
import Synchronization

/// The server's structured logger: etcd's zap JSON lines (see `LogLine`) on stderr or other
/// descriptors, from any thread.
///
/// Each line is encoded outside the lock, then written with one `write(2)` per descriptor while
/// the lock is held, so lines from different threads never interleave. Lines below
/// `minimumLevel` cost one comparison. `panic` and `fatal` write their line and then end the
/// process (zap panics, and exits with status 1).
public final class Logger: Sendable {
    public let minimumLevel: LogLevel
    private let fileDescriptors: [Int32]
    /// Guards the descriptors while a line is being written.
    private let writeLock = Mutex(())

    /// - Parameter fileDescriptors: where lines go; stderr (2) by default. The caller owns them.
    public init(minimumLevel: LogLevel = .info, fileDescriptors: [Int32] = [2]) {
        self.minimumLevel = minimumLevel
        self.fileDescriptors = fileDescriptors
    }

    /// Maps `--log-outputs` to descriptors: `default` and `stderr` are 2, `stdout` is 1.
    /// Anything else (a file path, `systemd/journal`) is returned in `unsupported` for the caller
    /// to open or refuse; the result has each descriptor once.
    public static func standardDescriptors(forOutputs outputs: [String]) -> (descriptors: [Int32], unsupported: [String]) {
        var descriptors: [Int32] = []
        var unsupported: [String] = []
        for output in outputs {
            let fd: Int32? = output == "stdout" ? 1 : (output == "default" || output == "stderr") ? 2 : nil
            guard let fd else { unsupported.append(output); continue }
            if !descriptors.contains(fd) { descriptors.append(fd) }
        }
        return (descriptors, unsupported)
    }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= minimumLevel }

    /// Writes one line if `level` is at or above the minimum. `file` and `line` name the caller
    /// (`Module/File.swift:42`, zap's short caller).
    public func log(_ level: LogLevel, _ message: String, _ fields: [LogField] = [],
                    file: StaticString = #fileID, line: UInt = #line) {
        guard level >= minimumLevel else { return }
        let bytes = LogLine.encode(level: level, timestamp: .now(), caller: "\(file):\(line)",
                                   message: message, fields: fields)
        writeLock.withLock { _ in
            for fd in fileDescriptors { Self.writeAll(bytes, to: fd) }
        }
    }

    public func debug(_ message: String, _ fields: [LogField] = [], file: StaticString = #fileID, line: UInt = #line) {
        log(.debug, message, fields, file: file, line: line)
    }
    public func info(_ message: String, _ fields: [LogField] = [], file: StaticString = #fileID, line: UInt = #line) {
        log(.info, message, fields, file: file, line: line)
    }
    public func warn(_ message: String, _ fields: [LogField] = [], file: StaticString = #fileID, line: UInt = #line) {
        log(.warn, message, fields, file: file, line: line)
    }
    public func error(_ message: String, _ fields: [LogField] = [], file: StaticString = #fileID, line: UInt = #line) {
        log(.error, message, fields, file: file, line: line)
    }
    /// Logs and then stops the process with a Swift runtime trap (zap's panic level).
    public func panic(_ message: String, _ fields: [LogField] = [], file: StaticString = #fileID, line: UInt = #line) -> Never {
        log(.panic, message, fields, file: file, line: line)
        fatalError(message, file: file, line: line)
    }
    /// Logs and then exits with status 1, as zap's fatal level does.
    public func fatal(_ message: String, _ fields: [LogField] = [], file: StaticString = #fileID, line: UInt = #line) -> Never {
        log(.fatal, message, fields, file: file, line: line)
        exit(1)
    }

    /// One `write(2)` for the whole line in the normal case; retries after EINTR or a short
    /// write. A failing log descriptor is ignored: logging must not stop the server.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 { offset += written; continue }
                if written < 0 && errno == EINTR { continue }
                return
            }
        }
    }
}
