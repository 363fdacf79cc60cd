/// Every flow the auditor knows, open or judged-and-closed within 2MSL, found by its key.
///
/// Open flows keep their whole current generation (`OpenFlow`, changed in place per packet);
/// closed ones keep only a `GenerationSummary` and what identifies their key (`ClosedFlow`), so a
/// million of them fit. Both live in `RecordPool`s and are indexed by one `FlowIndex`; how a
/// handle in the index names one pool or the other, and how a freed record is told from a live
/// one, stays inside this type: callers get typed handles (`Open`, `Closed`) for the moment and
/// tickets (`OpenTicket`, `ClosedTicket`) to find a flow again later, which resolve to nothing once
/// the flow they named is gone.
struct FlowTable {
    /// An open flow: its number in first-seen order, and its current generation.
    struct OpenFlow {
        var ordinal: UInt64
        /// Whether `current` is counted as an open connection (a FIN sent again can reopen a
        /// generation the observer had thought closed). Before `current`: read on every packet.
        var countedOpen: Bool
        var current: ConnectionGeneration
    }

    /// A judged generation within 2MSL of its close: what is left of it, and what identifies its
    /// flow: the key's two hashes (see `FlowKey.fingerprint`), 16 bytes instead of the key's 40.
    struct ClosedFlow {
        var summary: GenerationSummary
        /// The low 32 bits of the key's hash: all `FlowIndex` needs to find the entry again (it
        /// fits in the summary's tail padding).
        fileprivate var indexTag: UInt32
        var ordinal: UInt64
        fileprivate var fingerprint: UInt64
    }

    /// An open flow's place, valid until the table next changes shape.
    struct Open: Equatable {
        fileprivate let slot: UInt32
    }

    /// A closed flow's place, valid until the table next changes shape.
    struct Closed {
        fileprivate let slot: UInt32
    }

    /// Names an open flow for later (a timer): resolves to it while the same flow holds the slot.
    /// 8 bytes, so a deadline and its ticket fit in 16.
    struct OpenTicket {
        fileprivate var slot: UInt32
        /// The low 32 bits of the flow's ordinal, to tell a reused slot.
        fileprivate var ordinal: UInt32
    }

    /// Names a closed generation for later (its 2MSL expiry): resolves to it while the same
    /// generation of the same flow holds the slot. 12 bytes.
    struct ClosedTicket {
        fileprivate var slot: UInt32
        fileprivate var ordinal: UInt32
        fileprivate var generation: UInt32
    }

    /// What a lookup found.
    enum Found {
        case open(Open)
        case closed(Closed)
        case absent
    }

    /// The ordinal of a freed record.
    private static let freed = UInt64.max
    /// Set in an index handle that names a `closedFlows` slot rather than a `openFlows` slot.
    private static let closedBit: UInt32 = 1 << 31

    /// Every flow known: key hash → handle (a slot, tagged with `closedBit` if closed).
    private var index = FlowIndex()
    /// Open flows (and closed ones within their grace period), each changed in place per packet.
    private var openFlows = RecordPool<OpenFlow>()
    /// Judged flows within 2MSL of their close: their summaries (there can be a million of them).
    private var closedFlows = RecordPool<ClosedFlow>()
    /// The next flow's ordinal: flows are numbered in the order they are first seen.
    private var nextOrdinal: UInt64 = 0
    /// Closed flows held.
    private(set) var closedCount: UInt64 = 0
    /// Where the next search for a flow to shed starts (see `shedCandidate`).
    private var shedCursor: UInt32 = 0

    /// Bytes one open connection takes (record, key, and its index entry at the index's lowest
    /// load), and one closed generation (plus `extra` per closed flow kept elsewhere).
    static var bytesPerOpenFlow: Int { MemoryLayout<OpenFlow>.stride + 12 }
    static func bytesPerClosedFlow(extra: Int) -> Int { MemoryLayout<ClosedFlow>.stride + 12 + extra }

    /// Open flows held (closed ones within their grace period included).
    var openCount: Int { openFlows.liveCount }

