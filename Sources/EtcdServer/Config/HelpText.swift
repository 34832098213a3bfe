/// `swetcd --help`, laid out as `etcd --help`: a usage block, then every flag by section as
/// `  --name 'default'` followed by an indented description.
enum HelpText {
    /// The usage block etcd prints on `--help` and after a flag syntax error.
    static let usage = """
        Usage:

          swetcd [flags]
            Start an etcd-compatible server.

          swetcd --version
            Show the version of swetcd and the etcd version it implements.

          swetcd -h | --help
            Show this help.

        """

    /// One paragraph per section, every flag of `FlagTable` in table order.
    static var flags: String {
        var text = ""
        for section in FlagSection.allCases {
            let specs = FlagTable.all.filter { $0.section == section && $0.name != "version" }
            guard !specs.isEmpty else { continue }
            text += "\n\(section.rawValue):\n"
            for spec in specs {
                text += "  --\(spec.name) \(spec.defaultText)\n    \(spec.help)\n"
            }
        }
        return text
    }
}
