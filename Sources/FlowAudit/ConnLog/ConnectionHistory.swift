/// What a Zeek conn.log line says of a connection generation, recorded packet by packet: the
/// `history` letters and both endpoints' Zeek states (`ZeekEndpointState`), from which
/// `ConnState` follows. It follows Zeek's TCP analyzer (`update_history`, `UpdateStateMachine`)
/// rather than the replay: Zeek records what each endpoint sent, accepted or not.
///
/// Letters are kept by flow side and cased by role only when read, so a generation whose roles
/// are settled late (a SYN-ACK seen before its SYN) is still written the right way round.
struct ConnectionHistory: Sendable {
    /// Letters kept; Zeek's history has no limit, but only repeated SYNs, FINs or RSTs with new
    /// sequence numbers, or counts past 10ⁿ, make it long. Past this, `cut` is set.
    static let capacity = 24

    /// ASCII upper-case letters, with `sideB` set for side b's.
    private var letters = InlineArray<24, UInt8>(repeating: 0)
    private var count: UInt8 = 0
    private var flags: UInt8
    private(set) var states = ZeekEndpointStates()
    private var sides = (a: SideHistory(), b: SideHistory())

    private static let sideB: UInt8 = 0x80
    private static let firstSenderIsB: UInt8 = 1, isCut: UInt8 = 2

    /// Zeek's per-endpoint history state: which once-only letters were written, the sequence
    /// numbers of the last SYN, FIN and RST (a repeat with a new one is written again), and the
    /// counters of the letters written at 1, 10, 100 … occurrences.
    private struct SideHistory: Sendable {
        var written: UInt8 = 0
        /// The last SYN's, FIN's and RST's sequence numbers, at `Repeated.rawValue`.
        var last = InlineArray<3, UInt32>(repeating: 0)
        /// Retransmissions, zero windows and bad checksums, at `Scaled.rawValue`.
        var counts = InlineArray<3, UInt32>(repeating: 0)
    }
    private enum Repeated: Int { case syn, fin, rst }
    private enum Scaled: Int { case retransmission, zeroWindow, badChecksum }
    // Once-only letters' bits (the repeated letters' are 1 << `Repeated.rawValue`).
    private static let data: UInt8 = 8, ack: UInt8 = 16
    private static let finRST: UInt8 = 32, multiFlag: UInt8 = 64

    init(firstSender: Side) {
        flags = firstSender == .b ? Self.firstSenderIsB : 0
    }

    /// Records one segment sent by `sender` (`retransmitsPayload`: it carries payload at or below
    /// the highest sequence number `sender` sent before, Zeek's `DidRxmit`).
    mutating func record(
        _ segment: TCPSegment,
        from sender: Side,
        isOriginator: Bool,
        retransmitsPayload: Bool
    ) {
        let segmentFlags = segment.flags
        let controls =
            (segmentFlags.contains(.syn) ? 1 : 0) + (segmentFlags.contains(.fin) ? 1 : 0)
            + (segmentFlags.contains(.rst) ? 1 : 0)
        let sequence = segment.sequence.rawValue
        if controls > 1 {
            let isFINRST = segmentFlags.contains(.fin) && segmentFlags.contains(.rst)
            once(isFINRST ? Self.finRST : Self.multiFlag, UInt8(ascii: isFINRST ? "I" : "Q"), sender)
        } else if controls == 1 {
            if segmentFlags.contains(.syn) {
                let code = UInt8(ascii: segmentFlags.contains(.ack) ? "H" : "S")
                repeated(.syn, code, sender, at: sequence)
            } else if segmentFlags.contains(.fin) {
                // A FIN's number is the one after its data (Zeek compares `rel_seq + len`).
                let end = sequence &+ UInt32(truncatingIfNeeded: segment.payloadLength)
                repeated(.fin, UInt8(ascii: "F"), sender, at: end)
            } else {
                repeated(.rst, UInt8(ascii: "R"), sender, at: sequence)
            }
        } else if segment.payloadLength > 0 {
            once(Self.data, UInt8(ascii: "D"), sender)
        } else if segmentFlags.contains(.ack) {
            once(Self.ack, UInt8(ascii: "A"), sender)
        }
        if segment.window == 0, !segmentFlags.contains(.rst), states[sender.peer] != .closed,
            states[sender] != .reset
        {
            scaled(.zeroWindow, UInt8(ascii: "W"), sender)
        }
        if segment.checksum == .bad { scaled(.badChecksum, UInt8(ascii: "C"), sender) }
        if retransmitsPayload { scaled(.retransmission, UInt8(ascii: "T"), sender) }
        states.advance(
            sender: sender,
            isOriginator: isOriginator,
            flags: segmentFlags,
            payloadLength: segment.payloadLength
        )
    }

