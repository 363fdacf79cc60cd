import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// Zeek's `conn_state` and `history` (base/protocols/conn/main.zeek) for each way a connection
/// begins and ends, on crafted segments. The first four cases are Zeek's own regression cases
/// (btest `conn_state-RST-behavior`: single-rst, syn-then-rst, syn-then-ack-then-rst,
/// syn-then-stuff-then-rst) with the history and state Zeek's baseline expects.
@Suite struct ConnStateTests {
    /// The connection log fields of the only generation in `script`.
    private func connection(_ script: ConnectionScript) -> ConnectionLogFields? {
        let reports = audit(script.segments)
        #expect(reports.count == 1)
        return reports.first?.connection
    }

    private func expect(
        _ script: ConnectionScript,
        _ state: ConnState,
        _ history: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let fields = connection(script)
        #expect(fields?.state == state, sourceLocation: sourceLocation)
        #expect(fields?.history == history, sourceLocation: sourceLocation)
    }

    @Test func zeeksRSTRegressionCases() {
        var single = script()
        single.send(.client, [.rst], noACK: true)
        expect(single, .oth, "R")

        var synThenRST = script()
        synThenRST.send(.client, [.syn])
        synThenRST.send(.client, [.rst], noACK: true)
        expect(synThenRST, .rstos0, "SR")

        var synACKRST = script()
        synACKRST.send(.client, [.syn])
        synACKRST.send(.server, [.ack], seq: 5_000)
        synACKRST.send(.client, [.rst], noACK: true)
        expect(synACKRST, .rstos0, "SaR")

        var stuffThenRST = script()
        stuffThenRST.send(.client, [.syn])
        stuffThenRST.send(.server, [.ack], seq: 5_000)
        stuffThenRST.send(.client, [.fin, .ack])
        stuffThenRST.send(.client, [.rst], noACK: true)
        expect(stuffThenRST, .oth, "SaFR")
    }

    @Test func cleanCloseIsSF() {
        var clean = script()
        clean.handshake()
        clean.data(.client, 100)
        clean.data(.server, 400)
        clean.close(first: .client)
        let fields = connection(clean)
        #expect(fields?.state == .sf)
        #expect(fields?.history == "ShADadFf")
        #expect(fields?.clientBytes == 100)
        #expect(fields?.serverBytes == 400)
    }

    @Test func refusedIsREJAndUnansweredIsS0() {
        var refused = script()
        refused.send(.client, [.syn])
        refused.send(.server, [.rst, .ack], seq: 0)
        expect(refused, .rej, "Sr")

        var unanswered = script()
        let syn = unanswered.send(.client, [.syn])
        unanswered.resend(syn, after: 1)
        unanswered.resend(syn, after: 2)
        // Retransmissions of one SYN (same sequence number) are one letter, as in Zeek.
        expect(unanswered, .s0, "S")
    }

    @Test func oneSidedClosesAreS2OrS3ByTheCloser() {
        var clientCloses = script()
        clientCloses.handshake()
        clientCloses.send(.client, [.fin, .ack])
        clientCloses.send(.server, [.ack])
        expect(clientCloses, .s2, "ShAFa")

        var serverCloses = script()
        serverCloses.handshake()
        serverCloses.send(.server, [.fin, .ack])
        serverCloses.send(.client, [.ack])
        // The client's ACK of the FIN is not its first pure ACK: `A` is written once.
        expect(serverCloses, .s3, "ShAf")
    }

    @Test func resetsAreRSTOOrRSTRBySender() {
        var clientAborts = script()
        clientAborts.handshake()
        clientAborts.data(.client, 10)
        clientAborts.send(.client, [.rst, .ack])
        expect(clientAborts, .rsto, "ShADaR")

        var serverAborts = script()
        serverAborts.handshake()
        serverAborts.data(.client, 10)
        serverAborts.send(.server, [.rst, .ack])
        expect(serverAborts, .rstr, "ShADar")
    }

    @Test func halfOpenStatesWithoutTheOtherHandshakeHalf() {
        var synThenFIN = script()
        synThenFIN.send(.client, [.syn])
        synThenFIN.send(.client, [.fin, .ack], seq: 1_001, ack: 7_777)
        expect(synThenFIN, .sh, "SF")

        // The SYN-ACK first: its receiver is the originator, and `^` says the roles were flipped.
        var synACKThenFIN = script()
        synACKThenFIN.send(.server, [.syn, .ack], ack: 1_001)
        synACKThenFIN.send(.server, [.fin, .ack])
        expect(synACKThenFIN, .shr, "^hf")

        var synACKThenRST = script()
        synACKThenRST.send(.server, [.syn, .ack], ack: 1_001)
        synACKThenRST.send(.server, [.rst], noACK: true)
        expect(synACKThenRST, .rstrh, "^hr")
    }

    @Test func midstreamTrafficIsOTHOrS1() {
        var midstream = script()
        midstream.send(.client, [.psh, .ack], payload: 100)
        midstream.send(.server, [.ack])
        expect(midstream, .oth, "Da")

        var established = script()
        established.handshake()
        established.data(.client, 100)
        expect(established, .s1, "ShADa")
    }

    /// Zeek's closing rules: a RST after both FINs changes nothing (SF); a FIN, then a RST, then
    /// the peer's FIN is turned back into a normal close; odd flag combinations get `I` and `Q`.
    @Test func closingRulesAndOddFlags() {
        var rstAfterBothFINs = script()
        rstAfterBothFINs.handshake()
        rstAfterBothFINs.close(first: .client)
        rstAfterBothFINs.send(.client, [.rst], noACK: true)
        #expect(connection(rstAfterBothFINs)?.state == .sf)

        var finRSTThenPeerFIN = script()
        finRSTThenPeerFIN.handshake()
        finRSTThenPeerFIN.send(.client, [.fin, .ack])
        finRSTThenPeerFIN.send(.client, [.rst], noACK: true)
        finRSTThenPeerFIN.send(.server, [.fin, .ack])
        expect(finRSTThenPeerFIN, .sf, "ShAFRf")

        var oddFlags = script()
        oddFlags.handshake()
        oddFlags.send(.client, [.fin, .rst, .ack])
        #expect(connection(oddFlags)?.history == "ShAI")

        var synFIN = script()
        synFIN.send(.client, [.syn, .fin])
        #expect(connection(synFIN)?.history == "Q")
    }

    /// `t`, `w` and `c` are written at the 1st, 10th, 100th … occurrence.
    @Test func scaledLettersAreWrittenAtPowersOfTen() {
        var lossy = script()
        lossy.handshake()
        let data = lossy.send(.client, [.psh, .ack], payload: 100)
        for _ in 0..<10 { lossy.resend(data, after: 0.3) }
        lossy.send(.server, [.ack])
        #expect(connection(lossy)?.history == "ShADTTa")
    }

    @Test func aLongHistoryIsCutAndSaysSo() {
        var stormy = script()
        stormy.handshake()
        for index in 0..<40 { stormy.send(.client, [.rst], seq: 2_000 + UInt32(index) * 7, noACK: true) }
        let fields = connection(stormy)
        #expect(fields?.history.count == ConnectionHistory.capacity)
        #expect(fields?.historyCut == true)
    }

    @Test func zeeksTimeAndIntervalFormats() {
        #expect(
            MicrosecondText.seconds(Timestamp(seconds: 1_300_475_167, nanoseconds: 96_535_123).nanoseconds)
                == "1300475167.096535"
        )
        #expect(MicrosecondText.seconds(723_999) == "0.000723")
        #expect(MicrosecondText.seconds(12_000_001_000) == "12.000001")
    }
}
