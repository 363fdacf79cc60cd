import FlowAudit
import FlowAuditPcap
import Foundation
import Testing

/// Replays every capture in `Captures/` and compares its findings (kind, severity, flow,
/// generation, roles, frames) with the `.expected` file beside it. `RECORD_GOLDEN=1` rewrites the
/// expected files from what the analyzer says now — and fails, so a new baseline is never
/// accepted silently; review the diff before committing it.
@Suite("Regression corpus")
struct CorpusRegressionTests {
    static let captures = CorpusLocation.allCaptures()
    static let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"

    @Test func corpusIsNotEmpty() {
        #expect(Self.captures.count >= 10)
    }

    @Test(arguments: captures)
    func replay(_ capture: String) throws {
        let path = CorpusLocation.captures.appendingPathComponent(capture).path
        let expectationPath = CorpusLocation.expectationPath(for: capture)
        let existing = try? String(contentsOfFile: expectationPath, encoding: .utf8)
        var expectation = try ExpectationFile(parsing: existing ?? "")
        let provenancePath = String(expectationPath.dropLast(".expected".count)) + ".provenance"
        if Self.recording, let provenance = try? String(contentsOfFile: provenancePath, encoding: .utf8) {
            // A freshly generated capture: its provenance file becomes the expected file's header.
            expectation = try ExpectationFile(parsing: provenance.split(separator: "\n").map { "# " + $0 }.joined(separator: "\n"))
        }
        var configuration = AuditConfiguration()
        try configuration.apply(options: expectation.options)
        let result = try CaptureAudit.run(path: path, configuration: configuration)
        let actual = result.expectedFindings

        if Self.recording {
            let updated = ExpectationFile(notes: expectation.notes, options: expectation.options, findings: actual)
            try updated.rendered.write(toFile: expectationPath, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(atPath: provenancePath)
            Issue.record("recorded \(capture): \(actual.count) findings; review the diff, then run without RECORD_GOLDEN")
            return
        }
        #expect(existing != nil, "\(capture) has no expected file; run with RECORD_GOLDEN=1 to create it")
        let missing = expectation.findings.filter { !actual.contains($0) }
        let unexpected = actual.filter { !expectation.findings.contains($0) }
        #expect(missing.isEmpty && unexpected.isEmpty, """
            \(capture) differs from its expected findings
            missing:
            \(missing.map { "  - " + $0.description }.joined(separator: "\n"))
            unexpected:
            \(unexpected.map { "  + " + $0.description }.joined(separator: "\n"))
            """)
        #expect(result.summary.undecodableTotal == 0 || expectation.notes.contains { $0.contains("undecodable") })
    }
}
