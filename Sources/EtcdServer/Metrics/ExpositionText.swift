/// The Prometheus text exposition format, version 0.0.4, written as client_golang writes it (the
/// library etcd serves `/metrics` with), so a scraper or a diff against etcd's page sees the same
/// text: families sorted by name, each `# HELP` then `# TYPE` then its samples; samples sorted by
/// their label values; numbers as Go's `strconv.FormatFloat(v, 'g', -1, 64)`.
///
/// Scrape-time only: it builds strings freely and is never on a request's path.
struct ExpositionText {
    enum Kind: String {
        case counter, gauge, histogram
    }

    /// One sample line: `name{labels} value`, where `name` is the family's name plus `suffix`
    /// (`_bucket`, `_sum`, `_count` for histograms).
    struct Sample {
        var suffix: String = ""
        /// Label names and values, names in ascending order (as client_golang prints them).
        var labels: [(name: String, value: String)] = []
        var value: Double
    }

    struct Family {
        let name: String
        let help: String
        let kind: Kind
        var samples: [Sample]
    }

    private(set) var families: [Family] = []

    /// Adds a family. A family with no samples is left off the page altogether, as client_golang
    /// leaves out a labelled family none of whose series exists yet (a lone member shows no
    /// etcd_network_peer_* at all).
    mutating func add(_ name: String, help: String, kind: Kind, samples: [Sample]) {
        precondition(Self.isValidName(name), "invalid metric name \(name)")
        guard !samples.isEmpty else { return }
        families.append(Family(name: name, help: help, kind: kind, samples: samples))
    }

    mutating func counter(_ name: String, help: String, _ value: UInt64) {
        add(name, help: help, kind: .counter, samples: [Sample(value: Double(value))])
    }

    mutating func gauge(_ name: String, help: String, _ value: Double) {
        add(name, help: help, kind: .gauge, samples: [Sample(value: value)])
    }

    /// An info-style gauge: one series, value 1, the information in its label (etcd's
    /// `etcd_server_version{server_version="3.4.23"} 1`).
    mutating func info(_ name: String, help: String, label: String, value: String) {
        add(name, help: help, kind: .gauge, samples: [Sample(labels: [(label, value)], value: 1)])
    }

    /// A histogram's samples: a `_bucket` per bound with `le`, then `+Inf`, `_sum`, `_count`,
    /// after `labels` (a bucket's `le` goes last, as client_golang places it).
    static func histogramSamples(_ snapshot: Histogram.Snapshot, upperBounds: [Double],
                                 labels: [(name: String, value: String)] = []) -> [Sample] {
        var samples: [Sample] = []
        samples.reserveCapacity(upperBounds.count + 3)
        for (index, bound) in upperBounds.enumerated() {
            samples.append(Sample(suffix: "_bucket", labels: labels + [("le", formatNumber(bound))],
                                  value: Double(snapshot.cumulativeCounts[index])))
        }
        samples.append(Sample(suffix: "_bucket", labels: labels + [("le", "+Inf")], value: Double(snapshot.count)))
        samples.append(Sample(suffix: "_sum", labels: labels, value: snapshot.sum))
        samples.append(Sample(suffix: "_count", labels: labels, value: Double(snapshot.count)))
        return samples
    }

    /// The page: UTF-8 text, every line ending in `\n`.
    func render() -> [UInt8] {
        var text = ""
        text.reserveCapacity(families.count * 160)
        for family in families.sorted(by: { $0.name < $1.name }) {
            text += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            // Histogram samples keep their order (bucket bounds ascend, then sum and count);
            // series of other kinds are sorted by label values, as client_golang sorts them.
            let samples = family.kind == .histogram ? family.samples : family.samples.sorted(by: Self.labelOrder)
            for sample in samples {
                text += family.name + sample.suffix
                if !sample.labels.isEmpty {
                    text += "{"
                    text += sample.labels.map { "\($0.name)=\"\(Self.escapeLabelValue($0.value))\"" }.joined(separator: ",")
                    text += "}"
                }
                text += " " + Self.formatNumber(sample.value) + "\n"
            }
        }
        return Array(text.utf8)
    }

    private static func labelOrder(_ left: Sample, _ right: Sample) -> Bool {
        for (l, r) in zip(left.labels, right.labels) where l.value != r.value {
            return l.value < r.value
        }
        return left.labels.count < right.labels.count
    }

    /// Metric and label names: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }
    }

    /// A label value between double quotes: backslash, double quote and newline escaped.
    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") })
        else { return value }
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// HELP text: backslash and newline escaped (a double quote stays).
    static func escapeHelp(_ help: String) -> String {
        var escaped = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
