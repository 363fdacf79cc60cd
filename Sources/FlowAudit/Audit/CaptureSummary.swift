/// Counts over the whole capture, for the report's summary.
public struct CaptureSummary: Sendable {
    public init() {}

    public var frames: UInt64 = 0
    public var bytes: UInt64 = 0
    public var tcpPackets: UInt64 = 0
    public var notTCP: UInt64 = 0
    public var laterFragments: UInt64 = 0
    /// TCP segments whose payload or options the snaplen cut (headers used as far as present).
    public var cutBySnaplen: UInt64 = 0
    /// Frames that could not be decoded as far as TCP, by reason.
    public var undecodable: [String: UInt64] = [:]
    /// The first undecodable frames, each with its number and reason.
    public var diagnostics: [FrameDiagnostic] = []
    public var flows: UInt64 = 0
    public var generations: UInt64 = 0
    /// TIME-WAIT populations per host and per (host, peer service), busiest first (one capture).
    public var timeWait: [TimeWaitEntry] = []
    /// Per-service rollups, busiest first (one capture).
    public var services: [ServiceEntry] = []
    /// TIME-WAIT groups and services left out of the lists above (past their limits).
    public var timeWaitOmitted = 0
    public var servicesOmitted = 0
    /// TIME-WAITs past the view's limits (`TimeWaitPopulation.intervalLimit`, `keyLimit`): not in it.
    public var timeWaitUntracked = 0
    /// How generations ended: (client state, server state) → count.
    public var finalStates: [RoleStates: UInt64] {
        var counts: [RoleStates: UInt64] = [:]
        let states = TCPState.allCases
        for (index, count) in finalStateCounts.enumerated() where count > 0 {
            counts[RoleStates(client: states[index / states.count], server: states[index % states.count])] = count
        }
        return counts
    }

    /// `finalStates` as "CLIENT / SERVER" text, for reports.
    public var finalStatePairs: [String: UInt64] {
        Dictionary(finalStates.map { ("\($0.key.client) / \($0.key.server)", $0.value) }, uniquingKeysWith: +)
    }
    public var findingsByKind: [AnomalyKind: UInt64] {
        var counts: [AnomalyKind: UInt64] = [:]
        for kind in AnomalyKind.allCases where kindCounts[kind.position] > 0 {
            counts[kind] = kindCounts[kind.position]
        }
        return counts
    }
    public var firstTime: Timestamp?
    public var lastTime: Timestamp?
    /// Most connections open at once (generations not yet closed).
    public var peakOpenConnections: UInt64 = 0
    /// Most closed generations kept at once as summaries within 2MSL.
    public var peakClosedConnections: UInt64 = 0
    /// Judged generations by where the capture point sat (from handshake timing).
    public var vantages: [Vantage: UInt64] {
        var counts: [Vantage: UInt64] = [:]
        for (index, vantage) in Vantage.allCases.enumerated() where vantageCounts[index] > 0 {
            counts[vantage] = vantageCounts[index]
        }
        return counts
    }
    /// Hosts whose bad-checksum segments their peers answered as if whole: checksum offload on the
    /// capturing host (at most `diagnosticLimit`, sorted).
    public var checksumOffloadHosts: [IPAddress] = []
    /// Findings found but not reported (`--only`, `--min-severity`); `findingsByKind` then counts
    /// only those reported (`countReported`).
    public var hiddenFindings: UInt64 = 0
    /// Connections judged early and forgotten to stay under `AuditConfiguration.maxConnections`.
    public var shedConnections: UInt64 = 0
    /// Exact copies of a segment captured twice (two interfaces, a SPAN of both directions): not
    /// retransmissions, and left out of the analysis.
    public var duplicates: UInt64 = 0
    /// SYNs captured after the SYN-ACK that answers them (multi-queue NICs, merged interfaces).
    public var captureOrderInversions: UInt64 = 0
    /// Frames stamped earlier than a frame before them (reordering, merged interfaces); they are
    /// analysed at their own time, and the analysis clock stays where it was.
    public var framesBeforeClock: UInt64 = 0
    /// Frames whose time lay more than `CaptureClock.jumpLimit` from their neighbours and were
    /// analysed at the previous frame's time (each also listed in `diagnostics`).
    public var timestampOutliers: UInt64 = 0
    /// Times the capture's clock went back by more than `CaptureClock.jumpLimit` and stayed there:
    /// the analysis judged what was open and started again (each also listed in `diagnostics`).
    public var clockStepsBack: UInt64 = 0
    /// Reports written ahead of their first-seen turn to keep memory bounded (see `FirstSeenOrder`).
    public var reportsOutOfOrder: UInt64 = 0

    public static let diagnosticLimit = 50

    // Counted per judged generation, so kept in flat arrays rather than hashed.
    private var finalStateCounts = [UInt64](repeating: 0, count: TCPState.allCases.count * TCPState.allCases.count)
    private var kindCounts = [UInt64](repeating: 0, count: AnomalyKind.allCases.count)
    private var vantageCounts = [UInt64](repeating: 0, count: Vantage.allCases.count)

