import FlowAuditTestSupport
import Testing

@testable import FlowAudit

extension TransitionCase {
    static let finWait1: [TransitionCase] = [
        .init("FIN-WAIT-1 + ACK of FIN -> FIN-WAIT-2 / CLOSE-WAIT", .finWait2, .closeWait) { $0.finWait2() },
        .init("FIN-WAIT-1 + FIN|ACK acking our FIN -> TIME-WAIT / LAST-ACK", .timeWait, .lastAck) {
            $0.established()
            $0.send(.client, .fin)
            $0.send(.server, .fin)
        },
        .init("FINs cross -> CLOSING / CLOSING (Figure 13)", .closing, .closing) { $0.crossingFINs() },
        .init("FIN resent, never acknowledged -> FIN-WAIT-1 / ESTABLISHED", .finWait1, .established) {
            $0.established()
            let fin = $0.send(.client, .fin)
            $0.resend(fin, after: 0.2)
        },
    ]

    static let finWait2: [TransitionCase] = [
        .init("FIN-WAIT-2 + peer data -> FIN-WAIT-2 / CLOSE-WAIT", .finWait2, .closeWait) {
            $0.finWait2()
            $0.data(.server, 100)
        },
        .init("FIN-WAIT-2 + peer FIN -> TIME-WAIT / LAST-ACK", .timeWait, .lastAck) {
            $0.finWait2()
            $0.send(.server, .fin)
        },
    ]

    static let closing: [TransitionCase] = [
        .init("CLOSING + ACK of FIN -> TIME-WAIT on that side", .timeWait, .closing) {
            $0.crossingFINs()
            $0.send(.server, .ack)
        },
        .init("CLOSING both acknowledged -> TIME-WAIT / TIME-WAIT", .timeWait, .timeWait) {
            $0.crossingFINs()
            $0.send(.server, .ack)
            $0.send(.client, .ack)
        },
    ]

    static let lastAck: [TransitionCase] = [
        .init("LAST-ACK + final ACK -> TIME-WAIT / CLOSED", .timeWait, .closed) { $0.timeWait() },
        .init("FIN resent after the final ACK -> server back in LAST-ACK", .timeWait, .lastAck) {
            $0.finResentAfterFinalACK()
        },
        .init("TIME-WAIT re-ACKs the resent FIN -> TIME-WAIT / CLOSED", .timeWait, .closed) {
            $0.finResentAfterFinalACK()
            $0.send(.client, .ack)
        },
        .init("LAST-ACK + RST from a client without TIME-WAIT -> CLOSED / CLOSED", .closed, .closed) {
            $0.established()
            $0.send(.client, .fin)
            $0.send(.server, .fin)
            $0.send(.client, .rst, noACK: true)
        },
    ]

    static let closeWait: [TransitionCase] = [
        .init("CLOSE-WAIT + own data -> stays CLOSE-WAIT", .finWait2, .closeWait) {
            $0.finWait2()
            $0.send(.server, .psh, payload: 100)
        },
        .init("CLOSE-WAIT + own FIN -> LAST-ACK", .timeWait, .lastAck) {
            $0.finWait2()
            $0.send(.server, .fin)
        },
    ]

    static let timeWait: [TransitionCase] = [
        .init("TIME-WAIT + RST -> CLOSED (tcp_rfc1337=0)", .closed, .closed) {
            $0.timeWait()
            $0.send(.server, .rst, seq: $0.next(.server))
        }
    ]
}

@Suite("FIN-WAIT-1") struct FinWait1TransitionTests {
    @Test(arguments: TransitionCase.finWait1) func transition(_ row: TransitionCase) { row.check() }
}

@Suite("FIN-WAIT-2") struct FinWait2TransitionTests {
    @Test(arguments: TransitionCase.finWait2) func transition(_ row: TransitionCase) { row.check() }
}

@Suite("CLOSE-WAIT") struct CloseWaitTransitionTests {
    @Test(arguments: TransitionCase.closeWait) func transition(_ row: TransitionCase) { row.check() }
}

@Suite("CLOSING") struct ClosingTransitionTests {
    @Test(arguments: TransitionCase.closing) func transition(_ row: TransitionCase) { row.check() }
}

@Suite("LAST-ACK") struct LastAckTransitionTests {
    @Test(arguments: TransitionCase.lastAck) func transition(_ row: TransitionCase) { row.check() }
}

@Suite("TIME-WAIT and 2MSL")
struct TimeWaitTransitionTests {
    @Test(arguments: TransitionCase.timeWait) func transition(_ row: TransitionCase) { row.check() }

    /// A closed generation is judged 2MSL after it closed and its flow freed; time in TIME-WAIT
    /// is counted up to then.
    @Test func closedGenerationExpiresAfterTwoMSL() {
        var s = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        s.timeWait()
        var other = ConnectionScript(client: "10.0.0.3:40000", server: "10.0.0.2:80", start: s.clock + 61_000_000_000)
        other.handshake()
        var reports: [GenerationReport] = []
        let auditor = FlowAuditor { reports.append($0) }
        let all = Capture([s, other]).segments
        for (index, entry) in all.enumerated() {
            auditor.process(entry.segment, frame: UInt64(index + 1), time: entry.time)
        }
        #expect(auditor.summary.generations == 1)
        auditor.finish()
        #expect(auditor.summary.generations == 2)
        #expect(auditor.summary.finalStatePairs["TIME-WAIT / CLOSED"] == 1)
        #expect(auditor.summary.peakOpenConnections == 1)
    }

    @Test func timeInStateIsAccounted() {
        var s = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        s.handshake()
        s.send(.client, .fin)
        s.send(.server, .ack)
        s.send(.server, .fin, after: 3)
        s.send(.client, .ack)
        let report = audit(s.segments).first!
        let closeWait = report.serverStateTimes.first { $0.0 == .closeWait }?.1 ?? 0
        #expect(closeWait >= 3_000_000_000 && closeWait < 3_002_000_000)
        let finWait2 = report.clientStateTimes.first { $0.0 == .finWait2 }?.1 ?? 0
        #expect(finWait2 >= 2_999_000_000 && finWait2 < 3_001_000_000)
    }
}
