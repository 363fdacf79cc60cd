import FlowAudit
import FlowAuditPcap
import FlowAuditRegression
import Foundation
import Testing

/// Replays every capture in `Captures/` and compares its findings (kind, severity, flow,
/// generation, roles, frames) with the `.expected` file beside it, through the same code as
/// `tcpflow-audit regress`. `RECORD_GOLDEN=1` rewrites the expected files from what the analyzer
/// says now — and fails, so a new baseline is never accepted silently; review the diff.
@Suite("Regression corpus")
struct CorpusRegressionTests {
    static let captures = CorpusLocation.allCaptures()
    static let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"

    @Test func corpusHasAtLeastFortyCaptures() {
        #expect(Self.captures.count >= 40)
    }

    @Test(arguments: captures)
    func replay(_ capture: String) throws {
        let outcome = Corpus.check(CorpusLocation.captures.appendingPathComponent(capture).path)
        if Self.recording,
            !outcome.passed
                || FileManager.default.fileExists(atPath: String(outcome.expectationPath.dropLast(9)) + ".provenance")
        {
            try Corpus.update(outcome)
            Issue.record(
                "recorded \(capture): \(outcome.actual.count) findings; review the diff, then run without RECORD_GOLDEN"
            )
            return
        }
        #expect(
            outcome.passed,
            "\(capture) differs from its expected findings:\n\(outcome.diff.joined(separator: "\n"))"
        )
        if outcome.undecodableFrames > 0 {
            #expect(
                outcome.expectation?.notes.contains { $0.contains("undecodable") } == true,
                "undecodable frames not announced in the notes"
            )
        }
    }

    /// Every finding kind of docs/domain.md §3 is expected somewhere in the corpus, most from real captures.
    @Test func everyKindIsCovered() throws {
        var real = Set<AnomalyKind>(), all = Set<AnomalyKind>()
        for capture in Self.captures {
            let text = try String(contentsOfFile: CorpusLocation.expectationPath(for: capture), encoding: .utf8)
            let kinds = try ExpectationFile(parsing: text).findings.map(\.kind)
            all.formUnion(kinds)
            if capture.hasPrefix("real/") { real.formUnion(kinds) }
        }
        #expect(all == Set(AnomalyKind.allCases), "missing: \(Set(AnomalyKind.allCases).subtracting(all))")
        #expect(real.count * 2 > AnomalyKind.allCases.count, "only \(real.count) kinds from real captures")
    }
}
