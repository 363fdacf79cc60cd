/// Builds the `Ladder` of one generation: the segments of its 4-tuple go through a `FlowAuditor`
/// of their own (the same rules as the full audit: a flow's replay depends only on its own
/// segments and the time they came), whose tracer records both states after each segment; the
/// generation's final evidence then says which segments were not accepted, and why.
public final class LadderRecorder {
    private let report: GenerationReport
    private let limit: Int
    private let auditor: FlowAuditor
    private let trace: Trace

    /// What the tracer saw, kept apart from the auditor that holds the tracer. Bounded: of the
    /// generations before the target only the last entry is kept (for the states before it), of
    /// the target at most `limit` entries, and nothing once a later generation began.
    private final class Trace {
        struct Entry {
            var seen: ObservedSegment
            /// The generation the segment was applied to (nil: not traced, handled against a summary).
            var generation: UInt32?
            var states: StatePair
            var duplicates: UInt32
            var retransmissions: (a: UInt32, b: UInt32)
        }
        let target: UInt32, limit: Int
        var entries: [Entry] = []
        var targetEntries = 0, leftOut = 0
        /// Segments the tracer was told of.
        var traced = 0
        /// The generation the last traced segment was applied to.
        var lastGeneration: UInt32?
        /// A later generation began: nothing more is needed.
        var done = false
        /// The target generation as it stood after its last segment (past `limit`, after its
        /// last SYN, FIN or RST: what decides how the drawn segments are shown comes with those).
        var final: ConnectionGeneration?

        init(target: UInt32, limit: Int) {
            self.target = target
            self.limit = limit
        }

        func note(_ entry: Entry, of generation: UInt32, _ current: () -> ConnectionGeneration?) {
            if generation < target {
                entries.removeAll(keepingCapacity: true)
                entries.append(entry)
            } else if targetEntries < limit {
                entries.append(entry)
                targetEntries += 1
                if let current = current() { final = current }
            } else {
                leftOut += 1
                if !entry.seen.segment.flags.isDisjoint(with: [.syn, .fin, .rst]), let current = current() {
                    final = current
                }
            }
        }
    }

    /// `report` is the generation to draw, from a full audit of the capture with `configuration`;
    /// at most `limit` of its segments are drawn.
    public init(report: GenerationReport, configuration: AuditConfiguration, limit: Int = 500) {
        self.report = report
        self.limit = limit
        trace = Trace(target: report.generation, limit: limit)
        auditor = FlowAuditor(configuration: configuration, reportAll: false) { _ in }
        let trace = trace
        auditor.tracer = { seen, generation in
            trace.traced += 1
            trace.lastGeneration = generation.number
            guard generation.number <= trace.target else {
                trace.done = true
                return
            }
            let entry = Trace.Entry(
                seen: seen,
                generation: generation.number,
                states: generation.states,
                duplicates: generation.evidence.duplicates,
                retransmissions: (generation.a.retransmissions, generation.b.retransmissions)
            )
            trace.note(entry, of: generation.number) { generation }
        }
    }

    /// Offers one decoded segment of the capture; segments of other 4-tuples are ignored.
    public func add(_ segment: TCPSegment, frame: UInt64, time: Timestamp) {
        guard !trace.done else { return }
        let (key, sender) = FlowKey.of(segment)
        guard key.isSameFlow(as: report.key) else { return }
        let traced = trace.traced
        auditor.process(segment, frame: frame, time: time)
        if !trace.done, trace.traced == traced, let generation = trace.lastGeneration {
            // Handled against the summary of the generation last traced (or noted as stale).
            let previous = trace.entries.last
            let entry = Trace.Entry(
                seen: ObservedSegment(segment, from: sender, frame: frame, time: time),
                generation: nil,
                states: previous?.states ?? StatePair(a: .unknown, b: .unknown),
                duplicates: previous?.duplicates ?? 0,
                retransmissions: previous?.retransmissions ?? (0, 0)
            )
            trace.note(entry, of: generation) { nil }
        }
    }

