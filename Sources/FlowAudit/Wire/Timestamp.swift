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

    /// A capture header's time (seconds and a sub-second part in `unitsPerSecond`), or nil when it
    /// is outside what 64-bit nanoseconds hold (years 1677 to 2262): a corrupt or absurd header.
    @inlinable
    public init?(captureSeconds seconds: Int64, fraction: Int64, unitsPerSecond: Int64) {
        guard unitsPerSecond > 0, unitsPerSecond <= 1_000_000_000, 1_000_000_000 % unitsPerSecond == 0 else {
            return nil
        }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (part, partOverflow) = fraction.multipliedReportingOverflow(by: 1_000_000_000 / unitsPerSecond)
        guard !overflow, !partOverflow else { return nil }
        let (sum, sumOverflow) = whole.addingReportingOverflow(part)
        guard !sumOverflow else { return nil }
        self.nanoseconds = sum
    }

    @inlinable public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// Saturates at the ends of the representable range: a deadline past year 2262 is "never",
    /// not a wrap into 1677 (corrupt capture times must not crash or reorder the timers).
    @inlinable public static func + (lhs: Timestamp, rhs: Int64) -> Timestamp {
        Timestamp(nanoseconds: lhs.nanoseconds.saturatingAdd(rhs))
    }

    /// Nanoseconds from `earlier` to `self`, saturated to Int64's range.
    @inlinable public func since(_ earlier: Timestamp) -> Int64 {
        let (difference, overflow) = nanoseconds.subtractingReportingOverflow(earlier.nanoseconds)
        guard overflow else { return difference }
        return nanoseconds < earlier.nanoseconds ? .min : .max
    }

    /// ISO 8601 in UTC with microsecond precision, e.g. `2026-11-22T04:06:32.123456Z`.
    public var description: String {
        let text = OutputBuffer(capacity: 32)
        appendISO8601(to: text)
        return text.string
    }

    /// Appends `description`'s text as UTF-8 (reports write times straight into their output).
    func appendISO8601(to out: OutputBuffer) {
        // Floor division, without the overflow that `nanoseconds - 999_999_999` has near Int64.min.
        var (seconds, fraction) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        if fraction < 0 {
            seconds -= 1
            fraction += 1_000_000_000
        }
        out.appendMemoized(seconds) { out in
            var (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
            if secondOfDay < 0 {
                days -= 1
                secondOfDay += 86_400
            }
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

extension Int64 {
    /// `self + other`, clamped to Int64's range instead of trapping.
    @inlinable public func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other < 0 ? .min : .max
    }

    /// The absolute value, with Int64.min clamped to Int64.max.
    @inlinable public var magnitudeSaturated: Int64 { self == .min ? .max : Swift.abs(self) }

    /// `self * other`, clamped to Int64's range instead of trapping.
    @inlinable public func saturatingMultiply(_ other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
