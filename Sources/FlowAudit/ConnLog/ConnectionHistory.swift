/// What a Zeek conn.log line says of a connection generation, recorded packet by packet: the
/// `history` letters and both endpoints' Zeek states (`ZeekEndpointState`), from which
/// `ConnState` follows. It follows Zeek's TCP analyzer (`update_history`, `UpdateStateMachine`)
/// rather than the replay: Zeek records what each endpoint sent, accepted or not.
///
/// Letters are kept by flow side and cased by role only when read, so a generation whose roles
/// are settled late (a SYN-ACK seen before its SYN) is still written the right way round.
/// 64 bytes: letters are 5-bit codes packed into two words, per-side state in plain fields.
struct ConnectionHistory: Sendable {
    /// Letters kept; Zeek's history has no limit, but only repeated SYNs, FINs or RSTs with new
    /// sequence numbers, or counts past 10ⁿ, make it long. Past this, `isCut` is set.
    static let capacity = 24

    /// Letter codes (`Letter.rawValue`, plus 16 for side b), 12 per word, in order.
    private var codes: (UInt64, UInt64) = (0, 0)
    private var count: UInt8 = 0
    private var flags: UInt8
    /// Which once-only letters each side has written (`Written` bits; side b's shifted by 8).
    private var written: UInt16 = 0
    private(set) var states = ZeekEndpointStates()
    /// Sequence numbers of each side's last SYN, FIN and RST: a repeat with a new one is written again.
    private var lastSYN: (a: UInt32, b: UInt32) = (0, 0)
    private var lastFIN: (a: UInt32, b: UInt32) = (0, 0)
    private var lastRST: (a: UInt32, b: UInt32) = (0, 0)
    /// Counters of the letters written at the 1st, 10th, 100th … occurrence, per side.
    private var retransmissions: (a: UInt32, b: UInt32) = (0, 0)
    private var zeroWindows: (a: UInt16, b: UInt16) = (0, 0)
    private var badChecksums: (a: UInt16, b: UInt16) = (0, 0)

    private static let firstSenderIsB: UInt8 = 1, isCutFlag: UInt8 = 2

    /// The letters Zeek writes, by their upper-case (originator's) form.
    private enum Letter: UInt8 {
        case s = 1, h, a, d, f, r, c, t, w, i, q
        var ascii: UInt8 {
            switch self {
            case .s: UInt8(ascii: "S")
            case .h: UInt8(ascii: "H")
            case .a: UInt8(ascii: "A")
            case .d: UInt8(ascii: "D")
            case .f: UInt8(ascii: "F")
            case .r: UInt8(ascii: "R")
            case .c: UInt8(ascii: "C")
            case .t: UInt8(ascii: "T")
            case .w: UInt8(ascii: "W")
            case .i: UInt8(ascii: "I")
            case .q: UInt8(ascii: "Q")
            }
        }
    }

    /// Zeek's `HIST_*` bits: a letter of the kind was written (SYN covers `S` and `H`).
    private enum Written {
        static let syn: UInt16 = 1, fin: UInt16 = 2, rst: UInt16 = 4, data: UInt16 = 8, ack: UInt16 = 16
        static let finRST: UInt16 = 32, multiFlag: UInt16 = 64
    }

    init(firstSender: Side) {
        flags = firstSender == .b ? Self.firstSenderIsB : 0
    }

