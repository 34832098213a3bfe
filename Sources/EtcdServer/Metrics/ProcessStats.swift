import EtcdIO
import Glibc

/// What client_golang's process collector reports, read from `/proc` and `getrlimit` at scrape
/// time (Linux only; a field that cannot be read is left out of the page, as the collector
/// leaves it out on error).
struct ProcessStats: Equatable {
    var cpuSeconds: Double?
    var residentBytes: Double?
    var virtualBytes: Double?
    var startTimeSeconds: Double?
    var openFileDescriptors: Int?
    var maxFileDescriptors: Double?
    var maxVirtualBytes: Double?

    /// This process, now.
    static func current() -> ProcessStats {
        var stats = ProcessStats()
        if let stat = readProcFile("/proc/self/stat").flatMap(ProcStat.init(statText:)) {
            let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
            let pageBytes = Double(sysconf(Int32(_SC_PAGESIZE)))
            stats.cpuSeconds = Double(stat.userTicks + stat.systemTicks) / ticksPerSecond
            stats.residentBytes = Double(stat.residentPages) * pageBytes
            stats.virtualBytes = Double(stat.virtualBytes)
            if let bootTime = readProcFile("/proc/stat").flatMap(Self.bootTime(statText:)) {
                stats.startTimeSeconds = Double(bootTime) + Double(stat.startTicks) / ticksPerSecond
            }
        }
        if let names = try? PosixFileSystem().listDirectory("/proc/self/fd") { stats.openFileDescriptors = names.count }
        stats.maxFileDescriptors = softLimit(Int32(RLIMIT_NOFILE.rawValue))
        stats.maxVirtualBytes = softLimit(Int32(RLIMIT_AS.rawValue))
        return stats
    }

    /// The fields of `/proc/<pid>/stat` the collector uses (proc(5) numbers them from 1).
    struct ProcStat: Equatable {
        var userTicks: UInt64      // 14 utime
        var systemTicks: UInt64    // 15 stime
        var startTicks: UInt64     // 22 starttime, since boot
        var virtualBytes: UInt64   // 23 vsize
        var residentPages: UInt64  // 24 rss

        /// Parses the line; the command name (field 2) sits in parentheses and may hold spaces
        /// or parentheses itself, so fields are counted from the last `)`.
        init?(statText: String) {
            guard let close = statText.lastIndex(of: ")") else { return nil }
            let fields = statText[statText.index(after: close)...].split(separator: " ")
            // fields[0] is field 3 (state).
            func field(_ number: Int) -> UInt64? {
                let index = number - 3
                return index < fields.count ? UInt64(fields[index]) : nil
            }
            guard let user = field(14), let system = field(15), let start = field(22),
                  let virtual = field(23), let resident = field(24) else { return nil }
            (userTicks, systemTicks, startTicks, virtualBytes, residentPages) = (user, system, start, virtual, resident)
        }
    }

    /// The `btime` line of `/proc/stat`: when the machine booted, in Unix seconds.
    static func bootTime(statText: String) -> UInt64? {
        for line in statText.split(separator: "\n") where line.hasPrefix("btime ") {
            return UInt64(line.dropFirst("btime ".count).trimmingSpaces)
        }
        return nil
    }

    /// `getrlimit(2)`'s soft limit; RLIM_INFINITY shows as 2^64 - 1, as client_golang shows it.
    private static func softLimit(_ resource: Int32) -> Double? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(UInt32(resource)), &limit) == 0 else { return nil }
        return Double(limit.rlim_cur)
    }

    /// A `/proc` file's text. Their sizes read as 0, so this reads until end of file, bounded.
    private static func readProcFile(_ path: String) -> String? {
        let procFileBytesMax = 1 << 20
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < procFileBytesMax {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " || text.last == "\r" { text.removeLast() }
        return text
    }
}
