/// What `CaptureClock` made of a frame's time.
public enum ClockNote: Sendable, Equatable {
    case inOrder
    /// Analysed at the previous frame's time; `original` is what its header said.
    case outlier(original: Timestamp)
    /// The capture's clock went back by more than `CaptureClock.jumpLimit` and stayed there;
    /// `from` is the clock before the step.
    case stepped(from: Timestamp)
}

/// Decides the time each frame of a capture file is analysed at, so that one absurd timestamp
/// cannot freeze or fast-forward the analysis clock.
///
/// The analysis clock only moves forward (`FlowAuditor.advance(to:)`): its timers (grace,
/// attempt, idle, 2MSL) fire as capture time passes them. A single frame stamped years ahead
/// would fire every timer at once and then leave every later, correctly dated frame "in the
/// past", so no timer fires again and memory grows with the capture. A capture whose clock was
/// stepped back (merged files, an NTP step) freezes the timers the same way.
///
/// The rule, with a lookahead of one frame: a frame within `jumpLimit` of the clock (either way)
/// is analysed at its own time. A frame further away is held until the next frame says which it
/// was:
/// - the next frame is near the held one: the capture really jumped. Forward, it is a quiet gap
///   and the clock moves on; backward, the capture's clock was stepped (`ClockNote.stepped`), and the
///   analysis treats it as the end of one capture and the start of another.
/// - otherwise (the next frame is back near the clock, or the capture ends): the held frame is an
///   outlier, analysed at the clock's time and reported (`ClockNote.outlier`) with its original stamp.
/// Frames whose header time could not be read at all (`time == nil`) are analysed at the
/// clock's time and never decide a held frame's fate.
public struct CaptureClock<Frame> {
    /// How far a frame may stray from the clock before it is held for confirmation: one hour.
    public static var jumpLimit: Int64 { 3_600_000_000_000 }
    /// Frames without a usable time that may queue behind a held frame before it is judged an outlier.
    static var pendingLimit: Int { 64 }

    private var clock: Timestamp?
    private var held: (frame: Frame, time: Timestamp)?
    /// Frames without a time that arrived while a frame was held, in order.
    private var pending: [Frame] = []

    public init() {}

    /// Feeds the next frame in file order with its header time (nil when unreadable); `emit` gets
    /// frames in the same order, each with the time to analyse it at and the clock's note.
    public mutating func push(_ frame: Frame, time: Timestamp?, emit: (Frame, Timestamp, ClockNote) -> Void) {
        guard let time else {
            if held != nil, pending.count < Self.pendingLimit {
                pending.append(frame)
                return
            }
            releaseHeld(confirmedBy: nil, emit: emit)
            emit(frame, clock ?? Timestamp(nanoseconds: 0), .inOrder)
            return
        }
        if held != nil { releaseHeld(confirmedBy: time, emit: emit) }
        guard let current = clock else {
            clock = time
            emit(frame, time, .inOrder)
            return
        }
        guard Self.isNear(time, current) else {
            held = (frame, time)
            return
        }
        if current < time { clock = time }
        emit(frame, time, .inOrder)
    }

    /// Ends the capture: a frame still held had nothing to confirm it and is an outlier.
    public mutating func finish(emit: (Frame, Timestamp, ClockNote) -> Void) {
        releaseHeld(confirmedBy: nil, emit: emit)
    }

    private mutating func releaseHeld(confirmedBy next: Timestamp?, emit: (Frame, Timestamp, ClockNote) -> Void) {
        guard let (frame, time) = held, let current = clock else { return }
        held = nil
        if let next, Self.isNear(next, time) {
            clock = time
            emit(frame, time, time < current ? .stepped(from: current) : .inOrder)
        } else {
            emit(frame, current, .outlier(original: time))
        }
        for waiting in pending { emit(waiting, clock ?? current, .inOrder) }
        pending.removeAll()
    }

    private static func isNear(_ a: Timestamp, _ b: Timestamp) -> Bool {
        let distance = a.since(b)
        return distance <= jumpLimit && distance >= -jumpLimit
    }
}
