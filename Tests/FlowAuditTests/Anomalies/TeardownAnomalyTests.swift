import FlowAuditTestSupport
import Testing

@testable import FlowAudit

@Suite("Teardown findings")
struct TeardownAnomalyTests {
    @Test func lostFinalACKSeenButNotDelivered() {
        var s = script()
        s.handshake()
        s.data(.client, 10)
        s.send(.client, .fin)  // 6
        s.send(.server, .ack)  // 7
        let serverFIN = s.send(.server, .fin)  // 8
        s.send(.client, .ack)  // 9: the final ACK, lost after the capture point
        s.resend(serverFIN, after: 0.2)  // 10
        s.send(.client, .ack)  // 11: TIME-WAIT re-ACK
        let found = expectKinds(findings(s), [.lostFinalACK])
        let finding = found[.lostFinalACK]
        #expect(finding?.frames == [6, 8, 9, 10, 11])
        #expect(finding?.clientState == .timeWait)
        #expect(finding?.serverState == .lastAck)
        #expect(finding?.explanation.contains("final ACK (frame 9) was seen here") == true)
    }

    /// The FIN comes again after the generation was judged (grace 1 s): judged against its
    /// summary, and folded into the same generation's report.
    @Test func lostFinalACKDecidedAfterTheGracePeriod() {
        var s = script()
        s.handshake()
        s.data(.client, 10)
        s.closeLosingFinalACK(resendAfter: 3)
        let reports = audit(s.segments)
        #expect(reports.count == 1)
        let finding = reports.first?.findings.first
        #expect(finding?.kind == .lostFinalACK)
        #expect(finding?.frames == [6, 8, 9, 10])
        #expect(finding?.serverState == .lastAck)
        #expect(finding?.explanation.contains("after the close") == true)
    }

    @Test func closeWaitBeyondThresholdIsAWarning() {
        var s = script()
        s.handshake()
        s.send(.client, .fin)
        s.send(.server, .ack)
        s.send(.server, .fin, after: 15)
        s.send(.client, .ack)
        let found = expectKinds(findings(s), [.closeWaitStalled])
        #expect(found[.closeWaitStalled]?.severity == .warning)
        #expect(found[.closeWaitStalled]?.frames == [4, 6])
    }

    @Test func closeWaitCutByEndOfCaptureIsInformation() {
        var s = script()
        s.handshake()
        s.send(.client, .fin)
        s.send(.server, .ack)
        let found = expectKinds(findings(s), [.closeWaitStalled])
        #expect(found[.closeWaitStalled]?.severity == .info)
        #expect(found[.closeWaitStalled]?.serverState == .closeWait)
    }

    @Test func finRetransmittedWithoutACKIsFINWaitStalled() {
        var s = script()
        s.handshake()
        let fin = s.send(.client, .fin)
        s.resend(fin, after: 0.2)
        s.resend(fin, after: 0.4)
        let found = expectKinds(findings(s), [.finWaitStalled])
        #expect(found[.finWaitStalled]?.frames == [4, 5, 6])
        #expect(found[.finWaitStalled]?.clientState == .finWait1)
    }

    @Test func finWait2BeyondFinTimeout() {
        var s = script()
        s.handshake()
        s.send(.client, .fin)
        s.send(.server, .ack)
        s.send(.server, .psh, payload: 10, after: 70)
        s.send(.client, .ack)
        let kinds = findings(s).map(\.kind)
        #expect(kinds.contains(.finWaitStalled))
        #expect(kinds.contains(.closeWaitStalled))
    }

    @Test func resetInsteadOfFINIsAbortive() {
        var s = script()
        s.handshake()
        s.data(.server, 100)
        s.send(.client, .rst)
        let found = expectKinds(findings(s), [.abortiveClose])
        #expect(found[.abortiveClose]?.frames == [6])
        #expect(found[.abortiveClose]?.explanation.contains("client reset the connection from ESTABLISHED") == true)
    }

    @Test func crossingFINsAreASimultaneousClose() {
        var s = script()
        s.handshake()
        let clientNext = s.next(.client)
        s.send(.client, .fin)  // 4
        s.send(.server, .fin, ack: clientNext)  // 5: does not acknowledge the client's FIN
        s.send(.client, .ack)
        s.send(.server, .ack)
        let reports = audit(s.segments)
        let found = expectKinds(reports.flatMap(\.findings), [.simultaneousClose])
        #expect(found[.simultaneousClose]?.frames == [4, 5])
        #expect(found[.simultaneousClose]?.clientState == .closing)
        #expect(reports.first?.clientState == .timeWait)
        #expect(reports.first?.serverState == .timeWait)
    }

    @Test func dataAfterOwnFIN() {
        var s = script()
        s.handshake()
        s.send(.client, .fin)
        s.send(.server, .ack)
        s.send(.client, .psh, payload: 20, seq: s.next(.client))
        let kinds = findings(s).map(\.kind)
        #expect(kinds.contains(.dataAfterClose))
    }

    /// A stack that sent a RST has no connection left: data from the same address in the same
    /// sequence space afterwards shows the RST was not its own (docs/domain.md §6), so the connection
    /// is not reset and nothing is "after close".
    @Test func segmentsAfterARSTFromTheSameAddressUndoIt() {
        var s = script()
        s.handshake()
        s.send(.client, .rst)
        s.send(.client, .psh, payload: 20)
        s.send(.server, .ack)
        let found = expectKinds(findings(s), [.rstIgnored])
        #expect(found[.rstIgnored]?.frames == [4])
        #expect(found[.rstIgnored]?.explanation.contains("went on in the same sequence space (frame 5)") == true)
    }

    /// A real RST whose receiver kept sending for seconds, each segment answered by a bare RST:
    /// the RST ended the connection, and its receiver never had it.
    @Test func rstLostAfterTheCapturePoint() {
        var s = script()
        s.handshake()
        s.send(.server, .rst)
        let data = s.send(.client, .psh, payload: 20)
        s.send(.server, .rst, seq: s.next(.server), noACK: true)
        s.resend(data, after: 0.3)
        s.send(.server, .rst, seq: s.next(.server), noACK: true)
        let found = expectKinds(findings(s), [.abortiveClose, .rstIgnored])
        #expect(found[.rstIgnored]?.confidence == .likely)
        #expect(found[.rstIgnored]?.explanation.contains("answered by 2 bare RSTs") == true)
    }

    @Test func serverClosingFirstHoldsTimeWait() {
        var s = script()
        s.handshake()
        s.data(.client, 10)
        s.close(first: .server)
        let found = expectKinds(findings(s), [.timeWaitOnServer])
        #expect(found[.timeWaitOnServer]?.severity == .info)
        #expect(found[.timeWaitOnServer]?.frames == [6, 8, 9])
    }
}
