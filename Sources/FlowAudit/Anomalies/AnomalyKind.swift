/// Every finding kind the analyzer names (DOMAIN.md §3). Raw values are the stable kebab-case
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
    /// that direction supports it (DOMAIN.md §6): what the other direction did not send (no
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

    /// The knob or call behind the finding (DOMAIN.md §4), in one line.
    public var advice: String {
        switch self {
        case .synUnanswered:
            "Check that the server listens and no firewall drops the SYN; if its SYN queue is full, raise net.ipv4.tcp_max_syn_backlog or keep net.ipv4.tcp_syncookies=1. The client gives up after net.ipv4.tcp_syn_retries."
        case .synRetransmitted:
            "SYN loss or a full SYN queue on the server: check net.ipv4.tcp_max_syn_backlog, net.ipv4.tcp_syncookies and path loss; each lost SYN costs the client a full RTO (1 s)."
        case .connectionRefused:
            "Nothing listens on that port (or it closed its listen socket): start the service or fix the client's port; a firewall REJECT rule also answers with RST."
        case .synACKRetransmitted:
            "The server resent its SYN-ACK: the client's handshake ACK was lost or never sent. Retries are bounded by net.ipv4.tcp_synack_retries."
        case .acceptQueueOverflow:
            "The listen backlog is full: the application does not accept() fast enough. Raise the listen() backlog and net.core.somaxconn, and accept faster; net.ipv4.tcp_abort_on_overflow=1 turns the silent drop into a RST."
        case .simultaneousOpen:
            "Legal but rare: both ends called connect() to each other; usually a misconfigured peer-to-peer or a port collision."
        case .lostFinalACK:
            "The active closer's last ACK did not arrive; its TIME-WAIT re-ACKs the retransmitted FIN, which is why TIME-WAIT exists. Check loss on the path; the passive closer retries per net.ipv4.tcp_orphan_retries."
        case .closeWaitStalled:
            "The application received the peer's FIN but never called close() on the socket: a CLOSE_WAIT leak. Close the socket in the application (check error paths and connection pools); no kernel knob ends CLOSE-WAIT."
        case .finWaitStalled:
            "The peer does not acknowledge or answer the FIN: an orphaned FIN-WAIT-1 retries per net.ipv4.tcp_orphan_retries, and FIN-WAIT-2 is bounded by net.ipv4.tcp_fin_timeout."
        case .abortiveClose:
            "A RST ended the connection: SO_LINGER {1, 0} before close(), close() with unread data in the receive buffer, or an application abort. Read all data before close() if a graceful FIN was intended."
        case .simultaneousClose:
            "Legal: both sides called close() at once; both pass through CLOSING and both end in TIME-WAIT."
        case .dataAfterClose:
            "Segments after the sender's own FIN or RST: a broken stack, a middlebox, or stale or injected segments; compare TTLs and timestamps with the connection's."
        case .timeWaitOnServer:
            "The server closed first, so TIME-WAIT sits on the server and ties up its 4-tuples for 2MSL. Let clients close first (HTTP keep-alive, Connection: close from the client), or bound it with net.ipv4.tcp_max_tw_buckets; net.ipv4.tcp_tw_reuse only helps outgoing connections. tcp_tw_recycle was removed in Linux 4.12."
        case .rstAfterSYNReuse:
            "A port was reused while the peer still held the old connection. Prefer letting the kernel pick ports; net.ipv4.tcp_tw_reuse=1 with net.ipv4.tcp_timestamps=1 makes reuse safe (RFC 6191); widen net.ipv4.ip_local_port_range if ports run out."
        case .portReuseWithin2MSL:
            "A 4-tuple was reused within 2MSL (net.ipv4.tcp_tw_reuse, SO_REUSEADDR, or port exhaustion). It is safe only with timestamps (RFC 6191, net.ipv4.tcp_timestamps=1) or an ISN above the old sequence space (RFC 1122)."
        case .staleSegment:
            "A delayed duplicate from an earlier incarnation of the 4-tuple arrived within 2MSL: the reason TIME-WAIT lasts 2MSL. Keep net.ipv4.tcp_timestamps=1 so PAWS (RFC 7323) rejects such segments; do not shorten TIME-WAIT."
        case .rstIgnored:
            "A RST that did not end the connection: a forged or injected RST (censorship, an attack, an IDS test: compare its TTL and TSval with the real peer's), or one lost after the capture point. Keep net.ipv4.tcp_timestamps=1; Linux follows RFC 5961 (challenge ACKs, net.ipv4.tcp_challenge_ack_limit) and ignores RSTs outside the window."
        case .segmentDiscarded:
            "Segments their receiver discards (PAWS with an old TSval, an unacceptable ACK, a SYN-ACK the client did not take) changed nothing: old duplicates, or segments injected by a third party or a middlebox. Compare their TTL and timestamps with the connection's; keep net.ipv4.tcp_timestamps=1 so PAWS rejects them."
        case .synFlood:
            "Many half-open attempts hold SYN-queue entries: keep net.ipv4.tcp_syncookies=1 (answers with cookies once the queue is full), raise net.ipv4.tcp_max_syn_backlog, lower net.ipv4.tcp_synack_retries; filter the sources upstream if they are spoofed."
        case .portScan:
            "A host probed many ports or hosts: a scanner (authorised or not). Check it against your inventory of scanners; closed ports answer with RST, filtered ones stay silent."
        case .timestampRegression:
            "A SYN carried a TSval older than one already seen from the same host and went unanswered: a PAWS drop, typically several hosts behind one NAT address with per-host timestamp checks (tcp_tw_recycle, removed in Linux 4.12). Disable per-host PAWS on the server or avoid the NAT."
        }
    }
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
