import FlowAuditTestSupport
import Testing

@testable import FlowAudit

extension TransitionCase {
    static let handshake: [TransitionCase] = [
        .init("SYN -> SYN-SENT / LISTEN", .synSent, .listen) { $0.send(.client, .syn) },
        .init("SYN sent again, same ISN -> still SYN-SENT", .synSent, .listen) {
            let syn = $0.send(.client, .syn)
            $0.resend(syn, after: 1)
        },
        .init("SYN + RST|ACK of the SYN -> CLOSED / CLOSED (§3.10.7.3)", .closed, .closed) {
            $0.send(.client, .syn)
            $0.send(.server, .rst, seq: 0)
        },
        .init("SYN + RST acking another ISN -> ignored (§3.10.7.3)", .synSent, .listen) {
            $0.send(.client, .syn)
            $0.send(.server, .rst, seq: 0, ack: 77)
        },
        .init("SYN + SYN -> SYN-RECEIVED / SYN-RECEIVED (simultaneous open, Figure 7)", .synReceived, .synReceived) {
            $0.send(.client, .syn)
            $0.send(.server, .syn)
        },
        .init("SYN + SYN-ACK -> ESTABLISHED / SYN-RECEIVED", .established, .synReceived) {
            $0.send(.client, .syn)
            $0.send(.server, [.syn, .ack])
        },
        .init("three-way handshake -> ESTABLISHED / ESTABLISHED (Figure 6)", .established, .established) {
            $0.handshake()
        },
        .init("SYN-ACK resent after the ACK -> server back in SYN-RECEIVED", .established, .synReceived) {
            $0.send(.client, .syn)
            let synACK = $0.send(.server, [.syn, .ack])
            $0.send(.client, .ack)
            $0.resend(synACK, after: 1)
        },
        .init("SYN-RECEIVED + data acking the SYN-ACK -> ESTABLISHED", .established, .established) {
            $0.send(.client, .syn)
            $0.send(.server, [.syn, .ack])
            $0.send(.client, .psh, payload: 10)
        },
        .init("SYN-ACK first (SYN not captured) -> roles from the SYN-ACK", .established, .established) {
            $0.send(.server, [.syn, .ack], ack: 1_001)
            $0.send(.client, .ack, seq: 1_001)
        },
    ]
}

@Suite("LISTEN, SYN-SENT and SYN-RECEIVED")
struct HandshakeTransitionTests {
    @Test(arguments: TransitionCase.handshake) func transition(_ row: TransitionCase) { row.check() }
}
