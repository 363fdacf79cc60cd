/// The facts a connection replay records for the classifiers: the frames of the handshake, the
/// teardown and every irregularity. Single events are stored inline; lists stay empty (and so
/// unallocated) on a clean connection, so the per-connection cost of the common case is fixed.
public struct GenerationEvidence: Sendable {
    /// Lists of irregular frames keep at most this many entries; `overflow` counts the rest.
    public static let listLimit = 32

    public var firstSYN: Moment?
    public var synRetransmissions: [Moment] = []
    public var firstSYNACK: Moment?
    public var synACKRetransmissions: [Moment] = []
    /// SYN-ACK retransmissions sent after the handshake ACK (or data) was seen: the server ignored it.
    public var synACKAfterHandshakeACK: [Moment] = []
    public var handshakeACK: Moment?
    public var peerSYN: Moment?  // the second SYN of a simultaneous open

    public var firstFIN: (a: Moment?, b: Moment?) = (nil, nil)
    /// FIN retransmissions per side, each with the sender's state at the time.
    public var finRetransmissions: [SideMoment] = []
    /// ACK of the second FIN (the final ACK of the four-way close).
    public var finalACK: Moment?
    /// Duplicate ACKs of a FIN from an endpoint in TIME-WAIT (re-ACKs of retransmitted FINs).
    public var timeWaitReACKs: [Moment] = []

    public var reset: SideMoment?
    public var resetSenderState: TCPState?
    /// RSTs that no endpoint would accept (out of window, RFC 9293 §3.10.7.4 / RFC 5961 §3).
    public var unacceptableResets: [SideMoment] = []
    public var dataAfterClose: [SideMoment] = []
    public var staleSegments: [SideMoment] = []
    /// Why each stale segment was judged stale, parallel to `staleSegments`.
    public var staleReasons: [String] = []

    /// The reuse dance (RFC 5961 §4 / RFC 1122 §4.2.2.13): the old connection's reply to the new
    /// SYN, and the SYN sender's RST of it.
    public var oldGenerationReply: Moment?
    public var oldGenerationReplyACK: SequenceNumber?
    public var reuseReset: Moment?

    /// Set when the first SYN's TSval is older than one already seen from the same client host
    /// (any connection): the newest TSval seen from that host then.
    public var synTimestampBehindHost: UInt32?

    /// Kinds already reported by a live timer while the connection was open (bit = position in
    /// `AnomalyKind.allCases`); the final judgement does not report them again.
    public var reportedWhileOpen: UInt32 = 0

    func wasReportedWhileOpen(_ kind: AnomalyKind) -> Bool { reportedWhileOpen & kind.bit != 0 }

    public var simultaneousOpen = false
    public var simultaneousClose = false
    /// Number of frames left out of the lists above because they were full.
    public var overflow: UInt32 = 0

    mutating func append(_ moment: Moment, to list: WritableKeyPath<GenerationEvidence, [Moment]>) {
        if self[keyPath: list].count < Self.listLimit { self[keyPath: list].append(moment) } else { overflow += 1 }
    }

    mutating func append(_ moment: SideMoment, to list: WritableKeyPath<GenerationEvidence, [SideMoment]>) {
        if self[keyPath: list].count < Self.listLimit { self[keyPath: list].append(moment) } else { overflow += 1 }
    }
}

/// A moment attributed to the endpoint that sent the frame.
public struct SideMoment: Hashable, Sendable {
    public var sender: Side
    public var moment: Moment
    /// The state the sender must have been in when it sent the frame. A retransmission can
    /// revise what the observer assumed: a FIN sent again means its ACK never arrived.
    public var senderState: TCPState
}
