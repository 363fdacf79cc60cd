/// JSON Lines output: one object per line with a `type` of `finding`, `flow` or `summary`
/// (schema in README.md). Field order is fixed and times are UTC, so output is deterministic.
public enum JSONLinesReport {
    /// A file name rendered once as a JSON string (it is repeated on every line).
    public struct FileName {
        let json: [UInt8]
        public init(_ name: String) { json = JSONLinesReport.quoted(name) }
    }

    /// Each kind's name and advice, rendered once as JSON strings.
    private static let kindJSON: [[UInt8]] = AnomalyKind.allCases.map { quoted($0.rawValue) }
    private static let adviceJSON: [[UInt8]] = AnomalyKind.allCases.map { quoted($0.advice) }
    private static let severityJSON: [[UInt8]] = Severity.allCases.map { quoted($0.rawValue) }
    private static let confidenceJSON: [[UInt8]] = Confidence.allCases.map { quoted($0.rawValue) }

    private static func quoted(_ text: String) -> [UInt8] {
        let out = OutputBuffer(capacity: text.utf8.count + 8)
        JSONObject.appendQuoted(text, to: out)
        return out.withBytes { Array($0) }
    }

    /// The report's lines, each ending in a newline.
    public static func lines(_ report: GenerationReport, file: FileName, options: ReportOptions) -> String {
        let out = OutputBuffer()
        append(report, file: file, options: options, to: out)
        return out.string
    }

    /// Appends the report's lines (each ending in a newline) to `out`.
    package static func append(_ report: GenerationReport, file: FileName, options: ReportOptions, to out: OutputBuffer)
    {
        let findings = options.visibleFindings(report)
        if options.allFlows || !findings.isEmpty {
            appendFlowObject(report, file: file, shown: findings.count, to: out)
        }
        for finding in findings {
            var object = JSONObject(into: out)
            object.add("type", "finding")
            object.add("file", json: file.json)
            object.add("kind", json: kindJSON[finding.kind.position])
            object.add("severity", json: severityJSON[finding.severity.rank])
            object.add("confidence", json: confidenceJSON[Confidence.allCases.firstIndex(of: finding.confidence)!])
            addIdentity(&object, report)
            object.add("first_time", time: finding.firstTime)
            object.add("last_time", time: finding.lastTime)
            object.add("frames", finding.frames)
            object.add("display_filter", displayFilterOf: finding.frames)
            if let origins = options.origins {
                object.beginObject("frame_origins")
                for origin in origins.locate(finding.frames) { object.add(dynamic: origin.file, origin.frames) }
                object.endObject()
            }
            object.add("client_state", plain: finding.clientState.utf8Name)
            object.add("server_state", plain: finding.serverState.utf8Name)
            object.add("explanation", utf8: finding.sentence.utf8)
            object.add("advice", json: adviceJSON[finding.kind.position])
            object.finishLine()
        }
    }

    static func addIdentity(_ object: inout JSONObject, _ report: GenerationReport) {
        object.add("flow", report.flowOrdinal + 1)
        object.add("generation", report.generation)
        object.add("client", endpoint: report.client)
        object.add("server", endpoint: report.server)
        if report.key.vlan != 0 { object.add("vlan", report.key.vlanTags) }
        if report.rolesInferred { object.add("roles_inferred", true) }
    }