    /// Finds the flow `key` belongs to (`hash` is its `hash64`): one index probe; keys are compared
    /// only in the records whose hash tag matches. (`mutating` only so that a caller holding the
    /// table in a class property borrows it in place: a plain method call copies the table,
    /// retaining and releasing its five buffers, on every packet.)
    @inline(__always)
    mutating func find(_ key: FlowKey, hash: UInt64) -> Found {
        var walk = index.probe(hash)
        while let handle = index.next(&walk) {
            guard self.handle(handle, holds: key, hash: hash) else { continue }
            return handle & Self.closedBit == 0
                ? .open(Open(slot: handle)) : .closed(Closed(slot: handle & ~Self.closedBit))
        }
        return .absent
    }

    @inline(__always)
    private func handle(_ handle: UInt32, holds key: FlowKey, hash: UInt64) -> Bool {
        if handle & Self.closedBit == 0 { return openFlows[handle].current.key.isSameFlow(as: key) }
        let slot = handle & ~Self.closedBit
        return closedFlows[slot].indexTag == UInt32(truncatingIfNeeded: hash)
            && closedFlows[slot].fingerprint == key.fingerprint
    }

    /// Lookahead for a lookup to come (see `FlowAuditor.prefetch`): the far stage loads the index
    /// entry where the probe starts, the near stage the record that entry most likely names.
    /// (`mutating` for the reason `find` is.)
    @inline(__always)
    mutating func prefetch(hash: UInt64, near: Bool) {
        guard near else {
            index.prefetch(hash: hash)
            return
        }
        var walk = index.probe(hash)
        guard let handle = index.next(&walk) else { return }
        if handle & Self.closedBit == 0 {
            openFlows.prefetch(handle)
        } else {
            closedFlows.prefetch(handle & ~Self.closedBit)
        }
    }

    // MARK: Open flows

    subscript(flow: Open) -> OpenFlow {
        @inline(__always) get { openFlows[flow.slot] }
        @inline(__always) _modify { yield &openFlows[flow.slot] }
    }

    /// Calls `body` with the open flow borrowed in place (the getter copies a whole generation).
    @inline(__always)
    func withFlow<Result>(_ flow: Open, _ body: (borrowing OpenFlow) -> Result) -> Result {
        openFlows.withRecord(flow.slot, body)
    }

    /// Adds a flow never seen before (or not within 2MSL) with its first generation, numbered
    /// next in first-seen order.
    mutating func addNew(_ generation: ConnectionGeneration, hash: UInt64) -> Open {
        let slot = openFlows.add(OpenFlow(ordinal: nextOrdinal, countedOpen: false, current: generation))
        nextOrdinal += 1
        index.insert(hash: hash, handle: slot)
        return Open(slot: slot)
    }

    /// Replaces a closed flow by its next generation, open, keeping the flow's ordinal.
    mutating func reopen(_ flow: Closed, with generation: ConnectionGeneration, hash: UInt64) -> Open {
        let ordinal = closedFlows[flow.slot].ordinal
        freeClosed(flow.slot)
        let slot = openFlows.add(OpenFlow(ordinal: ordinal, countedOpen: false, current: generation))
        index.replace(hash: hash, handle: flow.slot | Self.closedBit, with: slot)
        return Open(slot: slot)
    }

    /// Removes an open flow from the table and returns it.
    mutating func remove(_ flow: Open) -> OpenFlow {
        let record = openFlows[flow.slot]
        index.remove(hash: record.current.key.hash64, handle: flow.slot)
        freeOpen(flow.slot)
        return record
    }

    /// Replaces an open flow, just judged, by the summary of its generation, kept for 2MSL.
    mutating func close(_ flow: Open, summary: GenerationSummary) -> ClosedTicket {
        let (key, ordinal) = openFlows.withRecord(flow.slot) { ($0.current.key, $0.ordinal) }
        freeOpen(flow.slot)
        closedCount += 1
        let closedSlot = closedFlows.add(
            ClosedFlow(
                summary: summary,
                indexTag: UInt32(truncatingIfNeeded: key.hash64),
                ordinal: ordinal,
                fingerprint: key.fingerprint
            )
        )
        index.replace(hash: key.hash64, handle: flow.slot, with: closedSlot | Self.closedBit)
        return ClosedTicket(slot: closedSlot, ordinal: UInt32(truncatingIfNeeded: ordinal), generation: summary.number)
    }

