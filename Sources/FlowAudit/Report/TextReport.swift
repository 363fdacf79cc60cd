/// The human-readable report: one block per connection generation with findings (grouped by
/// flow, in first-seen order), then a summary. Colour only when `options.color` is set (the CLI
/// sets it for a terminal without NO_COLOR).
public struct TextReport {
    public var options: ReportOptions

    public init(options: ReportOptions) { self.options = options }

    func paint(_ text: String, _ code: String) -> String {
        options.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func label(_ severity: Severity) -> String {
        switch severity {
        case .error: paint("ERROR  ", "1;31")
        case .warning: paint("WARNING", "33")
        case .info: paint("INFO   ", "36")
        }
    }

    public func block(for report: GenerationReport) -> String? {
        let findings = options.visibleFindings(report)
        guard options.allFlows || !findings.isEmpty else { return nil }
        var lines: [String] = []
        // As tcpdump prints tags: outer first, "10.200" for QinQ.
        let vlan = report.key.vlan != 0 ? " vlan \(report.key.vlanTags.map(String.init).joined(separator: "."))" : ""
        let roles = report.rolesInferred ? " (roles guessed from ports: handshake not seen)" : ""
        lines.append(
            paint("flow \(report.flowOrdinal + 1)", "1")
                + "  \(report.client) → \(report.server)\(vlan)  generation \(report.generation)\(roles)"
        )
        lines.append(
            "  frames \(report.firstFrame)–\(report.lastFrame), \(report.packets) packets, \(report.payloadBytes) payload bytes, \(report.firstSeen) → \(report.lastSeen)"
        )
        lines.append(
            "  ended: client \(report.clientState), server \(report.serverState) (\(describe(report.reason))\(report.isLate ? "; this finding came later, within 2MSL" : "")); \(report.vantage.phrase)"
        )
        for finding in findings {
            let doubt = finding.confidence == .certain ? "" : " (\(finding.confidence.rawValue))"
            lines.append(
                "  \(label(finding.severity)) \(paint(finding.kind.rawValue, "1"))\(doubt)  frames \(framesText(finding.frames))"
            )
            lines.append("    \(finding.explanation)")
            lines.append("    states when decided: client \(finding.clientState), server \(finding.serverState)")
            lines.append("    wireshark: \(finding.displayFilter)")
            if let origins = options.origins {
                let parts = origins.locate(finding.frames).map { "\($0.file) frames \(framesText($0.frames))" }
                lines.append("    in the merged files: \(parts.joined(separator: "; "))")
            }
            lines.append("    advice: \(finding.advice)")
        }
        return lines.joined(separator: "\n")
    }

    /// Captures with at least this many connection generations get the whole-capture sections
    /// (TIME-WAIT population, services) in their text summary; JSON always has them.
    static let wholeCaptureThreshold: UInt64 = 10

    /// The TIME-WAIT population's top entries and the busiest services.
    private func wholeCapture(_ s: CaptureSummary) -> [String] {
        var lines: [String] = []
        let hosts = s.timeWait.filter { $0.servicePort == nil }
        if !hosts.isEmpty {
            let untracked =
                s.timeWaitUntracked > 0 ? "; \(s.timeWaitUntracked) more past the view's limits not counted" : ""
            lines.append("  TIME-WAIT (most at once, by the host that closed first\(untracked)):")
            for entry in hosts.prefix(5) {
                var line =
                    "    \(entry.host) (\(entry.hostRole)): peak \(entry.peak) at \(entry.peakTime), \(entry.total) in all"
                if entry.partial { line += "; some outlived the capture" }
                if entry.aboveMaxBuckets { line += "; above tcp_max_tw_buckets: the kernel drops the excess" }
                lines.append(line)
                for peer in s.timeWait.filter({ $0.servicePort != nil && $0.host == entry.host }).prefix(3) {
                    let port = peer.servicePort ?? 0
                    let toward = peer.peer.map { "to \(Endpoint(address: $0, port: port))" } ?? "on port \(port)"
                    var detail = "      \(toward): peak \(peer.peak), \(peer.total) in all"
                    if let share = peer.portShare {
                        let tenths = Int((share * 1000).rounded())
                        detail += " (\(tenths / 10).\(tenths % 10) % of the ephemeral ports)"
                    }
                    lines.append(detail)
                }
            }
        }
        if !s.services.isEmpty {
            lines.append(
                "  services (busiest first): connections, closed first by client/server/RST, handshake p50/p99, findings"
            )
            for service in s.services.prefix(10) {
                let closed = ["client", "server", "rst"].map { String(service.closedFirst[$0] ?? 0) }.joined(
                    separator: "/"
                )
                let handshake = service.handshake.map { "\(formatDuration($0.p50))/\(formatDuration($0.p99))" } ?? "-"
                let findings = service.findings.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key.rawValue)" }
                lines.append(
                    "    \(service.server)  \(service.connections)  \(closed)  \(handshake)  \(findings.isEmpty ? "-" : findings.joined(separator: ", "))"
                )
            }
        }
        return lines
    }

    private func describe(_ reason: FinishReason) -> String {
        switch reason {
        case .closed: "closed"
        case .superseded: "replaced by a new connection on the same 4-tuple"
        case .idle: "idle past the idle timeout"
        case .abandoned: "the client stopped retrying its unanswered SYN"
        case .endOfCapture: "capture ended"
        case .stillOpen: "still open"
        case .shed: "shed to stay under --max-connections"
        }
    }

