import DequeModule
import HeapModule

/// Streams frames into per-4-tuple flows, keeps each flow's current connection generation, and
/// hands every generation to `Verdicts` to be judged once it is done: closed (and quiet for a short
/// grace period), replaced by a new connection on the same 4-tuple, idle past the timeout, or cut
/// by the end of the capture.
///
/// A judged, closed generation leaves only a small `GenerationSummary` for the rest of 2MSL, so
/// reuse, stale segments and late FIN retransmissions are still judged against it; then it is
/// freed. Memory follows the connections alive (and closed within 2MSL), not the capture's length.
/// All time comes from the frames (or from the caller, via `advance(to:)`).
public final class FlowAuditor {
    public let configuration: AuditConfiguration
    /// The packet counts; the judgement counts are kept by `Verdicts`.
    private var counts = CaptureSummary()
    /// Where finished generations, late findings and flow births and deaths go to be judged and
    /// reported: `verdicts` on this thread, or a queue to another thread.
    private let send: (consuming VerdictEvent) -> Void
    /// The verdicts judged on this thread, if they are (nil when `send` hands them elsewhere).
    private let verdicts: Verdicts?
    /// Live capture: timers decide findings on open connections too.
    private let immediately: Bool


    private struct FlowRecord {
        var ordinal: UInt64
        /// Whether `current` is counted in `openConnections` (a FIN sent again can reopen a
        /// generation the observer had thought closed). Before `current`: read on every packet.
        var countedOpen: Bool
        var current: ConnectionGeneration
    }

    /// A judged generation within 2MSL of its close: what is left of it, and what identifies its
    /// flow: the key's two hashes (see `FlowKey.fingerprint`), 16 bytes instead of the key's 40.
    private struct ClosedFlow {
        var summary: GenerationSummary
        /// The low 32 bits of the key's hash: all `FlowIndex` needs to find the entry again (it
        /// fits in the summary's tail padding).
        var indexTag: UInt32
        var ordinal: UInt64
        var fingerprint: UInt64
    }

    /// A deadline to look at an open flow's record again; stale entries (the slot freed, or reused
    /// by another flow) are skipped (lazy deletion). 16 bytes: a million can be pending. Ordered by
    /// deadline for `attemptChecks`.
    private struct Pending: Comparable {
        var deadline: Timestamp
        var slot: UInt32
        /// The low 32 bits of the flow's ordinal, to tell a reused slot.
        var ordinal: UInt32

        init(deadline: Timestamp, slot: UInt32, ordinal: UInt64) {
            self.deadline = deadline
            self.slot = slot
            self.ordinal = UInt32(truncatingIfNeeded: ordinal)
        }

        func names(_ ordinal: UInt64) -> Bool { self.ordinal == UInt32(truncatingIfNeeded: ordinal) && ordinal != FlowAuditor.freed }

        static func < (lhs: Pending, rhs: Pending) -> Bool { lhs.deadline < rhs.deadline }
    }

    /// Bytes one open connection takes in the flow table (record, key, and its index entry at
    /// the index's lowest load), and one closed generation kept as a summary for 2MSL (plus its
    /// expiry entry): what `--stats` reports per connection.
    public static var bytesPerOpenConnection: Int { MemoryLayout<FlowRecord>.stride + 12 }
    public static var bytesPerClosedConnection: Int { MemoryLayout<ClosedFlow>.stride + 12 + MemoryLayout<SummaryExpiry>.stride }
    private var closedCount: UInt64 = 0

    /// A summary to expire: its slot, the low 32 bits of its flow's ordinal and its generation
    /// number (a slot freed and reused, by another flow or a later generation of the same one,
    /// no longer matches, and the entry is dropped).
    private struct SummaryExpiry {
        var slot: UInt32
        var ordinal: UInt32
        var generation: UInt32

        func names(_ closed: ClosedFlow) -> Bool {
            closed.ordinal != FlowAuditor.freed && ordinal == UInt32(truncatingIfNeeded: closed.ordinal) && generation == closed.summary.number
        }
    }

    /// The ordinal of a freed record.
    private static let freed = UInt64.max
    /// Set in an index handle that names a `closedFlows` slot rather than a `flows` slot.
    private static let closedBit: UInt32 = 1 << 31

