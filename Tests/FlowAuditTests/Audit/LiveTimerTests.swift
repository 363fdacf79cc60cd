import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// In live capture (`immediately`), timers report findings while the connection is still open,
/// driven by `advance(to:)` even when no packet arrives, and only once.
@Suite("Live timers")
struct LiveTimerTests {
    func run(
        _ s: ConnectionScript,
        until end: Timestamp,
        configuration: AuditConfiguration = AuditConfiguration()
    ) -> (whileOpen: [GenerationReport], all: [GenerationReport]) {
        var reports: [GenerationReport] = []
        let auditor = FlowAuditor(configuration: configuration, immediately: true) { reports.append($0) }
        for (index, entry) in s.segments.enumerated() {
            auditor.process(entry.segment, frame: UInt64(index + 1), time: entry.time)
        }
        var clock = s.clock
        while clock < end {
            clock = clock + 250_000_000
            auditor.advance(to: clock)
        }
        let whileOpen = reports
        auditor.finish()
        return (whileOpen, reports)
    }

    @Test func unansweredSYNIsReportedWhileTheClientRetries() {
        var s = script()
        let syn = s.send(.client, .syn)
        s.resend(syn, after: 1)
        s.resend(syn, after: 2)
        let (whileOpen, all) = run(s, until: s.clock + 1_000_000_000)
        #expect(whileOpen.map { $0.findings.map(\.kind) } == [[.synUnanswered]])
        #expect(whileOpen.first?.reason == .stillOpen)
        #expect(all.count == 1, "not reported again when the capture ends")
    }

    @Test func closeWaitIsReportedOnceThePeerHasWaitedPastTheThreshold() {
        var s = script()
        s.handshake()
        s.send(.client, .fin)
        s.send(.server, .ack)
        var configuration = AuditConfiguration()
        configuration.closeWaitThreshold = 2_000_000_000
        let (early, _) = run(s, until: s.clock + 1_000_000_000, configuration: configuration)
        #expect(early.isEmpty, "not before the threshold")
        let (whileOpen, all) = run(s, until: s.clock + 3_000_000_000, configuration: configuration)
        #expect(whileOpen.map { $0.findings.map(\.kind) } == [[.closeWaitStalled]])
        #expect(whileOpen.first?.findings.first?.severity == .warning)
        #expect(all.count == 1)
    }
}
