import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// A TIME-WAIT series has at most `TimeWaitPopulation.seriesLimit` points whatever the capture's
/// span (the fuzzer found a span of years, through clock steps, that asked for 2 GB of points).
@Suite("TIME-WAIT series")
struct TimeWaitSeriesTests {
    @Test func aSpanOfYearsStaysAShortSeries() throws {
        var first = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        first.handshake()
        first.close(first: .server)
        var later = ConnectionScript(
            client: "10.0.0.1:40001",
            server: "10.0.0.2:80",
            start: first.clock + 10 * 365 * 86_400 * 1_000_000_000
        )
        later.handshake()
        later.close(first: .server)
        var summary = CaptureSummary()
        let auditor = FlowAuditor(reportAll: true) { _ in }
        for (index, entry) in (first.segments + later.segments).enumerated() {
            auditor.process(entry.segment, frame: UInt64(index + 1), time: entry.time)
        }
        auditor.finish()
        summary = auditor.summary
        let host = try #require(summary.timeWait.first { $0.servicePort == nil })
        #expect(host.total == 2 && host.peak == 1)
        #expect(host.series.count <= TimeWaitPopulation.seriesLimit)
        #expect(host.series.map(\.1).max() == 1)
    }

    @Test func stepsCoverAnySpanInAboutSixtyPoints() {
        for span: Int64 in [0, 1, 59_000_000_000, 3_600_000_000_000, 400 * 86_400_000_000_000, .max] {
            let step = TimeWaitPopulation.step(for: span)
            #expect(step > 0 && span / step < 61, "\(span)")
        }
    }
}