    /// Every flow known, open or closed: key → handle (a slot, tagged with `closedBit` if closed).
    private var index = FlowIndex()
    /// Open flows (and closed ones within their grace period), each changed in place per packet.
    private var flows = RecordPool<FlowRecord>()
    /// Judged flows within 2MSL of their close: their summaries (there can be a million of them).
    private var closedFlows = RecordPool<ClosedFlow>()
    /// When open flows are next swept for idleness (every quarter of the idle timeout).
    private var nextIdleSweep = Timestamp(nanoseconds: .min)
    /// When open flows are next swept for findings a timer decides (live capture only).
    private var nextOpenSweep = Timestamp(nanoseconds: .min)
    /// The earliest moment `advance(to:)` has work to do (a pending deadline or a sweep); before
    /// it, moving the clock is just storing the time. Lowered whenever a deadline is added.
    private var nextDue = Timestamp(nanoseconds: .min)
    private var graceChecks = Deque<Pending>()
    /// Unanswered connection attempts, checked when their client may have given up.
    private var attemptChecks = Heap<Pending>()
    /// Closed flows in the order they were summarised (so, of their 2MSL deadlines): 12 bytes
    /// each, the deadline is read from the summary itself.
    private var summaryExpiries = Deque<SummaryExpiry>()
    private var nextOrdinal: UInt64 = 0
    private var openConnections: UInt64 = 0
    /// Newest SYN TSval seen per (client address, server address), for `timestamp-regression`.
    private var hostSYNTimestamps: HostSYNTimestamps
    private var now = Timestamp(nanoseconds: .min)

    /// Judges on the calling thread. `onReport` receives the report of every judged generation
    /// that has findings (or of every one, with `reportAll`): in first-seen flow order with late
    /// findings folded in, or, `immediately`, the moment each is decided (live capture), late
    /// findings as reports of their own.
    public convenience init(configuration: AuditConfiguration = AuditConfiguration(), reportAll: Bool = false, immediately: Bool = false,
                            onReport: @escaping (GenerationReport) -> Void) {
        let verdicts = Verdicts(configuration: configuration, reportAll: reportAll, immediately: immediately, onReport: onReport)
        self.init(configuration: configuration, verdicts: verdicts, immediately: immediately) { verdicts.handle($0) }
    }

    /// Hands every verdict event to `send` (which passes them, in order, to a `Verdicts` with the
    /// same configuration, typically on another thread). `summary` then has the packet counts
    /// only; add `Verdicts.counts` once it has handled `.end`.
    public convenience init(configuration: AuditConfiguration = AuditConfiguration(),
                            sendingVerdictsTo send: @escaping (consuming VerdictEvent) -> Void) {
        self.init(configuration: configuration, verdicts: nil, immediately: false, send: send)
    }

    private init(configuration: AuditConfiguration, verdicts: Verdicts?, immediately: Bool,
                 send: @escaping (consuming VerdictEvent) -> Void) {
        self.configuration = configuration
        hostSYNTimestamps = HostSYNTimestamps(lifetime: configuration.timeWait)
        self.verdicts = verdicts
        self.immediately = immediately
        self.send = send
    }

    /// Counts over the capture so far (with the judgement counts when judging on this thread).
    public var summary: CaptureSummary {
        guard let verdicts else { return counts }
        var summary = counts
        summary.addJudgements(verdicts.counts)
        return summary
    }

    /// Frames and bytes seen so far (cheap enough to ask after every frame).
    public var framesSeen: UInt64 { counts.frames }
    public var bytesSeen: UInt64 { counts.bytes }

    private func retire(_ ordinal: UInt64) { send(.retired(flow: ordinal)) }

    /// Lookahead over frames waiting to be processed: a flow lookup costs a cache miss on the
    /// index and several on the record, and a busy capture's tables are far larger than the
    /// caches. For a segment a few frames ahead (`lookupHash`: its `FlowLookup.hash`), the
    /// far stage starts loading its index entry; a couple of frames later the near stage reads
    /// that entry and starts loading the record it most likely names.
    public func prefetch(lookupHash hash: UInt64, near: Bool) {
        guard near else {
            index.prefetch(hash: hash)
            return
        }
        // The first entry with the hash's tag: where the lookup will most likely land.
        guard let handle = index.find(hash: hash, matches: { _ in true }) else { return }
        if handle & Self.closedBit == 0 {
            flows.prefetch(handle)
        } else {
            closedFlows.prefetch(handle & ~Self.closedBit)
        }
    }

