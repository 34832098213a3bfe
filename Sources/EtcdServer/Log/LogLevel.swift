/// A log line's severity, zap's levels in zap's order. Lines below the logger's minimum level are
/// dropped. `panic` and `fatal` end the process after the line is written.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case debug, info, warn, error, panic, fatal

    /// The name zap writes in the `level` key and `--log-level` accepts.
    public var name: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .warn: return "warn"
        case .error: return "error"
        case .panic: return "panic"
        case .fatal: return "fatal"
        }
    }

    /// Parses a `--log-level` word; nil for anything etcd does not accept.
    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}
