import DequeModule
import HeapModule

/// When the auditor must look at a flow again, by capture time: a closed generation's grace
/// period, an unanswered attempt's abandonment, a closed generation's 2MSL, and the periodic
/// sweeps for idle flows and (live capture) for findings decided while a connection is open.
///
/// Entries name flows by `FlowTable` tickets and are deleted lazily: a ticket whose flow has gone
/// resolves to nothing and is skipped. `nextDue` is the earliest moment any of them falls due, so
/// moving the clock before it costs one comparison.
struct Deadlines {
    /// A deadline for an open flow. 16 bytes: a million can be pending.
    private struct Pending: Comparable {
        var deadline: Timestamp
        var flow: FlowTable.OpenTicket

        static func < (lhs: Pending, rhs: Pending) -> Bool { lhs.deadline < rhs.deadline }
        static func == (lhs: Pending, rhs: Pending) -> Bool { lhs.deadline == rhs.deadline }
    }

    /// Closed generations waiting out their grace period, in the order they closed.
    private var graceChecks = Deque<Pending>()
    /// Unanswered connection attempts, checked when their client may have given up (any order).
    private var attemptChecks = Heap<Pending>()
    /// Closed generations in the order they were summarised, so of their 2MSL deadlines: 12 bytes
    /// each, the deadline is read from the summary itself.
    private var summaryExpiries = Deque<FlowTable.ClosedTicket>()
    /// When open flows are next swept for idleness.
    private var nextIdleSweep = Timestamp(nanoseconds: .min)
    /// When open flows are next swept for findings a timer decides (live capture only).
    private var nextOpenSweep = Timestamp(nanoseconds: .min)
    /// The earliest moment anything may be due; lowered whenever a deadline is added.
    private(set) var nextDue = Timestamp(nanoseconds: .min)

    mutating func checkClosed(_ flow: FlowTable.OpenTicket, at deadline: Timestamp) {
        graceChecks.append(Pending(deadline: deadline, flow: flow))
        nextDue = min(nextDue, deadline)
    }

    mutating func checkAttempt(_ flow: FlowTable.OpenTicket, at deadline: Timestamp) {
        attemptChecks.insert(Pending(deadline: deadline, flow: flow))
        nextDue = min(nextDue, deadline)
    }

    /// Schedules a closed generation's expiry; `end` is when its 2MSL is over.
    mutating func expire(_ flow: FlowTable.ClosedTicket, at end: Timestamp) {
        summaryExpiries.append(flow)
        nextDue = min(nextDue, end)
    }

    /// The next grace check due by `now`, removed from the queue.
    mutating func nextClosedCheck(dueBy now: Timestamp) -> FlowTable.OpenTicket? {
        guard let next = graceChecks.first, next.deadline <= now else { return nil }
        return graceChecks.removeFirst().flow
    }

    /// The next attempt check due by `now`, removed from the queue.
    mutating func nextAttemptCheck(dueBy now: Timestamp) -> FlowTable.OpenTicket? {
        guard let next = attemptChecks.min, next.deadline <= now else { return nil }
        return attemptChecks.removeMin().flow
    }

    /// The next closed generation whose 2MSL is over by `now`, removed from the queue; `end`
    /// gives a generation's end of 2MSL, or nil if it left early (its 4-tuple was reused).
    mutating func nextExpiry(
        dueBy now: Timestamp,
        end: (FlowTable.ClosedTicket) -> Timestamp?
    ) -> FlowTable.ClosedTicket? {
        while let next = summaryExpiries.first {
            guard let due = end(next) else {
                summaryExpiries.removeFirst()
                continue
            }
            guard due <= now else { return nil }
            return summaryExpiries.removeFirst()
        }
        return nil
    }

    /// Whether the idle sweep is due at `now`; if so, the next one is set `interval` later. The
    /// first call only starts the clock.
    mutating func idleSweepDue(at now: Timestamp, interval: Int64) -> Bool {
        guard now >= nextIdleSweep else { return false }
        let first = nextIdleSweep.nanoseconds == .min
        nextIdleSweep = now + interval
        return !first
    }

    /// Whether the open-connection sweep is due at `now`; if so, the next one is set `interval` later.
    mutating func openSweepDue(at now: Timestamp, interval: Int64) -> Bool {
        guard now >= nextOpenSweep else { return false }
        nextOpenSweep = now + interval
        return true
    }

    /// Sets `nextDue` to the soonest first deadline of every queue and sweep, and `also`.
    mutating func recompute(also other: Timestamp, openSweeps: Bool, end: (FlowTable.ClosedTicket) -> Timestamp?) {
        var due = min(nextIdleSweep, other)
        if openSweeps { due = min(due, nextOpenSweep) }
        if let next = graceChecks.first { due = min(due, next.deadline) }
        if let next = attemptChecks.min { due = min(due, next.deadline) }
        if let next = summaryExpiries.first, let expiry = end(next) { due = min(due, expiry) }
        nextDue = due
    }

    /// Forgets every deadline and restarts the sweeps (the capture's clock was stepped back).
    mutating func removeAll() {
        graceChecks.removeAll()
        attemptChecks = Heap()
        summaryExpiries.removeAll()
        nextDue = Timestamp(nanoseconds: .min)
        nextIdleSweep = Timestamp(nanoseconds: .min)
        nextOpenSweep = Timestamp(nanoseconds: .min)
    }

    /// Bytes one closed flow's expiry entry takes.
    static var bytesPerExpiry: Int { MemoryLayout<FlowTable.ClosedTicket>.stride }
}