    /// Decodes and applies one captured frame. `bytes` is only read during the call.
    public func process(frame number: UInt64, time: Timestamp, bytes: UnsafeRawBufferPointer, wireLength: Int, linkType: LinkType) {
        process(FrameDecoder.decode(bytes, linkType: linkType), frame: number, time: time, wireLength: wireLength)
    }

    /// Applies one frame decoded elsewhere (a capture file is decoded on its reading thread),
    /// with its TCP segment's flow lookup if that was computed there too.
    /// `clock` is what `CaptureClock` made of the frame's header time (`time` is the time to
    /// analyse it at): an outlier is counted and reported as damage, a step back restarts the clock.
    public func process(_ decoded: DecodedFrame, frame number: UInt64, time: Timestamp, wireLength: Int, lookup: FlowLookup? = nil,
                        clock: ClockNote = .inOrder) {
        counts.frames &+= 1
        counts.bytes &+= UInt64(wireLength)
        switch clock {
        case .inOrder:
            if time < now { counts.framesBeforeClock &+= 1 }
        case let .outlier(original):
            counts.noteTimestampOutlier(frame: number, original: original, analysedAt: time)
        case let .stepped(from):
            counts.noteClockStep(frame: number, from: from, to: time)
            restartClock(at: time)
        }
        switch decoded {
        case let .tcp(segment, cut):
            process(segment, lookup ?? FlowLookup(segment), frame: number, time: time, cutBySnaplen: cut)
        case .notTCP:
            counts.notTCP &+= 1
            advance(to: time)
        case .laterFragment:
            counts.laterFragments &+= 1
            advance(to: time)
        case let .undecodable(error):
            counts.noteUndecodable(frame: number, error)
            advance(to: time)
        }
    }

    /// Applies one decoded segment (tests feed segments directly).
    public func process(_ segment: TCPSegment, frame: UInt64, time: Timestamp, cutBySnaplen: Bool = false) {
        process(segment, FlowLookup(segment), frame: frame, time: time, cutBySnaplen: cutBySnaplen)
    }

    private func process(_ segment: TCPSegment, _ lookup: FlowLookup, frame: UInt64, time: Timestamp, cutBySnaplen: Bool) {
        counts.tcpPackets &+= 1
        if cutBySnaplen { counts.cutBySnaplen &+= 1 }
        if counts.firstTime == nil { counts.firstTime = time }
        advance(to: time)

        let key = lookup.key, sender = lookup.sender, hash = lookup.hash
        if let handle = index.find(hash: hash, matches: { self.handle($0, holds: key, hash: hash) }) {
            // One lookup; the record is changed in place.
            if handle & Self.closedBit == 0 {
                apply(segment, from: sender, frame: frame, time: time, cut: cutBySnaplen, key: key, slot: handle, to: &flows[handle])
            } else {
                applyLate(segment, from: sender, frame: frame, time: time, cut: cutBySnaplen, key: key, hash: hash,
                          slot: handle & ~Self.closedBit)
            }
        } else {
            let slot = startFlow(key, segment, sender: sender, frame: frame, time: time, cut: cutBySnaplen, ordinal: nil, predecessor: nil)
            index.insert(hash: hash, handle: slot)
        }
    }

    @inline(__always)
    private func handle(_ handle: UInt32, holds key: FlowKey, hash: UInt64) -> Bool {
        if handle & Self.closedBit == 0 { return flows[handle].current.key.isSameFlow(as: key) }
        let slot = handle & ~Self.closedBit
        return closedFlows[slot].indexTag == UInt32(truncatingIfNeeded: hash) && closedFlows[slot].fingerprint == key.fingerprint
    }

