import FlowAudit
import FlowAuditOptions
import FlowAuditPcap
import Foundation

/// A regression corpus: folders of captures, each with `NAME.expected` beside `NAME.pcap` or
/// `NAME.pcapng` (format: `ExpectationFile`). Shared by `tcpflow-audit regress` and the test suite.
public enum Corpus {
    /// The verdict on one capture.
    public struct Outcome: Sendable {
        public var capture: String
        public var expectationPath: String
        /// Nil when there is no expected file yet.
        public var expectation: ExpectationFile?
        public var actual: [ExpectedFinding]
        public var actualConnections: [ExpectedConnection] = []
        /// Set when the capture or its expected file could not be read.
        public var error: String?
        /// Reading stopped early at this damage (reported, not a failure by itself).
        public var damage: String?
        public var undecodableFrames: UInt64

        public var missing: [ExpectedFinding] { expectation.map { $0.findings.filter { !actual.contains($0) } } ?? [] }
        public var unexpected: [ExpectedFinding] { actual.filter { !(expectation?.findings.contains($0) ?? false) } }
        public var missingConnections: [ExpectedConnection] {
            expectation.map { $0.connections.filter { !actualConnections.contains($0) } } ?? []
        }
        public var unexpectedConnections: [ExpectedConnection] {
            actualConnections.filter { !(expectation?.connections.contains($0) ?? false) }
        }
        public var passed: Bool {
            error == nil && expectation != nil && missing.isEmpty && unexpected.isEmpty
                && missingConnections.isEmpty && unexpectedConnections.isEmpty
        }

        /// A readable account of what differs: `- expected` and `+ found` lines.
        public var diff: [String] {
            if let error { return ["  ! \(error)"] }
            if expectation == nil { return ["  ! no expected file (\(expectationPath)); create it with --update"] }
            return missing.map { "  - \($0)" } + unexpected.map { "  + \($0)" }
                + missingConnections.map { "  - \($0)" } + unexpectedConnections.map { "  + \($0)" }
        }
    }

    /// Every capture under `paths` (see `CaptureFiles.under`).
    public static func captures(under paths: [String]) -> [String] { CaptureFiles.under(paths) }

    /// `NAME.expected` beside `NAME.pcap` (or `NAME.pcapng`, `NAME.pcap.gz` …).
    public static func expectationPath(for capture: String) -> String {
        ((CaptureFiles.withoutGzipSuffix(capture) as NSString).deletingPathExtension) + ".expected"
    }

    /// Audits `capture` with the options its expected file gives and compares.
    public static func check(_ capture: String) -> Outcome {
        let expectationPath = expectationPath(for: capture)
        var outcome = Outcome(
            capture: capture,
            expectationPath: expectationPath,
            expectation: nil,
            actual: [],
            error: nil,
            damage: nil,
            undecodableFrames: 0
        )
        var configuration = AuditConfiguration()
        if let text = try? String(contentsOfFile: expectationPath, encoding: .utf8) {
            do {
                let expectation = try ExpectationFile(parsing: text)
                configuration = try AnalysisOptions.configuration(parsing: expectation.options)
                outcome.expectation = expectation
            } catch {
                outcome.error = "\(expectationPath): \(error)"
                return outcome
            }
        }
        do {
            let result = try CaptureAudit.run(path: capture, configuration: configuration, reportAll: true)
            outcome.actual = result.expectedFindings
            outcome.actualConnections = result.expectedConnections
            outcome.damage = result.source.damage
            outcome.undecodableFrames = result.summary.undecodableTotal
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// Rewrites the expected file from what was found, keeping its notes and options. A
    /// `NAME.provenance` file beside the capture (left by a generator) becomes the notes and is removed.
    public static func update(_ outcome: Outcome) throws {
        var notes = outcome.expectation?.notes ?? []
        var options = outcome.expectation?.options ?? []
        let provenancePath = ((outcome.capture as NSString).deletingPathExtension) + ".provenance"
        if let provenance = try? String(contentsOfFile: provenancePath, encoding: .utf8) {
            let header = try ExpectationFile(
                parsing: provenance.split(separator: "\n").map { "# " + $0 }.joined(separator: "\n")
            )
            notes = header.notes
            options = header.options
            try FileManager.default.removeItem(atPath: provenancePath)
        }
        let updated = ExpectationFile(
            notes: notes,
            options: options,
            findings: outcome.actual,
            connections: outcome.actualConnections
        )
        try updated.rendered.write(toFile: outcome.expectationPath, atomically: true, encoding: .utf8)
    }
}
