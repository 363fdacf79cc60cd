import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// One row of a transition table: segments sent from a fresh 4-tuple, and both endpoints' states
/// after them (client, server).
struct TransitionCase: Sendable, CustomTestStringConvertible {
    let id: String
    let steps: @Sendable (inout ConnectionScript) -> Void
    let client: TCPState
    let server: TCPState

    init(
        _ id: String,
        _ client: TCPState,
        _ server: TCPState,
        _ steps: @escaping @Sendable (inout ConnectionScript) -> Void
    ) {
        self.id = id
        self.client = client
        self.server = server
        self.steps = steps
    }

    var testDescription: String { id }

    func check(sourceLocation: SourceLocation = #_sourceLocation) {
        var s = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
        steps(&s)
        let reports = audit(s.segments)
        guard let last = reports.last else {
            Issue.record("no generation judged", sourceLocation: sourceLocation)
            return
        }
        #expect(last.clientState == client, "client", sourceLocation: sourceLocation)
        #expect(last.serverState == server, "server", sourceLocation: sourceLocation)
    }
}

/// Fixtures named by the state they leave the connection in, each built only from segments.
extension ConnectionScript {
    mutating func established() { handshake() }

    /// Client FIN sent and acknowledged: client FIN-WAIT-2, server CLOSE-WAIT.
    mutating func finWait2() {
        handshake()
        send(.client, .fin)
        send(.server, .ack)
    }

    /// FINs crossed (neither acknowledges the other's): CLOSING / CLOSING.
    mutating func crossingFINs() {
        handshake()
        let before = next(.client)
        send(.client, .fin)
        send(.server, .fin, ack: before)
    }

    /// Client closed first and its final ACK (seen here) did not arrive: the server sends its FIN
    /// again. Client TIME-WAIT, server back in LAST-ACK.
    mutating func finResentAfterFinalACK() {
        handshake()
        send(.client, .fin)
        send(.server, .ack)
        let fin = send(.server, .fin)
        send(.client, .ack)
        resend(fin, after: 0.2)
    }

    /// Four-way close, client first, final ACK seen: client TIME-WAIT, server CLOSED.
    mutating func timeWait() {
        handshake()
        close(first: .client)
    }
}