    private func apply(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp, cut: Bool, key: FlowKey,
                       slot: UInt32, to record: inout FlowRecord) {
        if record.current.startsNewGeneration(segment, from: sender) {
            if record.current.predecessor?.initialSequence(of: sender) == segment.sequence {
                record.current.noteStale(from: sender, frame, time, reason: "SYN of generation \(record.current.number - 1) sent again")
                return
            }
            let old = record.current
            judge(old, ordinal: record.ordinal, reason: .superseded, at: time)
            record.current = ConnectionGeneration(
                key: key, number: old.number + 1, firstSegment: segment, from: sender, frame: frame, time: time,
                predecessor: GenerationSummary(old, endedAt: time))
            checkHostTimestamp(&record.current, segment, sender: sender)
        } else if segment.flags.contains(.syn), !segment.flags.contains(.ack), record.current.evidence.firstSYN == nil {
            checkHostTimestamp(&record.current, segment, sender: sender)
        }
        record.current.apply(segment, from: sender, frame: frame, time: time, cutBySnaplen: cut)
        updateOpenCount(&record, slot: slot)
        if segment.flags.contains(.syn), !segment.flags.contains(.ack) { scheduleAttemptCheck(&record, slot: slot, time: time) }
    }

    /// After a SYN of an unanswered attempt, looks at it again when its client may have given up.
    private func scheduleAttemptCheck(_ record: inout FlowRecord, slot: UInt32, time: Timestamp) {
        guard record.current.isUnansweredAttempt else { return }
        let deadline = time + record.current.abandonmentWait(configuration)
        attemptChecks.insert(Pending(deadline: deadline, slot: slot, ordinal: record.ordinal))
        nextDue = min(nextDue, deadline)
    }

    /// A segment for a 4-tuple whose last generation was judged and summarised: a new connection
    /// (a SYN with a new ISN), or late evidence about the old one.
    private func applyLate(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp, cut: Bool, key: FlowKey,
                           hash: UInt64, slot: UInt32) {
        let isNewSYN = segment.flags.contains(.syn) && !segment.flags.contains(.ack) && !segment.flags.contains(.rst)
        if isNewSYN, closedFlows[slot].summary.initialSequence(of: sender) != segment.sequence {
            let closed = closedFlows[slot]
            freeClosed(slot)
            let open = startFlow(key, segment, sender: sender, frame: frame, time: time, cut: cut, ordinal: closed.ordinal,
                                 predecessor: closed.summary)
            index.replace(hash: hash, handle: slot | Self.closedBit, with: open)
            return
        }
        let ordinal = closedFlows[slot].ordinal
        guard let finding = LateEvidence.judge(segment, from: sender, frame: frame, time: time, against: &closedFlows[slot].summary) else { return }
        send(.decided(GenerationReport(late: closedFlows[slot].summary, key: key, flowOrdinal: ordinal, findings: [finding])))
    }

    /// Where the next search for a connection to shed starts (see `makeRoom`).
    private var shedCursor: UInt32 = 0
    /// Slots a search for a connection to shed looks at, at most.
    private static let shedSearch: UInt32 = 256

    /// At `AuditConfiguration.maxConnections`, sheds one connection to make room for a new one, in
    /// the spirit of conntrack's early drop: among the next `shedSearch` slots, a flow of one
    /// packet, else an unanswered attempt. It is judged at once (reason `.shed`: its findings are
    /// kept) and forgotten. If none is found the new flow is followed anyway, over the limit.
    private func makeRoom() {
        guard flows.liveCount >= configuration.maxConnections, flows.slotCount > 0 else { return }
        var attempt: UInt32?
        for _ in 0..<min(Self.shedSearch, flows.slotCount) {
            let slot = shedCursor % flows.slotCount
            shedCursor = slot &+ 1
            guard flows[slot].ordinal != Self.freed else { continue }
            let packets = flows.withRecord(slot) { $0.current.a.packets + $0.current.b.packets }
            if packets <= 1 {
                shed(slot)
                return
            }
            if attempt == nil, flows.withRecord(slot, { $0.current.isUnansweredAttempt }) { attempt = slot }
        }
        if let attempt { shed(attempt) }
    }

    private func shed(_ slot: UInt32) {
        let record = flows[slot]
        index.remove(hash: record.current.key.hash64, handle: slot)
        freeOpen(slot)
        if record.countedOpen { openConnections -= 1 }
        counts.shedConnections &+= 1
        judge(record.current, ordinal: record.ordinal, reason: .shed, at: now)
        retire(record.ordinal)
    }

