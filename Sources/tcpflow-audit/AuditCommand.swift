import ArgumentParser
import FlowAudit
import FlowAuditOptions
import FlowAuditPcap
import Foundation

/// `tcpflow-audit [options] FILE…`: audit capture files (or `-i` an interface); `regress` is a
/// subcommand. The root command, so that `tcpflow-audit --help` shows every audit option.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcpflow-audit",
        abstract: "Tells, flow by flow, what went wrong in TCP connection set-up and tear-down.",
        discussion: """
            Exit codes: 0 analysed, no finding at or above --fail-on; 1 such a finding was reported; \
            2 usage error or an input could not be read; 3 an input was damaged and analysed up to the damage; \
            4 output could not be written; 130/143 a file's analysis was interrupted by SIGINT/SIGTERM.
            Finding kinds: \(AnomalyKind.allCases.map(\.rawValue).joined(separator: ", ")).
            """,
        version: FlowAuditVersion.string,
        subcommands: [RegressCommand.self, LadderCommand.self]
    )

    @Argument(help: ArgumentHelp("Capture files (pcap or pcapng); - reads standard input.", valueName: "file"))
    var files: [String] = []

    @OptionGroup(title: "Live capture") var live: LiveOptions

    @Option(
        name: .customLong("format"),
        help: "Output format: text, json (JSON Lines), or conn (a Zeek conn.log, one line per connection generation)."
    )
    var format: OutputFormat = .text

    @Flag(
        name: .customLong("verbose"),
        help: "Text: every finding in full, flow by flow, instead of one block per kind and service."
    )
    var verbose = false

    @Flag(
        name: .customLong("merge"),
        help:
            "Read the files (e.g. rotated tcpdump -C/-G files) as one capture, in timestamp order, numbered as mergecap numbers."
    )
    var merge = false

    @Option(
        name: .customLong("evidence"),
        help: ArgumentHelp(
            "Write, per finding, a pcap of its generation's packets into this directory (files only).",
            valueName: "dir"
        )
    )
    var evidence: String?

    @Option(
        name: .customLong("html"),
        help: ArgumentHelp(
            "Also write a self-contained HTML report (summary, services, findings with ladder diagrams, TIME-WAIT and connection timelines) to this file (one capture file).",
            valueName: "file"
        )
    )
    var html: String?

    @Option(
        name: .customLong("color"),
        help: "Colour text output: auto (on a terminal, unless NO_COLOR is set), always (e.g. for less -R), never."
    )
    var color: ColorChoice = .auto

    @OptionGroup var analysis: AnalysisOptions

    @Flag(
        name: .customLong("stats"),
        help: "After each file, print packets, bytes, elapsed time, packets/s and peak memory on standard error."
    )
    var stats = false

    mutating func validate() throws {
        if live.listInterfaces { return }
        if live.isLive {
            guard files.isEmpty else { throw ValidationError("give capture files or -i INTERFACE, not both") }
            guard evidence == nil else { throw ValidationError("--evidence applies to capture files; live, use -w") }
            guard html == nil else {
                throw ValidationError("--html applies to a capture file; live, write one with -w first")
            }
            return
        }
        guard !files.isEmpty else {
            throw ValidationError("give at least one capture file (- for standard input), or -i INTERFACE")
        }
        guard files.filter({ $0 == "-" }).count <= 1 else {
            throw ValidationError("standard input (-) can be read only once")
        }
        if html != nil {
            guard files.count == 1, !merge else {
                throw ValidationError("--html writes the report of one capture file")
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: files[0], isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("--html writes the report of one capture file, not a directory")
            }
        }
        if merge {
            guard !files.contains("-") else { throw ValidationError("--merge reads files, not standard input") }
            guard evidence == nil else { throw ValidationError("--evidence does not apply to --merge") }
        }
    }

    func run() throws {
        var options = ReportOptions()
        options.onlyKinds = try analysis.onlyKinds()
        options.minimumSeverity = try analysis.severity(analysis.minimumSeverity, option: "--min-severity")
        options.allFlows = analysis.allFlows
        options.color = format == .text && color.enabled
        if live.listInterfaces {
            try listInterfaces()
            return
        }
        var status = ExitStatus.clean
        var worst: Severity?
        if let interface = live.interface {
            let audit = LiveCommand(live: live, configuration: analysis.configuration, options: options, format: format)
            worst = try audit.run(interface: interface)
        }
        if !files.isEmpty { StopSignal.install() }
        var total = CaptureSummary(), analysed = 0, unreadable = 0
        var mergedFiles: [String]?
        var totalLinkType: LinkType?
        var files = inputs(&status)
        if merge, files.count > 1 {
            // One capture of all the files, named after them.
            mergedFiles = files
            files = ["merged " + files.joined(separator: " + ")]
        }
        for file in files where !StopSignal.requested {
            let outcome = audit(file, merging: mergedFiles, options: options)
            switch outcome {
            case .unreadable:
                status = ExitStatus.usageOrUnreadable
                unreadable += 1
            case let .analysed(damaged, severity, summary, linkType):
                if let severity, worst.map({ severity > $0 }) ?? true { worst = severity }
                if damaged && status != ExitStatus.usageOrUnreadable { status = ExitStatus.damaged }
                total.add(summary)
                analysed += 1
                totalLinkType = totalLinkType ?? linkType
            }
        }
        if analysed + unreadable > 1, let linkType = totalLinkType, format != .conn {
            // The summary across all inputs follows the per-file ones.
            ReportWriter(format: format, options: options, flushEach: false)
                .writeSummary(total, source: .all(analysed: analysed, unreadable: unreadable, linkType: linkType))
        }
        if status == ExitStatus.clean, let worst, let fail = analysis.failSeverity, worst >= fail {
            status = ExitStatus.findings
        }
        // A file cut short by a signal: its verdicts rest on part of the input. (A live capture
        // is always ended somehow, Ctrl-C included; its status follows its findings.)
        if !files.isEmpty, let signal = StopSignal.signal { status = ExitStatus.interrupted(by: signal) }
        if status != ExitStatus.clean { throw status }
    }

    /// The capture files to read: each argument, or for a directory the captures under it (sorted,
    /// recursively). A directory without captures is an unreadable input.
    private func inputs(_ status: inout ExitCode) -> [String] {
        var inputs: [String] = []
        for argument in files {
            var isDirectory: ObjCBool = false
            guard argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                inputs.append(argument)
                continue
            }
            let found = CaptureFiles.under([argument])
            if found.isEmpty {
                Terminal.error(
                    "tcpflow-audit: \(argument): no capture files (.pcap, .pcapng, .cap, .dmp, each also .gz) under it"
                )
                status = ExitStatus.usageOrUnreadable
            }
            inputs += found
        }
        return inputs
    }

    /// `-D`: the interfaces libpcap can capture from, numbered like tcpdump's list.
    private func listInterfaces() throws {
        do {
            for (index, interface) in try LiveCapture.interfaces().enumerated() {
                var flags: [String] = []
                if interface.isUp { flags.append("Up") }
                if interface.isRunning { flags.append("Running") }
                if interface.isLoopback { flags.append("Loopback") }
                let description = interface.description.map { " (\($0))" } ?? ""
                Terminal.out("\(index + 1).\(interface.name)\(description) [\(flags.joined(separator: ", "))]")
            }
        } catch {
            Terminal.error("tcpflow-audit: \(error)")
            throw ExitStatus.usageOrUnreadable
        }
    }

    enum FileOutcome {
        case unreadable
        case analysed(damaged: Bool, worstSeverity: Severity?, summary: CaptureSummary, linkType: LinkType)
    }

    /// Audits one capture file, or with `merged` several files as one capture (`--merge`).
    private func audit(_ file: String, merging merged: [String]? = nil, options: ReportOptions) -> FileOutcome {
        var options = options
        if let merged { options.origins = FrameOrigins(files: merged) }
        let writer = ReportWriter(format: format, options: options, flushEach: false, verbose: verbose)
        var statistics = RunStatistics()
        var evidenceRequests: [EvidenceExport.Request] = []
        let page = html.map(HTMLOutput.init)
        let result: CaptureAuditResult
        // Streamed in first-seen order as flows are retired: memory stays flat on long captures.
        // (Called on the judging thread; nothing else writes to standard output meanwhile.)
        let stream = { (report: GenerationReport) in
            page?.add(report, options: options)
            guard
                report.connection == nil || !report.findings.isEmpty || options.allFlows
                    || format.reportsEveryGeneration
            else { return }
            writer.write(report, source: file)
            if evidence != nil {
                for finding in report.findings where options.keeps(finding) {
                    evidenceRequests.append(EvidenceExport.Request(finding, of: report, capture: file))
                }
            }
        }
        let progress: ((UInt64, UInt64) -> Void)? =
            statistics.showsProgress ? { statistics.progress(frames: $0, bytes: $1, file: file) } : nil
        do {
            let input: CaptureAudit.Input =
                if let merged, let origins = options.origins { .merged(merged, origins) } else { .file(file) }
            result = try CaptureAudit.run(
                input,
                configuration: analysis.configuration,
                reportAll: options.allFlows || format.reportsEveryGeneration || html != nil,
                filter: live.filter,
                progress: progress,
                interruption: { StopSignal.name },
                stream: stream
            )
        } catch {
            Terminal.error("tcpflow-audit: \(error)")
            if format == .json { Terminal.out(JSONLinesReport.unreadableLine(file: file, error: "\(error)")) }
            return .unreadable
        }
        let source = result.source, summary = result.summary
        let damage = source.damage
        statistics.finish(summary, file: file, print: stats)
        reportDiagnostics(summary, source: source)
        let written = writer.writeSummary(summary, source: source)
        if let evidence { exportEvidence(evidenceRequests, from: file, into: evidence) }
        page?.write(capture: file, source: source, summary: written, configuration: analysis.configuration)
        return .analysed(
            damaged: damage != nil,
            worstSeverity: writer.worst,
            summary: written,
            linkType: source.linkType
        )
    }

    /// Writes the evidence pcaps and says on standard error where (a failure is a write failure).
    private func exportEvidence(_ requests: [EvidenceExport.Request], from file: String, into directory: String) {
        guard !requests.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            Terminal.reportWriteFailure(output: directory, reason: error.localizedDescription)
            return
        }
        let outcome = EvidenceExport.write(requests, from: file, into: directory)
        for failure in outcome.failures { Terminal.reportWriteFailure(output: "evidence", reason: failure) }
        if !outcome.written.isEmpty {
            Terminal.error("tcpflow-audit: \(file): \(outcome.written.count) evidence pcap(s) in \(directory)")
        }
    }

    /// Undecodable frames and file damage go to standard error as `file: frame N: reason`.
    private func reportDiagnostics(_ summary: CaptureSummary, source: CaptureSource) {
        for diagnostic in summary.diagnostics {
            Terminal.error("tcpflow-audit: \(source.name): frame \(diagnostic.frame): \(diagnostic.reason)")
        }
        let more = summary.diagnosedTotal - min(summary.diagnosedTotal, UInt64(summary.diagnostics.count))
        if more > 0 {
            Terminal.error("tcpflow-audit: \(source.name): \(more) more damaged frames (counted in the summary)")
        }
        if let damage = source.damage {
            Terminal.error("tcpflow-audit: \(source.name): \(damage); analysed the frames before it")
        }
        if summary.frames > 0, summary.tcpPackets == 0 {
            Terminal.error(
                "tcpflow-audit: \(source.name): none of its \(summary.frames) frames could be decoded as TCP (link type \(source.linkType)); nothing was analysed"
            )
        } else if summary.undecodableTotal * 100 >= summary.frames, summary.undecodableTotal > 0 {
            let share = Double(summary.undecodableTotal) * 100 / Double(summary.frames)
            Terminal.error(
                "tcpflow-audit: \(source.name): \(summary.undecodableTotal) of \(summary.frames) frames (\(Int(share.rounded())) %) could not be decoded and were skipped; verdicts on their flows may miss them"
            )
        }
        if summary.shedConnections > 0 {
            Terminal.error(
                "tcpflow-audit: \(source.name): \(summary.shedConnections) connections shed at --max-connections \(analysis.maxConnections) (judged early, as they stood); raise it if memory allows"
            )
        }
    }
}
