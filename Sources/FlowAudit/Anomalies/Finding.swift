/// One named problem in one connection generation, with the frames that show it.
public struct Finding: Sendable {
    public var kind: AnomalyKind
    public var severity: Severity
    /// How sure the evidence makes the finding from this capture point (README, "Confidence").
    public var confidence: Confidence
    /// Evidence frame numbers, 1-based as Wireshark numbers them, ascending.
    public var frames: [UInt64]
    public var firstTime: Timestamp
    public var lastTime: Timestamp
    /// Both endpoints' inferred states at the moment the finding was decided.
    public var clientState: TCPState
    public var serverState: TCPState
    /// One plain sentence saying what happened, kept as UTF-8: reports copy it straight out.
    public var sentence: Explanation
    public var explanation: String { sentence.text }

    public var advice: String { kind.advice }

    /// A Wireshark / tshark display filter that selects exactly the evidence frames:
    /// `frame.number == 8`, or `frame.number in {8..10,12}` (runs folded into ranges; the
    /// comma-separated set syntax of Wireshark 4).
    public var displayFilter: String {
        guard frames.count > 1 else { return "frame.number == \(frames.first ?? 0)" }
        var parts: [String] = []
        var index = 0
        while index < frames.count {
            var end = index
            while end + 1 < frames.count, frames[end + 1] == frames[end] + 1 { end += 1 }
            parts.append(end == index ? "\(frames[index])" : "\(frames[index])..\(frames[end])")
            index = end + 1
        }
        return "frame.number in {\(parts.joined(separator: ","))}"
    }

    init(
        _ kind: AnomalyKind,
        _ severity: Severity,
        frames: [UInt64],
        firstTime: Timestamp,
        lastTime: Timestamp,
        clientState: TCPState,
        serverState: TCPState,
        _ sentence: Explanation,
        confidence: Confidence = .certain
    ) {
        self.kind = kind
        self.severity = severity
        self.confidence = confidence
        var sorted = frames
        sorted.sort()
        sorted.removeDuplicatesInOrder()
        self.frames = sorted
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.clientState = clientState
        self.serverState = serverState
        self.sentence = sentence
    }

    /// Builds a finding from its evidence; `decidedAt` supplies the states, `generation` the roles.
    init(
        _ kind: AnomalyKind,
        _ severity: Severity,
        evidence: [Moment],
        decidedAt: Moment,
        in generation: ConnectionGeneration,
        _ sentence: Explanation,
        confidence: Confidence = .certain
    ) {
        var frames: [UInt64] = []
        frames.reserveCapacity(evidence.count + 1)
        var first = decidedAt.time, last = decidedAt.time
        for moment in evidence {
            frames.append(moment.frame)
            if moment.time < first { first = moment.time }
            if last < moment.time { last = moment.time }
        }
        frames.append(decidedAt.frame)
        self.init(
            kind,
            severity,
            frames: frames,
            firstTime: first,
            lastTime: last,
            clientState: decidedAt.states[generation.client],
            serverState: decidedAt.states[generation.server],
            sentence,
            confidence: confidence
        )
    }
}

/// How sure a finding is, given what one capture point can see (docs/domain.md §1).
/// - `certain`: the packets show it whatever happened beyond the capture point.
/// - `likely`: the packets fit it, and another explanation needs an unlikely coincidence (several
///   losses just after the capture point, a broken stack).
/// - `possible`: the capture point cannot tell it from another cause, which the explanation names.
public enum Confidence: String, CaseIterable, Sendable, Comparable {
    case possible, likely, certain

