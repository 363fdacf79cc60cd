/// Folds the probes of a scan and the attempts of a SYN flood into one finding each, instead of
/// one broken connection per probe (docs/domain.md §6): `port-scan` per scanning host, `syn-flood` per
/// flooded service (which also covers many ISNs on one 4-tuple). The probes' own handshake
/// findings (`foldedKinds`) are then left out of their reports.
///
/// Memory is bounded: at most `trackedLimit` candidate scanners and flooded services are kept;
/// past that, candidates that are neither are forgotten (a spoofed-source flood makes one per SYN).
struct ProbeAggregates {
    /// A host is a scanner once it probed this many distinct targets (address and port), each
    /// probe within `scanGap` of the previous one.
    static let scanTargets = 16
    static let scanGap: Int64 = 60_000_000_000
    /// A service is flooded once it got this many half-open attempts within `floodWindow`.
    static let floodAttempts = 20
    static let floodWindow: Int64 = 10_000_000_000
    static let trackedLimit = 16_384
    /// Evidence frames kept per aggregate (the counts cover the rest).
    static let frameLimit = GenerationEvidence.listLimit

    /// Findings a folded probe does not get on its own: its scan or flood explains them.
    static let foldedKinds: Set<AnomalyKind> = [
        .synUnanswered, .synRetransmitted, .connectionRefused, .synACKRetransmitted, .abortiveClose,
        .timestampRegression,
    ]

    /// A host's probes; most hosts send one or two (a refused or unanswered connection), so a
    /// candidate is kept small: the distinct targets, counts and the first frames.
    struct Scan {
        var first: Timestamp, last: Timestamp
        /// Distinct targets probed (at most `targetLimit`; ports and hosts are counted from them).
        var targets: Set<Endpoint> = []
        var kinds: Set<Probe.Kind> = []
        var open = 0, closed = 0, silent = 0, probes = 0
        var frames: [UInt64] = []
        /// The report of the probe that made it a scan: the finding is attached to that flow.
        var anchor: Box<GenerationReport>?

        var ports: Int { Set(targets.lazy.map(\.port)).count }
        var hosts: Set<IPAddress> { Set(targets.lazy.map(\.address)) }
    }

    /// Distinct targets remembered per scanner: enough to name a full-range scan's port count.
    static let targetLimit = 65_536

    struct Flood {
        var first: Timestamp, last: Timestamp
        /// Times of the latest attempts, oldest first (at most `floodAttempts`).
        var recent: [Timestamp] = []
        var sources: Set<IPAddress> = []
        var attempts = 0, answered = 0
        var frames: [UInt64] = []
        var anchor: Box<GenerationReport>?
    }

    private var scans: [IPAddress: Scan] = [:]
    private var floods: [Endpoint: Flood] = [:]

    /// Counts `probe` (of the generation `report` describes). Returns the aggregate reports that
    /// this probe just made (a host became a scanner, a service became flooded), for live
    /// capture, which reports at once.
    mutating func note(_ probe: Probe, report: GenerationReport) -> [GenerationReport] {
        var made: [GenerationReport] = []
        makeRoom()
        // Taken out of the table while it changes, so its sets are not copied on write.
        var scan =
            scans.removeValue(forKey: probe.source).flatMap {
                $0.anchor != nil || probe.time.since($0.last) <= Self.scanGap ? $0 : nil
            }
            ?? Scan(first: probe.time, last: probe.time)
        scan.last = max(scan.last, probe.time)
        scan.probes += 1
        if scan.targets.count < Self.targetLimit { scan.targets.insert(probe.target) }
        scan.kinds.insert(probe.kind)
        switch probe.answer {
        case .synACK: scan.open += 1
        case .reset: scan.closed += 1
        case .none: scan.silent += 1
        }
        if scan.frames.count < Self.frameLimit { scan.frames.append(probe.frame) }
        if scan.anchor == nil, scan.targets.count >= Self.scanTargets {
            scan.anchor = Box(report)
            made.append(Self.scanReport(probe.source, scan))
        }
        scans[probe.source] = scan

        guard probe.isHalfOpen else { return made }
        var flood =
            floods.removeValue(forKey: probe.target).flatMap {
                $0.anchor != nil || probe.time.since($0.last) <= Self.floodWindow ? $0 : nil
            }
            ?? Flood(first: probe.time, last: probe.time)
        flood.last = max(flood.last, probe.time)
        flood.attempts += 1
        if probe.answer == .synACK { flood.answered += 1 }
        if flood.sources.count < 65_536 { flood.sources.insert(probe.source) }
        if flood.frames.count < Self.frameLimit { flood.frames.append(probe.frame) }
        flood.recent.append(probe.time)
        if flood.recent.count > Self.floodAttempts { flood.recent.removeFirst() }
        if flood.anchor == nil, flood.recent.count == Self.floodAttempts,
            probe.time.since(flood.recent[0]) <= Self.floodWindow
        {
            flood.anchor = Box(report)
            made.append(Self.floodReport(probe.target, flood))
        }
        floods[probe.target] = flood
        return made
    }

    /// Whether `probe`'s own handshake findings are folded into a scan or a flood.
    func folds(_ probe: Probe) -> Bool {
        if scans[probe.source]?.anchor != nil { return true }
        return probe.isHalfOpen && floods[probe.target]?.anchor != nil
    }

    /// Every scan and flood found, with its final counts, in the order of their anchor flows.
    func reports() -> [GenerationReport] {
        let found =
            scans.compactMap { $0.value.anchor == nil ? nil : Self.scanReport($0.key, $0.value) }
            + floods.compactMap { $0.value.anchor == nil ? nil : Self.floodReport($0.key, $0.value) }
        return found.sorted { ($0.flowOrdinal, $0.findings[0].kind) < ($1.flowOrdinal, $1.findings[0].kind) }
    }

    /// Once too many candidates are kept, forgets those that are neither scanner nor flooded
    /// service: a spoofed-source flood makes one per SYN.
    private mutating func makeRoom() {
        if scans.count >= Self.trackedLimit { scans = scans.filter { $0.value.anchor != nil } }
        if floods.count >= Self.trackedLimit { floods = floods.filter { $0.value.anchor != nil } }
    }

    private static func scanReport(_ source: IPAddress, _ scan: Scan) -> GenerationReport {
        var report = scan.anchor!.value
        report.probe = nil
        report.findings = [PortScan.finding(source: source, scan, states: (report.clientState, report.serverState))]
        return report
    }

    private static func floodReport(_ target: Endpoint, _ flood: Flood) -> GenerationReport {
        var report = flood.anchor!.value
        report.probe = nil
        report.findings = [SYNFlood.finding(target: target, flood, states: (report.clientState, report.serverState))]
        return report
    }
}
