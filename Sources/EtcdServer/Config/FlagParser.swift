/// The command line as Go's `flag` package reads it for etcd, followed by etcd's `ETCD_*`
/// environment mapping (`pkg/flags.SetFlagsFromEnv`).
///
/// Command line: `-flag`, `--flag`, `-flag=value`, `--flag=value`, and `-flag value` for
/// non-boolean flags (the next argument is taken as the value even if it starts with `-`).
/// Boolean flags take a value only with `=`. Parsing stops at `--` or at the first argument that
/// is not a flag. `-h`/`-help` ask for help unless defined.
///
/// Environment: for every flag not given on the command line, a non-empty `ETCD_<NAME>` sets it.
/// An `ETCD_<NAME>` for a flag that was given on the command line is an error (etcd exits);
/// any other unused `ETCD_` variable draws a warning.
struct FlagParser {
    /// Current value of every flag.
    private(set) var values: [String: FlagValue] = [:]
    /// Flags set on the command line or from the environment (Go's `FlagSet.Visit`).
    private(set) var setNames: Set<String> = []
    /// Arguments left after the flags.
    private(set) var remaining: [String] = []
    /// etcd's warnings produced while parsing (ignored etcd 2 flags, unrecognized variables).
    private(set) var warnings: [String] = []
    /// Environment variables that set a flag, as `KEY=value`, in flag-name order.
    private(set) var usedEnvironment: [String] = []

    /// Why parsing stopped early without an error.
    enum Outcome { case parsed, helpRequested }

    init() {
        for spec in FlagTable.all { values[spec.name] = spec.defaultValue }
        for name in FlagTable.ignoredNames { values[name] = .bool(false) }
    }

    static func spec(named name: String) -> FlagSpec? {
        if let spec = FlagTable.byName[name] { return spec }
        if FlagTable.ignoredNames.contains(name) {
            return FlagSpec(name, .ignored, .bool(false), .deprecated, "")
        }
        return nil
    }

    /// Reads the command line (without the program name).
    mutating func parseArguments(_ arguments: [String]) throws(ConfigError) -> Outcome {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let scalars = Array(argument.unicodeScalars)
            guard scalars.count >= 2, scalars[0] == "-" else { break }
            var dashes = 1
            if scalars[1] == "-" {
                dashes = 2
                if scalars.count == 2 { index += 1; break }
            }
            let body = String(String.UnicodeScalarView(scalars[dashes...]))
            if body.isEmpty || body.hasPrefix("-") || body.hasPrefix("=") {
                throw .syntax("bad flag syntax: \(argument)")
            }
            index += 1
            var name = body
            var inlineValue: String? = nil
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            }
            guard let spec = Self.spec(named: name) else {
                if name == "help" || name == "h" { return .helpRequested }
                throw .syntax("flag provided but not defined: -\(name)")
            }
            if spec.isBoolean {
                try setFromCommandLine(spec, inlineValue ?? "true")
                continue
            }
            var value = inlineValue
            if value == nil, index < arguments.count {
                value = arguments[index]
                index += 1
            }
            guard let value else { throw .syntax("flag needs an argument: -\(name)") }
            try setFromCommandLine(spec, value)
        }
        remaining = Array(arguments[index...])
        return .parsed
    }

    private mutating func setFromCommandLine(_ spec: FlagSpec, _ raw: String) throws(ConfigError) {
        switch spec.kind.apply(raw, to: values[spec.name] ?? spec.defaultValue) {
        case .success(let value):
            record(spec, value)
        case .failure(let refusal):
            if spec.isBoolean {
                throw .syntax("invalid boolean value \(goQuote(raw)) for -\(spec.name): \(refusal.text)")
            }
            throw .syntax("invalid value \(goQuote(raw)) for flag -\(spec.name): \(refusal.text)")
        }
    }

    private mutating func record(_ spec: FlagSpec, _ value: FlagValue) {
        if case .ignored = spec.kind {
            warnings.append("flag \"-\(spec.name)\" is no longer supported - ignoring.")
        }
        values[spec.name] = value
        setNames.insert(spec.name)
    }

    /// Applies `ETCD_*` variables, as etcd does after the command line.
    mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigError) {
        let setOnCommandLine = Set(setNames.map { Self.environmentKey($0) })
        var usedKeys: Set<String> = []
        var lastError: ConfigError? = nil
        let allNames = (FlagTable.all.map(\.name) + FlagTable.ignoredNames).sorted()
        for name in allNames {
            guard let spec = Self.spec(named: name) else { continue }
            let key = Self.environmentKey(name)
            guard !setOnCommandLine.contains(key), let raw = environment[key], !raw.isEmpty else { continue }
            usedKeys.insert(key)
            switch spec.kind.apply(raw, to: values[name] ?? spec.defaultValue) {
            case .success(let value):
                record(spec, value)
                usedEnvironment.append("\(key)=\(raw)")
            case .failure(let refusal):
                // etcd keeps going and reports the last failure.
                lastError = .invalid("invalid value \(goQuote(raw)) for \(key): \(refusal.text)")
            }
        }
        for key in environment.keys.sorted() where !usedKeys.contains(key) {
            if setOnCommandLine.contains(key) {
                throw .invalid("conflicting environment variable \(goQuote(key)) is shadowed by corresponding command-line flag (either unset environment variable or disable flag)")
            }
            if key.hasPrefix("ETCD_") {
                warnings.append("unrecognized environment variable \(key)=\(environment[key] ?? "")")
            }
        }
        if let lastError { throw lastError }
    }

    static func environmentKey(_ name: String) -> String {
        "ETCD_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    func isSet(_ name: String) -> Bool { setNames.contains(name) }
}
