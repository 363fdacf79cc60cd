import Testing

@testable import FlowAudit

@Suite("Explanation sentences")
struct ExplanationTests {
    /// How durations were written before they were rendered in place: through `Double`'s
    /// shortest description. The integer rendering must give the same text.
    private func floatingPointForm(_ nanoseconds: Int64) -> String {
        let value = Double(nanoseconds)
        if nanoseconds < 1_000_000 { return "\(Int(value / 1e3)) µs" }
        if nanoseconds < 1_000_000_000 { return "\(Double(Int(value / 1e5)) / 10) ms" }
        return "\(Double(Int(value / 1e6)) / 1000) s"
    }

    @Test func durationsMatchTheFloatingPointForm() {
        var edges: [Int64] = [
            0, 999, 1000, 999_999, 1_000_000, 1_049_999, 12_345_678, 999_999_999, 1_000_000_000,
            1_005_000_000, 1_050_000_000, 1_500_000_000, 60_000_000_000, 119_999_999_999,
            86_400_000_000_000, 1 << 53, -1, -999, -1000, -5_000_000_000, Int64.min,
        ]
        var generator = SystemRandomNumberGenerator()
        // Well below 2⁵³ ns (104 days), where a Double holds the nanoseconds and the quotients
        // exactly enough; beyond, the old form rounded them (see `longDurationsAreExact`).
        for magnitude in [1_000, 1_000_000, 1_000_000_000, 1_000_000_000_000, 1 << 50] as [Int64] {
            for _ in 0..<2000 { edges.append(Int64.random(in: 0..<magnitude, using: &generator)) }
        }
        for nanoseconds in edges {
            #expect(formatDuration(nanoseconds) == floatingPointForm(nanoseconds), "\(nanoseconds) ns")
        }
    }

    @Test func longDurationsAreExact() {
        // Through a Double this came out as 2859456935.115 s.
        #expect(formatDuration(2_859_456_935_114_999_999) == "2859456935.114 s")
    }

    @Test func interpolationWritesEachKindOfPiece() {
        let count = 3, frame: UInt64 = 42, negative = -7
        var sentence: Explanation = "Sent \(count) times from \(TCPState.lastAck) (frame \(frame), \(negative))"
        sentence += "; \("client") waited \(duration: 1_500_000_000)"
        let endpoint = Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 80)
        sentence += " at \(endpoint)."
        #expect(sentence.text == "Sent 3 times from LAST-ACK (frame 42, -7); client waited 1.5 s at \(endpoint).")
        #expect(sentence.text.hasSuffix("10.0.0.1:80."))
    }
}
