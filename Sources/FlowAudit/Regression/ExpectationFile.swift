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

extension AuditConfiguration {
    public struct OptionError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The longest duration any option takes: 10⁷ s (about 116 days), far beyond any kernel timer,
    /// and small enough that every sum of capture times and durations stays inside Int64.
    public static let longestDuration: Double = 1e7

    /// A duration option's seconds as nanoseconds: the one check every duration passes, from the
    /// command line or an expectation file. Rejects NaN, infinities, zero, negatives and anything
    /// over `longestDuration` (`--duration 1e10` or `1e300` would overflow the conversion).
    public static func nanoseconds(seconds: Double, option: String) throws(OptionError) -> Int64 {
        guard seconds.isFinite, seconds > 0, seconds <= longestDuration else {
            throw OptionError(
                description:
                    "\(option) must be a number of seconds above 0 and at most \(Int(longestDuration)), got \(seconds)"
            )
        }
        return Int64(seconds * 1e9)
    }

    /// Applies options as an expectation file gives them: `--time-wait 2`, `--close-wait-threshold 2`,
    /// `--fin-timeout 60`, `--idle-timeout 300`, `--attempt-timeout 10` (seconds).
    public mutating func apply(options: [String]) throws(OptionError) {
        var index = 0
        while index < options.count {
            let name = options[index]
            guard index + 1 < options.count, let seconds = Double(options[index + 1]) else {
                throw OptionError(description: "option \(name) needs a positive number of seconds")
            }
            let nanoseconds: Int64
            do {
                nanoseconds = try Self.nanoseconds(seconds: seconds, option: name)
            } catch {
                throw OptionError(description: error.description)
            }
            switch name {
            case "--time-wait": timeWait = nanoseconds
            case "--close-wait-threshold": closeWaitThreshold = nanoseconds
            case "--fin-timeout": finTimeout = nanoseconds
            case "--idle-timeout": idleTimeout = nanoseconds
            case "--attempt-timeout": attemptTimeout = nanoseconds
            default: throw OptionError(description: "unknown option \(name)")
            }
            index += 2
        }
    }
}
