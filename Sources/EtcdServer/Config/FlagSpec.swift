/// The type of an etcd flag, which decides the values it accepts and the words of its error
/// (etcd registers its flags with Go's `flag` package and its own `pkg/flags` value types).
enum FlagKind: Sendable {
    case string
    case bool
    /// Go `int` / `int64` (64-bit on the platforms etcd ships for).
    case int
    /// Go `uint` / `uint64`.
    case uint
    /// etcd's own `uint32Value` (`--max-concurrent-streams`), which reports strconv's raw error.
    case uint32
    case duration
    /// A comma-separated URL list (etcd's `UniqueURLs`); `exceptions` are literal values
    /// accepted without parsing (`*` for `--cors`, the empty string for URL flags).
    case urls(exceptions: [String])
    /// `--cors`: comma-separated origin URLs, or `*`; kept as sorted strings.
    case origins
    /// Comma-separated strings, de-duplicated and sorted (etcd's `UniqueStringsValue`).
    case uniqueStrings
    /// Comma-separated strings kept in order (etcd's `StringsValue`).
    case strings
    /// One of a fixed set of words (etcd's `SelectiveStringValue`).
    case choice([String])
    /// A flag etcd 2 had; accepted as a boolean and ignored with a warning.
    case ignored
}

/// A flag's current value.
enum FlagValue: Equatable, Sendable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case duration(Duration)
    case urls([EtcdURL])
    case strings([String])
}

/// Where a flag appears in `--help`, in etcd's order.
enum FlagSection: String, CaseIterable, Sendable {
    case member = "Member"
    case clustering = "Clustering"
    case security = "Security"
    case auth = "Auth"
    case monitoring = "Profiling and Monitoring"
    case logging = "Logging"
    case proxy = "v2 Proxy (to be deprecated in v4)"
    case experimental = "Experimental feature"
    case unsafe = "Unsafe feature"
    case deprecated = "TO BE DEPRECATED"
}

/// One etcd 3.4 flag: its name, type, default and help line.
struct FlagSpec: Sendable {
    let name: String
    let kind: FlagKind
    let defaultValue: FlagValue
    let section: FlagSection
    /// The default as `--help` shows it.
    let defaultText: String
    let help: String
    /// Whether swetcd acts on this flag. Setting one it does not yet act on produces a warning.
    let isImplemented: Bool

    init(_ name: String, _ kind: FlagKind, _ defaultValue: FlagValue, _ section: FlagSection,
         shown defaultText: String? = nil, implemented: Bool = false, _ help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.section = section
        self.defaultText = defaultText ?? FlagSpec.display(defaultValue)
        self.help = help
        self.isImplemented = implemented
    }

    var isBoolean: Bool {
        switch kind {
        case .bool, .ignored: return true
        default: return false
        }
    }

    /// The environment variable etcd reads for this flag: `ETCD_` + the name upper-cased with
    /// dashes as underscores (`--max-txn-ops` → `ETCD_MAX_TXN_OPS`).
    var environmentKey: String {
        "ETCD_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    private static func display(_ value: FlagValue) -> String {
        switch value {
        case .string(let s): return "'\(s)'"
        case .bool(let b): return "'\(b)'"
        case .int(let i): return "'\(i)'"
        case .uint(let u): return "'\(u)'"
        case .duration(let d): return "'\(GoValueParsing.formatDuration(d))'"
        case .urls(let urls): return "'" + urls.map(\.description).joined(separator: ",") + "'"
        case .strings(let s): return "'" + s.joined(separator: ",") + "'"
        }
    }
}
