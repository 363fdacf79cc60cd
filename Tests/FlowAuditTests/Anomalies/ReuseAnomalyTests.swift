import FlowAuditTestSupport
import Testing

@testable import FlowAudit

@Suite("Reuse of a 4-tuple, and 2MSL")
struct ReuseAnomalyTests {
    /// A first connection closed by the client whose final ACK never reached the server (LAST-ACK).
    func closedWithLostFinalACK() -> ConnectionScript {
        var s = script()
        s.handshake()
        s.data(.client, 10)
        s.send(.client, .fin)
        s.send(.server, .ack)
        s.send(.server, .fin)
        s.send(.client, .ack)  // frame 9, lost after the capture point
        return s
    }

    @Test func challengeACKResetAndRetry() {
        var s = closedWithLostFinalACK()
        let oldClient = s.next(.client), oldServer = s.next(.server)
        s.reconnect(clientISN: 70_000, serverISN: 90_000)
        let syn = s.send(.client, .syn, after: 0.02)  // 10
        s.send(.server, .ack, seq: oldServer, ack: oldClient)  // 11: challenge ACK
        s.send(.client, .rst, seq: oldClient, noACK: true)  // 12
        s.resend(syn, after: 0.01)  // 13
        s.send(.server, [.syn, .ack])  // 14
        s.send(.client, .ack)
        s.close(first: .client)
        let reports = audit(s.segments)
        #expect(reports.map(\.generation) == [1, 2])
        let found = expectKinds(reports.flatMap(\.findings), [.rstAfterSYNReuse, .portReuseWithin2MSL])
        let reuse = found[.rstAfterSYNReuse]
        #expect(reuse?.frames == [10, 11, 12, 13, 14])
        #expect(reuse?.explanation.contains("LAST-ACK") == true)
        #expect(reuse?.clientState == .synSent)
    }

    @Test func reuseWithinTwoMSLWithTimestampsIsInformation() {
        var s = script()
        s.handshake()
        s.close(first: .client)
        s.reconnect(clientISN: 70_000, serverISN: 90_000)
        s.handshake()
        s.close(first: .client)
        let found = expectKinds(findings(s), [.portReuseWithin2MSL])
        #expect(found[.portReuseWithin2MSL]?.severity == .info)
        #expect(found[.portReuseWithin2MSL]?.frames == [8])
    }

    @Test func reuseWithinTwoMSLWithoutTimestampsIsAWarning() {
        var s = script(timestamps: false)
        s.handshake()
        s.close(first: .client)
        s.reconnect(clientISN: 70_000, serverISN: 90_000)
        s.handshake()
        let found = expectKinds(findings(s), [.portReuseWithin2MSL])
        #expect(found[.portReuseWithin2MSL]?.severity == .warning)
    }

    @Test func reuseAfterTwoMSLIsNotReported() {
        var s = script()
        s.handshake()
        s.close(first: .client)
        s.reconnect(clientISN: 70_000, serverISN: 90_000)
        s.clock = s.clock + 61_000_000_000
        s.handshake()
        s.close(first: .client)
        expectKinds(findings(s), [])
    }

    @Test func delayedSegmentOfThePreviousGenerationIsStale() {
        var s = script()
        s.handshake()
        let late = s.send(.server, .psh, payload: 100)  // 4: a copy of it is delayed in the network
        s.send(.client, .ack)
        s.close(first: .client)
        s.reconnect(clientISN: 70_000, serverISN: 90_000)
        s.handshake(rtt: 0.01)  // 10–12
        s.resend(late, after: 0.5, delayedCopy: true)  // 13: old sequence space, old TSval
        let reports = audit(s.segments)
        let found = expectKinds(reports.flatMap(\.findings), [.portReuseWithin2MSL, .staleSegment])
        #expect(found[.staleSegment]?.frames == [13])
        #expect(reports.last?.generation == 2)
    }

    @Test func timestampRegressionFromOneHost() {
        var first = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        first.send(.client, .syn, tsval: 2_000_000)
        first.send(.server, [.syn, .ack])
        first.send(.client, .ack)
        var second = ConnectionScript(client: "10.0.0.1:40001", server: "10.0.0.2:80", start: first.clock + 1_000_000)
        let syn = second.send(.client, .syn, tsval: 5_000)  // another host behind the same NAT address
        second.resend(syn, after: 1)
        let found = findings(first, second)
        let byKind = Dictionary(found.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        // The silence is certain; PAWS is one possible cause of it (Linux clients randomise their
        // TSval offset per connection, so an older TSval alone proves nothing).
        #expect(byKind[.synUnanswered]?.frames == [4, 5])
        #expect(byKind[.timestampRegression]?.frames == [4, 5])
        #expect(byKind[.timestampRegression]?.confidence == .possible)
        #expect(byKind[.timestampRegression]?.severity == .warning)
    }

    /// Once the server answered a SYN from the host whose TSval was older than the newest, a later
    /// unanswered older SYN is not put down to PAWS: the server does not drop such SYNs.
    @Test func anAnsweredOlderSYNRulesOutPAWS() {
        var first = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        first.send(.client, .syn, tsval: 2_000_000)
        first.send(.server, [.syn, .ack])
        first.send(.client, .ack)
        var second = ConnectionScript(client: "10.0.0.1:40001", server: "10.0.0.2:80", start: first.clock + 1_000_000)
        second.send(.client, .syn, tsval: 1_000_000)  // older, and answered
        second.send(.server, [.syn, .ack])
        second.send(.client, .ack)
        var third = ConnectionScript(client: "10.0.0.1:40002", server: "10.0.0.2:80", start: second.clock + 1_000_000)
        let syn = third.send(.client, .syn, tsval: 5_000)
        third.resend(syn, after: 1)
        expectKinds(findings(first, second, third), [.synUnanswered])
    }
}
