import FlowAudit

/// Writes reports as they come (text blocks or JSON Lines) and remembers the worst severity
/// among the findings it shows, for the exit status.
final class ReportWriter {
    let format: OutputFormat
    let options: ReportOptions
    let text: TextReport
    /// Flush after every report (live capture: `| jq` must see each line at once).
    let flushEach: Bool
    private(set) var worst: Severity?
    /// The current input's findings, reported by kind, and hidden by the filters.
    private var shown: [AnomalyKind: UInt64] = [:]
    private var hidden: UInt64 = 0
    /// The current file's name, rendered once for its JSON lines.
    private var fileName: (name: String, json: JSONLinesReport.FileName)?
    /// Text findings grouped by kind and service until the input's summary (nil: every finding
    /// as it comes, for --verbose, --all-flows and live capture).
    private var grouped: GroupedTextReport?
    /// `--format conn`: whether this input's log header is out yet.
    private var wroteConnHeader = false

    init(format: OutputFormat, options: ReportOptions, flushEach: Bool, verbose: Bool = true) {
        self.format = format
        self.options = options
        self.flushEach = flushEach
        text = TextReport(options: options)
        if format == .text, !verbose, !options.allFlows, !flushEach { grouped = GroupedTextReport(options: options) }
    }

    func write(_ report: GenerationReport, source name: String) {
        // The exit status and the summary follow what is reported: --only and --min-severity both hide.
        for finding in report.findings {
            guard options.keeps(finding) else {
                hidden &+= 1
                continue
            }
            shown[finding.kind, default: 0] &+= 1
            if worst.map({ finding.severity > $0 }) ?? true { worst = finding.severity }
        }
        switch format {
        case .json:
            if fileName?.name != name { fileName = (name, JSONLinesReport.FileName(name)) }
            let file = fileName!.json
            Terminal.out { JSONLinesReport.append(report, file: file, options: options, to: $0) }
        case .conn:
            writeConnHeader()
            if let line = ConnLogReport.line(report, options: options) { Terminal.out(line) }
        case .text:
            if grouped != nil {
                grouped!.add(report, visible: options.visibleFindings(report))
            } else if let block = text.block(for: report) {
                Terminal.out(block + "\n")
            }
        }
        if flushEach { Terminal.flush() }
    }

    /// Writes the summary, counting the findings this writer reported (and those it hid); the
    /// next input starts counting afresh. Returns the summary as written.
    @discardableResult
    func writeSummary(_ summary: CaptureSummary, source: CaptureSource) -> CaptureSummary {
        var summary = summary
        if source.inputs == nil {
            summary.countReported(shown, hidden: hidden)
            shown = [:]
            hidden = 0
        }
        defer { if flushEach { Terminal.flush() } }
        if format == .conn {
            // A connection log has no summary (the exit status still follows the findings);
            // an input without connections still gets its header.
            writeConnHeader()
            return summary
        }
        if grouped != nil {
            for block in grouped!.render() { Terminal.out(block + "\n") }
        }
        switch format {
        case .json:
            if source.inputs == nil {
                let lines = JSONLinesReport.wholeCaptureLines(summary, source: source)
                if !lines.isEmpty { Terminal.out(String(lines.dropLast())) }
            }
            Terminal.out(JSONLinesReport.summaryLine(summary, source: source))
        case .text: Terminal.out(text.summary(summary, source: source))
        case .conn: break
        }
        return summary
    }

    private func writeConnHeader() {
        guard !wroteConnHeader else { return }
        wroteConnHeader = true
        Terminal.out(ConnLogReport.header)
    }
}
