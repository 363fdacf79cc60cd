import FlowAudit
import FlowAuditPcap

/// Renders and writes one file's reports on a thread of its own, in the order they are sent, so
/// the analysing thread does not wait on JSON or text rendering. Nothing else may write to
/// standard output between `init` and `finish()`.
final class BackgroundReportWriter {
    private let writer: ReportWriter
    private let source: String
    private let handoff = BatchHandoff<GenerationReport>(batchSize: 256, depth: 4)
    private var thread: BackgroundThread?

    init(_ writer: ReportWriter, source: String) {
        self.writer = writer
        self.source = source
        let handoff = handoff
        thread = BackgroundThread {
            handoff.consume { batch in
                for report in batch { writer.write(report, source: source) }
            }
        }
    }

    func send(_ report: GenerationReport) {
        if thread == nil {
            writer.write(report, source: source)
        } else {
            handoff.append(report)
        }
    }

    /// Writes what is still queued and waits until it is out.
    func finish() {
        guard let thread else { return }
        handoff.finish()
        thread.join()
        self.thread = nil
    }
}