    /// Starts a flow record in `flows` and returns its slot; the caller indexes it.
    private func startFlow(_ key: FlowKey, _ segment: TCPSegment, sender: Side, frame: UInt64, time: Timestamp, cut: Bool,
                           ordinal: UInt64?, predecessor: GenerationSummary?) -> UInt32 {
        var generation = ConnectionGeneration(
            key: key, number: (predecessor?.number ?? 0) + 1, firstSegment: segment, from: sender, frame: frame, time: time,
            predecessor: predecessor)
        checkHostTimestamp(&generation, segment, sender: sender)
        generation.apply(segment, from: sender, frame: frame, time: time, cutBySnaplen: cut)
        makeRoom()
        let flowOrdinal = ordinal ?? nextOrdinal
        if ordinal == nil {
            nextOrdinal += 1
            counts.flows += 1
            send(.opened(flow: flowOrdinal))
        }
        let slot = flows.add(FlowRecord(ordinal: flowOrdinal, countedOpen: false, current: generation))
        updateOpenCount(&flows[slot], slot: slot)
        if segment.flags.contains(.syn), !segment.flags.contains(.ack) { scheduleAttemptCheck(&flows[slot], slot: slot, time: time) }
        return slot
    }

    /// The slots of the open flows that satisfy `include`, in first-seen order.
    private func openFlows(where include: (FlowRecord) -> Bool) -> [UInt32] {
        var selected: [(ordinal: UInt64, slot: UInt32)] = []
        for slot in 0..<flows.slotCount where flows[slot].ordinal != Self.freed && include(flows[slot]) {
            selected.append((flows[slot].ordinal, slot))
        }
        return selected.sorted { $0.ordinal < $1.ordinal }.map(\.slot)
    }

    private func freeOpen(_ slot: UInt32) {
        flows[slot].ordinal = Self.freed
        flows.release(slot)
    }

    private func freeClosed(_ slot: UInt32) {
        closedCount -= 1
        closedFlows[slot].ordinal = Self.freed
        closedFlows.release(slot)
    }

    /// Keeps `openConnections` in step with the record and schedules the judgement of a closed one.
    private func updateOpenCount(_ record: inout FlowRecord, slot: UInt32) {
        let open = !record.current.isClosed
        guard open != record.countedOpen else { return }
        record.countedOpen = open
        if open {
            openConnections += 1
            if openConnections > counts.peakOpenConnections { counts.peakOpenConnections = openConnections }
        } else {
            openConnections -= 1
            if let closed = record.current.closedSince {
                graceChecks.append(Pending(deadline: closed + configuration.closeGrace, slot: slot, ordinal: record.ordinal))
                nextDue = min(nextDue, closed + configuration.closeGrace)
            }
        }
    }

    /// Records whether a first SYN's TSval is older than the newest seen from its host towards the
    /// same server (the input of `timestamp-regression`), then remembers the newer of the two.
    private func checkHostTimestamp(_ g: inout ConnectionGeneration, _ segment: TCPSegment, sender: Side) {
        guard segment.flags.contains(.syn), !segment.flags.contains(.ack), let value = segment.options.timestampValue else { return }
        if let newer = hostSYNTimestamps.note(value, client: segment.source.address, server: segment.destination.address, at: now) {
            g.evidence.synTimestampBehindHost = newer
        }
    }

    /// Moves capture time forward to `time`, judging every flow whose deadline has passed. Live
    /// capture calls this from a clock when no packet arrives.
    public func advance(to time: Timestamp) {
        guard time > now else { return }
        now = time
        counts.lastTime = time
        guard time >= nextDue else { return }
        judgeClosed()
        judgeAbandoned()
        judgeIdle()
        if immediately { reportWhileOpen() }
        hostSYNTimestamps.sweep(at: now)
        while let next = summaryExpiries.first {
            let slot = next.slot
            guard next.names(closedFlows[slot]) else {
                summaryExpiries.removeFirst()  // the summary left early (its 4-tuple was reused)
                continue
            }
            guard closedFlows[slot].summary.endedAt + configuration.timeWait <= now else { break }
            summaryExpiries.removeFirst()
            let ordinal = closedFlows[slot].ordinal
            index.remove(hash: UInt64(closedFlows[slot].indexTag), handle: slot | Self.closedBit)
            freeClosed(slot)
            retire(ordinal)
        }
        nextDue = earliestDeadline()
    }

