/// The text report grouped (issue 13): findings of one kind on one service are shown once, with
/// their count, the first flow in full (its explanation and display filter), the next few flows
/// by number and frames, "and N more", and the advice once. A capture of 500 server-closed
/// connections becomes one block instead of 500. A finding alone in its group is shown as the
/// per-flow report shows it, together with its flow's other lone findings. `--verbose`,
/// `--all-flows` and JSON keep every finding.
public struct GroupedTextReport {
    /// Findings are grouped by kind and service (the server's address and port).
    private struct GroupKey: Hashable {
        var kind: AnomalyKind
        var server: Endpoint
    }

    private struct Group {
        var count = 0
        /// The report of the group's first finding (its flow's header and that finding).
        var first: GenerationReport
        var firstFinding: Finding
        /// The next few findings, by flow, generation and frames.
        var others: [(flow: UInt64, generation: UInt32, frames: [UInt64])] = []
        var severity: Severity
    }

    /// Flows listed by number after the first, at most.
    public static let listed = 3

    private let text: TextReport
    private var groups: [GroupKey: Group] = [:]
    /// The reports in first-seen order that hold a group's first finding, with those findings' keys.
    private var firsts: [(report: GenerationReport, keys: [GroupKey])] = []

    public init(options: ReportOptions) { text = TextReport(options: options) }

    /// Adds a report's visible findings to their groups.
    public mutating func add(_ report: GenerationReport, visible findings: [Finding]) {
        var opened: [GroupKey] = []
        for finding in findings {
            let key = GroupKey(kind: finding.kind, server: report.server)
            if var group = groups[key] {
                group.count += 1
                group.severity = max(group.severity, finding.severity)
                if group.others.count < Self.listed {
                    group.others.append((report.flowOrdinal, report.generation, finding.frames))
                }
                groups[key] = group
            } else {
                var only = report
                only.findings = [finding]
                groups[key] = Group(count: 1, first: only, firstFinding: finding, severity: finding.severity)
                opened.append(key)
            }
        }
        if !opened.isEmpty {
            var first = report
            first.findings = findings.filter { finding in opened.contains { $0.kind == finding.kind } }
            firsts.append((first, opened))
        }
    }

    /// The blocks, in the order their first findings came; the groups are emptied.
    public mutating func render() -> [String] {
        var blocks: [String] = []
        for (report, keys) in firsts {
            let lone = keys.filter { groups[$0]?.count == 1 }
            if !lone.isEmpty {
                var alone = report
                alone.findings = report.findings.filter { finding in lone.contains { $0.kind == finding.kind } }
                if let block = text.block(for: alone) { blocks.append(block) }
            }
            for key in keys where (groups[key]?.count ?? 0) > 1 {
                if let group = groups[key] { blocks.append(render(group, key)) }
            }
        }
        groups = [:]
        firsts = []
        return blocks
    }

    private func render(_ group: Group, _ key: GroupKey) -> String {
        let first = group.first, finding = group.firstFinding
        var lines = [
            "\(text.label(group.severity)) \(text.paint(key.kind.rawValue, "1")) × \(group.count) on \(key.server)"
        ]
        lines.append(
            "  first: flow \(first.flowOrdinal + 1)  \(first.client) → \(first.server)  generation \(first.generation), frames \(text.framesText(finding.frames))"
        )
        lines.append("    \(finding.explanation)")
        lines.append("    wireshark: \(finding.displayFilter)")
        var also = group.others.map { "flow \($0.flow + 1) (frames \(text.framesText($0.frames)))" }
        let more = group.count - 1 - group.others.count
        if more > 0 { also.append("and \(more) more") }
        if !also.isEmpty { lines.append("  also: " + also.joined(separator: ", ")) }
        lines.append("  advice: \(key.kind.advice)")
        return lines.joined(separator: "\n")
    }
}
