/// JSON Lines output: one object per line with a `type` of `finding`, `flow` or `summary`
/// (schema in README.md). Field order is fixed and times are UTC, so output is deterministic.
public enum JSONLinesReport {
    public static func lines(for report: GenerationReport, file: String, options: ReportOptions) -> [String] {
        let findings = options.visibleFindings(report)
        var lines: [String] = []
        if options.allFlows || !findings.isEmpty { lines.append(flowObject(report, file: file, shown: findings.count)) }
        for finding in findings {
            var object = JSONObject()
            object.add("type", "finding")
            object.add("file", file)
            object.add("kind", finding.kind.rawValue)
            object.add("severity", finding.severity.rawValue)
            addIdentity(&object, report)
            object.add("first_time", finding.firstTime.description)
            object.add("last_time", finding.lastTime.description)
            object.add("frames", finding.frames)
            object.add("client_state", finding.clientState.description)
            object.add("server_state", finding.serverState.description)
            object.add("explanation", finding.explanation)
            object.add("advice", finding.advice)
            lines.append(object.rendered)
        }
        return lines
    }

    static func addIdentity(_ object: inout JSONObject, _ report: GenerationReport) {
        object.add("flow", report.flowOrdinal + 1)
        object.add("generation", report.generation)
        object.add("client", report.client.description)
        object.add("server", report.server.description)
        if report.key.vlan != 0 { object.add("vlan", report.key.vlan) }
        if report.rolesInferred { object.add("roles_inferred", true) }
    }

    static func flowObject(_ report: GenerationReport, file: String, shown: Int) -> String {
        var object = JSONObject()
        object.add("type", "flow")
        object.add("file", file)
        addIdentity(&object, report)
        object.add("first_time", report.firstSeen.description)
        object.add("last_time", report.lastSeen.description)
        object.add("first_frame", report.firstFrame)
        object.add("last_frame", report.lastFrame)
        object.add("packets", report.packets)
        object.add("payload_bytes", report.payloadBytes)
        object.add("client_state", report.clientState.description)
        object.add("server_state", report.serverState.description)
        object.add("end", report.reason.rawValue)
        object.add("vantage", report.vantage.rawValue)
        var clientStates = JSONObject()
        for (state, nanoseconds) in report.clientStateTimes { clientStates.add(dynamic: state.description, seconds: nanoseconds) }
        object.add("client_state_seconds", object: clientStates)
        var serverStates = JSONObject()
        for (state, nanoseconds) in report.serverStateTimes { serverStates.add(dynamic: state.description, seconds: nanoseconds) }
        object.add("server_state_seconds", object: serverStates)
        object.add("findings", shown)
        return object.rendered
    }

    public static func summaryLine(_ summary: CaptureSummary, source: CaptureSource) -> String {
        var object = JSONObject()
        object.add("type", "summary")
        object.add("file", source.name)
        object.add("link_type", source.linkType.description)
        if let damage = source.damage { object.add("damage", damage) }
        if let counters = source.counters {
            object.add("received", counters.received)
            object.add("dropped_by_kernel", counters.droppedByKernel)
            object.add("dropped_by_interface", counters.droppedByInterface)
        }
        object.add("frames", summary.frames)
        object.add("tcp_packets", summary.tcpPackets)
        object.add("not_tcp", summary.notTCP)
        object.add("later_fragments", summary.laterFragments)
        object.add("cut_by_snaplen", summary.cutBySnaplen)
        var undecodable = JSONObject()
        for (reason, count) in summary.undecodable.sorted(by: { $0.key < $1.key }) { undecodable.add(dynamic: reason, count) }
        object.add("undecodable", object: undecodable)
        object.add("flows", summary.flows)
        object.add("generations", summary.generations)
        object.add("peak_open_connections", summary.peakOpenConnections)
        object.add("reports_out_of_order", summary.reportsOutOfOrder)
        var vantages = JSONObject()
        for vantage in Vantage.allCases { if let count = summary.vantages[vantage] { vantages.add(dynamic: vantage.rawValue, count) } }
        object.add("vantages", object: vantages)
        var states = JSONObject()
        for (pair, count) in summary.finalStatePairs.sorted(by: { $0.key < $1.key }) { states.add(dynamic: pair, count) }
        object.add("final_states", object: states)
        var kinds = JSONObject()
        for (kind, count) in summary.findingsByKind.sorted(by: { $0.key < $1.key }) { kinds.add(dynamic: kind.rawValue, count) }
        object.add("findings", object: kinds)
        if let first = summary.firstTime { object.add("first_time", first.description) }
        if let last = summary.lastTime { object.add("last_time", last.description) }
        return object.rendered
    }
}