    /// The soonest of every queue's first deadline and every sweep's next time.
    private func earliestDeadline() -> Timestamp {
        var due = min(nextIdleSweep, hostSYNTimestamps.nextSweep)
        if immediately { due = min(due, nextOpenSweep) }
        if let next = graceChecks.first { due = min(due, next.deadline) }
        if let next = attemptChecks.min { due = min(due, next.deadline) }
        if let next = summaryExpiries.first { due = min(due, closedFlows[next.slot].summary.endedAt + configuration.timeWait) }
        return due
    }

    /// Generations closed for the grace period are judged and reduced to their summary.
    private func judgeClosed() {
        while let next = graceChecks.first, next.deadline <= now {
            graceChecks.removeFirst()
            let slot = next.slot
            guard next.names(flows[slot].ordinal), let closed = flows[slot].current.closedSince,
                let settling = flows[slot].current.settlingSince
            else { continue }
            guard settling + configuration.closeGrace <= now else {
                graceChecks.append(Pending(deadline: settling + configuration.closeGrace, slot: slot, ordinal: flows[slot].ordinal))
                nextDue = min(nextDue, settling + configuration.closeGrace)
                continue
            }
            flows.withRecord(slot) { record in
                judge(record.current, ordinal: record.ordinal, reason: .closed, at: settling + configuration.closeGrace)
                summarise(record.current, ordinal: record.ordinal, from: slot, endedAt: closed)
            }
            freeOpen(slot)
        }
    }

    /// Unanswered attempts whose client has sent no SYN for its abandonment wait are judged and
    /// reduced to their summary, as closed generations are.
    private func judgeAbandoned() {
        while let next = attemptChecks.min, next.deadline <= now {
            attemptChecks.removeMin()
            let slot = next.slot
            guard next.names(flows[slot].ordinal), flows[slot].current.isUnansweredAttempt else { continue }
            let due = flows[slot].current.lastSeen + flows[slot].current.abandonmentWait(configuration)
            guard due <= now else { continue }  // a later SYN scheduled its own check
            if flows[slot].countedOpen { openConnections -= 1 }
            flows.withRecord(slot) { record in
                judge(record.current, ordinal: record.ordinal, reason: .abandoned, at: due)
                summarise(record.current, ordinal: record.ordinal, from: slot, endedAt: due)
            }
            freeOpen(slot)
        }
    }

    /// Moves a judged generation, just freed from `slot`, to a 2MSL summary (or forgets it if its
    /// 2MSL has already passed).
    private func summarise(_ generation: ConnectionGeneration, ordinal: UInt64, from slot: UInt32, endedAt: Timestamp) {
        let key = generation.key
        guard endedAt + configuration.timeWait > now else {
            index.remove(hash: key.hash64, handle: slot)
            retire(ordinal)
            return
        }
        closedCount += 1
        counts.peakClosedConnections = max(counts.peakClosedConnections, closedCount)
        let closedSlot = closedFlows.add(ClosedFlow(
            summary: GenerationSummary(generation, endedAt: endedAt), indexTag: UInt32(truncatingIfNeeded: key.hash64),
            ordinal: ordinal, fingerprint: key.fingerprint))
        index.replace(hash: key.hash64, handle: slot, with: closedSlot | Self.closedBit)
        summaryExpiries.append(SummaryExpiry(slot: closedSlot, ordinal: UInt32(truncatingIfNeeded: ordinal), generation: generation.number))
        nextDue = min(nextDue, endedAt + configuration.timeWait)
    }

    /// Generations without a packet for the idle timeout are judged as they stand and freed. A
    /// sweep over the open flows every quarter of the timeout costs less than a queue entry per
    /// generation (most close long before they could go idle).
    private func judgeIdle() {
        guard now >= nextIdleSweep else { return }
        if nextIdleSweep.nanoseconds == .min {
            nextIdleSweep = now + configuration.idleTimeout / 4
            return
        }
        nextIdleSweep = now + configuration.idleTimeout / 4
        for slot in openFlows(where: { $0.current.lastSeen + configuration.idleTimeout <= now }) {
            let record = flows[slot]
            index.remove(hash: record.current.key.hash64, handle: slot)
            freeOpen(slot)
            if record.countedOpen { openConnections -= 1 }
            judge(record.current, ordinal: record.ordinal, reason: .idle, at: record.current.lastSeen + configuration.idleTimeout)
            retire(record.ordinal)
        }
    }

