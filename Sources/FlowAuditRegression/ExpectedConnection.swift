import FlowAudit
import FlowAuditPcap

/// One connection generation's Zeek conn.log verdict as a regression corpus records it:
///
///     conn flow=1 generation=1 conn_state=SF history=ShADadFf
///
/// Every generation of a capture has one (`ExpectationFile`), so a change in how connections
/// begin or end shows in the corpus even where no finding changes.
public struct ExpectedConnection: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var flow: UInt64
    public var generation: UInt32
    public var state: ConnState
    public var history: String

    public init(_ report: GenerationReport, _ connection: ConnectionLogFields) {
        flow = report.flowOrdinal + 1
        generation = report.generation
        state = connection.state
        history = connection.history
    }

    public init?(line: String) {
        let words = line.split(separator: " ")
        guard words.count == 5, words[0] == "conn" else { return nil }
        var fields: [String: String] = [:]
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            fields[String(parts[0])] = String(parts[1])
        }
        guard let flow = fields["flow"].flatMap({ UInt64($0) }),
            let generation = fields["generation"].flatMap({ UInt32($0) }),
            let state = fields["conn_state"].flatMap({ ConnState(rawValue: $0) }),
            let history = fields["history"]
        else { return nil }
        self.flow = flow
        self.generation = generation
        self.state = state
        self.history = history == "-" ? "" : history
    }

    public var description: String {
        "conn flow=\(flow) generation=\(generation) conn_state=\(state.rawValue) history=\(history.isEmpty ? "-" : history)"
    }

    /// What two captures of one real scenario share: the `conn_state` (flow numbers and history
    /// letters may differ with timing).
    public var shape: String { "conn \(state.rawValue)" }

    public static func < (lhs: ExpectedConnection, rhs: ExpectedConnection) -> Bool {
        (lhs.flow, lhs.generation) < (rhs.flow, rhs.generation)
    }
}

extension CaptureAuditResult {
    /// Every judged generation's conn.log verdict, for a result audited with `reportAll` (late
    /// reports add findings to a generation already listed, not a generation).
    public var expectedConnections: [ExpectedConnection] {
        reports.compactMap { report in report.connection.map { ExpectedConnection(report, $0) } }.sorted()
    }
}
