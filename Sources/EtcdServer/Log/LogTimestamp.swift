import Glibc

/// A wall-clock instant as a log line shows it, in zap's ISO-8601 layout
/// (`2006-01-02T15:04:05.000Z0700`: milliseconds, `Z` for UTC, else `+hhmm`), in the local
/// time zone as etcd's logs are.
public struct LogTimestamp: Equatable, Sendable {
    public var secondsSinceEpoch: Int64
    public var nanoseconds: Int32
    /// Offset of local time from UTC, in seconds (0 prints `Z`).
    public var utcOffsetSeconds: Int32

    public init(secondsSinceEpoch: Int64, nanoseconds: Int32, utcOffsetSeconds: Int32 = 0) {
        precondition((0..<1_000_000_000).contains(nanoseconds), "nanoseconds within a second")
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Now, from `clock_gettime(CLOCK_REALTIME)`, with the local zone's offset.
    public static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var local = tm()
        localtime_r(&seconds, &local)
        return LogTimestamp(secondsSinceEpoch: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec),
                            utcOffsetSeconds: Int32(local.tm_gmtoff))
    }

    /// The timestamp as zap writes it.
    public var formatted: String {
        let local = secondsSinceEpoch + Int64(utcOffsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        var text = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
        text += "T" + Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2)
        text += ":" + Self.pad(secondOfDay % 60, 2) + "." + Self.pad(Int64(nanoseconds / 1_000_000), 3)
        if utcOffsetSeconds == 0 { return text + "Z" }
        let offsetMinutes = Int64(abs(utcOffsetSeconds)) / 60
        return text + (utcOffsetSeconds < 0 ? "-" : "+") + Self.pad(offsetMinutes / 60, 2) + Self.pad(offsetMinutes % 60, 2)
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
