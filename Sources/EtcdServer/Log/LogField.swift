/// One key/value pair of a log line, typed as zap types it, so the JSON is what etcd writes:
/// strings quoted and escaped, integers and booleans bare, string arrays as JSON arrays,
/// durations as Go prints them (`"1.5s"`).
public struct LogField: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case uint(UInt64)
        case bool(Bool)
        case strings([String])
        case duration(Duration)
    }

    public var key: String
    public var value: Value

    public init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }

    public static func string(_ key: String, _ value: String) -> LogField { LogField(key, .string(value)) }
    public static func int(_ key: String, _ value: Int) -> LogField { LogField(key, .int(Int64(value))) }
    public static func int64(_ key: String, _ value: Int64) -> LogField { LogField(key, .int(value)) }
    public static func uint64(_ key: String, _ value: UInt64) -> LogField { LogField(key, .uint(value)) }
    public static func bool(_ key: String, _ value: Bool) -> LogField { LogField(key, .bool(value)) }
    public static func strings(_ key: String, _ value: [String]) -> LogField { LogField(key, .strings(value)) }
    public static func duration(_ key: String, _ value: Duration) -> LogField { LogField(key, .duration(value)) }
    /// zap's `zap.Error(err)`: the key `error`.
    public static func error(_ message: String) -> LogField { LogField("error", .string(message)) }
}