    /// The ladder, once every frame was offered.
    public func finish() -> Ladder {
        auditor.finish()
        let client: Side = report.key.endpoint(.a) == report.client ? .a : .b
        let final = trace.final
        let reasons = final.map(Self.notAcceptedReasons) ?? [:]
        let resent = final.map(Self.retransmittedFrames) ?? []
        let lost = final.map(Self.lostAfterCapture) ?? [:]
        let bases = (
            a: final.map { Self.base(.a, $0, trace.entries) } ?? 0,
            b: final.map { Self.base(.b, $0, trace.entries) } ?? 0
        )
        let overturned = final.map { Self.overturnedResets($0, trace.entries) } ?? []
        var statesBefore: [UInt64: StatePair] = [:]
        for (index, entry) in trace.entries.enumerated() where index > 0 && lost[entry.seen.frame] != nil {
            statesBefore[entry.seen.frame] = trace.entries[index - 1].states
        }
        var steps: [Ladder.Step] = []
        var generation: UInt32?
        var previous: Trace.Entry?
        var leftOut = 0
        for entry in trace.entries {
            if let number = entry.generation { generation = number }
            defer { previous = entry }
            guard generation == report.generation else { continue }
            guard steps.count < limit else {
                leftOut += 1
                continue
            }
            let seen = entry.seen, segment = seen.segment
            let disposition: Ladder.Disposition
            if let reason = reasons[seen.frame] {
                disposition = .notAccepted(reason)
            } else if let ack = lost[seen.frame] {
                disposition = .lostAfterCapture(ack.how)
            } else if let what = final.flatMap({ Self.previousGenerationNote(seen.frame, $0) }) {
                disposition = .previousGeneration(what)
            } else if entry.generation == nil {
                disposition = .afterClose
            } else if let previous, previous.generation == entry.generation, entry.duplicates > previous.duplicates {
                disposition = .copy
            } else if resent.contains(seen.frame)
                || (previous.map {
                    Self.retransmissionCount(entry, seen.sender) > Self.retransmissionCount($0, seen.sender)
                } ?? false
                    && previous?.generation == entry.generation)
            {
                disposition = .retransmission
            } else {
                disposition = .accepted
            }
            // A RST taken at first and overturned later: the states it set never held.
            var states = entry.states
            if let undone = overturned.first(where: { $0.reset <= seen.frame && seen.frame < $0.until }) {
                states = undone.states
            }
            // An ACK lost after the capture point: its receiver stayed where it was until it resent.
            for (frame, ack) in lost where frame <= seen.frame && seen.frame < ack.until {
                if let before = statesBefore[frame] {
                    if ack.receiver == .a { states.a = before.a } else { states.b = before.b }
                }
            }
            let senderBase = seen.sender == .a ? bases.a : bases.b
            let receiverBase = seen.sender == .a ? bases.b : bases.a
            steps.append(
                Ladder.Step(
                    frame: seen.frame,
                    time: seen.time,
                    fromClient: seen.sender == client,
                    flags: segment.flags,
                    relativeSequence: Int32(bitPattern: segment.sequence.rawValue &- senderBase),
                    relativeAcknowledgment: segment.acknowledgment.map {
                        Int32(bitPattern: $0.rawValue &- receiverBase)
                    },
                    length: segment.payloadLength,
                    clientState: states[client],
                    serverState: states[client.peer],
                    disposition: disposition,
                    findings: report.findings.indices.filter { report.findings[$0].frames.contains(seen.frame) }
                )
            )
        }
        let initial: TCPState = steps.first.map { $0.flags.control == .syn ? .closed : .unknown } ?? .unknown
        return Ladder(
            report: report,
            initialClientState: initial == .closed ? .closed : .unknown,
            initialServerState: initial == .closed ? .listen : .unknown,
            steps: steps,
            leftOut: leftOut + trace.leftOut
        )
    }

    private static func retransmissionCount(_ entry: Trace.Entry, _ side: Side) -> UInt32 {
        side == .a ? entry.retransmissions.a : entry.retransmissions.b
    }

    /// The number `side`'s sequence numbers count from: its ISN, else the first it was seen to use
    /// in the generation.
    private static func base(_ side: Side, _ g: ConnectionGeneration, _ entries: [Trace.Entry]) -> UInt32 {
        if let isn = g[side].initialSequence { return isn.rawValue }
        let first = entries.first { $0.generation == g.number && $0.seen.sender == side }
        return first?.seen.segment.sequence.rawValue ?? 0
    }

