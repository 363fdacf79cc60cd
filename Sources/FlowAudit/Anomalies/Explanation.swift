/// A finding's sentence, built by string interpolation that writes UTF-8 straight into one byte
/// array: literal pieces are copied from static memory, integers and durations are rendered in
/// place. A busy capture explains hundreds of thousands of findings, and building each sentence
/// as a `String` cost one String append (~450 instructions) per piece.
public struct Explanation: ExpressibleByStringInterpolation, Sendable, Equatable {
    var utf8: [UInt8]

    public init(stringLiteral literal: StaticString) {
        utf8 = literal.withUTF8Buffer { Array($0) }
    }

    public init(stringInterpolation builder: Builder) { utf8 = builder.utf8 }

    /// The sentence as text.
    public var text: String { String(decoding: utf8, as: UTF8.self) }

    static func += (sentence: inout Explanation, more: Explanation) { sentence.utf8.append(contentsOf: more.utf8) }

    static func + (sentence: Explanation, more: Explanation) -> Explanation {
        var joined = sentence
        joined += more
        return joined
    }

    public struct Builder: StringInterpolationProtocol {
        var utf8: [UInt8] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            utf8.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            literal.withUTF8Buffer { utf8.append(contentsOf: $0) }
        }

        public mutating func appendInterpolation(_ text: String) {
            var text = text
            text.withUTF8 { utf8.append(contentsOf: $0) }
        }

        public mutating func appendInterpolation<T: BinaryInteger>(_ value: T) {
            if value < 0 { utf8.append(UInt8(ascii: "-")) }
            appendDecimal(UInt64(value.magnitude))
        }

        public mutating func appendInterpolation(_ part: Explanation) {
            utf8.append(contentsOf: part.utf8)
        }

        public mutating func appendInterpolation(_ state: TCPState) {
            utf8.append(contentsOf: state.utf8Name)
        }

        /// Anything else with a text form (endpoints, addresses, sequence numbers).
        public mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T) {
            appendInterpolation(value.description)
        }

        /// A duration the way `formatDuration` writes it: `850 µs`, `12.3 ms`, `1.5 s`.
        public mutating func appendInterpolation(duration nanoseconds: Int64) {
            if nanoseconds < 0 {
                // Only a clock step backwards gives one; keep the floating-point form's rounding.
                appendInterpolation(Int(Double(nanoseconds) / 1e3))
                appendLiteral(" µs")
            } else if nanoseconds < 1_000_000 {
                appendDecimal(UInt64(nanoseconds / 1000))
                appendLiteral(" µs")
            } else if nanoseconds < 1_000_000_000 {
                let tenths = UInt64(nanoseconds / 100_000)
                appendDecimal(tenths / 10)
                utf8.append(UInt8(ascii: "."))
                appendDecimal(tenths % 10)
                appendLiteral(" ms")
            } else {
                // Whole milliseconds, written like a Double's shortest form: at least one decimal.
                let milliseconds = UInt64(nanoseconds / 1_000_000)
                appendDecimal(milliseconds / 1000)
                utf8.append(UInt8(ascii: "."))
                var fraction = milliseconds % 1000, width = 3
                if fraction == 0 {
                    width = 1
                } else {
                    while fraction % 10 == 0 {
                        fraction /= 10
                        width -= 1
                    }
                }
                appendDecimal(fraction, width: width)
                appendLiteral(" s")
            }
        }

        /// Appends `value` in decimal, zero-padded to at least `width` digits.
        mutating func appendDecimal(_ value: UInt64, width: Int = 1) {
            var digits = 1
            var limit: UInt64 = 10
            while digits < 20 && value >= limit {
                digits += 1
                limit &*= 10
            }
            digits = max(digits, width)
            let start = utf8.count
            utf8.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
            utf8.withUnsafeMutableBufferPointer { buffer in
                var rest = value
                var position = start + digits
                while rest > 0 {
                    position -= 1
                    buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
            }
        }
    }
}

/// A duration for people: `850 µs`, `12.3 ms`, `1.5 s` (truncated, not rounded).
public func formatDuration(_ nanoseconds: Int64) -> String {
    let sentence: Explanation = "\(duration: nanoseconds)"
    return sentence.text
}
