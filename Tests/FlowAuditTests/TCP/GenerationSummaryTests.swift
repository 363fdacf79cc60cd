import FlowAuditTestSupport
import Testing

@testable import FlowAudit

@Suite("Generation summary packing")
struct GenerationSummaryPackingTests {
    @Test func framesAndTimeWaitStartSurviveThePacking() {
        var s = script()
        s.handshake()
        s.data(.client, 100)
        s.close(first: .client)
        var generation: ConnectionGeneration?
        for (index, entry) in s.segments.enumerated() {
            let (key, sender) = FlowKey.of(entry.segment)
            let seen = ObservedSegment(entry.segment, from: sender, frame: UInt64(index + 1), time: entry.time)
            if generation == nil {
                generation = ConnectionGeneration(key: key, number: 1, first: seen, predecessor: nil)
            }
            generation!.apply(seen, cutBySnaplen: false)
        }
        let g = generation!
        let summary = GenerationSummary(g, endedAt: g.closedSince!)
        #expect(
            summary.activeFINFrame
                == g.evidence.firstFIN.a.map(\.frame).flatMap { a in g.evidence.firstFIN.b.map { min(a, $0.frame) } }
        )
        #expect(summary.finalACKFrame == g.evidence.finalACK?.frame)
        #expect(summary.timeWaitSide == g.timeWaitSide)
        let exact = g[g.timeWaitSide!].stateSince
        #expect(abs(summary.timeWaitSince!.since(exact)) < 1_000)  // kept to the microsecond
        #expect(summary.initialSequence(of: g.client) == g[g.client].initialSequence)
    }
}
