/// Streams frames into per-4-tuple flows, keeps each flow's current connection generation, and
/// hands every generation to `Verdicts` to be judged once it is done: closed (and quiet for a short
/// grace period), replaced by a new connection on the same 4-tuple, idle past the timeout, or cut
/// by the end of the capture.
///
/// A judged, closed generation leaves only a small `GenerationSummary` for the rest of 2MSL, so
/// reuse, stale segments and late FIN retransmissions are still judged against it; then it is
/// freed. Memory follows the connections alive (and closed within 2MSL), not the capture's length.
/// All time comes from the frames (or from the caller, via `advance(to:)`).
///
/// The mutable stored properties are `@exclusivity(unchecked)`: the per-packet path reaches them
/// dozens of times per packet, and the runtime's access checks cost about a quarter of its
/// instructions (callgrind). An auditor is used from one thread at a time, and the compiler's
/// static exclusivity checks still apply. (`Verdicts` and `OutputBuffer` do the same.)
public final class FlowAuditor {
    public let configuration: AuditConfiguration
    /// The packet counts; the judgement counts are kept by `Verdicts`.
    @exclusivity(unchecked) private var counts = CaptureSummary()
    /// Where finished generations, late findings and flow births and deaths go to be judged and
    /// reported: `verdicts` on this thread, or a queue to another thread.
    private let send: (consuming VerdictEvent) -> Void
    /// The verdicts judged on this thread, if they are (nil when `send` hands them elsewhere).
    private let verdicts: Verdicts?
    /// Live capture: timers decide findings on open connections too.
    private let immediately: Bool
    /// Every flow known, open or closed within 2MSL.
    @exclusivity(unchecked) private var table = FlowTable()
    /// When to look at flows again.
    @exclusivity(unchecked) private var deadlines = Deadlines()
    @exclusivity(unchecked) private var openConnections: UInt64 = 0
    /// Newest SYN TSval seen per (client address, server address), for `timestamp-regression`.
    @exclusivity(unchecked) private var hostSYNTimestamps: HostSYNTimestamps
    @exclusivity(unchecked) private var now = Timestamp(nanoseconds: .min)
    /// `tcpflow-audit ladder`: told of every segment applied to an open generation, with the
    /// generation as it stands after it (segments of a summarised generation are not traced).
    /// Nil on the normal path, where it costs one check per segment.
    @exclusivity(unchecked) package var tracer: ((ObservedSegment, ConnectionGeneration) -> Void)?

    /// Bytes one open connection takes in the flow table, and one closed generation kept as a
    /// summary for 2MSL (plus its expiry entry): what `--stats` reports per connection.
    public static var bytesPerOpenConnection: Int { FlowTable.bytesPerOpenFlow }
    public static var bytesPerClosedConnection: Int { FlowTable.bytesPerClosedFlow(extra: Deadlines.bytesPerExpiry) }

    /// Judges on the calling thread. `onReport` receives the report of every judged generation
    /// that has findings (or of every one, with `reportAll`): in first-seen flow order with late
    /// findings folded in, or, `immediately`, the moment each is decided (live capture), late
    /// findings as reports of their own.
    public convenience init(
        configuration: AuditConfiguration = AuditConfiguration(),
        reportAll: Bool = false,
        immediately: Bool = false,
        onReport: @escaping (GenerationReport) -> Void
    ) {
        let verdicts = Verdicts(
            configuration: configuration,
            reportAll: reportAll,
            immediately: immediately,
            onReport: onReport
        )
        self.init(configuration: configuration, verdicts: verdicts, immediately: immediately) { verdicts.handle($0) }
    }

    /// Hands every verdict event to `send` (which passes them, in order, to a `Verdicts` with the
    /// same configuration, typically on another thread). `summary` then has the packet counts
    /// only; add `Verdicts.counts` once it has handled `.end`.
    package convenience init(
        configuration: AuditConfiguration = AuditConfiguration(),
        sendingVerdictsTo send: @escaping (consuming VerdictEvent) -> Void
    ) {
        self.init(configuration: configuration, verdicts: nil, immediately: false, send: send)
    }

