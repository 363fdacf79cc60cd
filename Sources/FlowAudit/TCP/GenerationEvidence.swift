/// The facts a connection replay records for the classifiers: the frames of the handshake, the
/// teardown and every irregularity. The handshake and close frames are stored inline; the rest
/// only exists once something irregular happened, so a clean connection costs about 110 bytes.
public struct GenerationEvidence: Sendable {
    /// Lists of irregular frames keep at most this many entries; `overflow` counts the rest.
    public static let listLimit = 32

    // The frames every connection has (or lacks), kept inline; `Moment.none` when absent.
    private var synFrame = Moment.none, synACKFrame = Moment.none, handshakeACKFrame = Moment.none
    private var finFrameA = Moment.none, finFrameB = Moment.none, finalACKFrame = Moment.none

    public var firstSYN: Moment? {
        get { synFrame.ifPresent }
        set { synFrame = newValue ?? .none }
    }
    public var firstSYNACK: Moment? {
        get { synACKFrame.ifPresent }
        set { synACKFrame = newValue ?? .none }
    }
    public var handshakeACK: Moment? {
        get { handshakeACKFrame.ifPresent }
        set { handshakeACKFrame = newValue ?? .none }
    }
    /// Each side's first FIN.
    public var firstFIN: (a: Moment?, b: Moment?) {
        get { (finFrameA.ifPresent, finFrameB.ifPresent) }
        set {
            finFrameA = newValue.a ?? .none
            finFrameB = newValue.b ?? .none
        }
    }
    /// ACK of the second FIN (the final ACK of the four-way close).
    public var finalACK: Moment? {
        get { finalACKFrame.ifPresent }
        set { finalACKFrame = newValue ?? .none }
    }

    /// Kinds already reported by a live timer while the connection was open (bit = position in
    /// `AnomalyKind.allCases`); the final judgement does not report them again.
    public var reportedWhileOpen: UInt32 = 0

    func wasReportedWhileOpen(_ kind: AnomalyKind) -> Bool { reportedWhileOpen & kind.bit != 0 }

    public var simultaneousOpen = false
    public var simultaneousClose = false

    /// Everything else, allocated on the first such event, so a clean connection carries two
    /// pointers for it: retransmission lists (the common irregularity) in one box, rarer events
    /// in another. Copy-on-write, like an array.
    private var retransmissions: Box<Retransmissions>?
    private var rare: Box<RareEvents>?

    private mutating func retransmissionsForWriting() -> Box<Retransmissions> {
        if let box = retransmissions, isKnownUniquelyReferenced(&retransmissions) { return box }
        let box = Box(retransmissions?.value ?? Retransmissions())
        retransmissions = box
        return box
    }

    private mutating func rareForWriting() -> Box<RareEvents> {
        if let box = rare, isKnownUniquelyReferenced(&rare) { return box }
        let box = Box(rare?.value ?? RareEvents())
        rare = box
        return box
    }

