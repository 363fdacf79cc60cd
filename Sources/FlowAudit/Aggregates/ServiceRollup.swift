/// Per server address and port (issue 13): how many connections, how they ended (final state
/// pairs), who closed first, how long handshakes took, and what was found — the table that says
/// which service leaks CLOSE-WAIT or piles up TIME-WAIT.
struct ServiceRollup {
    private struct Tally {
        var connections = 0
        var finalStates: [String: Int] = [:]
        var closedFirst: [String: Int] = [:]
        /// Nanoseconds from the client's SYN to its handshake ACK (or to the SYN-ACK).
        var handshakes: [Int64] = []
        var findings: [AnomalyKind: Int] = [:]
    }

    private var services: [Endpoint: Tally] = [:]

    mutating func note(_ g: ConnectionGeneration, findings: [Finding]) {
        let server = g.key.endpoint(g.server)
        var tally = services[server] ?? Tally()
        tally.connections += 1
        tally.finalStates["\(g.state(of: g.client)) / \(g.state(of: g.server))", default: 0] += 1
        tally.closedFirst[Self.closer(g), default: 0] += 1
        if let syn = g.evidence.firstSYN, let answer = g.evidence.handshakeACK ?? g.evidence.firstSYNACK,
            syn.time <= answer.time
        {
            tally.handshakes.append(answer.time.since(syn.time))
        }
        for finding in findings { tally.findings[finding.kind, default: 0] += 1 }
        services[server] = tally
    }

    /// Who ended the connection first: the side whose FIN (or RST) came first, or nobody.
    private static func closer(_ g: ConnectionGeneration) -> String {
        let fins = g.evidence.firstFIN
        let finA = fins.a?.frame ?? .max, finB = fins.b?.frame ?? .max
        let reset = g.evidence.reset.map { $0.moment.frame } ?? .max
        let firstFIN = min(finA, finB)
        if reset < firstFIN { return "rst" }
        guard firstFIN != .max else { return "none" }
        let side: Side = finA <= finB ? .a : .b
        return side == g.client ? "client" : "server"
    }

    /// The services, busiest first (then those with more findings).
    var entries: [ServiceEntry] {
        services.map { server, tally in
            let sorted = tally.handshakes.sorted()
            func percentile(_ p: Double) -> Int64? {
                sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
            }
            return ServiceEntry(
                server: server,
                connections: tally.connections,
                finalStates: tally.finalStates,
                closedFirst: tally.closedFirst,
                handshake: sorted.isEmpty
                    ? nil : (p50: percentile(0.5)!, p90: percentile(0.9)!, p99: percentile(0.99)!, max: sorted.last!),
                findings: tally.findings
            )
        }.sorted {
            ($0.connections, $0.findingCount, $1.server.description) > (
                $1.connections, $1.findingCount, $0.server.description
            )
        }
    }
}

/// One service's rollup over a capture.
public struct ServiceEntry: Sendable {
    public var server: Endpoint
    public var connections: Int
    /// "CLIENT / SERVER" final states → connections.
    public var finalStates: [String: Int]
    /// `client`, `server`, `rst` or `none` → connections.
    public var closedFirst: [String: Int]
    /// Handshake time percentiles, nanoseconds (nil when no handshake was timed).
    public var handshake: (p50: Int64, p90: Int64, p99: Int64, max: Int64)?
    public var findings: [AnomalyKind: Int]

    public var findingCount: Int { findings.values.reduce(0, +) }
}
