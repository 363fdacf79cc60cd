/// The facts a connection replay records for the classifiers: the frames of the handshake, the
/// teardown and every irregularity. The handshake and close frames are stored inline; the rest
/// only exists once something irregular happened, so a clean connection costs about 160 bytes.
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

    /// Everything else: retransmissions, resets, stale segments … Allocated on the first such
    /// event, so a clean connection carries one pointer for them (copy-on-write, like an array).
    private var irregular: Irregularities?

    private mutating func irregularForWriting() -> Irregularities {
        if let box = irregular, isKnownUniquelyReferenced(&irregular) { return box }
        let box = irregular.map { $0.copy() } ?? Irregularities()
        irregular = box
        return box
    }

    public var synRetransmissions: [Moment] {
        get { irregular?.synRetransmissions ?? [] }
        set { irregularForWriting().synRetransmissions = newValue }
    }
    public var synACKRetransmissions: [Moment] {
        get { irregular?.synACKRetransmissions ?? [] }
        set { irregularForWriting().synACKRetransmissions = newValue }
    }
    /// SYN-ACK retransmissions sent after the handshake ACK (or data) was seen: the server ignored it.
    public var synACKAfterHandshakeACK: [Moment] {
        get { irregular?.synACKAfterHandshakeACK ?? [] }
        set { irregularForWriting().synACKAfterHandshakeACK = newValue }
    }
    /// The second SYN of a simultaneous open.
    public var peerSYN: Moment? {
        get { irregular?.peerSYN }
        set { irregularForWriting().peerSYN = newValue }
    }
    /// FIN retransmissions per side, each with the sender's state at the time.
    public var finRetransmissions: [SideMoment] {
        get { irregular?.finRetransmissions ?? [] }
        set { irregularForWriting().finRetransmissions = newValue }
    }
    /// Duplicate ACKs of a FIN from an endpoint in TIME-WAIT (re-ACKs of retransmitted FINs).
    public var timeWaitReACKs: [Moment] {
        get { irregular?.timeWaitReACKs ?? [] }
        set { irregularForWriting().timeWaitReACKs = newValue }
    }
    public var reset: SideMoment? {
        get { irregular?.reset }
        set { irregularForWriting().reset = newValue }
    }
    public var resetSenderState: TCPState? {
        get { irregular?.resetSenderState }
        set { irregularForWriting().resetSenderState = newValue }
    }
    /// RSTs that no endpoint would accept (out of window, RFC 9293 §3.10.7.4 / RFC 5961 §3).
    public var unacceptableResets: [SideMoment] {
        get { irregular?.unacceptableResets ?? [] }
        set { irregularForWriting().unacceptableResets = newValue }
    }
    public var dataAfterClose: [SideMoment] {
        get { irregular?.dataAfterClose ?? [] }
        set { irregularForWriting().dataAfterClose = newValue }
    }
    public var staleSegments: [SideMoment] {
        get { irregular?.staleSegments ?? [] }
        set { irregularForWriting().staleSegments = newValue }
    }
    /// Why each stale segment was judged stale, parallel to `staleSegments`.
    public var staleReasons: [String] {
        get { irregular?.staleReasons ?? [] }
        set { irregularForWriting().staleReasons = newValue }
    }
    /// The reuse dance (RFC 5961 §4 / RFC 1122 §4.2.2.13): the old connection's reply to the new
    /// SYN, and the SYN sender's RST of it.
    public var oldGenerationReply: Moment? {
        get { irregular?.oldGenerationReply }
        set { irregularForWriting().oldGenerationReply = newValue }
    }
    public var oldGenerationReplyACK: SequenceNumber? {
        get { irregular?.oldGenerationReplyACK }
        set { irregularForWriting().oldGenerationReplyACK = newValue }
    }
    public var reuseReset: Moment? {
        get { irregular?.reuseReset }
        set { irregularForWriting().reuseReset = newValue }
    }
    /// Set when the first SYN's TSval is older than one already seen from the same client host
    /// (any connection): the newest TSval seen from that host then.
    public var synTimestampBehindHost: UInt32? {
        get { irregular?.synTimestampBehindHost }
        set { irregularForWriting().synTimestampBehindHost = newValue }
    }
    /// Number of frames left out of the lists above because they were full.
    public var overflow: UInt32 {
        get { irregular?.overflow ?? 0 }
        set { irregularForWriting().overflow = newValue }
    }

    mutating func append(_ moment: Moment, to list: ReferenceWritableKeyPath<Irregularities, [Moment]>) {
        let box = irregularForWriting()
        if box[keyPath: list].count < Self.listLimit { box[keyPath: list].append(moment) } else { box.overflow += 1 }
    }

    mutating func append(_ moment: SideMoment, to list: ReferenceWritableKeyPath<Irregularities, [SideMoment]>) {
        let box = irregularForWriting()
        if box[keyPath: list].count < Self.listLimit { box[keyPath: list].append(moment) } else { box.overflow += 1 }
    }
}

/// The rarer evidence of a generation, out of line (see `GenerationEvidence.irregular`). Only
/// ever changed through `GenerationEvidence`, which copies it first unless it holds the only
/// reference, so it behaves as a value; hence `@unchecked Sendable`.
final class Irregularities: @unchecked Sendable {
    var synRetransmissions: [Moment] = []
    var synACKRetransmissions: [Moment] = []
    var synACKAfterHandshakeACK: [Moment] = []
    var peerSYN: Moment?
    var finRetransmissions: [SideMoment] = []
    var timeWaitReACKs: [Moment] = []
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

    func copy() -> Irregularities {
        let copy = Irregularities()
        copy.synRetransmissions = synRetransmissions
        copy.synACKRetransmissions = synACKRetransmissions
        copy.synACKAfterHandshakeACK = synACKAfterHandshakeACK
        copy.peerSYN = peerSYN
        copy.finRetransmissions = finRetransmissions
        copy.timeWaitReACKs = timeWaitReACKs
        copy.reset = reset
        copy.resetSenderState = resetSenderState
        copy.unacceptableResets = unacceptableResets
        copy.dataAfterClose = dataAfterClose
        copy.staleSegments = staleSegments
        copy.staleReasons = staleReasons
        copy.oldGenerationReply = oldGenerationReply
        copy.oldGenerationReplyACK = oldGenerationReplyACK
        copy.reuseReset = reuseReset
        copy.synTimestampBehindHost = synTimestampBehindHost
        copy.overflow = overflow
        return copy
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
