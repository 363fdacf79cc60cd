/// A 32-bit TCP sequence number with modular arithmetic (RFC 9293 §3.4): `a < b` means `b` lies
/// less than 2^31 ahead of `a`, so comparisons keep working across wraparound.
public struct SequenceNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt32

    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    @inlinable public static func + (lhs: SequenceNumber, rhs: UInt32) -> SequenceNumber {
        SequenceNumber(lhs.rawValue &+ rhs)
    }

    @inlinable public static func - (lhs: SequenceNumber, rhs: UInt32) -> SequenceNumber {
        SequenceNumber(lhs.rawValue &- rhs)
    }

    /// Signed distance from `other` to `self` (positive when `self` is ahead).
    @inlinable public func distance(from other: SequenceNumber) -> Int32 {
        Int32(bitPattern: rawValue &- other.rawValue)
    }

    @inlinable public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool {
        lhs.distance(from: rhs) < 0
    }

    /// True when `self` lies in the half-open window `[start, start + length)`.
    @inlinable public func isWithin(_ start: SequenceNumber, length: UInt32) -> Bool {
        rawValue &- start.rawValue < length
    }

    public var description: String { String(rawValue) }
}
