/// Draws a `Ladder` as inline SVG for the HTML report: the client's line on the left, the
/// server's on the right, one arrow per segment (red and dashed when not accepted or lost,
/// orange for a retransmission, grey and dotted for a copy, the previous generation's or a late
/// segment), the states beside the lines after each segment, `[n]` for the findings a frame
/// serves as evidence for.
public enum LadderSVG {
    static let width = 1150, rowHeight = 22, top = 46
    static let clientX = 250, serverX = 650

    /// At most `rows` segments are drawn; the caption says how many more there were.
    public static func render(_ ladder: Ladder, rows: Int = 80) -> String {
        let steps = ladder.steps.prefix(rows)
        let hidden = ladder.steps.count - steps.count + ladder.leftOut
        let height = top + (steps.count + 1) * rowHeight + (hidden > 0 ? rowHeight : 0)
        var svg = """
            <svg class="ladder" role="img" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)">\
            <title>Ladder of flow \(ladder.report.uid)</title>\
            <text x="\(clientX)" y="14" class="end">client \(HTML.escape(ladder.report.client.description))</text>\
            <text x="\(serverX)" y="14" class="end">server \(HTML.escape(ladder.report.server.description))</text>\
            <text x="\(clientX - 8)" y="34" class="state left">\(ladder.initialClientState)</text>\
            <text x="\(serverX + 8)" y="34" class="state">\(ladder.initialServerState)</text>\
            <line x1="\(clientX)" y1="20" x2="\(clientX)" y2="\(height - 4)" class="life"/>\
            <line x1="\(serverX)" y1="20" x2="\(serverX)" y2="\(height - 4)" class="life"/>
            """
        let start = ladder.steps.first?.time ?? ladder.report.firstSeen
        for (row, step) in steps.enumerated() {
            let y = top + row * rowHeight + 10
            let (from, to) = step.fromClient ? (clientX, serverX) : (serverX, clientX)
            let style = style(of: step.disposition)
            let head = to + (step.fromClient ? -1 : 1) * 9
            svg += "<g class=\"step \(style)\" data-frame=\"\(step.frame)\">"
            svg +=
                "<text x=\"4\" y=\"\(y + 4)\" class=\"frame\">\(step.frame)</text>"
                + "<text x=\"60\" y=\"\(y + 4)\" class=\"frame\">\(MicrosecondText.seconds(max(0, step.time.since(start))))</text>"
                + "<text x=\"\(clientX - 8)\" y=\"\(y + 4)\" class=\"state left\">\(step.clientState)</text>"
                + "<text x=\"\(serverX + 8)\" y=\"\(y + 4)\" class=\"state\">\(step.serverState)</text>"
                + "<line x1=\"\(from)\" y1=\"\(y - 6)\" x2=\"\(head)\" y2=\"\(y + 6)\" class=\"arrow\"/>"
            if style == "refused" || style == "lost" {
                svg +=
                    "<path d=\"M\(head - 5) \(y + 1) l10 10 m0 -10 l-10 10\" class=\"cross\"/>"
            } else {
                let back = step.fromClient ? -9 : 9
                svg +=
                    "<path d=\"M\(to) \(y + 7) l\(back) -7 l0 7 z\" class=\"head\"/>"
            }
            svg +=
                "<text x=\"\((clientX + serverX) / 2)\" y=\"\(y - 4)\" class=\"label\">\(HTML.escape(Ladder.label(step)))</text>"
            var notes: [String] = step.findings.map { "[\($0 + 1)]" }
            if let note = Ladder.note(step.disposition) { notes.append(note) }
            if !notes.isEmpty {
                svg +=
                    "<text x=\"\(serverX + 112)\" y=\"\(y + 4)\" class=\"note\">\(HTML.escape(notes.joined(separator: " ")))</text>"
            }
            svg += "</g>"
        }
        if hidden > 0 {
            let y = top + steps.count * rowHeight + 14
            svg += "<text x=\"4\" y=\"\(y)\" class=\"more\">… and \(hidden) more segments, not drawn</text>"
        }
        return svg + "</svg>"
    }

    /// The CSS class of a disposition.
    static func style(of disposition: Ladder.Disposition) -> String {
        switch disposition {
        case .accepted: "accepted"
        case .retransmission: "resent"
        case .copy: "copy"
        case .notAccepted: "refused"
        case .lostAfterCapture: "lost"
        case .previousGeneration, .afterClose: "other"
        }
    }
}

/// HTML text escaping for the report.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
