/// Zeek's `conn_state` for a TCP connection (base/protocols/conn/main.zeek, `conn_state`): a
/// summary of how it began and ended, from the originator's and responder's Zeek endpoint states.
public enum ConnState: String, Sendable, CaseIterable {
    /// Connection attempt seen, no reply.
    case s0 = "S0"
    /// Established, not terminated.
    case s1 = "S1"
    /// Normal establishment and termination (both sent a FIN).
    case sf = "SF"
    /// Connection attempt rejected (the responder answered the SYN with a RST).
    case rej = "REJ"
    /// Established; the originator's close seen, no reply from the responder.
    case s2 = "S2"
    /// Established; the responder's close seen, no reply from the originator.
    case s3 = "S3"
    /// Established; the originator aborted (sent a RST).
    case rsto = "RSTO"
    /// The responder sent a RST.
    case rstr = "RSTR"
    /// The originator sent a SYN and then a RST; no SYN-ACK seen.
    case rstos0 = "RSTOS0"
    /// The responder sent a SYN-ACK and then a RST; no SYN seen from the originator.
    case rstrh = "RSTRH"
    /// The originator sent a SYN and then a FIN; no SYN-ACK seen ("half" open).
    case sh = "SH"
    /// The responder sent a SYN-ACK and then a FIN; no SYN seen from the originator.
    case shr = "SHR"
    /// No SYN seen, only midstream traffic.
    case oth = "OTH"

    /// Zeek's decision table, in Zeek's order. `bytes` are the originator's and responder's
    /// payload sizes; `history` the history string (RSTOS0 needs an `S` before any `H A F G I Q`
    /// and then an `R`, optionally after a `^`).
    init(
        originator: ZeekEndpointState,
        responder: ZeekEndpointState,
        bytes: (originator: UInt64, responder: UInt64),
        history: String
    ) {
        let os = originator, rs = responder
        if rs == .reset {
            if os == .synSent || os == .synACKSent || (os == .reset && bytes.originator == 0 && bytes.responder == 0) {
                self = .rej
            } else if os.isInactive {
                self = .rstrh
            } else {
                self = .rstr
            }
        } else if os == .reset {
            if rs.isInactive {
                self = Self.isSYNThenRST(history) ? .rstos0 : .oth
            } else {
                self = .rsto
            }
        } else if rs == .closed && os == .closed {
            self = .sf
        } else if os == .closed {
            self = rs.isInactive ? .sh : .s2
        } else if rs == .closed {
            self = os.isInactive ? .shr : .s3
        } else if os == .synSent && rs == .inactive {
            self = .s0
        } else if os == .established && rs == .established {
            self = .s1
        } else {
            self = .oth
        }
    }

    /// Zeek's `/\^?S[^HAFGIQ]*R.*/`, matched against the whole history.
    static func isSYNThenRST(_ history: String) -> Bool {
        var letters = history.utf8[...]
        if letters.first == UInt8(ascii: "^") { letters = letters.dropFirst() }
        guard letters.first == UInt8(ascii: "S") else { return false }
        for letter in letters.dropFirst() {
            if letter == UInt8(ascii: "R") { return true }
            if "HAFGIQ".utf8.contains(letter) { return false }
        }
        return false
    }

    /// Zeek's description, for the README and the HTML report.
    public var meaning: String {
        switch self {
        case .s0: "attempt seen, no reply"
        case .s1: "established, not terminated"
        case .sf: "normal establishment and termination"
        case .rej: "attempt rejected"
        case .s2: "established, originator's close seen, no reply from the responder"
        case .s3: "established, responder's close seen, no reply from the originator"
        case .rsto: "established, originator aborted (RST)"
        case .rstr: "responder sent a RST"
        case .rstos0: "originator sent a SYN then a RST, no SYN-ACK seen"
        case .rstrh: "responder sent a SYN-ACK then a RST, no SYN seen"
        case .sh: "originator sent a SYN then a FIN, no SYN-ACK seen"
        case .shr: "responder sent a SYN-ACK then a FIN, no SYN seen"
        case .oth: "no SYN seen, midstream traffic only"
        }
    }
}
