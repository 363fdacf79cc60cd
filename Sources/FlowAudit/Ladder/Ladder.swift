/// One connection generation drawn as the textbook's ladder: client on the left, server on the
/// right, one arrow per segment, each endpoint's inferred state beside it after every segment.
/// Built by `LadderRecorder` from a replay of the generation's 4-tuple; drawn as text by
/// `LadderText` and as SVG by the HTML report.
public struct Ladder: Sendable {
    /// How the replay took one segment.
    public enum Disposition: Sendable, Equatable {
        /// Taken as delivered: it moved the states (or was an ordinary ACK or data).
        case accepted
        /// Sent again (its sequence space was sent before).
        case retransmission
        /// The same packet captured twice (not a retransmission: same IP ID, TSval, within 20 ms).
        case copy
        /// Its receiver would not accept it, and why (the states did not move).
        case notAccepted(String)
        /// Seen at the capture point but, as its peer's next moves show, never taken by its
        /// receiver (lost on the rest of the path, or dropped there); the reason says how it shows.
        case lostAfterCapture(String)
        /// Belongs to the previous generation on this 4-tuple (its reply to the new SYN, or the
        /// reset that clears it): the note says which.
        case previousGeneration(String)
        /// Came after the generation was judged and summarised: weighed only against what 2MSL keeps.
        case afterClose
    }

    public struct Step: Sendable {
        public var frame: UInt64
        public var time: Timestamp
        public var fromClient: Bool
        public var flags: TCPFlags
        /// Relative to the sender's ISN (0 is its SYN), or to its first sequence number seen;
        /// negative for a number before it (a segment of another generation).
        public var relativeSequence: Int32
        /// Relative to the receiver's ISN; nil without the ACK bit.
        public var relativeAcknowledgment: Int32?
        public var length: Int
        /// Both endpoints' inferred states after the segment.
        public var clientState: TCPState
        public var serverState: TCPState
        public var disposition: Disposition
        /// Positions in `report.findings` of the findings that cite this frame.
        public var findings: [Int]
    }

    public var report: GenerationReport
    /// The states before the first segment.
    public var initialClientState: TCPState
    public var initialServerState: TCPState
    public var steps: [Step]
    /// Segments of the generation beyond the drawing limit.
    public var leftOut: Int

    /// `S`, `S.`, `F.`, `R` …, as tcpdump writes flags.
    public static func flagText(_ flags: TCPFlags) -> String {
        flags.intersection([.syn, .fin, .rst, .psh, .ack]).description
    }

    /// The arrow's label: flags, relative seq/ack, payload length.
    public static func label(_ step: Step) -> String {
        var text = flagText(step.flags) + " seq=\(step.relativeSequence)"
        if let ack = step.relativeAcknowledgment { text += " ack=\(ack)" }
        if step.length > 0 { text += " len=\(step.length)" }
        return text
    }

    /// What the drawing says of a segment that was not simply accepted.
    public static func note(_ disposition: Disposition) -> String? {
        switch disposition {
        case .accepted: nil
        case .retransmission: "retransmission"
        case .copy: "captured twice (a copy, not a retransmission)"
        case let .notAccepted(reason): "not accepted: " + reason
        case let .lostAfterCapture(how): "lost after the capture point: " + how
        case let .previousGeneration(what): what
        case .afterClose: "after the close (weighed against what 2MSL keeps)"
        }
    }
}
