/// The HTML report's charts, as inline SVG: the TIME-WAIT population per host over time, and a
/// timeline of connections coloured by how they ended (Zeek's `conn_state`).
enum HTMLCharts {
    static let width = 900

    /// One chart per host (the per-host entries of the whole-capture view), at most `limit`.
    static func timeWait(_ entries: [TimeWaitEntry], limit: Int = 8) -> String {
        let hosts = entries.filter { $0.servicePort == nil && $0.peer == nil && !$0.series.isEmpty }
        guard !hosts.isEmpty else { return "" }
        var html = "<h2>TIME-WAIT population</h2>"
        for entry in hosts.prefix(limit) {
            html +=
                "<h3>\(HTML.escape(entry.host.description)) (\(entry.hostRole)): peak \(entry.peak) at \(entry.peakTime), \(entry.total) in all\(entry.partial ? ", partly seen (began before the capture or outlives it)" : "")</h3>"
            html += series(entry.series, peak: entry.peak)
        }
        if hosts.count > limit { html += "<p class=\"more\">… and \(hosts.count - limit) more hosts, not drawn</p>" }
        return html + "\n"
    }

    /// A step chart of (time, most at once) points.
    static func series(_ points: [(Timestamp, Int)], peak: Int) -> String {
        let height = 160, left = 50, bottom = 20
        guard let first = points.first?.0, let last = points.last?.0 else { return "" }
        let span = max(1, last.since(first))
        let top = max(1, peak)
        func x(_ time: Timestamp) -> Int {
            left + Int(Double(time.since(first)) / Double(span) * Double(width - left - 10))
        }
        func y(_ count: Int) -> Int {
            height - bottom - Int(Double(count) / Double(top) * Double(height - bottom - 10))
        }
        var path = ""
        for (index, point) in points.enumerated() {
            if index > 0 { path += " \(x(point.0)),\(y(points[index - 1].1))" }
            path += " \(x(point.0)),\(y(point.1))"
        }
        return """
            <svg class="chart" role="img" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)">\
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - 10)" y2="\(height - bottom)" class="axis"/>\
            <line x1="\(left)" y1="10" x2="\(left)" y2="\(height - bottom)" class="axis"/>\
            <text x="4" y="\(y(top) + 4)">\(top)</text><text x="4" y="\(height - bottom)">0</text>\
            <text x="\(left)" y="\(height - 4)">\(first)</text>\
            <text x="\(width - 10)" y="\(height - 4)" text-anchor="end">+\(formatDuration(span))</text>\
            <polyline points="\(path)" class="series"/></svg>
            """
    }

    /// One bar per connection from its first to its last packet, coloured by `conn_state`.
    static func timeline(_ connections: [HTMLReport.Connection], omitted: Int) -> String {
        guard let start = connections.map(\.first).min(), let end = connections.map(\.last).max() else { return "" }
        let rowHeight = 4, left = 10
        let height = connections.count * rowHeight + 30
        let span = max(1, end.since(start))
        func x(_ time: Timestamp) -> Int {
            left + Int(Double(time.since(start)) / Double(span) * Double(width - left - 10))
        }
        var counts: [String: Int] = [:]
        var svg =
            "<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">"
        for (row, connection) in connections.enumerated() {
            let state = connection.state?.rawValue ?? "other"
            counts[state, default: 0] += 1
            let known: Set = ["SF", "S0", "REJ", "RSTO", "RSTR", "S1", "S2", "S3"]
            let begin = x(connection.first)
            svg +=
                "<rect x=\"\(begin)\" y=\"\(row * rowHeight)\" width=\"\(max(2, x(connection.last) - begin))\" height=\"\(rowHeight - 1)\" class=\"bar-\(known.contains(state) ? state : "other")\"><title>\(HTML.escape(connection.label)) \(state)</title></rect>"
        }
        svg +=
            "<text x=\"\(left)\" y=\"\(height - 6)\">\(start)</text><text x=\"\(width - 10)\" y=\"\(height - 6)\" text-anchor=\"end\">+\(formatDuration(span))</text></svg>"
        let legend = counts.sorted { $0.value > $1.value }.map { "\($0.key) × \($0.value)" }.joined(separator: ", ")
        var html =
            "<h2>Connections over time, by how they ended</h2><p class=\"meta\">conn_state: \(legend) (green SF, red S0/REJ, orange RSTO/RSTR, blue S1, purple S2/S3, grey others)</p>"
        html += svg
        if omitted > 0 { html += "<p class=\"more\">… and \(omitted) more connection generations, not drawn</p>" }
        return html + "\n"
    }
}
