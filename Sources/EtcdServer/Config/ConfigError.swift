/// Why a command line was refused. `message` is etcd's text for the same mistake, so scripts and
/// people searching etcd's issues find the same words.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, in etcd's words (no trailing newline).
    public var message: String
    /// The process exit status etcd uses for this kind of error: 2 when Go's flag package rejects
    /// the syntax of the command line (it then prints the usage text), 1 when the flags parse
    /// but fail etcd's checks.
    public var exitCode: Int32
    /// Whether etcd follows the message with `usageText` on stderr (flag syntax errors only).
    public var showsUsage: Bool

    public init(message: String, exitCode: Int32, showsUsage: Bool) {
        self.message = message
        self.exitCode = exitCode
        self.showsUsage = showsUsage
    }

    /// A command line Go's flag package rejects: unknown flag, missing or malformed value.
    static func syntax(_ message: String) -> ConfigError {
        ConfigError(message: message, exitCode: 2, showsUsage: true)
    }

    /// Flags that parse but fail a check (etcd: "error verifying flags, ...").
    static func invalid(_ message: String) -> ConfigError {
        ConfigError(message: message, exitCode: 1, showsUsage: false)
    }

    /// What to write to stderr for this error, as etcd lays it out.
    public var stderrText: String {
        showsUsage ? message + "\n" + HelpText.usage : "error verifying flags, \(message). See 'swetcd --help'.\n"
    }

    public var description: String { message }
}