    /// Records one segment sent by `sender` (`retransmitsPayload`: it carries payload at or below
    /// the highest sequence number `sender` sent before, Zeek's `DidRxmit`).
    mutating func record(
        flags segmentFlags: TCPFlags,
        sequence: UInt32,
        payloadLength: Int,
        zeroWindow: Bool,
        badChecksum: Bool,
        from sender: Side,
        isOriginator: Bool,
        retransmitsPayload: Bool
    ) {
        let isB = sender == .b
        let syn = segmentFlags.contains(.syn), fin = segmentFlags.contains(.fin), rst = segmentFlags.contains(.rst)
        let controls = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0)
        if controls > 1 {
            if fin && rst { once(Written.finRST, .i, isB) } else { once(Written.multiFlag, .q, isB) }
        } else if syn {
            if Self.repeated(Written.syn, isB, sequence, &written, &lastSYN) {
                append(segmentFlags.contains(.ack) ? .h : .s, isB)
            }
        } else if fin {
            // A FIN's number is the one after its data (Zeek compares `rel_seq + len`).
            let end = sequence &+ UInt32(truncatingIfNeeded: payloadLength)
            if Self.repeated(Written.fin, isB, end, &written, &lastFIN) { append(.f, isB) }
        } else if rst {
            if Self.repeated(Written.rst, isB, sequence, &written, &lastRST) { append(.r, isB) }
        } else if payloadLength > 0 {
            once(Written.data, .d, isB)
        } else if segmentFlags.contains(.ack) {
            once(Written.ack, .a, isB)
        }
        if zeroWindow, !rst, states[sender.peer] != .closed, states[sender] != .reset {
            if Self.step(&zeroWindows, isB) { append(.w, isB) }
        }
        if badChecksum, Self.step(&badChecksums, isB) { append(.c, isB) }
        if retransmitsPayload, Self.step(&retransmissions, isB) { append(.t, isB) }
        states.advance(sender: sender, isOriginator: isOriginator, flags: segmentFlags, payloadLength: payloadLength)
    }

    private mutating func append(_ letter: Letter, _ isB: Bool) {
        guard Int(count) < Self.capacity else {
            flags |= Self.isCutFlag
            return
        }
        let code = UInt64(letter.rawValue | (isB ? 16 : 0)) << (5 * UInt64(count % 12))
        if count < 12 { codes.0 |= code } else { codes.1 |= code }
        count += 1
    }

    /// A letter Zeek writes once per direction (`a d i q`).
    private mutating func once(_ bit: UInt16, _ letter: Letter, _ isB: Bool) {
        let mask = isB ? bit << 8 : bit
        guard written & mask == 0 else { return }
        written |= mask
        append(letter, isB)
    }

    /// Whether a letter Zeek writes again when its sequence number differs from the last one
    /// (`s h f r`) is due; notes the number.
    private static func repeated(
        _ bit: UInt16,
        _ isB: Bool,
        _ sequence: UInt32,
        _ written: inout UInt16,
        _ last: inout (a: UInt32, b: UInt32)
    ) -> Bool {
        let mask = isB ? bit << 8 : bit
        let previous = isB ? last.b : last.a
        let write = written & mask == 0 || previous != sequence
        written |= mask
        if isB { last.b = sequence } else { last.a = sequence }
        return write
    }

    /// Counts one more occurrence; true at the 1st, 10th, 100th … (`c t w`), as Zeek's scaled
    /// history entries. The counters saturate (at 65 535 for zero windows and bad checksums).
    private static func step<Count: FixedWidthInteger>(_ counts: inout (a: Count, b: Count), _ isB: Bool) -> Bool {
        var value = isB ? counts.b : counts.a
        guard value < Count.max else { return false }
        value += 1
        if isB { counts.b = value } else { counts.a = value }
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
                let word = index < 12 ? codes.0 : codes.1
                let code = UInt8(truncatingIfNeeded: word >> (5 * UInt64(index % 12))) & 31
                let side: Side = code & 16 != 0 ? .b : .a
                let letter = Letter(rawValue: code & 15)?.ascii ?? UInt8(ascii: "?")
                buffer[length] = side == originator ? letter : letter | 0x20
                length += 1
            }
            return length
        }
    }

    /// One bit per side and kind of plain segment (a pure ACK, data): set once that side's `A`
    /// or `D` is written and its Zeek state is past INACTIVE, when another such segment without
    /// SYN, FIN or RST, zero window, bad checksum or retransmitted payload would change nothing.
    /// Only `side`'s own segments take it past INACTIVE and write its letters, so after one of
    /// them only its bits can change; and bits once set stay set.
    @inline(__always)
    func quietBits(of side: Side) -> UInt8 {
        guard states[side] != .inactive else { return 0 }
        let mine = side == .a ? written : written >> 8
        return (mine & Written.ack != 0 ? Self.quietBit(side, hasPayload: false) : 0)
            | (mine & Written.data != 0 ? Self.quietBit(side, hasPayload: true) : 0)
    }

    @inline(__always)
    static func quietBit(_ side: Side, hasPayload: Bool) -> UInt8 {
        1 << ((side == .a ? 0 : 2) + (hasPayload ? 1 : 0))
    }

    /// True when letters were left out past `capacity`.
    var isCut: Bool { flags & Self.isCutFlag != 0 }
}