    static func appendFlowObject(_ report: GenerationReport, file: FileName, shown: Int, to out: OutputBuffer) {
        var object = JSONObject(into: out)
        object.add("type", "flow")
        object.add("file", json: file.json)
        addIdentity(&object, report)
        object.add("first_time", time: report.firstSeen)
        object.add("last_time", time: report.lastSeen)
        object.add("first_frame", report.firstFrame)
        object.add("last_frame", report.lastFrame)
        object.add("packets", report.packets)
        object.add("payload_bytes", report.payloadBytes)
        object.add("client_state", plain: report.clientState.utf8Name)
        object.add("server_state", plain: report.serverState.utf8Name)
        object.add("ended", report.reason.rawValue)
        object.add("vantage", report.vantage.rawValue)
        if let connection = report.connection {
            object.add("conn_state", connection.state.rawValue)
            object.add("history", connection.history)
        }
        if report.isLate {
            // Judged and summarised before this finding: its time in each state is not kept.
            object.add("late", true)
        } else {
            object.beginObject("client_state_seconds")
            for (state, nanoseconds) in report.clientStateTimes {
                object.add(plainName: state.utf8Name, seconds: nanoseconds)
            }
            object.endObject()
            object.beginObject("server_state_seconds")
            for (state, nanoseconds) in report.serverStateTimes {
                object.add(plainName: state.utf8Name, seconds: nanoseconds)
            }
            object.endObject()
        }
        object.add("finding_count", shown)
        object.finishLine()
    }

    /// Raised when a field is renamed or removed (2: `ended` and `finding_count` in flow records,
    /// `confidence` in findings, `vlan` an array, the `unreadable` record; 3: a late flow record
    /// says `late` and has no `*_state_seconds`). Fields added (such as 0.4's `conn_state` and
    /// `history` in flow records) leave it as it is.
    public static let schemaVersion = 3

    /// The whole-capture records that precede a capture's summary: one `time-wait` record per
    /// host and per (host, peer service), one `service` record per server address and port.
    public static func wholeCaptureLines(_ summary: CaptureSummary, source: CaptureSource) -> String {
        let out = OutputBuffer()
        let file = FileName(source.name)
        for entry in summary.timeWait {
            var object = JSONObject(into: out)
            object.add("type", "time-wait")
            object.add("file", json: file.json)
            object.add("host", entry.host.description)
            object.add("host_role", entry.hostRole)
            if let peer = entry.peer { object.add("peer", peer.description) }
            if let port = entry.servicePort { object.add("service_port", UInt64(port)) }
            object.add("peak", UInt64(entry.peak))
            object.add("peak_time", time: entry.peakTime)
            object.add("total", UInt64(entry.total))
            object.add("partial", entry.partial)
            if let share = entry.portShare { object.add("ephemeral_port_share", fraction: share) }
            if entry.servicePort == nil { object.add("above_max_tw_buckets", entry.aboveMaxBuckets) }
            object.add("series", series: entry.series)
            object.finishLine()
        }
        for service in summary.services {
            var object = JSONObject(into: out)
            object.add("type", "service")
            object.add("file", json: file.json)
            object.add("server", endpoint: service.server)
            object.add("connections", UInt64(service.connections))
            object.beginObject("final_states")
            for (pair, count) in service.finalStates.sorted(by: { $0.key < $1.key }) {
                object.add(dynamic: pair, UInt64(count))
            }
            object.endObject()
            object.beginObject("closed_first")
            for (who, count) in service.closedFirst.sorted(by: { $0.key < $1.key }) {
                object.add(dynamic: who, UInt64(count))
            }
            object.endObject()
            if let handshake = service.handshake {
                object.beginObject("handshake_seconds")
                object.add(plainName: Array("p50".utf8), seconds: handshake.p50)
                object.add(plainName: Array("p90".utf8), seconds: handshake.p90)
                object.add(plainName: Array("p99".utf8), seconds: handshake.p99)
                object.add(plainName: Array("max".utf8), seconds: handshake.max)
                object.endObject()
            }
            object.beginObject("findings")
            for (kind, count) in service.findings.sorted(by: { $0.key < $1.key }) {
                object.add(dynamic: kind.rawValue, UInt64(count))
            }
            object.endObject()
            object.finishLine()
        }
        return out.string
    }

