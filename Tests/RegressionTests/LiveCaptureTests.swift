import FlowAudit
import FlowAuditOptions
import FlowAuditPcap
import FlowAuditRegression
import Foundation
import Testing

/// `tcpflow-audit -i` on a veth in a network namespace while real Linux connections run (driven
/// by `Captures/tools/real_scenarios.py --live-check`): findings must appear while the capture is
/// still running, and SIGINT must end it with the summary and libpcap's counters.
@Suite("Live capture")
struct LiveCaptureTests {
    @Test(
        .enabled(if: RealLab.unavailableReason == nil, Comment(rawValue: RealLab.unavailableReason ?? "")),
        .timeLimit(.minutes(2))
    )
    func findingsStreamWhileCapturingAndSummaryAfterSIGINT() throws {
        let script = CorpusLocation.captures.appendingPathComponent("tools/real_scenarios.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--live-check", CommandLineTests.binary]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let before = Set(result["before"] as? [String] ?? [])
        #expect(before == ["lost-final-ack", "connection-refused", "close-wait-stalled"], "written before SIGINT")
        let described = (result["findings"] as? [String] ?? []).joined(separator: "\n")
        #expect(
            (result["after"] as? [String])?.sorted() == ["close-wait-stalled", "connection-refused", "lost-final-ack"],
            "\(described)"
        )
        let summary = try #require((result["summary"] as? [[String: Any]])?.first)
        #expect(summary["dropped_by_kernel"] as? Int == 0)
        #expect((summary["received"] as? Int ?? 0) > 0)
        #expect(
            (summary["final_states"] as? [String: Int])?["FIN-WAIT-2 / CLOSE-WAIT"] == 1,
            "the open CLOSE-WAIT judged at SIGINT"
        )
        #expect(result["exit"] as? Int == 1, "connection-refused is an error: exit 1")

        // -w wrote what was seen: replayed with the same options it gives the same verdicts.
        let written = try #require(result["written"] as? String)
        defer { try? FileManager.default.removeItem(atPath: written) }
        let configuration = try AnalysisOptions.configuration(parsing: [
            "--close-wait-threshold", "1", "--time-wait", "5",
        ])
        let replay = try CaptureAudit.run(path: written, configuration: configuration)
        #expect(
            replay.expectedFindings.map(\.kind.rawValue).sorted() == [
                "close-wait-stalled", "connection-refused", "lost-final-ack",
            ]
        )
    }
}
