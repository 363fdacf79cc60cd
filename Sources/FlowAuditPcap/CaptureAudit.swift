import FlowAudit

/// Everything one capture file gave: where it came from, its summary, and its judged generations
/// in first-seen order.
public struct CaptureAuditResult: Sendable {
    public var source: CaptureSource
    public var summary: CaptureSummary
    public var reports: [GenerationReport]
}

/// Reads a capture file through libpcap and audits it.
public enum CaptureAudit {
    /// Audits `path`. Three threads share the work: one reads and decodes the file, the calling
    /// thread follows the flows, and one judges finished generations and hands out the reports.
    /// With `stream`, each report goes to it (on the judging thread) as soon as it is released,
    /// in first-seen order, and the result's `reports` stays empty: memory stays flat however
    /// many findings a long capture has.
    /// `progress` is called after every frame with the frames and bytes read so far.
    /// `interruption` is asked before each frame is read: a signal's name stops reading there, and
    /// what was read is judged as at the end of a capture (the result's source says so).
    public static func run(
        path: String,
        configuration: AuditConfiguration,
        reportAll: Bool = false,
        filter: String? = nil,
        progress: ((UInt64, UInt64) -> Void)? = nil,
        interruption: (@Sendable () -> String?)? = nil,
        stream: ((GenerationReport) -> Void)? = nil
    ) throws(PcapError) -> CaptureAuditResult {
        try run(
            .file(path),
            configuration: configuration,
            reportAll: reportAll,
            filter: filter,
            progress: progress,
            interruption: interruption,
            stream: stream
        )
    }

    /// What to read: one capture file, or several read as one capture (`--merge`, see
    /// `MergedCapture`: frames in timestamp order, numbered as in `mergecap`'s output; the
    /// `FrameOrigins`, for those paths, learns each frame's own file and number as it is read).
    public enum Input {
        case file(String)
        case merged([String], FrameOrigins)
    }

    /// Audits `input` (see `run(path:…)`).
    public static func run(
        _ input: Input,
        configuration: AuditConfiguration,
        reportAll: Bool = false,
        filter: String? = nil,
        progress: ((UInt64, UInt64) -> Void)? = nil,
        interruption: (@Sendable () -> String?)? = nil,
        stream: ((GenerationReport) -> Void)? = nil
    ) throws(PcapError) -> CaptureAuditResult {
        switch input {
        case let .file(path):
            return audit(
                try PcapFileReader(path: path, filter: filter),
                name: path,
                configuration: configuration,
                reportAll: reportAll,
                progress: progress,
                interruption: interruption,
                stream: stream
            )
        case let .merged(paths, origins):
            return audit(
                try MergedCapture(paths: paths, origins: origins, filter: filter),
                name: "merged " + paths.joined(separator: " + "),
                configuration: configuration,
                reportAll: reportAll,
                progress: progress,
                interruption: interruption,
                stream: stream
            )
        }
    }

    private static func audit<Source: FrameSource>(
        _ reader: Source,
        name path: String,
        configuration: AuditConfiguration,
        reportAll: Bool,
        progress: ((UInt64, UInt64) -> Void)?,
        interruption: (@Sendable () -> String?)?,
        stream: ((GenerationReport) -> Void)?
    ) -> CaptureAuditResult {
        var reports: [GenerationReport] = []
        let verdicts = Verdicts(configuration: configuration, reportAll: reportAll) { report in
            if let stream { stream(report) } else { reports.append(report) }
        }
        let events = BatchHandoff<VerdictEvent>(batchSize: 256, depth: 8)
        let judging = BackgroundThread {
            events.consume { verdicts.handle($0) }
        }
        let auditor =
            judging == nil
            ? FlowAuditor(
                configuration: configuration,
                sendingVerdictsTo: { (event: consuming VerdictEvent) in verdicts.handle(event) }
            )
            : FlowAuditor(
                configuration: configuration,
                sendingVerdictsTo: { (event: consuming VerdictEvent) in events.append(event) }
            )
        let linkType = reader.linkType
        var shouldStop: (@Sendable () -> Bool)?
        if let interruption { shouldStop = { interruption() != nil } }
        let damage = DecodingReader(reader).forEachDecodedFrame(
            prefetch: { auditor.prefetch(lookupHash: $0, near: $1) },
            shouldStop: shouldStop
        ) { frame in
            auditor.process(
                frame.decoded,
                frame: frame.number,
                time: frame.time,
                wireLength: frame.wireLength,
                lookup: frame.lookup,
                clock: frame.clock
            )
            progress?(auditor.framesSeen, auditor.bytesSeen)
        }
        auditor.finish()
        if let judging {
            events.finish()
            judging.join()
        }
        var summary = auditor.summary
        summary.addJudgements(verdicts.counts)
        var source = CaptureSource(name: path, linkType: linkType, damage: damage)
        source.interruptedBy = interruption?()
        return CaptureAuditResult(source: source, summary: summary, reports: reports)
    }
}
