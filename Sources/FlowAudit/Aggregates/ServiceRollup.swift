/// Per server address and port (issue 13): how many connections, how they ended (final state
/// pairs), who closed first, how long handshakes took, and what was found — the table that says
/// which service leaks CLOSE-WAIT or piles up TIME-WAIT.
struct ServiceRollup {
    private struct Tally {
        var connections = 0
        /// Connections by (client state × server state), indexed as `TCPState` raw values.
        var finalStates = [Int](repeating: 0, count: TCPState.allCases.count * TCPState.allCases.count)
        /// Connections by who closed first: client, server, RST, nobody.
        var closedFirst = [0, 0, 0, 0]
        /// Nanoseconds from the client's SYN to its handshake ACK (or to the SYN-ACK): every
        /// `stride`-th handshake, the stride doubling (and every other sample dropped) whenever
        /// `sampleLimit` are held, so memory stays bounded and the samples spread over the capture.
        var handshakes: [Int64] = []
        var handshakesSeen = 0
        var stride = 1
        var findings: [AnomalyKind: Int] = [:]
    }

    private var services: [Endpoint: Tally] = [:]

    mutating func note(_ g: ConnectionGeneration, findings: [Finding]) {
        let server = g.key.endpoint(g.server)
        let states = Int(g.state(of: g.client).rawValue) * TCPState.allCases.count + Int(g.state(of: g.server).rawValue)
        let closer = Self.closer(g)
        var handshake: Int64?
        if let syn = g.evidence.firstSYN, let answer = g.evidence.handshakeACK ?? g.evidence.firstSYNACK,
            syn.time <= answer.time
        {
            handshake = answer.time.since(syn.time)
        }
        // Changed in place: a copy out of the dictionary would copy its arrays on every write.
        modify(&services[server, default: Tally()]) { tally in
            tally.connections += 1
            tally.finalStates[states] += 1
            tally.closedFirst[closer] += 1
            if let handshake {
                if tally.handshakesSeen % tally.stride == 0 {
                    tally.handshakes.append(handshake)
                    if tally.handshakes.count >= Self.sampleLimit {
                        tally.handshakes = Swift.stride(from: 0, to: tally.handshakes.count, by: 2).map {
                            tally.handshakes[$0]
                        }
                        tally.stride *= 2
                    }
                }
                tally.handshakesSeen += 1
            }
            for finding in findings { tally.findings[finding.kind, default: 0] += 1 }
        }
    }

    private func modify(_ tally: inout Tally, _ change: (inout Tally) -> Void) { change(&tally) }

    private static let closers = ["client", "server", "rst", "none"]

    /// Who ended the connection first (an index into `closers`): the side whose FIN came first,
    /// a RST before any FIN, or nobody.
    private static func closer(_ g: ConnectionGeneration) -> Int {
        let fins = g.evidence.firstFIN
        let finA = fins.a?.frame ?? .max, finB = fins.b?.frame ?? .max
        let reset = g.evidence.reset.map { $0.moment.frame } ?? .max
        let firstFIN = min(finA, finB)
        if reset < firstFIN { return 2 }
        guard firstFIN != .max else { return 3 }
        let side: Side = finA <= finB ? .a : .b
        return side == g.client ? 0 : 1
    }

    /// Services kept in the output at most: the busiest.
    static let limit = 100
    /// Handshake times held per service at most (percentiles are exact up to this many).
    static let sampleLimit = 65_536

    /// The services, busiest first (then those with more findings), at most `limit`, and how
    /// many were left out.
    var entries: (entries: [ServiceEntry], omitted: Int) {
        let states = TCPState.allCases
        // Busiest first; ties by more findings, then by the server's address and port.
        let busiest = services.map {
            (server: $0.key, tally: $0.value, findings: $0.value.findings.values.reduce(0, +))
        }
        .sorted {
            ($0.tally.connections, $0.findings, $1.server.address, $1.server.port)
                > ($1.tally.connections, $1.findings, $0.server.address, $0.server.port)
        }.prefix(Self.limit)
        let kept: [ServiceEntry] = busiest.map { server, tally, _ in
            let sorted = tally.handshakes.sorted()
            func percentile(_ p: Double) -> Int64? {
                sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
            }
            var finalStates: [String: Int] = [:]
            for (index, count) in tally.finalStates.enumerated() where count > 0 {
                finalStates["\(states[index / states.count]) / \(states[index % states.count])"] = count
            }
            var closedFirst: [String: Int] = [:]
            for (index, count) in tally.closedFirst.enumerated() where count > 0 {
                closedFirst[Self.closers[index]] = count
            }
            return ServiceEntry(
                server: server,
                connections: tally.connections,
                finalStates: finalStates,
                closedFirst: closedFirst,
                handshake: sorted.isEmpty
                    ? nil : (p50: percentile(0.5)!, p90: percentile(0.9)!, p99: percentile(0.99)!, max: sorted.last!),
                findings: tally.findings
            )
        }
        return (kept, max(0, services.count - Self.limit))
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
