/// Where the capture point sat on a connection's path, read from its handshake timing
/// (docs/domain.md §1): an endpoint answers at once, the network takes a round trip. Near the client,
/// the handshake ACK follows the SYN-ACK within microseconds while SYN → SYN-ACK takes the round
/// trip; near the server it is the reverse; in between, both take part of it.
public enum Vantage: String, Sendable, CaseIterable {
    case nearClient = "near-client"
    case nearServer = "near-server"
    case between
    /// Both gaps tiny: both endpoints on one host (loopback, or namespaces on one machine).
    case sameHost = "same-host"
    /// Only the client's direction was captured (its ACKs prove the server answered).
    case oneSided = "one-sided"
    /// No clean handshake to time (missing frames, retransmissions, midstream start).
    case unknown

    /// The vantage's place in `allCases`.
    var position: Int { Self.ordered.firstIndex(of: self)! }
    private static let ordered = allCases

    /// A gap this many times the other counts as "the round trip" against "an immediate answer".
    static let ratio: Int64 = 4
    /// Below this both gaps are stack latency on one host, not a network round trip.
    static let sameHostGap: Int64 = 200_000

    init(_ g: ConnectionGeneration) {
        if g.isOneSided {
            self = .oneSided
        } else if g.evidence.synRetransmissions.isEmpty && g.evidence.synACKRetransmissions.isEmpty {
            self.init(handshakeOf: g)
        } else {
            self = .unknown
        }
    }

    /// From the first SYN, SYN-ACK and handshake ACK alone, whatever was retransmitted later
    /// (a SYN-ACK resent after the handshake does not change where the capture point sat).
    init(handshakeOf g: ConnectionGeneration) {
        let e = g.evidence
        guard let syn = e.firstSYN, let synACK = e.firstSYNACK, let ack = e.handshakeACK, e.lateSYN == nil,
            syn.time < synACK.time || syn.time == synACK.time, !(ack.time < synACK.time)
        else {
            self = .unknown
            return
        }
        let toSYNACK = synACK.time.since(syn.time), toACK = ack.time.since(synACK.time)
        if toSYNACK < Self.sameHostGap && toACK < Self.sameHostGap {
            self = .sameHost
        } else if toACK.saturatingMultiply(Self.ratio) < toSYNACK {
            self = .nearClient
        } else if toSYNACK.saturatingMultiply(Self.ratio) < toACK {
            self = .nearServer
        } else {
            self = .between
        }
    }

    /// How a report says it, for people.
    public var phrase: String {
        switch self {
        case .nearClient: "capture point near the client"
        case .nearServer: "capture point near the server"
        case .between: "capture point between client and server"
        case .sameHost: "both endpoints on the capturing host"
        case .oneSided: "one-sided capture (only the client's direction; its ACKs prove the server answered)"
        case .unknown: "capture point unknown (no clean handshake)"
        }
    }
}
