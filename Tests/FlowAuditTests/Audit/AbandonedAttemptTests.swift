import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// Unanswered connection attempts are judged once the client stops retrying
/// (`AuditConfiguration.attemptTimeout`), not at the idle timeout, and leave a 2MSL summary.
@Suite("Abandoned connection attempts")
struct AbandonedAttemptTests {
    /// A second connection whose packets move capture time past the attempt's deadline.
    private func laterTraffic(startingAfter seconds: Double) -> ConnectionScript {
        var other = ConnectionScript(
            client: "10.0.0.9:41000",
            server: "10.0.0.2:80",
            start: Timestamp(seconds: 1_763_000_000) + Int64(seconds * 1e9)
        )
        other.handshake()
        other.data(.client, 10)
        other.close(first: .client)
        return other
    }

    @Test func attemptIsJudgedAsAbandonedAfterTheTimeout() {
        var s = script()
        let syn = s.send(.client, .syn)
        s.resend(syn, after: 1)
        s.resend(syn, after: 1)
        let reports = audit(Capture([s, laterTraffic(startingAfter: 30)]).segments)
        let attempt = reports.first { $0.client.port == 40000 }
        #expect(attempt?.reason == .abandoned)
        #expect(attempt?.findings.map(\.kind) == [.synUnanswered])
        #expect(
            attempt?.findings.first?.explanation.contains("it sent no more in the 10.0 s after the last one") == true
        )
    }

    @Test func retriesFarApartWaitThreeTimesTheLongestGap() {
        var s = script()
        let syn = s.send(.client, .syn)
        s.resend(syn, after: 8)  // the next retry could come 16 s later: wait 24 s, not 10 s
        var retry = s
        retry.resend(syn, after: 15)
        let reports = audit(Capture([retry, laterTraffic(startingAfter: 30)]).segments)
        let attempt = reports.first { $0.client.port == 40000 }
        #expect(attempt?.findings.first?.frames.count == 3)
        #expect(reports.filter { $0.client.port == 40000 }.count == 1)
    }

    @Test func answeredAttemptIsNotAbandoned() {
        var s = script()
        let syn = s.send(.client, .syn)
        s.resend(syn, after: 1)
        s.send(.server, [.syn, .ack], after: 0.5)
        s.send(.client, .ack)
        let reports = audit(Capture([s, laterTraffic(startingAfter: 30)]).segments)
        #expect(reports.first { $0.client.port == 40000 }?.reason == .endOfCapture)
    }

    @Test func retryAfterTheJudgementDoesNotStartAnotherReport() {
        var s = script()
        let syn = s.send(.client, .syn)
        s.resend(syn, after: 1)
        s.resend(syn, after: 20)  // the client was silent for 20 s > 10 s: judged, then it retried
        let reports = audit(Capture([s, laterTraffic(startingAfter: 12)]).segments)
        let attempts = reports.filter { $0.client.port == 40000 }
        #expect(attempts.count == 1)
        #expect(attempts.first?.reason == .abandoned)
    }

    @Test func abandonedAttemptsDoNotStayOpen() {
        var attempts: [ConnectionScript] = []
        for index in 0..<50 {
            var s = ConnectionScript(
                client: "10.0.1.\(index):40000",
                server: "10.0.0.2:80",
                start: Timestamp(seconds: 1_763_000_000) + Int64(index) * 1_000_000_000
            )
            s.send(.client, .syn)
            attempts.append(s)
        }
        var summary = CaptureSummary()
        let auditor = FlowAuditor(configuration: AuditConfiguration(), reportAll: true) { _ in }
        for (index, entry) in Capture(attempts).segments.enumerated() {
            auditor.process(entry.segment, frame: UInt64(index + 1), time: entry.time)
        }
        auditor.finish()
        summary = auditor.summary
        // One attempt a second, each judged 10 s after its SYN: about 11 open at once, not 50.
        #expect(summary.peakOpenConnections <= 12)
        // The 50th SYN is the capture's last frame: no answer was due yet (SYNUnanswered
        // .answerCouldStillCome), so 49 are unanswered for certain.
        #expect(summary.findingsByKind[.synUnanswered] == 49)
    }
}
