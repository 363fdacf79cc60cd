/// A TCP endpoint's connection state (RFC 9293 §3.3.2), as inferred by an observer, plus
/// `unknown` for an endpoint of a flow first seen midstream, before any segment reveals its state.
public enum TCPState: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case unknown, closed, listen, synSent, synReceived, established
    case finWait1, finWait2, closeWait, closing, lastAck, timeWait

    /// The RFC's spelling, used in all output: `SYN-SENT`, `TIME-WAIT` …
    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .closed: "CLOSED"
        case .listen: "LISTEN"
        case .synSent: "SYN-SENT"
        case .synReceived: "SYN-RECEIVED"
        case .established: "ESTABLISHED"
        case .finWait1: "FIN-WAIT-1"
        case .finWait2: "FIN-WAIT-2"
        case .closeWait: "CLOSE-WAIT"
        case .closing: "CLOSING"
        case .lastAck: "LAST-ACK"
        case .timeWait: "TIME-WAIT"
        }
    }

    /// `description` as UTF-8, rendered once (reports write state names straight into their output).
    var utf8Name: [UInt8] { Self.utf8Names[Int(rawValue)] }
    private static let utf8Names: [[UInt8]] = allCases.map { Array($0.description.utf8) }
}

/// The two endpoints of a flow key: `a` is the lower endpoint of the canonical key, `b` the higher.
public enum Side: UInt8, Sendable, Hashable {
    case a, b
    @inlinable public var peer: Side { self == .a ? .b : .a }

    /// Both sides in a fixed order, without building an array per use (classifiers run per generation).
    static let aThenB: [Side] = [.a, .b]
    static let bThenA: [Side] = [.b, .a]
}

/// Both endpoints' states at one moment, by flow side (`a` is the key's lower endpoint, see
/// `Side`); `RoleStates` has them by role.
public struct StatePair: Hashable, Sendable {
    public var a: TCPState
    public var b: TCPState
    public init(a: TCPState, b: TCPState) {
        self.a = a
        self.b = b
    }
    public subscript(side: Side) -> TCPState { side == .a ? a : b }
}

/// Both endpoints' states by role: the client's (the side that sent the first SYN, or inferred)
/// and the server's.
public struct RoleStates: Hashable, Sendable {
    public var client: TCPState
    public var server: TCPState
    public init(client: TCPState, server: TCPState) {
        self.client = client
        self.server = server
    }
}

/// A frame that is evidence for a finding: its number (1-based, as Wireshark counts), its capture
/// time, and both endpoints' inferred states just after it was applied.
///
/// 16 bytes: the states ride in the top 16 bits of the frame number's word (frame numbers stay
/// below 2⁴⁸). Every open connection carries a handful of these.
public struct Moment: Hashable, Sendable {
    private var frameAndStates: UInt64
    public var time: Timestamp

    public init(frame: UInt64, time: Timestamp, states: StatePair) {
        frameAndStates = frame & Self.frameMask | UInt64(states.a.rawValue) << 56 | UInt64(states.b.rawValue) << 48
        self.time = time
    }

    private static let frameMask: UInt64 = 1 << 48 - 1

    public var frame: UInt64 { frameAndStates & Self.frameMask }
    public var states: StatePair {
        StatePair(
            a: TCPState(rawValue: UInt8(truncatingIfNeeded: frameAndStates >> 56)) ?? .unknown,
            b: TCPState(rawValue: UInt8(truncatingIfNeeded: frameAndStates >> 48)) ?? .unknown
        )
    }

    /// Stands for "no such frame" where an optional would cost 8 more bytes (frames count from 1).
    static let none = Moment(frame: 0, time: Timestamp(nanoseconds: 0), states: StatePair(a: .unknown, b: .unknown))

    /// `self`, or nil for `Moment.none`.
    var ifPresent: Moment? { frame == 0 ? nil : self }
}
