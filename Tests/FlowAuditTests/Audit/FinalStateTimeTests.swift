import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// The time an endpoint spent in its final CLOSED state is not the tool's waiting time: judged
/// after the grace period (as live capture always does) or at the end of a file, one connection's
/// report says the same (issue 12, defect 7).
@Suite("Time in the final state")
struct FinalStateTimeTests {
    private func closedServerSeconds(followedBy gap: Double?) throws -> Int64? {
        var s = script()
        s.handshake()
        s.data(.client, 10)
        s.close(first: .client)
        var segments = s.segments
        if let gap {
            // Another connection, later: the first one's grace period runs out while the file goes on.
            var other = ConnectionScript(
                client: "10.0.0.9:40001",
                server: "10.0.0.2:80",
                start: s.clock + Int64(gap * 1e9)
            )
            other.handshake()
            segments += other.segments
        }
        let report = try #require(audit(segments).first { $0.client.port == 40_000 })
        return report.serverStateTimes.first { $0.0 == .closed }?.1
    }

    @Test func closedCountsNothingAfterTheClose() throws {
        let atEnd = try closedServerSeconds(followedBy: nil)
        let afterGrace = try closedServerSeconds(followedBy: 5)
        #expect(atEnd == 0)
        #expect(afterGrace == atEnd)
    }
}
