import FlowAuditPcap
import FlowAuditTestSupport
import Foundation
import Testing

@testable import FlowAudit

/// A capture file is audited by three threads (`CaptureAudit.run`); the same frames through one
/// `FlowAuditor` judging inline must give byte-for-byte the same reports and summary.
@Suite("Threaded audit equals the single-threaded one")
struct ThreadedAuditTests {
    /// Every report rendered as JSON Lines (every flow, not only those with findings), then the summary.
    private func rendered(
        _ reports: [GenerationReport],
        _ summary: CaptureSummary,
        path: String,
        linkType: LinkType
    ) -> String {
        var options = ReportOptions()
        options.allFlows = true
        let out = OutputBuffer()
        for report in reports {
            JSONLinesReport.append(report, file: JSONLinesReport.FileName(path), options: options, to: out)
        }
        return out.string
            + JSONLinesReport.summaryLine(summary, source: CaptureSource(name: path, linkType: linkType, damage: nil))
    }

    private func compare(_ path: String) throws {
        let configuration = AuditConfiguration()
        let threaded = try CaptureAudit.run(path: path, configuration: configuration, reportAll: true)
        var reports: [GenerationReport] = []
        let auditor = FlowAuditor(configuration: configuration, reportAll: true) { reports.append($0) }
        let reader = try PcapFileReader(path: path)
        _ = reader.forEachFrame { frame in
            auditor.process(
                frame: frame.number,
                time: try! #require(frame.time),
                bytes: frame.bytes,
                wireLength: frame.wireLength,
                linkType: frame.linkType ?? reader.linkType
            )
        }
        auditor.finish()
        let expected = rendered(reports, auditor.summary, path: path, linkType: reader.linkType)
        let actual = rendered(threaded.reports, threaded.summary, path: path, linkType: reader.linkType)
        #expect(actual == expected, "\(path): threaded audit differs")
        #expect(!reports.isEmpty)
    }

    @Test(arguments: CorpusLocation.allCaptures())
    func corpusCapture(_ capture: String) throws {
        try compare(CorpusLocation.captures.appendingPathComponent(capture).path)
    }

    /// Many batches of frames and events, 4-tuple reuse within 2MSL, reports held back for order.
    @Test func syntheticCaptureOfManyBatches() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("threaded-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let manifest = try #require(SyntheticWorkload(packets: 60_000, concurrency: 500).write(to: path))
        #expect(manifest.connections > 1000)
        try compare(path)
    }
}
