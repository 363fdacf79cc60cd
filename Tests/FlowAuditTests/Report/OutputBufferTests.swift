import Testing

@testable import FlowAudit

@Suite("Output buffer")
struct OutputBufferTests {
    @Test func decimalsAndPadding() {
        let out = OutputBuffer(capacity: 1)
        for value: UInt64 in [0, 9, 10, 99, 100, 1_234_567, UInt64.max] {
            out.appendDecimal(value)
            out.append(UInt8(ascii: " "))
        }
        out.appendDecimal(7, digits: 3)
        #expect(out.string == "0 9 10 99 100 1234567 18446744073709551615 007")
    }

    @Test func timesOfOneSecondShareTheirPrefix() {
        let out = OutputBuffer()
        Timestamp(nanoseconds: 1_763_000_000_123_456_789).appendISO8601(to: out)
        out.append(UInt8(ascii: " "))
        Timestamp(nanoseconds: 1_763_000_000_999_999_000).appendISO8601(to: out)
        out.append(UInt8(ascii: " "))
        Timestamp(nanoseconds: 1_763_000_001_000_000_000).appendISO8601(to: out)
        #expect(out.string == "2025-11-13T02:13:20.123456Z 2025-11-13T02:13:20.999999Z 2025-11-13T02:13:21.000000Z")
    }

    @Test func jsonStringsAreEscaped() {
        let out = OutputBuffer()
        JSONObject.appendQuoted("a\"b\\c\nd\u{1}é", to: out)
        #expect(out.string == "\"a\\\"b\\\\c\\nd\\u0001é\"")
    }
}
