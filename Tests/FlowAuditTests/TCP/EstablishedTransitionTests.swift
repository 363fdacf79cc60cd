import FlowAuditTestSupport
import Testing

@testable import FlowAudit

extension TransitionCase {
    static let established: [TransitionCase] = [
        .init("data both ways -> ESTABLISHED", .established, .established) {
            $0.established()
            $0.data(.client, 100)
            $0.data(.server, 1000)
        },
        .init("client FIN -> FIN-WAIT-1 / CLOSE-WAIT (Figure 12)", .finWait1, .closeWait) {
            $0.established()
            $0.send(.client, .fin)
        },
        .init("RST at SND.NXT -> CLOSED / CLOSED (§3.10.7.4)", .closed, .closed) {
            $0.established()
            $0.send(.server, .rst)
        },
        .init("RST far outside the window -> ignored (RFC 5961 §3)", .established, .established) {
            $0.established()
            $0.send(.server, .rst, seq: 5_001 &+ 10_000_000)
        },
        .init("FIN with data -> FIN-WAIT-1 / CLOSE-WAIT", .finWait1, .closeWait) {
            $0.established()
            $0.send(.client, [.fin, .psh], payload: 50)
        },
    ]

    static let midstream: [TransitionCase] = [
        .init("first segment is data -> UNKNOWN / UNKNOWN", .unknown, .unknown) {
            $0.send(.client, .psh, payload: 10)
            $0.send(.server, .ack)
        },
        .init("midstream client FIN -> FIN-WAIT-1 / CLOSE-WAIT", .finWait1, .closeWait) {
            $0.send(.client, .psh, payload: 10)
            $0.send(.client, .fin)
        },
        .init("midstream four-way close -> TIME-WAIT / CLOSED", .timeWait, .closed) {
            $0.send(.client, .psh, payload: 10)
            $0.close(first: .client)
        },
        .init("midstream RST -> CLOSED / CLOSED", .closed, .closed) {
            $0.send(.client, .psh, payload: 10)
            $0.send(.server, .rst)
        },
    ]
}

@Suite("ESTABLISHED")
struct EstablishedTransitionTests {
    @Test(arguments: TransitionCase.established) func transition(_ row: TransitionCase) { row.check() }
}

@Suite("UNKNOWN (first seen midstream)")
struct MidstreamTransitionTests {
    @Test(arguments: TransitionCase.midstream) func transition(_ row: TransitionCase) { row.check() }

    @Test func rolesAreGuessedFromPorts() {
        var s = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        s.send(.server, .psh, payload: 10)
        let report = audit(s.segments).first
        #expect(report?.rolesInferred == true)
        #expect(report?.server.port == 80)
    }
}
