import FlowAudit

/// Everything one capture file gave: where it came from, its summary, and its judged generations
/// in first-seen order.
public struct CaptureAuditResult: Sendable {
    public var source: CaptureSource
    public var summary: CaptureSummary
    public var reports: [GenerationReport]

    /// The findings as a regression corpus records them.
    public var expectedFindings: [ExpectedFinding] {
        reports.flatMap { report in report.findings.map { ExpectedFinding($0, in: report) } }.sorted()
    }
}

/// Reads a capture file through libpcap and audits it.
public enum CaptureAudit {
    public static func run(path: String, configuration: AuditConfiguration, reportAll: Bool = false) throws(PcapError) -> CaptureAuditResult {
        let reader = try PcapFileReader(path: path)
        var reports: [GenerationReport] = []
        let auditor = FlowAuditor(configuration: configuration, reportAll: reportAll) { reports.append($0) }
        let linkType = reader.linkType
        let damage = reader.forEachFrame { number, time, bytes, wireLength in
            auditor.process(frame: number, time: time, bytes: bytes, wireLength: wireLength, linkType: linkType)
        }
        auditor.finish()
        reports.sort { ($0.flowOrdinal, $0.generation) < ($1.flowOrdinal, $1.generation) }
        return CaptureAuditResult(
            source: CaptureSource(name: path, linkType: linkType, damage: damage), summary: auditor.summary, reports: reports)
    }
}
