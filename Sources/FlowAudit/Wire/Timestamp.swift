/// A capture timestamp in nanoseconds since the Unix epoch (UTC).
///
/// The analysis never reads a clock: every time it uses comes from the capture (or, in live mode,
/// is passed in by the capture layer), so a replay of the same file always gives the same answer.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        self.nanoseconds = seconds &* 1_000_000_000 &+ nanoseconds
    }

    @inlinable public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    @inlinable public static func + (lhs: Timestamp, rhs: Int64) -> Timestamp {
        Timestamp(nanoseconds: lhs.nanoseconds &+ rhs)
    }

    /// Nanoseconds from `earlier` to `self`.
    @inlinable public func since(_ earlier: Timestamp) -> Int64 { nanoseconds &- earlier.nanoseconds }

    /// ISO 8601 in UTC with microsecond precision, e.g. `2026-11-22T04:06:32.123456Z`.
    public var description: String {
        let text = OutputBuffer(capacity: 32)
        appendISO8601(to: text)
        return text.string
    }

    /// Appends `description`'s text as UTF-8 (reports write times straight into their output).
    func appendISO8601(to out: OutputBuffer) {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        let fraction = nanoseconds - seconds * 1_000_000_000
        out.appendMemoized(seconds) { out in
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let secondOfDay = seconds - days * 86_400
            let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
            if year < 0 || year > 9999 {
                out.append(String(year))
            } else {
                out.appendDecimal(UInt64(year), digits: 4)
            }
            out.append(UInt8(ascii: "-"))
            out.appendDecimal(UInt64(month), digits: 2)
            out.append(UInt8(ascii: "-"))
            out.appendDecimal(UInt64(day), digits: 2)
            out.append(UInt8(ascii: "T"))
            out.appendDecimal(UInt64(secondOfDay / 3600), digits: 2)
            out.append(UInt8(ascii: ":"))
            out.appendDecimal(UInt64(secondOfDay / 60 % 60), digits: 2)
            out.append(UInt8(ascii: ":"))
            out.appendDecimal(UInt64(secondOfDay % 60), digits: 2)
            out.append(UInt8(ascii: "."))
        }
        out.appendDecimal(UInt64(fraction / 1000), digits: 6)
        out.append(UInt8(ascii: "Z"))
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
