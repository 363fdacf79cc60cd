import FlowAudit
import FlowAuditOptions
import FlowAuditPcap
import FlowAuditRegression
import Foundation
import Testing

/// Every finding's Wireshark display filter parses in tshark and selects exactly its evidence
/// frames, for every capture of the corpus (issue 12, feature 2). Skipped where tshark is absent.
@Suite("Wireshark display filters")
struct DisplayFilterTests {
    static let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func rangesFoldAndSingleFramesCompare() throws {
        let path = CorpusLocation.captures.appendingPathComponent("real/lost-final-ack.pcap").path
        let finding = try #require(
            try CaptureAudit.run(path: path, configuration: AuditConfiguration()).reports.first?.findings.first
        )
        #expect(finding.frames == [8, 9, 10, 11, 12])
        #expect(finding.displayFilter == "frame.number in {8..12}")
    }

    /// JSON renders the same filter straight into its buffer.
    @Test func jsonCarriesTheSameFilter() throws {
        let path = CorpusLocation.captures.appendingPathComponent("real/syn-reuse-last-ack.pcap").path
        let json = try CommandLineTests.run(["--format", "json", path])
        let filters = try json.stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.compactMap { $0["display_filter"] as? String }
        let findings = try CaptureAudit.run(path: path, configuration: AuditConfiguration()).reports.flatMap(\.findings)
        #expect(filters == findings.map(\.displayFilter))
        #expect(filters == ["frame.number in {11..15}", "frame.number == 11"])
    }

    @Test(.enabled(if: tshark != nil, "tshark is not installed"), arguments: CorpusLocation.allCaptures())
    func filterSelectsExactlyTheEvidenceFrames(_ capture: String) throws {
        let path = CorpusLocation.captures.appendingPathComponent(capture).path
        let expectation = try? String(contentsOfFile: CorpusLocation.expectationPath(for: capture), encoding: .utf8)
        let options = try expectation.map { try ExpectationFile(parsing: $0).options } ?? []
        let configuration = try AnalysisOptions.configuration(parsing: options)
        let result = try CaptureAudit.run(path: path, configuration: configuration)
        for finding in result.reports.flatMap(\.findings) {
            let selected = try frames(in: path, matching: finding.displayFilter)
            #expect(selected == finding.frames, "\(capture) \(finding.kind): \(finding.displayFilter)")
        }
    }

    /// The frame numbers tshark shows for `filter` (nil if it refused the filter).
    private func frames(in capture: String, matching filter: String) throws -> [UInt64]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.tshark))
        process.arguments = ["-n", "-r", capture, "-Y", filter, "-T", "fields", "-e", "frame.number"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { UInt64($0) }
    }
}
