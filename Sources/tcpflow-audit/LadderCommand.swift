import ArgumentParser
import FlowAudit
import FlowAuditOptions
import FlowAuditPcap

/// `tcpflow-audit ladder FILE FLOW[.GENERATION]`: one connection generation as the textbook's
/// two-column ladder diagram, from the real packets.
struct LadderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ladder",
        abstract: "Draw one connection generation as a ladder diagram: client left, server right.",
        usage: "tcpflow-audit ladder [options] <file> <flow>[.<generation>]",
        discussion: """
            FLOW is the flow number the report prints (flow 3 …); .GENERATION picks a generation of a \
            reused 4-tuple (default: the flow's first with findings). One arrow per segment with flags, \
            relative seq/ack, length and time; each endpoint's inferred state beside it after every \
            segment. A retransmission is drawn with =, a packet captured twice with ., a segment its \
            receiver would not accept, or seen here but never taken by its receiver, ends in X; the previous \
            generation's segments and those after the generation was judged are drawn with :. [n] marks \
            the frames finding n cites.
            """
    )

    @Argument(help: ArgumentHelp("A capture file (pcap or pcapng).", valueName: "file"))
    var file: String

    @Argument(help: ArgumentHelp("The flow's number, and optionally .generation (e.g. 3 or 3.2).", valueName: "flow"))
    var flow: String

    @Option(name: .customLong("limit"), help: "Draw at most this many segments.")
    var limit = 500

    @Option(
        name: .customLong("color"),
        help: "Colour: auto (on a terminal, unless NO_COLOR is set), always, never."
    )
    var color: ColorChoice = .auto

    @OptionGroup var analysis: AnalysisOptions

    func validate() throws {
        guard Self.parse(flow) != nil else {
            throw ValidationError("FLOW must be a flow number, optionally with .generation: 3 or 3.2")
        }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        guard file != "-" else { throw ValidationError("ladder reads the file twice: give a file, not -") }
    }

    static func parse(_ text: String) -> (flow: UInt64, generation: UInt32?)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let flow = UInt64(parts[0]), flow > 0 else { return nil }
        guard parts.count == 2 else { return (flow, nil) }
        guard let generation = UInt32(parts[1]), generation > 0 else { return nil }
        return (flow, generation)
    }

    func run() throws {
        let (flowNumber, generation) = Self.parse(flow)!
        let configuration = analysis.configuration
        do {
            let result = try CaptureAudit.run(path: file, configuration: configuration, reportAll: true)
            let target = try LadderCapture.pick(result.reports, flow: flowNumber, generation: generation)
            let ladders = try LadderCapture.ladders(
                of: [target],
                path: file,
                configuration: configuration,
                limit: limit
            )
            for ladder in ladders { Terminal.out(LadderText.render(ladder, color: color.enabled)) }
        } catch {
            Terminal.error("tcpflow-audit ladder: \(file): \(error)")
            throw ExitStatus.usageOrUnreadable
        }
    }
}
