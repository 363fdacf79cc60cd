import FlowAudit
import FlowAuditPcap
import Foundation

/// `--html FILE`: collects what the page draws while the capture is audited, then, in one more
/// pass over the file for the ladders, writes it. What it keeps is capped (the caps are said on
/// the page): the text and JSON reports always have everything.
final class HTMLOutput {
    static let generationsWithFindings = 500, ladders = 100, timelineConnections = 2000
    let path: String
    private var findingReports: [GenerationReport] = []
    private var findingReportsOmitted = 0
    private var connections: [HTMLReport.Connection] = []
    private var connectionsOmitted = 0

    init(path: String) { self.path = path }

    /// Called with every judged generation (the audit runs with `reportAll`).
    func add(_ report: GenerationReport, options: ReportOptions) {
        if report.connection != nil {
            if connections.count < Self.timelineConnections {
                connections.append(HTMLReport.Connection(report))
            } else {
                connectionsOmitted += 1
            }
        }
        var visible = report
        visible.findings = options.visibleFindings(report)
        guard !visible.findings.isEmpty else { return }
        if findingReports.count < Self.generationsWithFindings {
            findingReports.append(visible)
        } else {
            findingReportsOmitted += 1
        }
    }

    /// Draws the ladders and writes the page; a failure is a write failure.
    func write(capture: String, source: CaptureSource, summary: CaptureSummary, configuration: AuditConfiguration) {
        var page = HTMLReport(source: source.name, linkType: "\(source.linkType)", summary: summary)
        page.findingReports = findingReports
        page.findingReportsOmitted = findingReportsOmitted
        page.connections = connections
        page.connectionsOmitted = connectionsOmitted
        let drawn = Array(findingReports.prefix(Self.ladders))
        if capture == "-" {
            page.ladderNote = "standard input cannot be read a second time for the ladders"
        } else {
            do {
                let ladders = try LadderCapture.ladders(
                    of: drawn,
                    path: capture,
                    configuration: configuration,
                    limit: 200,
                    stopAfterLastFrame: true
                )
                for ladder in ladders {
                    page.ladders[ladder.report.uid] = ladder
                }
                page.ladderNote = "only the first \(Self.ladders) connection generations with findings are drawn"
            } catch {
                page.ladderNote = "the capture could not be read again (\(error))"
            }
        }
        do {
            try page.render().write(toFile: path, atomically: true, encoding: .utf8)
            Terminal.error("tcpflow-audit: \(source.name): HTML report in \(path)")
        } catch {
            Terminal.reportWriteFailure(output: path, reason: error.localizedDescription)
        }
    }
}
