import FlowAudit
import FlowAuditPcap

/// The command line's side of a live capture (`FlowAuditPcap.LiveAudit` does the capturing):
/// findings are written and flushed the moment they are decided; SIGINT / SIGTERM, `-c` or
/// `--duration` end it, then the summary follows with libpcap's drop counts.
struct LiveCommand {
    let live: LiveOptions
    let configuration: AuditConfiguration
    let options: ReportOptions
    let format: OutputFormat

    /// Returns the worst severity reported, or nil; throws the exit status for unusable input.
    func run(interface: String) throws -> Severity? {
        var settings = LiveAudit.Settings(interface: interface)
        settings.snaplen = live.snaplen
        settings.filter = live.filter
        settings.writeTo = live.writeFile
        settings.count = live.count
        settings.duration = live.duration
        let writer = ReportWriter(format: format, options: options, flushEach: true)
        StopSignal.install()
        let result: LiveAuditResult
        do {
            result = try LiveAudit.run(
                settings,
                configuration: configuration,
                reportAll: options.allFlows || format.reportsEveryGeneration,
                shouldStop: { StopSignal.requested },
                started: { capture in
                    Terminal.error(
                        "tcpflow-audit: capturing on \(interface) (link type \(capture.linkType), snaplen \(live.snaplen)); Ctrl-C ends with a verdict for every open connection"
                    )
                },
                onReport: { writer.write($0, source: interface) }
            )
        } catch {
            Terminal.error("tcpflow-audit: \(error)")
            throw ExitStatus.usageOrUnreadable
        }
        var source = result.source
        source.interruptedBy = StopSignal.name
        writer.writeSummary(result.summary, source: source)
        if let path = live.writeFile, let reason = result.dumpFailure {
            Terminal.reportWriteFailure(output: path, reason: reason)
        }
        if let counters = source.counters, counters.droppedByKernel > 0 {
            Terminal.error(
                "tcpflow-audit: \(interface): the kernel dropped \(counters.droppedByKernel) packets; verdicts that rest on a missing packet may be wrong"
            )
        }
        return writer.worst
    }
}
