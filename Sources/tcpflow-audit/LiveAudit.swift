import FlowAudit
import FlowAuditPcap

/// Runs the audit on a live interface: findings are written (and flushed) the moment they are
/// decided, timers run on the wall clock while no packet arrives, and SIGINT / SIGTERM, `-c` or
/// `--duration` end it with a verdict for every open connection, then the summary with libpcap's
/// drop counts.
struct LiveAudit {
    let live: LiveOptions
    let configuration: AuditConfiguration
    let options: ReportOptions
    let format: OutputFormat

    /// Returns the worst severity reported, or nil; throws the exit status for unusable input.
    func run(interface: String) throws -> Severity? {
        let capture: LiveCapture
        do {
            capture = try LiveCapture(
                interface: interface,
                snaplen: live.snaplen,
                filter: live.filter,
                writeTo: live.writeFile
            )
        } catch {
            Terminal.error("tcpflow-audit: \(error)")
            throw ExitStatus.usageOrUnreadable
        }
        guard capture.linkType.isSupported else {
            Terminal.error("tcpflow-audit: \(interface): link type \(capture.linkType) is not supported")
            throw ExitStatus.usageOrUnreadable
        }
        StopSignal.install()
        Terminal.error(
            "tcpflow-audit: capturing on \(interface) (link type \(capture.linkType), snaplen \(live.snaplen)); Ctrl-C ends with a verdict for every open connection"
        )
        let writer = ReportWriter(format: format, options: options, flushEach: true)
        let auditor = FlowAuditor(configuration: configuration, reportAll: options.allFlows, immediately: true) {
            report in
            writer.write(report, source: interface)
        }
        let started = LiveCapture.wallClock()
        let deadline = live.duration.map { started + Int64($0 * 1e9) }  // validated: at most 10⁷ s
        var packets: UInt64 = 0
        let linkType = capture.linkType
        let failure = capture.run(
            shouldStop: {
                StopSignal.requested || live.count.map { packets >= $0 } == true
                    || deadline.map { LiveCapture.wallClock() >= $0 } == true
            },
            idle: { auditor.advance(to: $0) },
            body: { number, time, bytes, wireLength in
                packets += 1
                auditor.process(frame: number, time: time, bytes: bytes, wireLength: wireLength, linkType: linkType)
            }
        )
        auditor.advance(to: LiveCapture.wallClock())
        auditor.finish()
        var source = CaptureSource(name: interface, linkType: linkType, damage: failure)
        if let stats = capture.statistics {
            source.counters = CaptureCounters(
                received: UInt64(stats.received),
                droppedByKernel: UInt64(stats.droppedByKernel),
                droppedByInterface: UInt64(stats.droppedByInterface)
            )
        }
        source.interruptedBy = StopSignal.name
        writer.writeSummary(auditor.summary, source: source)
        if let path = live.writeFile, let reason = capture.dumpFailure {
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
