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
/// Frames whose header time could not be read at all (`time == nil`) are not analysed (they are
/// reported as damage); they get the clock's time and never decide a held frame's fate.
///
/// The clock decides times only; the reader keeps the held frame (frames are not copied through
/// here: this runs once per frame).
public struct CaptureClock: Sendable {
    /// The time a frame is analysed at, and what the clock made of it.
    public struct Placement: Sendable, Equatable {
        public var time: Timestamp
        public var note: ClockNote

        @inlinable public init(time: Timestamp, note: ClockNote) {
            self.time = time
            self.note = note
        }
    }

    /// How far a frame may stray from the clock before it is held for confirmation: one hour.
    public static var jumpLimit: Int64 { 3_600_000_000_000 }

    @usableFromInline var clock: Timestamp?
    /// The time of the frame the reader is holding, if any.
    @usableFromInline var heldTime: Timestamp?

    public init() {}

    /// Takes the next frame's header time (nil when unreadable). Returns the placement of the
    /// frame held before, if this one settles it (the reader releases it first), and this
    /// frame's placement, or nil when the reader must hold this frame until the next one.
    @inlinable @inline(__always)
    public mutating func next(_ time: Timestamp?) -> (held: Placement?, current: Placement?) {
        // Nearly every frame: nothing held, and within the limit of the clock.
        if heldTime == nil, let time, let current = clock, time.since(current) <= Self.jumpLimit,
            current.since(time) <= Self.jumpLimit
        {
            if current < time { clock = time }
            return (nil, Placement(time: time, note: .inOrder))
        }
        return nextSlowly(time)
    }

    @usableFromInline
    mutating func nextSlowly(_ time: Timestamp?) -> (held: Placement?, current: Placement?) {
        guard let time else {
            return (nil, Placement(time: clock ?? Timestamp(nanoseconds: 0), note: .inOrder))
        }
        var settled: Placement?
        if let held = heldTime, let current = clock {
            heldTime = nil
            if Self.isNear(time, held) {
                clock = held
                settled = Placement(time: held, note: held < current ? .stepped(from: current) : .inOrder)
            } else {
                settled = Placement(time: current, note: .outlier(original: held))
            }
        }
        guard let current = clock else {
            clock = time
            return (settled, Placement(time: time, note: .inOrder))
        }
        guard Self.isNear(time, current) else {
            heldTime = time
            return (settled, nil)
        }
        if current < time { clock = time }
        return (settled, Placement(time: time, note: .inOrder))
    }

    /// Ends the capture: a frame still held had nothing to confirm it and is an outlier.
    public mutating func finish() -> Placement? {
        guard let held = heldTime, let current = clock else { return nil }
        heldTime = nil
        return Placement(time: current, note: .outlier(original: held))
    }

    private static func isNear(_ a: Timestamp, _ b: Timestamp) -> Bool {
        let distance = a.since(b)
        return distance <= jumpLimit && distance >= -jumpLimit
    }
}
