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
    /// RSTs that did not end the connection: ones its receiver would discard (RFC 9293 §3.10.7.3,
    /// RFC 5961 §3, Linux's timestamp check in SYN-SENT), and ones the connection went on after.
    public var ignoredResets: [IgnoredReset] {
        get { rare?.value.ignoredResets ?? [] }
        set { rareForWriting().value.ignoredResets = newValue }
    }
    /// What the states were before the RST in `reset`, until the peer's next move confirms it.
    var resetUndo: ResetUndo? {
        get { resetPending ? rare?.value.resetUndo : nil }
        set {
            rareForWriting().value.resetUndo = newValue
            resetPending = newValue != nil
        }
    }
    /// Whether `resetUndo` is set: read on every packet, so kept out of the box.
    private(set) var resetPending = false
    /// Segments the RST's receiver sent after the RST (still sending: it may never have had it).
    public var strayAfterReset: [SideMoment] {
        get { rare?.value.strayAfterReset ?? [] }
        set { rareForWriting().value.strayAfterReset = newValue }
    }
    /// The last RST undone because its "sender" went on (`connectionWentOn`).
    var undoneReset: SideMoment? {
        get { rare?.value.undoneReset }
        set { rareForWriting().value.undoneReset = newValue }
    }
    /// A RST from the receiver of an undone RST, answering its peer's next segment: the undone
    /// RST was taken there after all (an injected RST that killed one end; see `AbortiveClose`).
    public var resetAfterInjection: SideMoment? {
        get { rare?.value.resetAfterInjection }
        set { rareForWriting().value.resetAfterInjection = newValue }
    }
    /// The RST's receiver's bare ACK right after it: its challenge ACK (RFC 5961 §3.2), if any.
    var challengeACK: Moment? {
        get { rare?.value.challengeACK }
        set { rareForWriting().value.challengeACK = newValue }
    }
    /// Bare RSTs the RST's sender sent after its first one (answers to stray segments).
    public var resetReplies: UInt32 {
        get { rare?.value.resetReplies ?? 0 }
        set { rareForWriting().value.resetReplies = newValue }
    }
    /// Non-RST segments their receiver would discard (PAWS, RFC 7323 §5; an unacceptable
    /// handshake ACK; a SYN-ACK with an ISN the client did not take), which so changed nothing.
    public var discardedSegments: [DiscardedSegment] {
        get { rare?.value.discardedSegments ?? [] }
        set { rareForWriting().value.discardedSegments = newValue }
    }
    /// SYN, FIN and RST segments whose TCP checksum was bad, until their peers' reaction says
    /// whether they were dropped or checksummed after the capture point (`TCPChecksum`).
    public var badChecksums: [DiscardedSegment] {
        get { rare?.value.badChecksums ?? [] }
        set { rareForWriting().value.badChecksums = newValue }
    }
    /// The segment that proves an uncaptured SYN-ACK arrived (the client acknowledged ISN + 1).
    public var inferredSYNACK: Moment? {
        get { rare?.value.inferredSYNACK }
        set { rareForWriting().value.inferredSYNACK = newValue }
    }
    /// ACKs that prove an uncaptured FIN was sent (one past the sender's last byte), by the FIN's sender.
    public var inferredFINs: [SideMoment] {
        get { rare?.value.inferredFINs ?? [] }
        set { rareForWriting().value.inferredFINs = newValue }
    }
    /// Segments with neither SYN, RST nor ACK (FIN, NULL, Xmas probes): every receiver discards
    /// them (RFC 9293 §3.10.7.4, "fifth, check the ACK field") or answers with RST if closed.
    public var probes: [SideMoment] {
        get { rare?.value.probes ?? [] }
        set { rareForWriting().value.probes = newValue }
    }
    /// Flags of the probes seen (FIN, PSH, URG bits as in `TCPFlags`), for naming the probe type.
    public var probeFlags: TCPFlags {
        get { rare?.value.probeFlags ?? [] }
        set { rareForWriting().value.probeFlags = newValue }
    }
    /// A SYN-ACK with a second ISN, until the client's ACK says which one it took.
    var alternateServerISN: SequenceNumber? {
        get { rare?.value.alternateServerISN }
        set { rareForWriting().value.alternateServerISN = newValue }
    }
    /// When the second ISN's SYN-ACK was seen.
    var alternateSYNACK: Moment? {
        get { rare?.value.alternateSYNACK }
        set { rareForWriting().value.alternateSYNACK = newValue }
    }
    /// The SYN captured after the SYN-ACK that answers it (capture order is not wire order).
    public var lateSYN: Moment? {
        get { rare?.value.lateSYN }
        set { rareForWriting().value.lateSYN = newValue }
    }
    /// Exact copies of the previous segment (same sequence, ACK, flags, length, IP ID, TSval)
    /// captured within `ConnectionGeneration.duplicateWindow`: one packet seen twice, not a retransmission.
    public var duplicates: UInt32 {
        get { rare?.value.duplicates ?? 0 }
        set { rareForWriting().value.duplicates = newValue }
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
    var ignoredResets: [IgnoredReset] = []
    var resetUndo: ResetUndo?
    var strayAfterReset: [SideMoment] = []
    var challengeACK: Moment?
    var undoneReset: SideMoment?
    var resetAfterInjection: SideMoment?
    var resetReplies: UInt32 = 0
    var discardedSegments: [DiscardedSegment] = []
    var badChecksums: [DiscardedSegment] = []
    var inferredSYNACK: Moment?
    var inferredFINs: [SideMoment] = []
    var probes: [SideMoment] = []
    var probeFlags: TCPFlags = []
    var alternateServerISN: SequenceNumber?
    var alternateSYNACK: Moment?
    var lateSYN: Moment?
    var duplicates: UInt32 = 0
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
    /// Unchecked, as `FlowAuditor`'s properties are: judging reads it many times per generation.
    @exclusivity(unchecked) var value: Value
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

/// A RST that did not end the connection, and why (see `RSTIgnored`).
public struct IgnoredReset: Sendable {
    public enum Reason: Sendable, Equatable {
        /// In SYN-SENT, it does not acknowledge the SYN (RFC 9293 §3.10.7.3).
        case doesNotAcknowledgeSYN(expected: SequenceNumber, got: SequenceNumber?)
        /// In SYN-SENT, its TSecr echoes no TSval the client sent (Linux drops it silently).
        case echoesUnsentTimestamp(UInt32)
        /// Outside the receiver's window (RFC 5961 §3: silently dropped).
        case outOfWindow(expected: SequenceNumber, window: UInt32)
        /// Taken at first, but the connection went on in the same sequence space at `frame`;
        /// `challengeACK` is the receiver's duplicate ACK right after the RST, if there was one
        /// (RFC 5961 §3.2: a RST in the window but not at its edge draws one).
        case connectionWentOn(frame: UInt64, challengeACK: UInt64?)
    }

    public var moment: SideMoment
    public var reason: Reason
    public var hopLimit: UInt8
    public var timestampValue: UInt32?
}

/// A non-RST segment its receiver would discard, and why (see `SegmentDiscarded`).
public struct DiscardedSegment: Sendable {
    public enum Reason: Sendable, Equatable {
        /// TSval older than the first its sender used in this connection (PAWS, RFC 7323 §5.3).
        case pawsFailed(timestamp: UInt32, first: UInt32)
        /// A handshake ACK outside SND.UNA < SEG.ACK =< SND.NXT (RFC 9293 §3.10.7.4, SYN-RECEIVED).
        case unacceptableHandshakeACK(got: SequenceNumber, expected: SequenceNumber)
        /// A FIN outside the receiver's window (RFC 9293 §3.10.7.4, "first, check sequence
        /// number"): its receiver answers with an ACK and drops it.
        case outOfWindow(sequence: SequenceNumber, expected: SequenceNumber, window: UInt32)
        /// A SYN with a new ISN reaching an ESTABLISHED connection: RFC 5961 §4, the receiver
        /// answers with a challenge ACK and drops it.
        case synInSynchronizedState
        /// A bad TCP checksum: its receiver dropped it (its sender sent it again, and nothing
        /// shows it arrived). One its peer answered was checksummed after the capture point
        /// (offload on the capturing host) and is not discarded.
        case badChecksum
        /// A SYN-ACK whose ISN the client did not take: it acknowledged `taken` instead.
        case synACKNotTaken(isn: SequenceNumber, taken: SequenceNumber)
        /// A segment with neither SYN nor RST reaching a client in SYN-SENT (RFC 9293 §3.10.7.3,
        /// "fifth": dropped), unless a SYN-ACK later proves it was the server's own (`sequence`
        /// inside the server's sequence space: the capture only missed the SYN-ACK).
        case noSYNInSYNSent(sequence: SequenceNumber)
    }

    public var moment: SideMoment
    public var reason: Reason
    public var flags: TCPFlags
    /// Its TTL or hop limit; 0 when not known.
    public var hopLimit: UInt8
}

/// Both endpoints' states just before an accepted RST, kept until the peer's next move.
struct ResetUndo: Sendable {
    var states: StatePair
    /// The RST sender's SND.NXT as seen then: an ACK from its peer beyond it proves it went on.
    var senderNext: SequenceNumber?
    var hopLimit: UInt8
    var timestampValue: UInt32?
}