    /// Frames the generation's evidence says their receiver did not accept, with a short reason.
    private static func notAcceptedReasons(_ g: ConnectionGeneration) -> [UInt64: String] {
        let e = g.evidence
        var reasons: [UInt64: String] = [:]
        for item in e.discardedSegments { reasons[item.moment.moment.frame] = item.reason.phrase }
        for item in e.badChecksums where reasons[item.moment.moment.frame] == nil {
            reasons[item.moment.moment.frame] = DiscardedSegment.Reason.badChecksum.phrase
        }
        for item in e.ignoredResets { reasons[item.moment.moment.frame] = item.reason.phrase }
        for item in e.probes { reasons[item.moment.frame] = "no connection to reach (a probe: dropped)" }
        for (index, item) in e.staleSegments.enumerated() {
            let why = index < e.staleReasons.count ? e.staleReasons[index] : "of an earlier connection"
            reasons[item.moment.frame] = "stale: " + why
        }
        for item in e.dataAfterClose { reasons[item.moment.frame] = "data after its sender's FIN" }
        return reasons
    }

    /// An ACK seen here that its receiver never took, as the receiver's retransmission shows.
    private struct LostACK {
        var how: String
        var receiver: Side
        /// The retransmission that showed it: until then, the replay still took the ACK.
        var until: UInt64
    }

    /// The final ACK before the passive closer's FIN came again; the handshake ACK before a
    /// SYN-ACK did.
    private static func lostAfterCapture(_ g: ConnectionGeneration) -> [UInt64: LostACK] {
        let e = g.evidence
        var lost: [UInt64: LostACK] = [:]
        if let finalACK = e.finalACK, let finA = e.firstFIN.a, let finB = e.firstFIN.b {
            let passive: Side = finA.frame > finB.frame ? .a : .b
            if let again = e.finRetransmissions.first(where: { $0.sender == passive && finalACK.time < $0.moment.time })
            {
                lost[finalACK.frame] = LostACK(
                    how: "its receiver sent its FIN again (frame \(again.moment.frame))",
                    receiver: passive,
                    until: again.moment.frame
                )
            }
        }
        if let handshakeACK = e.handshakeACK, let again = e.synACKAfterHandshakeACK.first,
            handshakeACK.time < again.time
        {
            lost[handshakeACK.frame] = LostACK(
                how: "the server sent its SYN-ACK again (frame \(again.frame))",
                receiver: g.server,
                until: again.frame
            )
        }
        return lost
    }

    /// RSTs the replay took at first and overturned when the connection went on: from the RST's
    /// frame until that frame, the states as they were just before the RST.
    private static func overturnedResets(
        _ g: ConnectionGeneration,
        _ entries: [Trace.Entry]
    )
        -> [(reset: UInt64, until: UInt64, states: StatePair)]
    {
        g.evidence.ignoredResets.compactMap { ignored in
            guard case let .connectionWentOn(frame, _) = ignored.reason else { return nil }
            let reset = ignored.moment.moment.frame
            guard let index = entries.firstIndex(where: { $0.seen.frame == reset }), index > 0 else { return nil }
            return (reset, frame, entries[index - 1].states)
        }
    }

    /// The reuse dance (docs/domain.md): the old connection's reply to a new SYN, and the RST
    /// the new SYN's sender answers it with.
    private static func previousGenerationNote(_ frame: UInt64, _ g: ConnectionGeneration) -> String? {
        let e = g.evidence
        if e.oldGenerationReply?.frame == frame {
            return "the previous generation's ACK: its holder still had the old connection"
        }
        if e.reuseReset?.frame == frame { return "RST for the previous generation's ACK (clears the old connection)" }
        return nil
    }

    /// Frames the evidence names as SYN, SYN-ACK or FIN retransmissions.
    private static func retransmittedFrames(_ g: ConnectionGeneration) -> Set<UInt64> {
        let e = g.evidence
        return Set(e.synRetransmissions.map(\.frame) + e.synACKRetransmissions.map(\.frame))
            .union(e.finRetransmissions.map(\.moment.frame))
    }
}