    private init(
        configuration: AuditConfiguration,
        verdicts: Verdicts?,
        immediately: Bool,
        send: @escaping (consuming VerdictEvent) -> Void
    ) {
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
    package func prefetch(lookupHash hash: UInt64, near: Bool) {
        table.prefetch(hash: hash, near: near)
    }

    /// Decodes and applies one captured frame. `bytes` is only read during the call.
    public func process(
        frame number: UInt64,
        time: Timestamp,
        bytes: UnsafeRawBufferPointer,
        wireLength: Int,
        linkType: LinkType
    ) {
        process(FrameDecoder.decode(bytes, linkType: linkType), frame: number, time: time, wireLength: wireLength)
    }

    /// Applies one frame decoded elsewhere (a capture file is decoded on its reading thread),
    /// with its TCP segment's flow lookup if that was computed there too.
    /// `clock` is what `CaptureClock` made of the frame's header time (`time` is the time to
    /// analyse it at): an outlier is counted and reported as damage, a step back restarts the clock.
    package func process(
        _ decoded: DecodedFrame,
        frame number: UInt64,
        time: Timestamp,
        wireLength: Int,
        lookup: FlowLookup? = nil,
        clock: ClockNote = .inOrder
    ) {
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

    private func process(
        _ segment: TCPSegment,
        _ lookup: FlowLookup,
        frame: UInt64,
        time: Timestamp,
        cutBySnaplen: Bool
    ) {
        counts.tcpPackets &+= 1
        if cutBySnaplen { counts.cutBySnaplen &+= 1 }
        if counts.firstTime == nil { counts.firstTime = time }
        advance(to: time)

        let seen = ObservedSegment(segment, from: lookup.sender, frame: frame, time: time)
        switch table.find(lookup.key, hash: lookup.hash) {
        case let .open(flow):
            // One lookup; the record is changed in place.
            apply(seen, cut: cutBySnaplen, key: lookup.key, flow: flow, to: &table[flow])
        case let .closed(flow):
            applyLate(seen, cut: cutBySnaplen, key: lookup.key, hash: lookup.hash, flow: flow)
        case .absent:
            let generation = firstGeneration(lookup.key, seen, cut: cutBySnaplen, predecessor: nil)
            makeRoom()
            let flow = table.addNew(generation, hash: lookup.hash)
            counts.flows += 1
            send(.opened(flow: table.withFlow(flow) { $0.ordinal }))
            followOpened(flow, seen, record: &table[flow])
        }
    }

    /// Applies a segment to an open flow's record (`flow`, held in place: the table itself must
    /// not be touched meanwhile).
    private func apply(
        _ seen: ObservedSegment,
        cut: Bool,
        key: FlowKey,
        flow: FlowTable.Open,
        to record: inout FlowTable.OpenFlow
    ) {
        switch record.current.boundary(of: seen.segment, from: seen.sender) {
        case .previousGenerationSYN:
            record.current.noteStale(seen, reason: "SYN of generation \(record.current.number - 1) sent again")
            return
        case .newGeneration:
            let old = record.current
            judge(old, ordinal: record.ordinal, reason: .superseded, at: seen.time)
            record.current = ConnectionGeneration(
                key: key,
                number: old.number + 1,
                first: seen,
                predecessor: GenerationSummary(old, endedAt: seen.time)
            )
            checkHostTimestamp(&record.current, seen.segment)
        case .sameGeneration:
            if seen.segment.flags.control == .syn, record.current.evidence.firstSYN == nil {
                checkHostTimestamp(&record.current, seen.segment)
            }
        }
        record.current.apply(seen, cutBySnaplen: cut)
        if let tracer { tracer(seen, record.current) }
        if seen.segment.flags.control == .synACK { noteAnswer(record.current, seen) }
        followOpened(flow, seen, record: &record)
    }

    /// After `seen` was applied to `flow` (`record`): keeps the open count in step and, after a
    /// SYN of an unanswered attempt, looks at it again when its client may have given up.
    @inline(__always)
    private func followOpened(_ flow: FlowTable.Open, _ seen: ObservedSegment, record: inout FlowTable.OpenFlow) {
        updateOpenCount(flow, &record)
        guard seen.segment.flags.control == .syn, record.current.isUnansweredAttempt else { return }
        deadlines.checkAttempt(
            FlowTable.ticket(flow, record),
            at: seen.time + record.current.abandonmentWait(configuration)
        )
    }

    /// A segment for a 4-tuple whose last generation was judged and summarised: a new connection
    /// (a SYN with a new ISN), or late evidence about the old one.
    private func applyLate(_ seen: ObservedSegment, cut: Bool, key: FlowKey, hash: UInt64, flow: FlowTable.Closed) {
        if table[flow].summary.boundary(of: seen.segment, from: seen.sender) == .newGeneration {
            let generation = firstGeneration(key, seen, cut: cut, predecessor: table[flow].summary)
            makeRoom()
            let open = table.reopen(flow, with: generation, hash: hash)
            followOpened(open, seen, record: &table[open])
            return
        }
        let ordinal = table[flow].ordinal
        guard let finding = LateEvidence.judge(seen, against: &table[flow].summary) else { return }
        send(.decided(GenerationReport(late: table[flow].summary, key: key, flowOrdinal: ordinal, findings: [finding])))
    }

    /// The first generation of a flow (or the next after a judged one), with its first segment applied.
    private func firstGeneration(
        _ key: FlowKey,
        _ seen: ObservedSegment,
        cut: Bool,
        predecessor: GenerationSummary?
    ) -> ConnectionGeneration {
        var generation = ConnectionGeneration(
            key: key,
            number: (predecessor?.number ?? 0) + 1,
            first: seen,
            predecessor: predecessor
        )
        checkHostTimestamp(&generation, seen.segment)
        generation.apply(seen, cutBySnaplen: cut)
        if let tracer { tracer(seen, generation) }
        return generation
    }

    /// Open flows a search for one to shed looks at, at most.
    private static let shedSearch: UInt32 = 256

    /// At `AuditConfiguration.maxConnections`, sheds one connection to make room for a new one, in
    /// the spirit of conntrack's early drop: among the next `shedSearch` flows, a flow of one
    /// packet, else an unanswered attempt. It is judged at once (reason `.shed`: its findings are
    /// kept) and forgotten. If none is found the new flow is followed anyway, over the limit.
    private func makeRoom() {
        guard table.openCount >= configuration.maxConnections,
            let victim = table.shedCandidate(
                search: Self.shedSearch,
                rank: { flow in
                    flow.current.a.packets + flow.current.b.packets <= 1 ? 0 : flow.current.isUnansweredAttempt ? 1 : 2
                }
            )
        else { return }
        let record = table.remove(victim)
        if record.countedOpen { openConnections -= 1 }
        counts.shedConnections &+= 1
        judge(record.current, ordinal: record.ordinal, reason: .shed, at: now)
        retire(record.ordinal)
    }

    /// Keeps `openConnections` in step with the flow's record and schedules the judgement of a closed one.
    private func updateOpenCount(_ flow: FlowTable.Open, _ record: inout FlowTable.OpenFlow) {
        let open = !record.current.isClosed
        guard open != record.countedOpen else { return }
        record.countedOpen = open
        if open {
            openConnections += 1
            if openConnections > counts.peakOpenConnections { counts.peakOpenConnections = openConnections }
        } else {
            openConnections -= 1
            if let closed = record.current.closedSince {
                deadlines.checkClosed(FlowTable.ticket(flow, record), at: closed + configuration.closeGrace)
            }
        }
    }

    /// Records whether a first SYN's TSval is older than the newest seen from its host towards the
    /// same server (the input of `timestamp-regression`), then remembers the newer of the two.
    private func checkHostTimestamp(_ g: inout ConnectionGeneration, _ segment: TCPSegment) {
        guard segment.flags.control == .syn, let value = segment.options.timestampValue else { return }
        if let newer = hostSYNTimestamps.note(
            value,
            client: segment.source.address,
            server: segment.destination.address,
            at: now
        ) {
            g.evidence.synTimestampBehindHost = newer
        }
    }

    /// A SYN-ACK answering a first SYN whose TSval was older than its host's newest: counter-evidence
    /// against a per-host PAWS drop for that host pair (`HostSYNTimestamps`).
    private func noteAnswer(_ g: ConnectionGeneration, _ seen: ObservedSegment) {
        guard g.evidence.synTimestampBehindHost != nil, seen.sender == g.server, g.evidence.firstSYNACK != nil
        else { return }
        let client = g.key.endpoint(g.client).address, server = g.key.endpoint(g.server).address
        hostSYNTimestamps.noteAnsweredOlder(client: client, server: server)
    }

    /// Moves capture time forward to `time`, judging every flow whose deadline has passed. Live
    /// capture calls this from a clock when no packet arrives.
    public func advance(to time: Timestamp) {
        guard time > now else { return }
        now = time
        counts.lastTime = time
        guard time >= deadlines.nextDue else { return }
        judgeClosed()
        judgeAbandoned()
        judgeIdle()
        if immediately { reportWhileOpen() }
        hostSYNTimestamps.sweep(at: now)
        while let expired = deadlines.nextExpiry(dueBy: now, end: endOfTimeWait), let flow = table.resolve(expired) {
            retire(table.remove(flow))
        }
        deadlines.recompute(also: hostSYNTimestamps.nextSweep, openSweeps: immediately, end: endOfTimeWait)
    }

    /// When a closed generation's 2MSL is over, if it is still held.
    private func endOfTimeWait(_ flow: FlowTable.ClosedTicket) -> Timestamp? {
        table.endOfClosed(flow).map { $0 + configuration.timeWait }
    }

    /// Generations closed for the grace period are judged and reduced to their summary.
    private func judgeClosed() {
        while let ticket = deadlines.nextClosedCheck(dueBy: now) {
            guard let flow = table.resolve(ticket), let closed = table[flow].current.closedSince,
                let settling = table[flow].current.settlingSince
            else { continue }
            guard settling + configuration.closeGrace <= now else {
                deadlines.checkClosed(ticket, at: settling + configuration.closeGrace)
                continue
            }
            table.withFlow(flow) { record in
                judge(record.current, ordinal: record.ordinal, reason: .closed, at: settling + configuration.closeGrace)
            }
            summarise(flow, endedAt: closed)
        }
    }

    /// Unanswered attempts whose client has sent no SYN for its abandonment wait are judged and
    /// reduced to their summary, as closed generations are.
    private func judgeAbandoned() {
        while let ticket = deadlines.nextAttemptCheck(dueBy: now) {
            guard let flow = table.resolve(ticket), table[flow].current.isUnansweredAttempt else { continue }
            let due = table[flow].current.lastSeen + table[flow].current.abandonmentWait(configuration)
            guard due <= now else { continue }  // a later SYN scheduled its own check
            if table[flow].countedOpen { openConnections -= 1 }
            table.withFlow(flow) { record in judge(record.current, ordinal: record.ordinal, reason: .abandoned, at: due)
            }
            summarise(flow, endedAt: due)
        }
    }

    /// Replaces a judged open flow by its 2MSL summary (or forgets it if its 2MSL has already passed).
    private func summarise(_ flow: FlowTable.Open, endedAt: Timestamp) {
        guard endedAt + configuration.timeWait > now else {
            retire(table.remove(flow).ordinal)
            return
        }
        let summary = table.withFlow(flow) { GenerationSummary($0.current, endedAt: endedAt) }
        deadlines.expire(table.close(flow, summary: summary), at: endedAt + configuration.timeWait)
        counts.peakClosedConnections = max(counts.peakClosedConnections, table.closedCount)
    }

    /// Generations without a packet for the idle timeout are judged as they stand and freed. A
    /// sweep over the open flows every quarter of the timeout costs less than a queue entry per
    /// generation (most close long before they could go idle).
    private func judgeIdle() {
        guard deadlines.idleSweepDue(at: now, interval: configuration.idleTimeout / 4) else { return }
        for flow in table.openFlows(where: { $0.current.lastSeen + configuration.idleTimeout <= now }) {
            let record = table.remove(flow)
            if record.countedOpen { openConnections -= 1 }
            judge(
                record.current,
                ordinal: record.ordinal,
                reason: .idle,
                at: record.current.lastSeen + configuration.idleTimeout
            )
            retire(record.ordinal)
        }
    }

    /// Live capture: findings that a timer decides while the connection is still open are
    /// reported then, once each — a CLOSE-WAIT past its threshold (the application may never
    /// close it) and a SYN unanswered past `synTimeout` (the client may retry for minutes).
    private func reportWhileOpen() {
        let interval = max(min(configuration.closeWaitThreshold, configuration.synTimeout) / 4, 100_000_000)
        guard deadlines.openSweepDue(at: now, interval: interval) else { return }
        for flow in table.openFlows(where: { Classifiers.isAnyDueWhileOpen($0.current, openContext($0.current)) }) {
            let g = table[flow].current
            let findings = Classifiers.findingsWhileOpen(for: g, openContext(g))
            guard !findings.isEmpty else { continue }
            for finding in findings { table[flow].current.evidence.reportedWhileOpen |= finding.kind.bit }
            send(
                .decided(
                    GenerationReport(
                        g,
                        flowOrdinal: table[flow].ordinal,
                        reason: .stillOpen,
                        now: now,
                        findings: findings
                    )
                )
            )
        }
    }

    /// The context in which a live capture's timer asks about an open generation.
    private func openContext(_ g: borrowing ConnectionGeneration) -> ClassificationContext {
        ClassificationContext(
            configuration: configuration,
            reason: .stillOpen,
            now: now,
            lastMoment: Moment(frame: g.lastFrame, time: g.lastSeen, states: g.states)
        )
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
    }

    /// Judges every open flow at the clock's last time, in first-seen order, and empties the flow
    /// table; `retiring` also retires every flow (open or within 2MSL) so its reports go out.
    private func judgeAndForgetAll(retiring: Bool) {
        let end = counts.lastTime ?? Timestamp(nanoseconds: 0)
        for flow in table.openFlows(where: { _ in true }) {
            table.withFlow(flow) { record in
                judge(record.current, ordinal: record.ordinal, reason: .endOfCapture, at: end)
            }
            if retiring { retire(table[flow].ordinal) }
        }
        if retiring {
            for ordinal in table.closedOrdinals { retire(ordinal) }
        }
        table.removeAll()
        openConnections = 0
        deadlines.removeAll()
    }

    private func judge(_ g: ConnectionGeneration, ordinal: UInt64, reason: FinishReason, at time: Timestamp) {
        send(.judge(g, flow: ordinal, reason: reason, at: time))
    }
}
