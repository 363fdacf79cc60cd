/// `--format conn`: one line per connection generation in the shape of Zeek's conn.log (TSV with
/// Zeek's `#` header lines, so `zeek-cut` and conn.log readers take it), with tcpflow-audit's own
/// columns after Zeek's. docs/conn-log.md says where the values differ from Zeek's.
public enum ConnLogReport {
    /// Zeek's columns that tcpflow-audit fills, then its own.
    static let fields: [(name: String, type: String)] = [
        ("ts", "time"), ("uid", "string"), ("id.orig_h", "addr"), ("id.orig_p", "port"),
        ("id.resp_h", "addr"), ("id.resp_p", "port"), ("proto", "enum"), ("duration", "interval"),
        ("orig_bytes", "count"), ("resp_bytes", "count"), ("conn_state", "string"), ("history", "string"),
        ("orig_pkts", "count"), ("resp_pkts", "count"),
        ("orig_tcp_state", "string"), ("resp_tcp_state", "string"), ("findings", "set[string]"),
    ]

    /// The header lines (without the last newline) Zeek's ASCII writer puts before a log's first line (without `#open`, so the
    /// output depends on the capture alone).
    public static var header: String {
        """
        #separator \\x09
        #set_separator\t,
        #empty_field\t(empty)
        #unset_field\t-
        #path\tconn
        #fields\t\(fields.map(\.name).joined(separator: "\t"))
        #types\t\(fields.map(\.type).joined(separator: "\t"))
        """
    }

    /// The report's line (without its newline), or nil for a late report: its generation's line
    /// was written when it was judged.
    public static func line(_ report: GenerationReport, options: ReportOptions) -> String? {
        guard let connection = report.connection else { return nil }
        var columns: [String] = []
        columns.reserveCapacity(fields.count)
        columns.append(MicrosecondText.seconds(report.firstSeen.nanoseconds))
        columns.append(report.uid)
        columns.append(report.client.address.description)
        columns.append(String(report.client.port))
        columns.append(report.server.address.description)
        columns.append(String(report.server.port))
        columns.append("tcp")
        // Zeek sets duration and both byte counts only for a connection that lasted.
        let duration = report.lastSeen.since(report.firstSeen)
        if duration > 0 {
            columns.append(MicrosecondText.seconds(duration))
            columns.append(String(connection.clientBytes))
            columns.append(String(connection.serverBytes))
        } else {
            columns += ["-", "-", "-"]
        }
        columns.append(connection.state.rawValue)
        columns.append(connection.history.isEmpty ? "-" : connection.history)
        columns.append(String(connection.clientPackets))
        columns.append(String(connection.serverPackets))
        columns.append(report.clientState.description)
        columns.append(report.serverState.description)
        let kinds = options.visibleFindings(report).map(\.kind.rawValue)
        columns.append(kinds.isEmpty ? "(empty)" : kinds.joined(separator: ","))
        return columns.joined(separator: "\t")
    }
}
