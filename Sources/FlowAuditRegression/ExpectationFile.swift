import FlowAudit

/// A capture's expected findings (`NAME.expected` beside `NAME.pcap` or `NAME.pcapng`):
///
///     # real: Linux 6.18, IPv4, tcpdump on the server's veth; nft drops the client's final ACK …
///     # options: --close-wait-threshold 2
///     lost-final-ack warning flow=1 generation=1 client=… server=… frames=8,9,10,11,12
///     conn flow=1 generation=1 conn_state=SF history=ShADadFf
///
/// Lines starting with `#` are provenance and notes; `# options:` sets the audit options the
/// capture is judged with; a `conn` line is one generation's Zeek verdict (`ExpectedConnection`,
/// one per generation); every other non-empty line is one expected finding. No finding lines
/// means the capture must produce no finding at all.
public struct ExpectationFile: Sendable, Equatable {
    public var notes: [String]
    public var options: [String]
    public var findings: [ExpectedFinding]
    public var connections: [ExpectedConnection]

    public init(
        notes: [String],
        options: [String],
        findings: [ExpectedFinding],
        connections: [ExpectedConnection] = []
    ) {
        self.notes = notes
        self.options = options
        self.findings = findings.sorted()
        self.connections = connections.sorted()
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "line \(line): not a finding or conn line: \(text)" }
    }

    public init(parsing text: String) throws(ParseError) {
        var notes: [String] = [], options: [String] = [], findings: [ExpectedFinding] = []
        var connections: [ExpectedConnection] = []
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
            if line.hasPrefix("conn ") {
                guard let connection = ExpectedConnection(line: String(line)) else {
                    throw ParseError(line: number + 1, text: String(line))
                }
                connections.append(connection)
                continue
            }
            guard let finding = ExpectedFinding(line: String(line)) else {
                throw ParseError(line: number + 1, text: String(line))
            }
            findings.append(finding)
        }
        self.init(notes: notes, options: options, findings: findings, connections: connections)
    }

    public var rendered: String {
        var lines = notes.map { "# " + $0 }
        if !options.isEmpty { lines.append("# options: " + options.joined(separator: " ")) }
        lines += findings.map(\.description)
        lines += connections.map(\.description)
        return lines.joined(separator: "\n") + "\n"
    }
}
