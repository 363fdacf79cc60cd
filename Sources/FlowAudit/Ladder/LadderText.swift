/// Draws a `Ladder` as text, for a terminal or a pipe (plain ASCII; colour only when asked):
///
///      frame       time  client 10.0.0.1:40000                              server 10.0.0.2:80
///                        CLOSED                                             LISTEN
///          1   0.000000  SYN-SENT      ---- S seq=0 ------------------->  SYN-RECEIVED
///          2   0.000012  ESTABLISHED   <--- S. seq=0 ack=1 -------------  SYN-RECEIVED
///
/// An accepted segment is a solid arrow; a retransmission `=`; a packet captured twice `.`;
/// one its receiver would not accept, or never got, ends in `X` instead of a head; one after the
/// generation was summarised is `:`. The note after the arrow says why; `[n]` marks a frame
/// that finding n cites.
public enum LadderText {
    static let stateWidth = 13
    static let arrowWidth = 46

    public static func render(_ ladder: Ladder, color: Bool = false) -> String {
        let report = ladder.report
        var lines: [String] = []
        var title = "flow \(report.uid)  \(report.client) → \(report.server)"
        if let connection = report.connection { title += "  conn_state \(connection.state.rawValue)" }
        lines.append(title)
        if let first = ladder.steps.first { lines.append("time: seconds since the first segment, \(first.time)") }
        let header =
            pad("frame", 7, right: true) + pad("time", 11, right: true) + "  "
            + pad("client", stateWidth + arrowWidth + 4) + "server"
        lines.append(header)
        lines.append(
            String(repeating: " ", count: 20) + pad(ladder.initialClientState.description, stateWidth)
                + String(repeating: " ", count: arrowWidth + 4) + ladder.initialServerState.description
        )
        let start = ladder.steps.first?.time ?? report.firstSeen
        for step in ladder.steps {
            var line =
                pad(String(step.frame), 7, right: true)
                + pad(MicrosecondText.seconds(max(0, step.time.since(start))), 11, right: true) + "  "
                + pad(step.clientState.description, stateWidth) + " " + arrow(step) + "  "
                + pad(step.serverState.description, stateWidth)
            var notes: [String] = []
            if !step.findings.isEmpty { notes.append(step.findings.map { "[\($0 + 1)]" }.joined()) }
            if let note = Ladder.note(step.disposition) { notes.append(note) }
            if !notes.isEmpty { line += " " + notes.joined(separator: " ") }
            while line.last == " " { line.removeLast() }
            lines.append(paint(line, step, color))
        }
        if ladder.leftOut > 0 {
            lines.append("… and \(ladder.leftOut) more segments of this generation, not drawn")
        }
        if !report.findings.isEmpty {
            lines.append("")
            for (index, finding) in report.findings.enumerated() {
                lines.append(
                    "[\(index + 1)] \(finding.severity.rawValue.uppercased()) \(finding.kind.rawValue), frames \(finding.frames.map(String.init).joined(separator: ","))"
                )
                lines.append("    " + finding.explanation)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The arrow between the columns, pointing from the sender, styled by the disposition.
    static func arrow(_ step: Ladder.Step) -> String {
        let shaft: Character =
            switch step.disposition {
            case .accepted: "-"
            case .retransmission: "="
            case .copy: "."
            case .notAccepted: "-"
            case .lostAfterCapture: "-"
            case .previousGeneration, .afterClose: ":"
            }
        let refused: Bool =
            switch step.disposition {
            case .notAccepted, .lostAfterCapture: true
            default: false
            }
        let label = " " + Ladder.label(step) + " "
        let body = arrowWidth - 1
        let lead = 4
        var text = String(repeating: shaft, count: lead) + label
        if text.count < body { text += String(repeating: shaft, count: body - text.count) }
        if step.fromClient {
            return text + (refused ? "X" : ">")
        }
        return (refused ? "X" : "<") + text
    }

    private static func paint(_ line: String, _ step: Ladder.Step, _ color: Bool) -> String {
        guard color else { return line }
        switch step.disposition {
        case .notAccepted, .lostAfterCapture: return "\u{1B}[31m" + line + "\u{1B}[0m"
        case .retransmission, .copy, .previousGeneration, .afterClose: return "\u{1B}[33m" + line + "\u{1B}[0m"
        case .accepted: return step.findings.isEmpty ? line : "\u{1B}[1m" + line + "\u{1B}[0m"
        }
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(0, width - text.count))
        return right ? gap + text : text + gap
    }
}