    /// Makes `findingsByKind` count what was reported (`shown`), the rest in `hiddenFindings`.
    public mutating func countReported(_ shown: [AnomalyKind: UInt64], hidden: UInt64) {
        for kind in AnomalyKind.allCases { kindCounts[kind.position] = shown[kind] ?? 0 }
        hiddenFindings = hidden
    }

    mutating func count(finalStates pair: RoleStates) {
        finalStateCounts[Int(pair.client.rawValue) * TCPState.allCases.count + Int(pair.server.rawValue)] &+= 1
    }
    mutating func count(_ kind: AnomalyKind) { kindCounts[kind.position] &+= 1 }
    mutating func count(_ vantage: Vantage) { vantageCounts[vantage.position] &+= 1 }

    /// Adds the counts `Verdicts` keeps (generations, final states, vantages, findings, reports
    /// out of order) to these.
    public mutating func addJudgements(_ other: CaptureSummary) {
        generations &+= other.generations
        for index in finalStateCounts.indices { finalStateCounts[index] &+= other.finalStateCounts[index] }
        for index in kindCounts.indices { kindCounts[index] &+= other.kindCounts[index] }
        for index in vantageCounts.indices { vantageCounts[index] &+= other.vantageCounts[index] }
        reportsOutOfOrder &+= other.reportsOutOfOrder
        duplicates &+= other.duplicates
        for host in other.checksumOffloadHosts { noteChecksumOffload(host) }
        captureOrderInversions &+= other.captureOrderInversions
        if timeWait.isEmpty {
            timeWait = other.timeWait
            timeWaitOmitted = other.timeWaitOmitted
            timeWaitUntracked = other.timeWaitUntracked
        }
        if services.isEmpty {
            services = other.services
            servicesOmitted = other.servicesOmitted
        }
    }

    /// Adds another input's counts to these, for the summary across several inputs: counts add
    /// up, the time range spans both, peaks are the larger. (Diagnostics stay with their file.)
    public mutating func add(_ other: CaptureSummary) {
        addJudgements(other)
        // The whole-capture views belong to one capture: not added up across inputs.
        timeWait = []
        services = []
        frames &+= other.frames
        bytes &+= other.bytes
        tcpPackets &+= other.tcpPackets
        notTCP &+= other.notTCP
        laterFragments &+= other.laterFragments
        cutBySnaplen &+= other.cutBySnaplen
        undecodable.merge(other.undecodable, uniquingKeysWith: &+)
        flows &+= other.flows
        if let first = other.firstTime { firstTime = min(firstTime ?? first, first) }
        if let last = other.lastTime { lastTime = max(lastTime ?? last, last) }
        peakOpenConnections = max(peakOpenConnections, other.peakOpenConnections)
        peakClosedConnections = max(peakClosedConnections, other.peakClosedConnections)
        hiddenFindings &+= other.hiddenFindings
        shedConnections &+= other.shedConnections
        framesBeforeClock &+= other.framesBeforeClock
        timestampOutliers &+= other.timestampOutliers
        clockStepsBack &+= other.clockStepsBack
    }

    public var undecodableTotal: UInt64 { undecodable.values.reduce(0, +) }

    /// Every frame that earned a diagnostic (undecodable, outlying time, clock step), listed or not.
    public var diagnosedTotal: UInt64 { undecodableTotal + timestampOutliers + clockStepsBack }

    mutating func noteChecksumOffload(_ host: IPAddress) {
        guard checksumOffloadHosts.count < Self.diagnosticLimit, !checksumOffloadHosts.contains(host) else { return }
        checksumOffloadHosts.append(host)
        checksumOffloadHosts.sort()
    }

    mutating func noteTimestampOutlier(frame: UInt64, original: Timestamp, analysedAt time: Timestamp) {
        timestampOutliers &+= 1
        noteDiagnostic(
            frame,
            "timestamp \(original) lies \(formatDuration(original.since(time).magnitudeSaturated)) from its neighbours; analysed at the previous frame's time \(time)"
        )
    }

    mutating func noteClockStep(frame: UInt64, from: Timestamp, to: Timestamp) {
        clockStepsBack &+= 1
        noteDiagnostic(
            frame,
            "the capture's clock goes back \(formatDuration(from.since(to))) (from \(from) to \(to)); what was open was judged, and the analysis restarted"
        )
    }

    private mutating func noteDiagnostic(_ frame: UInt64, _ reason: String) {
        if diagnostics.count < Self.diagnosticLimit {
            diagnostics.append(FrameDiagnostic(frame: frame, reason: reason))
        }
    }

    mutating func noteUndecodable(frame: UInt64, _ error: DecodeError) {
        undecodable[error.category, default: 0] += 1
        if diagnostics.count < Self.diagnosticLimit {
            diagnostics.append(FrameDiagnostic(frame: frame, reason: error.description))
        }
    }
}

/// One frame the decoder could not use, and why.
public struct FrameDiagnostic: Sendable, Hashable {
    public var frame: UInt64
    public var reason: String

    public init(frame: UInt64, reason: String) {
        self.frame = frame
        self.reason = reason
    }
}
