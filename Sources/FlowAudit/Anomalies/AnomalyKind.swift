/// Every finding kind the analyzer names (docs/domain.md §3). Raw values are the stable kebab-case
/// identifiers used in reports, JSON output, expected files and `--only`.
public enum AnomalyKind: String, CaseIterable, Sendable, Comparable {
    // Handshake
    case synUnanswered = "syn-unanswered"
    case synRetransmitted = "syn-retransmitted"
    case connectionRefused = "connection-refused"
    case synACKRetransmitted = "synack-retransmitted"
    case acceptQueueOverflow = "accept-queue-overflow"
    case simultaneousOpen = "simultaneous-open"
    // Teardown
    case lostFinalACK = "lost-final-ack"
    case closeWaitStalled = "close-wait-stalled"
    case finWaitStalled = "fin-wait-stalled"
    case abortiveClose = "abortive-close"
    case simultaneousClose = "simultaneous-close"
    case dataAfterClose = "data-after-close"
    case timeWaitOnServer = "time-wait-on-server"
    // Reuse of a 4-tuple, and 2MSL
    case rstAfterSYNReuse = "rst-after-syn-reuse"
    case portReuseWithin2MSL = "port-reuse-within-2msl"
    case staleSegment = "stale-segment"
    case timestampRegression = "timestamp-regression"
    // Segments their receiver would not act on
    case rstIgnored = "rst-ignored"
    case segmentDiscarded = "segment-discarded"
    // Over many connections
    case synFlood = "syn-flood"
    case portScan = "port-scan"

    public static func < (lhs: AnomalyKind, rhs: AnomalyKind) -> Bool { lhs.position < rhs.position }

    /// The kind's place in `allCases` (declaration order).
    var position: Int { Self.ordered.firstIndex(of: self)! }
    private static let ordered = allCases

    /// One bit per kind, for compact sets of kinds.
    var bit: UInt32 { 1 << UInt32(position) }

    /// Whether the finding rests on one direction's packets alone, so that a capture of only
    /// that direction supports it (docs/domain.md §6): what the other direction did not send (no
    /// answer, no FIN, no ACK) cannot be seen there, so kinds built on such an absence are left
    /// out of one-sided generations.
    var standsOnOneDirection: Bool {
        switch self {
        case .synRetransmitted, .abortiveClose, .dataAfterClose, .staleSegment, .portReuseWithin2MSL, .rstIgnored,
            .segmentDiscarded:
            true
        default: false
        }
    }

    /// The rule that names the kind; its explanation and advice live beside it.
    var rule: any FindingRule.Type {
        switch self {
        case .synUnanswered: SYNUnanswered.self
        case .synRetransmitted: SYNRetransmitted.self
        case .connectionRefused: ConnectionRefused.self
        case .synACKRetransmitted: SYNACKRetransmitted.self
        case .acceptQueueOverflow: AcceptQueueOverflow.self
        case .simultaneousOpen: SimultaneousOpen.self
        case .lostFinalACK: LostFinalACK.self
        case .closeWaitStalled: CloseWaitStalled.self
        case .finWaitStalled: FINWaitStalled.self
        case .abortiveClose: AbortiveClose.self
        case .simultaneousClose: SimultaneousClose.self
        case .dataAfterClose: DataAfterClose.self
        case .timeWaitOnServer: TimeWaitOnServer.self
        case .rstAfterSYNReuse: RSTAfterSYNReuse.self
        case .portReuseWithin2MSL: PortReuseWithin2MSL.self
        case .staleSegment: StaleSegment.self
        case .rstIgnored: RSTIgnored.self
        case .segmentDiscarded: SegmentDiscarded.self
        case .synFlood: SYNFlood.self
        case .portScan: PortScan.self
        case .timestampRegression: TimestampRegression.self
        }
    }

    /// The knob or call behind the finding (docs/domain.md §4), in one line.
    public var advice: String { rule.advice }
}

/// How much a finding matters. Ordered: `info < warning < error`.
public enum Severity: String, CaseIterable, Sendable, Comparable {
    case info, warning, error

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// Position in `allCases`: 0 info, 1 warning, 2 error.
    var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }
}
