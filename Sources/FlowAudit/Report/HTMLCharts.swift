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
        var path = "", dots = ""
        for (index, point) in points.enumerated() {
            // A dot per point too: one point alone (a short capture) draws no line.
            dots +=
                "<circle cx=\"\(x(point.0))\" cy=\"\(y(point.1))\" r=\"3\" class=\"dot\"><title>\(point.0): \(point.1)</title></circle>"
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
            <polyline points="\(path)" class="series"/>\(dots)</svg>
            """
    }

    /// The colour classes of the states the timeline tells apart; others are grey.
    static let colouredStates: [String] = ["SF", "S0", "REJ", "RSTO", "RSTR", "S1", "S2", "S3"]
    static func barClass(_ state: String) -> String { "bar-" + (colouredStates.contains(state) ? state : "other") }

    /// Connections over time, coloured by `conn_state`: up to `barsUpTo` of them one bar each,
    /// from first to last packet; more as a stacked histogram of the connections that began in
    /// each of 100 intervals.
    static func timeline(_ connections: [HTMLReport.Connection], omitted: Int, barsUpTo: Int = 60) -> String {
        guard let start = connections.map(\.first).min(), let end = connections.map(\.last).max() else { return "" }
        let span = max(1, end.since(start))
        var counts: [String: Int] = [:]
        for connection in connections { counts[connection.state?.rawValue ?? "other", default: 0] += 1 }
        let legend = counts.sorted { $0.value > $1.value }.map { "\($0.key) × \($0.value)" }.joined(separator: ", ")
        var html = "<h2>Connections over time, by how they ended</h2>"
        html +=
            "<p class=\"meta\">conn_state: \(legend) (green SF, red S0/REJ, orange RSTO/RSTR, blue S1, purple S2/S3, grey others)"
        html += connections.count <= barsUpTo ? "</p>" : "; connections begun per interval:</p>"
        html +=
            connections.count <= barsUpTo
            ? bars(connections, start: start, span: span) : histogram(connections, start: start, span: span)
        if omitted > 0 { html += "<p class=\"more\">… and \(omitted) more connection generations, not drawn</p>" }
        return html + "\n"
    }

    private static func axis(_ start: Timestamp, _ span: Int64, left: Int, y: Int) -> String {
        "<text x=\"\(left)\" y=\"\(y)\">\(start)</text><text x=\"\(width - 10)\" y=\"\(y)\" text-anchor=\"end\">+\(formatDuration(span))</text>"
    }

    private static func bars(_ connections: [HTMLReport.Connection], start: Timestamp, span: Int64) -> String {
        let rowHeight = 14, left = 70
        let height = connections.count * rowHeight + 24
        func x(_ time: Timestamp) -> Int {
            left + Int(Double(time.since(start)) / Double(span) * Double(width - left - 10))
        }
        var svg =
            "<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">"
        for (row, connection) in connections.enumerated() {
            let state = connection.state?.rawValue ?? "other"
            let begin = x(connection.first), y = row * rowHeight
            svg +=
                "<text x=\"4\" y=\"\(y + 10)\" class=\"frame\">\(connection.uid)</text><rect x=\"\(begin)\" y=\"\(y + 2)\" width=\"\(max(3, x(connection.last) - begin))\" height=\"\(rowHeight - 4)\" class=\"\(barClass(state))\"><title>\(HTML.escape(connection.label)) \(state)</title></rect>"
        }
        return svg + axis(start, span, left: left, y: height - 6) + "</svg>"
    }

    private static func histogram(_ connections: [HTMLReport.Connection], start: Timestamp, span: Int64) -> String {
        let intervals = 100, height = 180, left = 50, bottom = 20
        let states = colouredStates + ["other"]
        var counts = [[Int]](repeating: [Int](repeating: 0, count: states.count), count: intervals)
        for connection in connections {
            let interval = min(
                intervals - 1,
                Int(Double(connection.first.since(start)) / Double(span) * Double(intervals))
            )
            let state = connection.state?.rawValue ?? "other"
            counts[interval][states.firstIndex(of: state) ?? states.count - 1] += 1
        }
        let tallest = max(1, counts.map { $0.reduce(0, +) }.max() ?? 1)
        let barWidth = Double(width - left - 10) / Double(intervals)
        var svg =
            "<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">"
        svg += "<text x=\"4\" y=\"14\">\(tallest)</text><text x=\"4\" y=\"\(height - bottom)\">0</text>"
        for (interval, perState) in counts.enumerated() {
            var top = height - bottom
            for (index, count) in perState.enumerated() where count > 0 {
                let barHeight = max(1, count * (height - bottom - 10) / tallest)
                top -= barHeight
                let x = left + Int(Double(interval) * barWidth)
                svg +=
                    "<rect x=\"\(x)\" y=\"\(top)\" width=\"\(max(1, Int(barWidth) - 1))\" height=\"\(barHeight)\" class=\"\(barClass(states[index]))\"><title>\(count) × \(states[index])</title></rect>"
            }
        }
        return svg + axis(start, span, left: left, y: height - 4) + "</svg>"
    }
}