    /// A ticket naming the open flow, to find it again later (`record` is the flow's, held in
    /// place by the caller).
    @inline(__always)
    static func ticket(_ flow: Open, _ record: borrowing OpenFlow) -> OpenTicket {
        OpenTicket(slot: flow.slot, ordinal: UInt32(truncatingIfNeeded: record.ordinal))
    }

    /// The open flow `ticket` named, if it is still in its slot.
    @inline(__always)
    func resolve(_ ticket: OpenTicket) -> Open? {
        let ordinal = openFlows[ticket.slot].ordinal
        guard ordinal != Self.freed, UInt32(truncatingIfNeeded: ordinal) == ticket.ordinal else { return nil }
        return Open(slot: ticket.slot)
    }

    /// The open flows that satisfy `include`, in first-seen order.
    func openFlows(where include: (borrowing OpenFlow) -> Bool) -> [Open] {
        var selected: [(ordinal: UInt64, slot: UInt32)] = []
        for slot in 0..<openFlows.slotCount {
            let ordinal = openFlows[slot].ordinal
            if ordinal != Self.freed, openFlows.withRecord(slot, include) { selected.append((ordinal, slot)) }
        }
        return selected.sorted { $0.ordinal < $1.ordinal }.map { Open(slot: $0.slot) }
    }

    /// Among the next `search` open flows (round robin over the table), the first that `rank`
    /// marks 0, else the first it marks 1; flows marked 2 or more are never chosen.
    mutating func shedCandidate(search: UInt32, rank: (borrowing OpenFlow) -> Int) -> Open? {
        let slots = openFlows.slotCount
        guard slots > 0 else { return nil }
        var fallback: UInt32?
        for _ in 0..<min(search, slots) {
            let slot = shedCursor % slots
            shedCursor = slot &+ 1
            guard openFlows[slot].ordinal != Self.freed else { continue }
            switch openFlows.withRecord(slot, rank) {
            case 0: return Open(slot: slot)
            case 1: if fallback == nil { fallback = slot }
            default: break
            }
        }
        return fallback.map { Open(slot: $0) }
    }

    // MARK: Closed flows

    subscript(flow: Closed) -> ClosedFlow {
        @inline(__always) get { closedFlows[flow.slot] }
        @inline(__always) _modify { yield &closedFlows[flow.slot] }
    }

    /// The closed generation `ticket` named, if it is still held.
    func resolve(_ ticket: ClosedTicket) -> Closed? {
        let closed = closedFlows[ticket.slot]
        guard closed.ordinal != Self.freed, UInt32(truncatingIfNeeded: closed.ordinal) == ticket.ordinal,
            closed.summary.number == ticket.generation
        else { return nil }
        return Closed(slot: ticket.slot)
    }

    /// When the closed generation `ticket` names ended, if it is still held.
    func endOfClosed(_ ticket: ClosedTicket) -> Timestamp? {
        guard let flow = resolve(ticket) else { return nil }
        return closedFlows[flow.slot].summary.endedAt
    }

    /// Forgets a closed flow (its 2MSL is over) and returns its ordinal.
    mutating func remove(_ flow: Closed) -> UInt64 {
        let ordinal = closedFlows[flow.slot].ordinal
        index.remove(hash: UInt64(closedFlows[flow.slot].indexTag), handle: flow.slot | Self.closedBit)
        freeClosed(flow.slot)
        return ordinal
    }

    /// The ordinals of the closed flows held.
    var closedOrdinals: [UInt64] {
        (0..<closedFlows.slotCount).map { closedFlows[$0].ordinal }.filter { $0 != Self.freed }
    }

    // MARK: Whole table

    /// Forgets every flow (ordinals keep counting).
    mutating func removeAll() {
        index.removeAll()
        openFlows.removeAll()
        closedFlows.removeAll()
        closedCount = 0
    }

    private mutating func freeOpen(_ slot: UInt32) {
        openFlows[slot].ordinal = Self.freed
        openFlows.release(slot)
    }

    private mutating func freeClosed(_ slot: UInt32) {
        closedCount -= 1
        closedFlows[slot].ordinal = Self.freed
        closedFlows.release(slot)
    }
}
