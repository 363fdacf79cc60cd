import FlowAuditTestSupport
import Testing

@testable import FlowAudit

@Suite("Handshake findings")
struct HandshakeAnomalyTests {
    @Test func cleanConnectionHasNoFindings() {
        var s = script()
        s.handshake()
        s.data(.client, 100)
        s.data(.server, 2000)
        s.close(first: .client)
        expectKinds(findings(s), [])
    }

    @Test func synUnansweredNamesEverySYN() {
        var s = script()
        let syn = s.send(.client, .syn)
        s.resend(syn, after: 1)
        s.resend(syn, after: 2)
        let found = expectKinds(findings(s), [.synUnanswered])
        #expect(found[.synUnanswered]?.frames == [1, 2, 3])
        #expect(found[.synUnanswered]?.severity == .error)
        #expect(found[.synUnanswered]?.explanation.contains("gaps 1.0 s, 2.0 s") == true)
        #expect(found[.synUnanswered]?.clientState == .synSent)
    }

    @Test func synRetransmittedThenAnswered() {
        var s = script()
        let syn = s.send(.client, .syn)
        s.resend(syn, after: 1)
        s.send(.server, [.syn, .ack])
        s.send(.client, .ack)
        s.close(first: .client)
        let found = expectKinds(findings(s), [.synRetransmitted])
        #expect(found[.synRetransmitted]?.frames == [1, 2, 3])
        #expect(found[.synRetransmitted]?.severity == .warning)
    }

    @Test func connectionRefusedByRSTACK() {
        var s = script()
        s.send(.client, .syn)
        s.send(.server, .rst, seq: 0, ack: 1_001)
        let found = expectKinds(findings(s), [.connectionRefused])
        #expect(found[.connectionRefused]?.frames == [1, 2])
        #expect(found[.connectionRefused]?.clientState == .closed)
    }

    @Test func synACKRetransmittedWhenHandshakeACKMissing() {
        var s = script()
        s.send(.client, .syn)
        let synACK = s.send(.server, [.syn, .ack])
        s.resend(synACK, after: 1)
        s.send(.client, .ack)
        s.close(first: .client)
        let found = expectKinds(findings(s), [.synACKRetransmitted])
        #expect(found[.synACKRetransmitted]?.frames == [2, 3, 4])
        #expect(
            found[.synACKRetransmitted]?.explanation.contains(
                "no handshake ACK from the client was seen before the first resend"
            ) == true
        )
    }

    @Test func acceptQueueOverflowIgnoresACKAndData() {
        var s = script()
        s.acceptQueueIgnoresHandshake()
        let found = expectKinds(findings(s), [.acceptQueueOverflow])
        #expect(found[.acceptQueueOverflow]?.frames == [2, 3, 5, 8])
        #expect(found[.acceptQueueOverflow]?.severity == .error)
        #expect(found[.acceptQueueOverflow]?.serverState == .synReceived)
    }

    @Test func acceptQueueOverflowWithAbortOnOverflow() {
        var s = script()
        s.handshake()
        s.send(.server, .rst, noACK: true)
        let found = expectKinds(findings(s), [.acceptQueueOverflow])
        #expect(found[.acceptQueueOverflow]?.frames == [2, 3, 4])
    }

    @Test func simultaneousOpen() {
        var s = script()
        s.send(.client, .syn)
        s.send(.server, .syn)
        s.send(.client, [.syn, .ack], seq: 1_000)
        s.send(.server, [.syn, .ack], seq: 5_000)
        s.close(first: .client)
        let found = expectKinds(findings(s), [.simultaneousOpen])
        #expect(found[.simultaneousOpen]?.frames == [1, 2])
        #expect(found[.simultaneousOpen]?.severity == .info)
    }
}
