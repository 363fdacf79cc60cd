import FlowAuditTestSupport
import Testing

@testable import FlowAudit

@Suite("Reports in first-seen order")
struct FirstSeenOrderTests {
    /// Three flows: the first stays open (an unanswered SYN) while the two after it close. Their
    /// reports wait for it, then all come out in first-seen order at the end.
    @Test func laterFlowsWaitForAnOlderOpenOne() {
        var open = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        open.send(.client, .syn)
        var refused = ConnectionScript(client: "10.0.0.3:40000", server: "10.0.0.2:81", start: open.clock + 1_000_000)
        refused.send(.client, .syn)
        refused.send(.server, .rst, seq: 0)
        var reset = ConnectionScript(client: "10.0.0.4:40000", server: "10.0.0.2:80", start: open.clock + 2_000_000)
        reset.handshake()
        reset.send(.client, .rst)
        var later = ConnectionScript(
            client: "10.0.0.5:40000",
            server: "10.0.0.2:80",
            start: open.clock + 90_000_000_000
        )
        later.handshake()
        let all = audit(Capture([open, refused, reset, later]).segments)
        #expect(all.map(\.flowOrdinal) == [0, 1, 2, 3])
        let reports = all.filter { !$0.findings.isEmpty }
        #expect(reports.map(\.flowOrdinal) == [0, 1, 2])
        #expect(reports.map { $0.findings.first?.kind } == [.synUnanswered, .connectionRefused, .abortiveClose])
    }

    @Test func pastTheLimitTheOldestGoEarly() {
        var order = FirstSeenOrder(limit: 1)
        var released: [UInt64] = []
        order.opened(0)
        order.opened(1)
        order.opened(2)
        let reports = audit(
            { () -> [(segment: TCPSegment, time: Timestamp)] in
                var s = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
                s.send(.client, .syn)
                return s.segments
            }()
        )
        var first = reports[0], second = reports[0]
        first.flowOrdinal = 1
        second.flowOrdinal = 2
        order.add(first) { released.append($0.flowOrdinal) }
        #expect(released.isEmpty)
        order.add(second) { released.append($0.flowOrdinal) }
        #expect(released == [1])
        #expect(order.releasedEarly == 1)
    }
}