    private mutating func append(_ code: UInt8, _ side: Side) {
        guard Int(count) < Self.capacity else {
            flags |= Self.isCut
            return
        }
        letters[Int(count)] = code | (side == .b ? Self.sideB : 0)
        count += 1
    }

    private mutating func update<Value>(_ side: Side, _ change: (inout SideHistory) -> Value) -> Value {
        side == .a ? change(&sides.a) : change(&sides.b)
    }

    /// A letter Zeek writes once per direction (`a d i q`).
    private mutating func once(_ bit: UInt8, _ code: UInt8, _ side: Side) {
        let first = update(side) { history in
            defer { history.written |= bit }
            return history.written & bit == 0
        }
        if first { append(code, side) }
    }

    /// A letter Zeek writes again when its sequence number differs from the last one (`s h f r`).
    private mutating func repeated(_ kind: Repeated, _ code: UInt8, _ side: Side, at sequence: UInt32) {
        let bit: UInt8 = 1 << UInt8(kind.rawValue)
        let write = update(side) { history in
            let write = history.written & bit == 0 || history.last[kind.rawValue] != sequence
            history.written |= bit
            history.last[kind.rawValue] = sequence
            return write
        }
        if write { append(code, side) }
    }

    /// A letter Zeek writes at the 1st, 10th, 100th … occurrence (`c t w`).
    private mutating func scaled(_ kind: Scaled, _ code: UInt8, _ side: Side) {
        let seen = update(side) { history in
            history.counts[kind.rawValue] &+= 1
            return history.counts[kind.rawValue]
        }
        if Self.isPowerOfTen(seen) { append(code, side) }
    }

    private static func isPowerOfTen(_ value: UInt32) -> Bool {
        var value = value
        while value >= 10, value % 10 == 0 { value /= 10 }
        return value == 1
    }

    /// The history string with the originator's letters in upper case, `^` first when the
    /// originator is not the sender of the generation's first packet (Zeek's flip).
    func rendered(originator: Side) -> String {
        let firstSender: Side = flags & Self.firstSenderIsB != 0 ? .b : .a
        let flipped = firstSender != originator
        return String(unsafeUninitializedCapacity: Int(count) + (flipped ? 1 : 0)) { buffer in
            var length = 0
            if flipped {
                buffer[0] = UInt8(ascii: "^")
                length = 1
            }
            for index in 0..<Int(count) {
                let stored = letters[index]
                let side: Side = stored & Self.sideB != 0 ? .b : .a
                let letter = stored & ~Self.sideB
                buffer[length] = side == originator ? letter : letter | 0x20
                length += 1
            }
            return length
        }
    }

    /// One bit per side and kind of plain segment (a pure ACK, data): set once that side's `A`
    /// or `D` is written and its Zeek state is past INACTIVE, when another such segment without
    /// SYN, FIN or RST, zero window, bad checksum or retransmitted payload would change nothing.
    var quietBits: UInt8 {
        var bits: UInt8 = 0
        for side in [Side.a, .b] where states[side] != .inactive {
            let written = side == .a ? sides.a.written : sides.b.written
            if written & Self.ack != 0 { bits |= Self.quietBit(side, hasPayload: false) }
            if written & Self.data != 0 { bits |= Self.quietBit(side, hasPayload: true) }
        }
        return bits
    }

    @inline(__always)
    static func quietBit(_ side: Side, hasPayload: Bool) -> UInt8 {
        1 << ((side == .a ? 0 : 2) + (hasPayload ? 1 : 0))
    }

    /// True when letters were left out past `capacity`.
    var isCut: Bool { flags & Self.isCut != 0 }
}