    /// `1, 2, 5–9, 12`: consecutive frames folded into ranges.
    func framesText(_ frames: [UInt64]) -> String {
        var parts: [String] = []
        var index = 0
        while index < frames.count {
            var end = index
            while end + 1 < frames.count && frames[end + 1] == frames[end] + 1 { end += 1 }
            parts.append(
                end - index >= 2
                    ? "\(frames[index])–\(frames[end])"
                    : (index...end).map { String(frames[$0]) }.joined(separator: ", ")
            )
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }

    public func summary(_ s: CaptureSummary, source: CaptureSource) -> String {
        var lines = [paint("Summary of \(source.name)", "1") + " (link type \(source.linkType))"]
        if let inputs = source.inputs {
            let unreadable = inputs.unreadable > 0 ? "; \(inputs.unreadable) could not be read" : ""
            lines = [
                paint("Summary of all \(inputs.analysed) inputs", "1")
                    + "\(unreadable) (peaks are the largest of one input)"
            ]
        }
        if let damage = source.damage { lines.append("  " + paint("damaged: \(damage); analysed up to there", "1;31")) }
        if let signal = source.interruptedBy {
            lines.append(
                "  "
                    + paint(
                        "interrupted by \(signal): the frames read before it were analysed, open connections judged as at the end of a capture",
                        "1;31"
                    )
            )
        }
        if let counters = source.counters {
            lines.append(
                "  libpcap: \(counters.received) packets received\(counters.countsEachPacketTwice ? " (a loopback interface: each packet counted twice, as sent and as received)" : ""), \(counters.droppedByKernel) dropped by the kernel, \(counters.droppedByInterface) dropped by the interface"
            )
            if counters.droppedByKernel > 0 || counters.droppedByInterface > 0 {
                lines.append(
                    "  "
                        + paint(
                            "PACKETS WERE DROPPED before analysis: a missing packet can fake a lost ACK or a retransmission; raise the buffer or narrow the filter (-f)",
                            "1;31"
                        )
                )
            }
        }
        lines.append(
            "  frames \(s.frames): TCP \(s.tcpPackets), not TCP \(s.notTCP), later IP fragments \(s.laterFragments), undecodable \(s.undecodableTotal)"
        )
        if s.cutBySnaplen > 0 {
            lines.append(
                "  \(s.cutBySnaplen) TCP segment\(s.cutBySnaplen == 1 ? "" : "s") cut by the snaplen (headers used as far as captured)"
            )
        }
        for (reason, count) in s.undecodable.sorted(by: { $0.key < $1.key }) {
            lines.append("    \(count) × \(reason)")
        }
        if let first = s.firstTime, let last = s.lastTime {
            lines.append("  time \(first) → \(last) (\(formatDuration(last.since(first))))")
        }
        if !s.checksumOffloadHosts.isEmpty {
            lines.append(
                "  checksum offload: bad TCP checksums on segments that the peers answered as whole, sent by \(s.checksumOffloadHosts.map(\.description).joined(separator: ", ")) (the capturing host: checksums are filled in after the capture point); not counted as damage"
            )
        }
        if s.shedConnections > 0 {
            lines.append(
                "  "
                    + paint(
                        "\(s.shedConnections) connections were shed to stay under --max-connections: judged early, as they stood",
                        "1;31"
                    )
            )
        }
        if s.duplicates > 0 || s.captureOrderInversions > 0 {
            lines.append(
                "  \(s.duplicates) packets captured twice (ignored), \(s.captureOrderInversions) SYNs captured after their SYN-ACK"
            )
        }
        if s.timestampOutliers > 0 || s.clockStepsBack > 0 {
            lines.append(
                "  "
                    + paint(
                        "capture clock: \(s.timestampOutliers) frames with outlying timestamps analysed at their neighbours' time, \(s.clockStepsBack) steps back (the analysis restarted at each)",
                        "1;31"
                    )
            )
        }
        lines.append(
            "  flows \(s.flows), connection generations \(s.generations), peak open connections \(s.peakOpenConnections)"
        )
        let timed = s.vantages.filter { $0.key != .unknown }
        if let (most, count) = timed.max(by: { $0.value < $1.value }) {
            let total = timed.values.reduce(0, +)
            lines.append("  vantage (handshake timing): \(most.phrase) in \(count) of \(total) timed handshakes")
        }
        if s.reportsOutOfOrder > 0 {
            lines.append(
                "  \(s.reportsOutOfOrder) reports were written ahead of first-seen order, to keep memory bounded behind flows that stayed open"
            )
        }
        if !s.finalStatePairs.isEmpty {
            lines.append("  final states (client / server):")
            for (pair, count) in s.finalStatePairs.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append("    \(String(count).leftPadded(7)) × \(pair)")
            }
        }
        if s.generations >= Self.wholeCaptureThreshold { lines += wholeCapture(s) }
        let shown = s.findingsByKind
        let hidden = s.hiddenFindings > 0 ? " (\(s.hiddenFindings) more hidden by --only / --min-severity)" : ""
        if shown.isEmpty {
            lines.append("  findings: none\(hidden)")
        } else {
            lines.append("  findings:\(hidden)")
            for (kind, count) in shown.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(String(count).leftPadded(7)) × \(kind.rawValue)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
