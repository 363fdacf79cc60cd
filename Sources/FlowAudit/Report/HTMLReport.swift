/// `--html FILE`: one self-contained page (no network request, no external script, style or
/// font; a Content-Security-Policy forbids them): the summary, the service table, the findings
/// (filterable by kind and severity) each with its generation's ladder (`LadderSVG`), the
/// TIME-WAIT population per host and a timeline of connections by how they ended
/// (`HTMLCharts`). What is capped is said where it is left out.
public struct HTMLReport {
    /// What the timeline keeps of one generation.
    public struct Connection: Sendable {
        public var uid: String
        public var first: Timestamp, last: Timestamp
        public var state: ConnState?
        public var label: String

        public init(_ report: GenerationReport) {
            uid = report.uid
            first = report.firstSeen
            last = report.lastSeen
            state = report.connection?.state
            label = "\(uid) \(report.client) → \(report.server) \(report.clientState)/\(report.serverState)"
        }
    }

    public var source: String
    public var linkType: String
    public var summary: CaptureSummary
    /// Generations with findings, in report order, and how many more there were.
    public var findingReports: [GenerationReport] = []
    public var findingReportsOmitted = 0
    public var connections: [Connection] = []
    public var connectionsOmitted = 0
    /// Ladders by `flow.generation`; generations with findings beyond them have none, and say so.
    public var ladders: [String: Ladder] = [:]
    public var ladderNote: String?

    public init(source: String, linkType: String, summary: CaptureSummary) {
        self.source = source
        self.linkType = linkType
        self.summary = summary
    }

    public func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>tcpflow-audit: \(HTML.escape(source))</title>
            <style>\(Self.style)</style></head><body>
            <h1>tcpflow-audit report</h1>
            <p class="meta">\(HTML.escape(source)) · link type \(HTML.escape(linkType)) · \(summary.frames) frames, \
            \(summary.tcpPackets) TCP packets · \(summary.generations) connection generations · \
            \(spanText) · tcpflow-audit \(FlowAuditVersion.string)</p>

