/// The fields of a Zeek conn.log line that tcpflow-audit computes for one generation, by role
/// (Zeek's originator is the generation's client, its responder the server).
public struct ConnectionLogFields: Sendable, Equatable {
    public var state: ConnState
    public var history: String
    /// True when the history was cut at `ConnectionHistory.capacity` letters.
    public var historyCut: Bool
    /// Payload bytes by sequence number (`orig_bytes`, `resp_bytes`).
    public var clientBytes: UInt64, serverBytes: UInt64
    /// Packets each sent (`orig_pkts`, `resp_pkts`), copies of one packet counted once.
    public var clientPackets: UInt64, serverPackets: UInt64

    init(_ g: ConnectionGeneration) {
        history = g.connHistory
        state = g.connState(history: history)
        historyCut = g.history.isCut
        clientBytes = g.sequenceBytes(g.client)
        serverBytes = g.sequenceBytes(g.server)
        clientPackets = UInt64(g[g.client].packets)
        serverPackets = UInt64(g[g.server].packets)
    }
}
