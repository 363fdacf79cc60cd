import FlowAudit

/// A capture's expected findings (`NAME.expected` beside `NAME.pcap` or `NAME.pcapng`):
///
///     # real: Linux 6.18, IPv4, tcpdump on the server's veth; nft drops the client's final ACK …
///     # options: --close-wait-threshold 2
///     lost-final-ack warning flow=1 generation=1 client=… server=… frames=8,9,10,11,12
///
/// Lines starting with `#` are provenance and notes; `# options:` sets the audit options the
/// capture is judged with; every other non-empty line is one expected finding. No finding lines
/// means the capture must produce no finding at all.
public struct ExpectationFile: Sendable, Equatable {
    public var notes: [String]
    public var options: [String]
    public var findings: [ExpectedFinding]

    public init(notes: [String], options: [String], findings: [ExpectedFinding]) {
        self.notes = notes
        self.options = options
        self.findings = findings.sorted()
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "line \(line): not a finding line: \(text)" }
    }

    public init(parsing text: String) throws(ParseError) {
        var notes: [String] = [], options: [String] = [], findings: [ExpectedFinding] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let note = String(line.dropFirst().drop { $0 == " " })
                if note.hasPrefix("options:") {
                    options += note.dropFirst("options:".count).split(separator: " ").map(String.init)
                } else {
                    notes.append(note)
                }
                continue
            }
            guard let finding = ExpectedFinding(line: String(line)) else {
                throw ParseError(line: number + 1, text: String(line))
            }
            findings.append(finding)
        }
        self.init(notes: notes, options: options, findings: findings)
    }

    public var rendered: String {
        var lines = notes.map { "# " + $0 }
        if !options.isEmpty { lines.append("# options: " + options.joined(separator: " ")) }
        lines += findings.map(\.description)
        return lines.joined(separator: "\n") + "\n"
    }
}