            """
        html += findingCounts()
        html += serviceTable()
        html += findingsSection()
        html += HTMLCharts.timeWait(summary.timeWait)
        html += HTMLCharts.timeline(connections, omitted: connectionsOmitted)
        html += "<script>\(Self.script)</script></body></html>\n"
        return html
    }

    private var spanText: String {
        guard let first = summary.firstTime, let last = summary.lastTime else { return "no TCP packets" }
        return "\(first) to \(last) (\(formatDuration(last.since(first))))"
    }

    private func findingCounts() -> String {
        let counts = summary.findingsByKind.sorted { $0.key.position < $1.key.position }
        guard !counts.isEmpty else {
            let hidden = summary.hiddenFindings
            let note = hidden > 0 ? " (\(hidden) hidden by --only or --min-severity)" : ""
            return "<h2>Findings</h2><p>No findings reported\(note).</p>\n"
        }
        var html = "<h2>Findings by kind</h2><table class=\"counts\"><tr><th>kind</th><th>count</th></tr>"
        for (kind, count) in counts {
            html += "<tr><td>\(kind.rawValue)</td><td>\(count)</td></tr>"
        }
        return html + "</table>\n"
    }

    private func serviceTable() -> String {
        guard !summary.services.isEmpty else { return "" }
        var html = """
            <h2>Services</h2><table class="services"><tr><th>server</th><th>connections</th><th>ended as (client / server)</th>\
            <th>closed first</th><th>handshake p50 / p90 / p99 / max</th><th>findings</th></tr>
            """
        for service in summary.services {
            let ended = service.finalStates.sorted { $0.value > $1.value }.map { "\($0.key) × \($0.value)" }
            let closed = service.closedFirst.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
            let handshake = service.handshake.map {
                [$0.p50, $0.p90, $0.p99, $0.max].map(formatDuration).joined(separator: " / ")
            }
            let findings = service.findings.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) × \($0.value)" }
            html += """
                <tr><td>\(HTML.escape(service.server.description))</td><td>\(service.connections)</td>\
                <td>\(HTML.escape(ended.joined(separator: ", ")))</td><td>\(closed.joined(separator: ", "))</td>\
                <td>\(handshake ?? "–")</td><td>\(findings.isEmpty ? "none" : findings.joined(separator: ", "))</td></tr>
                """
        }
        if summary.servicesOmitted > 0 {
            html += "<tr><td colspan=\"6\">… and \(summary.servicesOmitted) more services</td></tr>"
        }
        return html + "</table>\n"
    }

    private func findingsSection() -> String {
        guard !findingReports.isEmpty else { return "" }
        let kinds = Set(findingReports.flatMap { $0.findings.map(\.kind) }).sorted { $0.position < $1.position }
        var html = "<h2>Findings, connection by connection</h2><form id=\"filters\"><fieldset><legend>severity</legend>"
        for severity in ["error", "warning", "info"] {
            html +=
                "<label><input type=\"checkbox\" name=\"severity\" value=\"\(severity)\" checked> \(severity)</label> "
        }
        html += "</fieldset><fieldset><legend>kind</legend>"
        for kind in kinds {
            html +=
                "<label><input type=\"checkbox\" name=\"kind\" value=\"\(kind.rawValue)\" checked> \(kind.rawValue)</label> "
        }
        html += "</fieldset><p id=\"shown\"></p></form>\n"
        for report in findingReports {
            let uid = report.uid
            html +=
                "<article class=\"generation\" id=\"flow-\(uid)\"><h3>flow \(uid) · \(HTML.escape(report.client.description)) → \(HTML.escape(report.server.description))"
            if let state = report.connection?.state {
                html += " · <abbr title=\"\(state.meaning)\">\(state.rawValue)</abbr>"
            }
            html +=
                "</h3><p class=\"meta\">ended \(report.clientState) / \(report.serverState) · \(report.packets) packets · \(HTML.escape(report.vantage.phrase))</p><ol class=\"findings\">"
            for (index, finding) in report.findings.enumerated() {
                html += """
                    <li class="finding" value="\(index + 1)" data-kind="\(finding.kind.rawValue)" data-severity="\(finding.severity.rawValue)">\
                    <span class="sev-\(finding.severity.rawValue)">\(finding.severity.rawValue.uppercased())</span> \
                    <b>\(finding.kind.rawValue)</b> · frames \(finding.frames.map(String.init).joined(separator: ",")) · \
                    <code>\(HTML.escape(finding.displayFilter))</code><p>\(HTML.escape(finding.explanation))</p>\
                    <p class="advice">\(HTML.escape(finding.kind.advice))</p></li>
                    """
            }
            html += "</ol>"
            if let ladder = ladders[uid] {
                html += "<div class=\"ladder-box\">\(LadderSVG.render(ladder))</div>"
            } else {
                html += "<p class=\"more\">No diagram: \(HTML.escape(ladderNote ?? "not drawn"))</p>"
            }
            html += "</article>\n"
        }
        if findingReportsOmitted > 0 {
            html +=
                "<p class=\"more\">… and \(findingReportsOmitted) more connection generations with findings, not shown here (the text and JSON reports have them all).</p>\n"
        }
        return html
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1200px}
        h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1.05em;margin:.2em 0}
        table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
        .meta{color:#555}.more{color:#777;font-style:italic}.advice{color:#444;font-size:.92em}
        .sev-error{color:#b00020;font-weight:bold}.sev-warning{color:#a05a00;font-weight:bold}.sev-info{color:#205080}
        article.generation{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:1em 0}
        .hidden{display:none}fieldset{display:inline-block;margin-right:1em}
        .ladder-box{overflow-x:auto}svg text{font:12px ui-monospace,monospace}
        svg .end{text-anchor:middle;font-weight:bold}svg .state{fill:#205080}svg .left{text-anchor:end}
        svg .label{text-anchor:middle}svg .frame{fill:#777}svg .note{fill:#555}
        svg .life{stroke:#999;stroke-width:2}svg .arrow{stroke:#222;stroke-width:1.5}svg .head{fill:#222}
        svg .resent .arrow{stroke:#c06000;stroke-width:2.5}svg .resent .head{fill:#c06000}
        svg .refused .arrow,svg .lost .arrow{stroke:#b00020;stroke-dasharray:6 4}svg .cross{stroke:#b00020;stroke-width:2}
        svg .refused .label,svg .lost .label{fill:#b00020}
        svg .copy .arrow,svg .other .arrow{stroke:#999;stroke-dasharray:2 3}svg .copy .head,svg .other .head{fill:#999}
        svg .bar-SF{fill:#3a8d3a}svg .bar-S0,svg .bar-REJ{fill:#b00020}svg .bar-RSTO,svg .bar-RSTR{fill:#c06000}
        svg .bar-S1{fill:#4a78b0}svg .bar-S2,svg .bar-S3{fill:#a05ab0}svg .bar-other{fill:#888}
        svg .axis{stroke:#999}svg .series{fill:none;stroke:#205080;stroke-width:2}svg .dot{fill:#205080}
        """

    /// Filters findings by the checked kinds and severities; a generation with none left is hidden.
    /// The page's fragment may preset the boxes (`#severity=error&kind=lost-final-ack`).
    static let script = """
        (function () {
          var form = document.getElementById("filters");
          if (!form) { return; }
          function apply() {
            var kinds = {}, severities = {};
            form.querySelectorAll("input[name=kind]").forEach(function (box) { kinds[box.value] = box.checked; });
            form.querySelectorAll("input[name=severity]").forEach(function (box) { severities[box.value] = box.checked; });
            var shown = 0, total = 0;
            document.querySelectorAll("article.generation").forEach(function (article) {
              var any = false;
              article.querySelectorAll("li.finding").forEach(function (item) {
                var keep = kinds[item.dataset.kind] && severities[item.dataset.severity];
                item.classList.toggle("hidden", !keep);
                total += 1;
                if (keep) { shown += 1; any = true; }
              });
              article.classList.toggle("hidden", !any);
            });
            document.getElementById("shown").textContent = shown + " of " + total + " findings shown";
          }
          // A link can carry a filter: report.html#severity=error,warning&kind=lost-final-ack
          var params = new URLSearchParams(window.location.hash.slice(1));
          ["kind", "severity"].forEach(function (name) {
            var only = params.get(name);
            if (only === null) { return; }
            var wanted = only.split(",");
            form.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
              box.checked = wanted.indexOf(box.value) >= 0;
            });
          });
          form.addEventListener("change", apply);
          apply();
          document.body.dataset.ready = "yes";
        })();
        """
}