    public static func < (lhs: Confidence, rhs: Confidence) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a classifier may consult besides the generation itself.
public struct ClassificationContext: Sendable {
    public var configuration: AuditConfiguration
    public var reason: FinishReason
    /// When the generation is judged: the capture time of its end, or of the end of capture.
    public var now: Timestamp
    /// The generation's last frame, for findings decided by a timer rather than a packet.
    public var lastMoment: Moment
}

/// What every finding kind's rule declares: the kind it names and the knob or call behind it
/// (docs/domain.md §4), in one line, for the report's advice.
protocol FindingRule: SendableMetatype {
    static var kind: AnomalyKind { get }
    static var advice: String { get }
}

/// A rule that names one kind of problem from a generation's evidence: when the generation is
/// judged (closed, replaced, idle or cut by the end of the capture) and, for a rule that rests on
/// elapsed time rather than on a close, while it is still open (a live capture's timer).
protocol Classifier: FindingRule {
    static func classify(_ generation: ConnectionGeneration, _ context: ClassificationContext) -> Finding?

    /// Whether a live capture's timer should ask `classify` about an open generation now
    /// (`context.reason` is `.stillOpen`); false for rules that need the connection to end.
    static func isDueWhileOpen(_ generation: ConnectionGeneration, _ context: ClassificationContext) -> Bool
}

extension Classifier {
    static func isDueWhileOpen(_ generation: ConnectionGeneration, _ context: ClassificationContext) -> Bool { false }
}

/// All classifiers, in the order of docs/domain.md §3. Where two would describe one cause, the more
/// specific one decides and the general one stands down (documented in each).
enum Classifiers {
    static func findings(for g: ConnectionGeneration, _ context: ClassificationContext) -> [Finding] {
        // Called once per judged generation: plain calls, no array of closures to walk.
        var found: [Finding] = []
        func add(_ finding: Finding?) { if let finding { found.append(finding) } }
        add(SYNUnanswered.classify(g, context))
        add(SYNRetransmitted.classify(g, context))
        add(ConnectionRefused.classify(g, context))
        add(SYNACKRetransmitted.classify(g, context))
        add(AcceptQueueOverflow.classify(g, context))
        add(SimultaneousOpen.classify(g, context))
        add(LostFinalACK.classify(g, context))
        add(CloseWaitStalled.classify(g, context))
        add(FINWaitStalled.classify(g, context))
        add(AbortiveClose.classify(g, context))
        add(SimultaneousClose.classify(g, context))
        add(DataAfterClose.classify(g, context))
        add(TimeWaitOnServer.classify(g, context))
        add(RSTAfterSYNReuse.classify(g, context))
        add(PortReuseWithin2MSL.classify(g, context))
        add(StaleSegment.classify(g, context))
        add(TimestampRegression.classify(g, context))
        add(RSTIgnored.classify(g, context))
        add(SegmentDiscarded.classify(g, context))
        if g.isOneSided { found.removeAll { !$0.kind.standsOnOneDirection } }
        return found.filter { !g.evidence.wasReportedWhileOpen($0.kind) }
    }

    /// Every classifier, in `AnomalyKind` order (the aggregate kinds have none).
    private static let all: [any Classifier.Type] = AnomalyKind.allCases.compactMap { $0.rule as? any Classifier.Type }

    /// Whether a live capture's timer has something to ask any classifier about `g` now.
    static func isAnyDueWhileOpen(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Bool {
        all.contains { !g.evidence.wasReportedWhileOpen($0.kind) && $0.isDueWhileOpen(g, context) }
    }

    /// What the classifiers that are due decide about `g` while it is still open, each kind once
    /// per generation.
    static func findingsWhileOpen(for g: ConnectionGeneration, _ context: ClassificationContext) -> [Finding] {
        all.compactMap { rule in
            guard !g.evidence.wasReportedWhileOpen(rule.kind), rule.isDueWhileOpen(g, context) else { return nil }
            return rule.classify(g, context)
        }
    }
}

extension ConnectionGeneration {
    func role(_ side: Side) -> String { side == client ? "client" : "server" }
    func roleCapitalized(_ side: Side) -> String { side == client ? "Client" : "Server" }
}

extension Array where Element: Equatable {
    /// Removes repeats next to each other (in a sorted array: all repeats).
    mutating func removeDuplicatesInOrder() {
        guard count > 1 else { return }
        var kept = 1
        for index in 1..<count where self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}
