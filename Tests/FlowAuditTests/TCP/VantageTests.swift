import FlowAuditTestSupport
import Testing

@testable import FlowAudit

@Suite("Capture point from handshake timing")
struct VantageTests {
    /// A handshake whose SYN → SYN-ACK and SYN-ACK → ACK gaps are given, then a clean close.
    func vantage(synToSYNACK: Double, synACKToACK: Double, resendSYN: Bool = false) -> Vantage? {
        var s = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        let syn = s.send(.client, .syn)
        if resendSYN { s.resend(syn, after: 1) }
        s.send(.server, [.syn, .ack], after: synToSYNACK)
        s.send(.client, .ack, after: synACKToACK)
        s.close(first: .client)
        return audit(s.segments).first?.vantage
    }

    @Test func nearTheClientTheACKFollowsAtOnce() {
        #expect(vantage(synToSYNACK: 0.030, synACKToACK: 0.000_05) == .nearClient)
    }

    @Test func nearTheServerTheSYNACKFollowsAtOnce() {
        #expect(vantage(synToSYNACK: 0.000_04, synACKToACK: 0.030) == .nearServer)
    }

    @Test func inBetweenBothGapsArePartOfTheRoundTrip() {
        #expect(vantage(synToSYNACK: 0.012, synACKToACK: 0.018) == .between)
    }

    @Test func oneHostWhenBothGapsAreStackLatency() {
        #expect(vantage(synToSYNACK: 0.000_02, synACKToACK: 0.000_015) == .sameHost)
    }

    @Test func unknownWithoutACleanHandshake() {
        #expect(vantage(synToSYNACK: 0.030, synACKToACK: 0.000_05, resendSYN: true) == .unknown)
    }
}
