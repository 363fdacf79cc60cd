/// What happens to flows that matters for their verdicts, in the order it happens: what
/// `FlowAuditor` hands to `Verdicts`.
package enum VerdictEvent: Sendable {
    /// A flow got its first-seen ordinal.
    case opened(flow: UInt64)
    /// A generation is finished: classify it and report it.
    case judge(ConnectionGeneration, flow: UInt64, reason: FinishReason, at: Timestamp)
    /// Findings already decided (late evidence against a summary, or a timer on an open
    /// connection): count them and report them.
    case decided(GenerationReport)
    /// A flow is gone for good (judged, and past its 2MSL).
    case retired(flow: UInt64)
    /// The capture ended: release every report still waiting.
    case end
}

/// Judges finished generations (runs the classifiers, counts the verdicts) and releases their
/// reports in first-seen flow order. `FlowAuditor` feeds it `VerdictEvent`s; for a capture file
/// that happens on a thread of its own, beside the packet analysis, so it keeps its own counts,
/// which the caller adds to the auditor's summary at the end (`CaptureSummary.addJudgements`).
public final class Verdicts {
    public let configuration: AuditConfiguration
    private let reportAll: Bool
    private let immediately: Bool
    private let onReport: (GenerationReport) -> Void
    @exclusivity(unchecked) private var order = FirstSeenOrder()
    /// Scans and floods: their probes' own findings are folded into one finding each.
    @exclusivity(unchecked) private var aggregates = ProbeAggregates()
    /// Failed handshakes per listener: context for a lone accept-queue overflow.
    @exclusivity(unchecked) private var listeners = ListenerPressure()
    /// The whole-capture views: TIME-WAIT populations and per-service rollups.
    @exclusivity(unchecked) private var timeWait = TimeWaitPopulation()
    @exclusivity(unchecked) private var services = ServiceRollup()
    /// The time range of the generations judged (for the TIME-WAIT series).
    @exclusivity(unchecked) private var firstSeen: Timestamp?
    @exclusivity(unchecked) private var lastSeen: Timestamp?
    /// The judgement counts: generations, final states, vantages, findings, reports out of order.
    @exclusivity(unchecked) public private(set) var counts = CaptureSummary()

    /// `reportAll`: report every generation, not only those with findings. `immediately`: release
    /// each report the moment it is decided (live capture), not in first-seen order.
    public init(
        configuration: AuditConfiguration,
        reportAll: Bool = false,
        immediately: Bool = false,
        onReport: @escaping (GenerationReport) -> Void
    ) {
        self.configuration = configuration
        self.reportAll = reportAll
        self.immediately = immediately
        self.onReport = onReport
    }

    package func handle(_ event: consuming VerdictEvent) {
        switch consume event {
        case let .opened(ordinal):
            if !immediately { order.opened(ordinal) }
        case let .judge(generation, ordinal, reason, time):
            judge(generation, ordinal: ordinal, reason: reason, at: time)
        case let .decided(report):
            emit(report)
        case let .retired(ordinal):
            if !immediately { order.retired(ordinal, release: deliver) }
        case .end:
            if !immediately {
                for report in aggregates.reports() { order.add(report, release: deliver) }
                order.releaseAll(deliver)
            }
            counts.reportsOutOfOrder = order.releasedEarly
            (counts.timeWait, counts.timeWaitOmitted) = timeWait.entries(
                first: firstSeen,
                last: lastSeen,
                ephemeralPorts: configuration.ephemeralPorts,
                maxBuckets: configuration.maxTimeWaitBuckets
            )
            (counts.services, counts.servicesOmitted) = services.entries
            counts.timeWaitUntracked = timeWait.untracked
        }
    }

    private func judge(_ g: ConnectionGeneration, ordinal: UInt64, reason: FinishReason, at time: Timestamp) {
        let judgedAt = max(time, g.lastSeen)
        let context = ClassificationContext(
            configuration: configuration,
            reason: reason,
            now: judgedAt,
            lastMoment: Moment(frame: g.lastFrame, time: g.lastSeen, states: g.states)
        )
        let findings = Classifiers.findings(for: g, context)
        counts.generations += 1
        counts.duplicates &+= UInt64(g.evidence.duplicates)
        if g.evidence.lateSYN != nil { counts.captureOrderInversions &+= 1 }
        if !g.evidence.badChecksums.isEmpty {
            for side in g.checksumOffloadSides { counts.noteChecksumOffload(g.key.endpoint(side).address) }
        }
        counts.count(finalStates: RoleStates(client: g.state(of: g.client), server: g.state(of: g.server)))
        timeWait.note(g, reason: reason, at: time, timeWait: configuration.timeWait)
        services.note(g, findings: findings)
        firstSeen = min(firstSeen ?? g.firstSeen, g.firstSeen)
        lastSeen = max(lastSeen ?? judgedAt, judgedAt)
        counts.count(Vantage(g))
        for finding in findings where finding.kind == .acceptQueueOverflow || finding.kind == .synUnanswered {
            listeners.note(g.key.endpoint(g.server), at: finding.firstTime)
        }
        let probe = Probe(g)
        guard !findings.isEmpty || reportAll || probe != nil else { return }
        var report = GenerationReport(g, flowOrdinal: ordinal, reason: reason, now: judgedAt, findings: findings)
        if let probe {
            report.probe = probe
            let made = aggregates.note(probe, report: report)
            if immediately { made.forEach(emit) }
        }
        if !report.findings.isEmpty || reportAll { emit(report) }
    }

    private func emit(_ report: GenerationReport) {
        if immediately { deliver(report) } else { order.add(report, release: deliver) }
    }

    /// Hands a report out: a probe's own handshake findings are left out once its scan or flood
    /// is known (`ProbeAggregates.foldedKinds`), and what goes out is what is counted.
    private func deliver(_ report: GenerationReport) {
        var report = report
        if let probe = report.probe, aggregates.folds(probe) {
            report.findings.removeAll { ProbeAggregates.foldedKinds.contains($0.kind) }
            if report.findings.isEmpty && !reportAll { return }
        }
        for index in report.findings.indices where report.findings[index].kind == .acceptQueueOverflow {
            AcceptQueueOverflow.weigh(
                &report.findings[index],
                others: listeners.othersNear(report.server, at: report.findings[index].firstTime)
            )
        }
        for finding in report.findings { counts.count(finding.kind) }
        onReport(report)
    }
}
