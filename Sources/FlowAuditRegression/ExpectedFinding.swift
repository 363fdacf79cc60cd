import FlowAudit
import FlowAuditPcap

/// One finding as a regression corpus records it: one line, stable and diffable,
///
///     lost-final-ack warning flow=1 generation=1 client=10.77.0.1:50910 server=10.77.0.2:8080 frames=8,9,10,11,12
///
/// with `confidence=likely` or `confidence=possible` at the end when the finding is not certain.
public struct ExpectedFinding: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var kind: AnomalyKind
    public var severity: Severity
    public var flow: UInt64
    public var generation: UInt32
    public var client: String
    public var server: String
    public var frames: [UInt64]
    public var confidence: Confidence

    public init(_ finding: Finding, in report: GenerationReport) {
        kind = finding.kind
        severity = finding.severity
        confidence = finding.confidence
        flow = report.flowOrdinal + 1
        generation = report.generation
        client = report.client.description
        server = report.server.description
        frames = finding.frames
    }

    public init?(line: String) {
        let words = line.split(separator: " ")
        guard words.count == 7 || words.count == 8, let kind = AnomalyKind(rawValue: String(words[0])),
            let severity = Severity(rawValue: String(words[1]))
        else { return nil }
        var fields: [String: String] = [:]
        for word in words.dropFirst(2) {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            fields[String(parts[0])] = String(parts[1])
        }
        guard let flow = fields["flow"].flatMap({ UInt64($0) }),
            let generation = fields["generation"].flatMap({ UInt32($0) }),
            let client = fields["client"], let server = fields["server"], let frameList = fields["frames"],
            let confidence = fields["confidence"].map({ Confidence(rawValue: $0) }) ?? .certain
        else { return nil }
        let frames = frameList.split(separator: ",").compactMap { UInt64($0) }
        guard frames.count == frameList.split(separator: ",").count else { return nil }
        self.kind = kind
        self.severity = severity
        self.flow = flow
        self.generation = generation
        self.client = client
        self.server = server
        self.frames = frames
        self.confidence = confidence
    }

    public var description: String {
        "\(kind.rawValue) \(severity.rawValue) flow=\(flow) generation=\(generation) client=\(client) server=\(server) frames=\(frames.map(String.init).joined(separator: ","))"
            + (confidence == .certain ? "" : " confidence=\(confidence.rawValue)")
    }

    /// The same finding up to what differs between two captures of one real scenario (ports,
    /// frame numbers): kind, severity and the roles' addresses. In a simultaneous open neither end
    /// is the client (whichever SYN was captured first gets the role, run by run), so there the
    /// two addresses are given as an unordered pair.
    public var shape: String {
        func host(_ endpoint: String) -> String {
            String(endpoint[..<(endpoint.lastIndex(of: ":") ?? endpoint.endIndex)])
        }
        if kind == .simultaneousOpen {
            let pair = [host(client), host(server)].sorted()
            return "\(kind.rawValue) \(severity.rawValue) ends=\(pair[0]),\(pair[1])"
        }
        return "\(kind.rawValue) \(severity.rawValue) client=\(host(client)) server=\(host(server))"
    }

    public static func < (lhs: ExpectedFinding, rhs: ExpectedFinding) -> Bool {
        (lhs.flow, lhs.generation, lhs.kind, lhs.frames.first ?? 0) < (
            rhs.flow, rhs.generation, rhs.kind, rhs.frames.first ?? 0
        )
    }
}

extension CaptureAuditResult {
    /// The findings as a regression corpus records them.
    public var expectedFindings: [ExpectedFinding] {
        reports.flatMap { report in report.findings.map { ExpectedFinding($0, in: report) } }.sorted()
    }
}