    /// Live capture: findings that a timer decides while the connection is still open are
    /// reported then, once each — a CLOSE-WAIT past its threshold (the application may never
    /// close it) and a SYN unanswered past `synTimeout` (the client may retry for minutes).
    private func reportWhileOpen() {
        guard now >= nextOpenSweep else { return }
        nextOpenSweep = now + max(min(configuration.closeWaitThreshold, configuration.synTimeout) / 4, 100_000_000)
        for slot in openFlows(where: { isDueWhileOpen($0.current) }) {
            let g = flows[slot].current
            let ordinal = flows[slot].ordinal
            let context = ClassificationContext(
                configuration: configuration, reason: .stillOpen, now: now,
                lastMoment: Moment(frame: g.lastFrame, time: g.lastSeen, states: g.states))
            let findings = [CloseWaitStalled.classify(g, context), SYNUnanswered.classify(g, context), TimestampRegression.classify(g, context)]
                .compactMap { $0 }.filter { !g.evidence.wasReportedWhileOpen($0.kind) }
            guard !findings.isEmpty else { continue }
            for finding in findings { flows[slot].current.evidence.reportedWhileOpen |= finding.kind.bit }
            send(.decided(GenerationReport(g, flowOrdinal: ordinal, reason: .stillOpen, now: now, findings: findings)))
        }
    }

    private func isDueWhileOpen(_ g: ConnectionGeneration) -> Bool {
        let threshold = configuration.closeWaitThreshold
        if !g.evidence.wasReportedWhileOpen(.closeWaitStalled),
            g.a.state == .closeWait && g.timeIn(.a, .closeWait, until: now) >= threshold
                || g.b.state == .closeWait && g.timeIn(.b, .closeWait, until: now) >= threshold
        {
            return true
        }
        if let syn = g.evidence.firstSYN, g.evidence.firstSYNACK == nil, g.evidence.reset == nil,
            now.since(syn.time) >= configuration.synTimeout,
            !g.evidence.wasReportedWhileOpen(.synUnanswered), !g.evidence.wasReportedWhileOpen(.timestampRegression)
        {
            return true
        }
        return false
    }

    /// Ends the capture: every flow still open or within its grace period is judged, in first-seen order.
    public func finish() {
        judgeAndForgetAll(retiring: false)
        send(.end)
    }

    /// The capture's clock was stepped back for good (see `CaptureClock`): what came before is
    /// judged as at the end of a capture, and the analysis starts again at `time`, as if a second
    /// capture followed. Without this no timer would fire until capture time caught up again.
    private func restartClock(at time: Timestamp) {
        judgeAndForgetAll(retiring: true)
        hostSYNTimestamps = HostSYNTimestamps(lifetime: configuration.timeWait)
        now = time
        nextDue = Timestamp(nanoseconds: .min)
        nextIdleSweep = Timestamp(nanoseconds: .min)
        nextOpenSweep = Timestamp(nanoseconds: .min)
    }

    /// Judges every open flow at the clock's last time, in first-seen order, and empties the flow
    /// table; `retiring` also retires every flow (open or within 2MSL) so its reports go out.
    private func judgeAndForgetAll(retiring: Bool) {
        let end = counts.lastTime ?? Timestamp(nanoseconds: 0)
        for slot in openFlows(where: { _ in true }) {
            judge(flows[slot].current, ordinal: flows[slot].ordinal, reason: .endOfCapture, at: end)
            if retiring { retire(flows[slot].ordinal) }
        }
        if retiring {
            for slot in 0..<closedFlows.slotCount where closedFlows[slot].ordinal != Self.freed { retire(closedFlows[slot].ordinal) }
        }
        index.removeAll()
        flows.removeAll()
        closedFlows.removeAll()
        closedCount = 0
        openConnections = 0
        graceChecks.removeAll()
        attemptChecks = Heap()
        summaryExpiries.removeAll()
    }

    private func judge(_ g: ConnectionGeneration, ordinal: UInt64, reason: FinishReason, at time: Timestamp) {
        send(.judge(g, flow: ordinal, reason: reason, at: time))
    }
}
