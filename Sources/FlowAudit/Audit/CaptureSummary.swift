/// Counts over the whole capture, for the report's summary.
public struct CaptureSummary: Sendable {
    public var frames: UInt64 = 0
    public var bytes: UInt64 = 0
    public var tcpPackets: UInt64 = 0
    public var notTCP: UInt64 = 0
    public var laterFragments: UInt64 = 0
    /// TCP segments whose payload or options the snaplen cut (headers used as far as present).
    public var cutBySnaplen: UInt64 = 0
    /// Frames that could not be decoded as far as TCP, by reason.
    public var undecodable: [String: UInt64] = [:]
    /// The first undecodable frames, each with its number and reason.
    public var diagnostics: [FrameDiagnostic] = []
    public var flows: UInt64 = 0
    public var generations: UInt64 = 0
    /// How generations ended: (client state, server state) → count.
    public var finalStates: [StatePair: UInt64] = [:]

    /// `finalStates` as "CLIENT / SERVER" text, for reports.
    public var finalStatePairs: [String: UInt64] {
        Dictionary(finalStates.map { ("\($0.key.a) / \($0.key.b)", $0.value) }, uniquingKeysWith: +)
    }
    public var findingsByKind: [AnomalyKind: UInt64] = [:]
    public var firstTime: Timestamp?
    public var lastTime: Timestamp?
    /// Most connections open at once (generations not yet closed).
    public var peakOpenConnections: UInt64 = 0
    /// Judged generations by where the capture point sat (from handshake timing).
    public var vantages: [Vantage: UInt64] = [:]
    /// Reports written ahead of their first-seen turn to keep memory bounded (see `FirstSeenOrder`).
    public var reportsOutOfOrder: UInt64 = 0

    public static let diagnosticLimit = 50

    public var undecodableTotal: UInt64 { undecodable.values.reduce(0, +) }

    mutating func noteUndecodable(frame: UInt64, _ error: DecodeError) {
        undecodable[error.category, default: 0] += 1
        if diagnostics.count < Self.diagnosticLimit { diagnostics.append(FrameDiagnostic(frame: frame, reason: error.description)) }
    }
}

/// One frame the decoder could not use, and why.
public struct FrameDiagnostic: Sendable, Hashable {
    public var frame: UInt64
    public var reason: String

    public init(frame: UInt64, reason: String) {
        self.frame = frame
        self.reason = reason
    }
}