    public var synRetransmissions: [Moment] {
        get { retransmissions?.value.synRetransmissions ?? [] }
        set { retransmissionsForWriting().value.synRetransmissions = newValue }
    }
    public var synACKRetransmissions: [Moment] {
        get { retransmissions?.value.synACKRetransmissions ?? [] }
        set { retransmissionsForWriting().value.synACKRetransmissions = newValue }
    }
    /// SYN-ACK retransmissions sent after the handshake ACK (or data) was seen: the server ignored it.
    public var synACKAfterHandshakeACK: [Moment] {
        get { retransmissions?.value.synACKAfterHandshakeACK ?? [] }
        set { retransmissionsForWriting().value.synACKAfterHandshakeACK = newValue }
    }
    /// FIN retransmissions per side, each with the sender's state at the time.
    public var finRetransmissions: [SideMoment] {
        get { retransmissions?.value.finRetransmissions ?? [] }
        set { retransmissionsForWriting().value.finRetransmissions = newValue }
    }
    /// Duplicate ACKs of a FIN from an endpoint in TIME-WAIT (re-ACKs of retransmitted FINs).
    public var timeWaitReACKs: [Moment] {
        get { retransmissions?.value.timeWaitReACKs ?? [] }
        set { retransmissionsForWriting().value.timeWaitReACKs = newValue }
    }
    /// The second SYN of a simultaneous open.
    public var peerSYN: Moment? {
        get { rare?.value.peerSYN }
        set { rareForWriting().value.peerSYN = newValue }
    }
    public var reset: SideMoment? {
        get { rare?.value.reset }
        set { rareForWriting().value.reset = newValue }
    }
    public var resetSenderState: TCPState? {
        get { rare?.value.resetSenderState }
        set { rareForWriting().value.resetSenderState = newValue }
    }
    /// RSTs that no endpoint would accept (out of window, RFC 9293 §3.10.7.4 / RFC 5961 §3).
    public var unacceptableResets: [SideMoment] {
        get { rare?.value.unacceptableResets ?? [] }
        set { rareForWriting().value.unacceptableResets = newValue }
    }
    public var dataAfterClose: [SideMoment] {
        get { rare?.value.dataAfterClose ?? [] }
        set { rareForWriting().value.dataAfterClose = newValue }
    }
    public var staleSegments: [SideMoment] {
        get { rare?.value.staleSegments ?? [] }
        set { rareForWriting().value.staleSegments = newValue }
    }
    /// Why each stale segment was judged stale, parallel to `staleSegments`.
    public var staleReasons: [String] {
        get { rare?.value.staleReasons ?? [] }
        set { rareForWriting().value.staleReasons = newValue }
    }
    /// The reuse dance (RFC 5961 §4 / RFC 1122 §4.2.2.13): the old connection's reply to the new
    /// SYN, and the SYN sender's RST of it.
    public var oldGenerationReply: Moment? {
        get { rare?.value.oldGenerationReply }
        set { rareForWriting().value.oldGenerationReply = newValue }
    }
    public var oldGenerationReplyACK: SequenceNumber? {
        get { rare?.value.oldGenerationReplyACK }
        set { rareForWriting().value.oldGenerationReplyACK = newValue }
    }
    public var reuseReset: Moment? {
        get { rare?.value.reuseReset }
        set { rareForWriting().value.reuseReset = newValue }
    }
    /// Set when the first SYN's TSval is older than one already seen from the same client host
    /// (any connection): the newest TSval seen from that host then.
    public var synTimestampBehindHost: UInt32? {
        get { rare?.value.synTimestampBehindHost }
        set { rareForWriting().value.synTimestampBehindHost = newValue }
    }
    /// Number of frames left out of the lists above because they were full.
    public var overflow: UInt32 {
        get { rare?.value.overflow ?? 0 }
        set { rareForWriting().value.overflow = newValue }
    }

    mutating func append<Element>(_ element: Element, to list: WritableKeyPath<Retransmissions, [Element]>) {
        if !retransmissionsForWriting().append(element, to: list) { overflow += 1 }
    }

    mutating func append<Element>(_ element: Element, to list: WritableKeyPath<RareEvents, [Element]>) {
        if !rareForWriting().append(element, to: list) { overflow += 1 }
    }
}

/// Retransmission lists of a generation (see `GenerationEvidence`).
struct Retransmissions {
    var synRetransmissions: [Moment] = []
    var synACKRetransmissions: [Moment] = []
    var synACKAfterHandshakeACK: [Moment] = []
    var finRetransmissions: [SideMoment] = []
    var timeWaitReACKs: [Moment] = []
}

/// The rarer evidence of a generation (see `GenerationEvidence`).
struct RareEvents {
    var peerSYN: Moment?
    var reset: SideMoment?
    var resetSenderState: TCPState?
    var unacceptableResets: [SideMoment] = []
    var dataAfterClose: [SideMoment] = []
    var staleSegments: [SideMoment] = []
    var staleReasons: [String] = []
    var oldGenerationReply: Moment?
    var oldGenerationReplyACK: SequenceNumber?
    var reuseReset: Moment?
    var synTimestampBehindHost: UInt32?
    var overflow: UInt32 = 0
}

/// Holds a value out of line. `GenerationEvidence` copies it before writing unless it holds the
/// only reference, so it behaves as a value; hence `@unchecked Sendable`.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }

    /// Appends to one of the value's lists unless it holds `GenerationEvidence.listLimit` entries;
    /// false when it was full.
    func append<Element>(_ element: Element, to list: WritableKeyPath<Value, [Element]>) -> Bool {
        guard value[keyPath: list].count < GenerationEvidence.listLimit else { return false }
        value[keyPath: list].append(element)
        return true
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
