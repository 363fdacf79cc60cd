import FlowAudit
import FlowAuditPcap
import FlowAuditRegression
import FlowAuditTestSupport
import Foundation
import Testing

/// libpcap-backed reading of every file flavour, and damage handling, on files written here.
@Suite("Capture files through libpcap")
struct CaptureReaderTests {
    static func lostFinalACK() -> ConnectionScript { CraftedCorpus.lostFinalACK(CraftedCorpus.script()) }

    func temporaryFile(_ bytes: [UInt8], _ suffix: String = ".pcap") throws -> String {
        let path = NSTemporaryDirectory() + "tcpflow-audit-\(UUID().uuidString)\(suffix)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func kinds(_ result: CaptureAuditResult) -> [AnomalyKind] { result.reports.flatMap(\.findings).map(\.kind) }

    @Test(arguments: [false, true])
    func pcapMicroAndNanosecond(nanosecond: Bool) throws {
        var s = Self.lostFinalACK()
        s.clock = s.clock + 123  // a sub-microsecond offset survives only with nanosecond files
        s.send(.client, .ack, after: 0.000_000_3)
        let path = try temporaryFile(s.pcap(nanosecond: nanosecond))
        let result = try CaptureAudit.run(path: path, configuration: AuditConfiguration())
        #expect(kinds(result) == [.lostFinalACK])
        let last = try #require(result.summary.lastTime)
        #expect((last.nanoseconds % 1000 != 0) == nanosecond)
    }

    @Test func bigEndianPcap() throws {
        let s = Self.lostFinalACK()
        var writer = PcapWriter(linkType: .linuxSLL, bigEndian: true)
        for (segment, time) in s.segments { writer.append(FrameBuilder.frame(segment, link: .linuxSLL), at: time) }
        let result = try CaptureAudit.run(path: try temporaryFile(writer.bytes), configuration: AuditConfiguration())
        #expect(result.source.linkType == .linuxSLL)
        #expect(kinds(result) == [.lostFinalACK])
    }

    @Test func pcapngWithNanosecondsAndTwoInterfaces() throws {
        let s = Self.lostFinalACK()
        var writer = PcapNGWriter()
        let first = writer.addInterface(linkType: .ethernet, nanosecond: true)
        let second = writer.addInterface(linkType: .ethernet, nanosecond: false)
        for (index, (segment, time)) in s.segments.enumerated() {
            let interface = index % 2 == 0 ? first : second
            writer.append(FrameBuilder.frame(segment), at: time, interface: interface, nanosecond: interface == first)
        }
        let result = try CaptureAudit.run(
            path: try temporaryFile(writer.bytes, ".pcapng"),
            configuration: AuditConfiguration()
        )
        #expect(result.summary.frames == UInt64(s.segments.count))
        #expect(kinds(result) == [.lostFinalACK])
        #expect(result.expectedFindings.first?.frames == [8, 10, 11, 12, 13])
    }

    @Test func snaplenCutFramesAreUsedAndCounted() throws {
        let s = Self.lostFinalACK()
        let result = try CaptureAudit.run(
            path: try temporaryFile(s.pcap(snaplen: 60)),
            configuration: AuditConfiguration()
        )
        #expect(result.summary.cutBySnaplen > 0)
        #expect(result.summary.undecodableTotal == 0)
        #expect(result.summary.tcpPackets == UInt64(s.segments.count))
    }

    @Test func snaplenInsideTheTCPHeaderIsReportedPerFrame() throws {
        let s = Self.lostFinalACK()
        let result = try CaptureAudit.run(
            path: try temporaryFile(s.pcap(snaplen: 40)),
            configuration: AuditConfiguration()
        )
        #expect(result.summary.undecodable["TCP header truncated"] == UInt64(s.segments.count))
        #expect(
            result.summary.diagnostics.first
                == FrameDiagnostic(
                    frame: 1,
                    reason: "TCP header truncated at byte 34: needs 20 bytes, 6 available (captured length)"
                )
        )
    }

    @Test func truncatedFileIsAnalysedUpToTheDamage() throws {
        let s = Self.lostFinalACK()
        let whole = s.pcap()
        let path = try temporaryFile(Array(whole.dropLast(10)))
        let result = try CaptureAudit.run(path: path, configuration: AuditConfiguration())
        let damage = try #require(result.source.damage)
        #expect(damage.hasPrefix("frame \(s.segments.count): "))
        #expect(damage.contains("truncated"))
        #expect(result.summary.frames == UInt64(s.segments.count - 1))
        #expect(kinds(result) == [.lostFinalACK])
    }

    @Test func garbageAndMissingFilesAreRefusedWithTheirNames() throws {
        let garbage = try temporaryFile(Array("this is not a capture file at all".utf8))
        #expect(throws: PcapError.self) { try CaptureAudit.run(path: garbage, configuration: AuditConfiguration()) }
        do {
            _ = try CaptureAudit.run(path: "/nonexistent/x.pcap", configuration: AuditConfiguration())
            Issue.record("a missing file was read")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/x.pcap: cannot read capture"))
        }
    }

    @Test func unsupportedLinkTypeIsRefused() throws {
        var writer = PcapWriter(linkType: LinkType(rawValue: 147))
        writer.append([1, 2, 3], at: Timestamp(seconds: 1))
        do {
            _ = try CaptureAudit.run(path: try temporaryFile(writer.bytes), configuration: AuditConfiguration())
            Issue.record("an unsupported link type was read")
        } catch {
            #expect("\(error)".contains("link type 147"))
        }
    }
}