    /// The record of an input that could not be read at all, so that a consumer sees every input.
    public static func unreadableLine(file: String, error: String) -> String {
        let out = OutputBuffer()
        var object = JSONObject(into: out)
        object.add("type", "unreadable")
        object.add("schema_version", schemaVersion)
        object.add("file", file)
        object.add("error", error)
        out.append(UInt8(ascii: "}"))
        return out.string
    }

    public static func summaryLine(_ summary: CaptureSummary, source: CaptureSource) -> String {
        let out = OutputBuffer()
        var object = JSONObject(into: out)
        if let inputs = source.inputs {
            // The summary across several inputs: a type of its own, so per-file sums stay simple.
            object.add("type", "total")
            object.add("schema_version", schemaVersion)
            object.add("tool_version", FlowAuditVersion.string)
            object.add("inputs", UInt64(inputs.analysed))
            object.add("unreadable_inputs", UInt64(inputs.unreadable))
        } else {
            object.add("type", "summary")
            object.add("schema_version", schemaVersion)
            object.add("tool_version", FlowAuditVersion.string)
            object.add("file", source.name)
        }
        if source.inputs == nil { object.add("link_type", source.linkType.description) }
        if let damage = source.damage { object.add("damage", damage) }
        if let signal = source.interruptedBy { object.add("interrupted_by", signal) }
        if let counters = source.counters {
            object.add("received", counters.received)
            if counters.countsEachPacketTwice { object.add("received_counts_each_packet_twice", true) }
            object.add("dropped_by_kernel", counters.droppedByKernel)
            object.add("dropped_by_interface", counters.droppedByInterface)
        }
        if summary.timeWaitOmitted > 0 { object.add("time_wait_records_omitted", UInt64(summary.timeWaitOmitted)) }
        if summary.timeWaitUntracked > 0 { object.add("time_wait_untracked", UInt64(summary.timeWaitUntracked)) }
        if summary.servicesOmitted > 0 { object.add("service_records_omitted", UInt64(summary.servicesOmitted)) }
        object.add("frames", summary.frames)
        object.add("tcp_packets", summary.tcpPackets)
        object.add("not_tcp", summary.notTCP)
        object.add("later_fragments", summary.laterFragments)
        object.add("cut_by_snaplen", summary.cutBySnaplen)
        object.beginObject("undecodable")
        for (reason, count) in summary.undecodable.sorted(by: { $0.key < $1.key }) {
            object.add(dynamic: reason, count)
        }
        object.endObject()
        object.add("flows", summary.flows)
        object.add("generations", summary.generations)
        object.add("peak_open_connections", summary.peakOpenConnections)
        object.add("reports_out_of_order", summary.reportsOutOfOrder)
        object.add("shed_connections", summary.shedConnections)
        object.add("checksum_offload_hosts", strings: summary.checksumOffloadHosts.map(\.description))
        object.add("duplicates", summary.duplicates)
        object.add("capture_order_inversions", summary.captureOrderInversions)
        object.add("frames_before_clock", summary.framesBeforeClock)
        object.add("timestamp_outliers", summary.timestampOutliers)
        object.add("clock_steps_back", summary.clockStepsBack)
        object.beginObject("vantages")
        for vantage in Vantage.allCases {
            if let count = summary.vantages[vantage] { object.add(dynamic: vantage.rawValue, count) }
        }
        object.endObject()
        object.beginObject("final_states")
        for (pair, count) in summary.finalStatePairs.sorted(by: { $0.key < $1.key }) {
            object.add(dynamic: pair, count)
        }
        object.endObject()
        object.beginObject("findings")
        for (kind, count) in summary.findingsByKind.sorted(by: { $0.key < $1.key }) {
            object.add(dynamic: kind.rawValue, count)
        }
        object.endObject()
        object.add("hidden_findings", summary.hiddenFindings)
        if let first = summary.firstTime { object.add("first_time", time: first) }
        if let last = summary.lastTime { object.add("last_time", time: last) }
        out.append(UInt8(ascii: "}"))
        return out.string
    }
}
