import FlowAudit
import FlowAuditOptions
import FlowAuditPcap
import FlowAuditRegression
import FlowAuditTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for the hardening defects: absurd capture times, a clock that jumps, write
/// errors, a libpcap handle closed twice, unvalidated durations, and a signal during a file.
@Suite("Hardening")
struct HardeningTests {
    /// A short clean connection's frames (client closes first), starting at `start`.
    static func connectionFrames(port: Int, start: Timestamp) -> [(frame: [UInt8], time: Timestamp)] {
        var script = ConnectionScript(client: "192.0.2.10:\(port)", server: "198.51.100.20:80", start: start)
        script.handshake()
        script.data(.client, 100)
        script.close(first: .client)
        return script.segments.map { (FrameBuilder.frame($0.segment, link: .ethernet()), $0.time) }
    }

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hardening-\(getpid())-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let start = Timestamp(seconds: 1_763_000_000)

    // MARK: Defect 1: extreme timestamps

    @Test(arguments: [Int64.min, Int64.min + 1, -1, 0, Int64.max])
    func extremeTimesRender(_ nanoseconds: Int64) {
        let text = Timestamp(nanoseconds: nanoseconds).description
        #expect(text.hasSuffix("Z"))
    }

    @Test func arithmeticOnTimesSaturates() {
        let late = Timestamp(nanoseconds: .max), early = Timestamp(nanoseconds: .min)
        #expect(late.since(early) == .max)
        #expect(early.since(late) == .min)
        #expect((late + 5).nanoseconds == .max)
        #expect((early + -5).nanoseconds == .min)
        #expect(Timestamp(captureSeconds: 9_223_372_036_854, fraction: 0, unitsPerSecond: 1_000_000_000) == nil)
        #expect(Timestamp(captureSeconds: 1, fraction: 5, unitsPerSecond: 1_000_000)?.nanoseconds == 1_000_005_000)
    }

    /// A pcapng frame stamped near 2^63 in micro- and nanosecond units: the run goes on, and the
    /// frame is reported with its number.
    @Test(arguments: [false, true])
    func pcapngTimestampNearTwoToTheSixtyThree(nanosecond: Bool) throws {
        var writer = PcapNGWriter()
        let interface = writer.addInterface(linkType: .ethernet, nanosecond: nanosecond)
        let frames = Self.connectionFrames(port: 40_000, start: Self.start)
        for (index, entry) in frames.enumerated() {
            let units = UInt64(nanosecond ? entry.time.nanoseconds : entry.time.nanoseconds / 1000)
            writer.append(entry.frame, units: index == 3 ? (1 << 63) - 2 : units, interface: interface)
        }
        let path = try Self.write(writer.bytes, name: "ts63-\(nanosecond).pcapng")
        let result = try CaptureAudit.run(path: path, configuration: AuditConfiguration(), reportAll: true)
        #expect(result.summary.frames == UInt64(frames.count))
        #expect(result.summary.diagnostics.contains { $0.frame == 4 })
        #expect(result.summary.lastTime.map { $0 < Self.start + 60_000_000_000 } == true)
    }

    /// SYN, SYN-ACK and ACK whose times lie ~2^31 s apart (classic pcap seconds 1901 and 2038):
    /// the vantage and abandonment arithmetic must not trap.
    @Test func handshakeAcrossTheWholeSigned32BitRange() {
        var script = ConnectionScript(client: "192.0.2.10:40000", server: "198.51.100.20:80", start: Self.start)
        script.handshake()
        let times = [
            Timestamp(seconds: -2_147_483_648), Timestamp(seconds: 2_147_483_647), Timestamp(nanoseconds: .max),
        ]
        let segments = script.segments.enumerated().map { ($0.element.segment, times[min($0.offset, 2)]) }
        // Each gap is longer than the idle timeout, so the flow is judged and seen again midstream;
        // what matters is that the arithmetic on such gaps does not trap.
        let reports = audit(segments)
        #expect(reports.count == 3)
        let syns =
            (0..<3).map { _ in (script.segments[0].segment, Timestamp(nanoseconds: .min)) }
            + [(script.segments[0].segment, Timestamp(nanoseconds: .max))]
        #expect(!audit(syns).isEmpty)
    }

    // MARK: Defect 2: a future-dated frame, a clock that steps back

    /// Many short connections over ten minutes of capture time, one frame of them stamped 2038.
    static func manyConnections(outlierAt outlier: Int?, stepBackAt step: Int? = nil) throws -> String {
        var writer = PcapWriter(linkType: .ethernet)
        var count = 0
        for index in 0..<600 {
            var base = Self.start + Int64(index) * 1_000_000_000
            if let step, index >= step { base = base + -86_400_000_000_000 }
            for entry in Self.connectionFrames(port: 20_000 + index, start: base) {
                count += 1
                if count == outlier {
                    writer.append(entry.frame, seconds: 0x7FFF_FFF0, fraction: 0)
                } else {
                    writer.append(entry.frame, at: entry.time)
                }
            }
        }
        return try Self.write(writer.bytes, name: "many-\(outlier ?? 0)-\(step ?? 0).pcap")
    }

    @Test func oneFutureDatedFrameDoesNotFreezeTheClock() throws {
        let clean = try CaptureAudit.run(
            path: Self.manyConnections(outlierAt: nil),
            configuration: AuditConfiguration()
        )
        let dated = try CaptureAudit.run(path: Self.manyConnections(outlierAt: 20), configuration: AuditConfiguration())
        #expect(dated.summary.timestampOutliers == 1)
        #expect(dated.summary.diagnostics.first?.frame == 20)
        #expect(dated.summary.lastTime == clean.summary.lastTime)
        // Summaries are still freed after 2MSL: the peak is the same as without the bad frame.
        #expect(dated.summary.peakClosedConnections == clean.summary.peakClosedConnections)
        #expect(clean.summary.peakClosedConnections < 100)
        #expect(dated.expectedFindings.map(\.description) == clean.expectedFindings.map(\.description))
    }

    @Test func aClockSteppedBackRestartsTheAnalysis() throws {
        let stepped = try CaptureAudit.run(
            path: Self.manyConnections(outlierAt: nil, stepBackAt: 300),
            configuration: AuditConfiguration()
        )
        #expect(stepped.summary.clockStepsBack == 1)
        #expect(stepped.summary.peakClosedConnections < 100)
        #expect(stepped.summary.generations == 600)
    }

    @Test func captureClockJudgesHeldFrames() {
        var clock = CaptureClock()
        let hour: Int64 = 3_600_000_000_000
        func next(_ nanoseconds: Int64?) -> (CaptureClock.Placement?, CaptureClock.Placement?) {
            clock.next(nanoseconds.map { Timestamp(nanoseconds: $0) })
        }
        func at(_ nanoseconds: Int64, _ note: ClockNote = .inOrder) -> CaptureClock.Placement {
            CaptureClock.Placement(time: Timestamp(nanoseconds: nanoseconds), note: note)
        }
        #expect(next(0) == (nil, at(0)))
        #expect(next(1) == (nil, at(1)))
        #expect(next(100 * hour) == (nil, nil))  // held
        #expect(next(2) == (at(1, .outlier(original: Timestamp(nanoseconds: 100 * hour))), at(2)))
        #expect(next(nil) == (nil, at(2)))  // no usable time: the clock's, nothing settled
        #expect(next(3 - 20 * hour) == (nil, nil))  // held
        #expect(
            next(4 - 20 * hour) == (at(3 - 20 * hour, .stepped(from: Timestamp(nanoseconds: 2))), at(4 - 20 * hour))
        )
        #expect(next(500 * hour) == (nil, nil))
        #expect(clock.finish() == at(4 - 20 * hour, .outlier(original: Timestamp(nanoseconds: 500 * hour))))
    }

    // MARK: Defects 3–6: the command line

    @Test func writeErrorsExitFourWithAMessage() throws {
        let path = CommandLineTests.lostFinalACK
        for redirect in ["> /dev/full", ">&-"] {
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "'\(CommandLineTests.binary)' --format json '\(path)' \(redirect)"]
            let err = Pipe()
            shell.standardError = err
            try shell.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 4, "\(redirect)")
            #expect(
                message.components(separatedBy: "cannot write to standard output").count == 2,
                "\(redirect): \(message)"
            )
        }
    }

    /// `-w` onto a full disk: the capture goes on, the failure is reported once, exit status 4.
    @Test(.enabled(if: geteuid() == 0, "live capture needs root"))
    func liveWriteToAFullDiskExitsFour() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = ["-i", "lo", "-c", "10", "-w", "/dev/full", "-f", "tcp port 9"]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        Thread.sleep(forTimeInterval: 1)
        for _ in 0..<10 where process.isRunning {
            // Connection attempts to the discard port, refused with RST: two packets each.
            let knock = Process()
            knock.executableURL = URL(fileURLWithPath: "/bin/bash")
            knock.arguments = ["-c", "timeout 1 bash -c 'echo > /dev/tcp/127.0.0.1/9' 2>/dev/null; true"]
            try knock.run()
            knock.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 4)
        #expect(message.components(separatedBy: "cannot write to /dev/full").count == 2, "\(message)")
    }

    @Test func liveWriteToAMissingFolderFailsCleanly() throws {
        let outcome = try CommandLineTests.run(["-i", "lo", "-c", "1", "-w", "/nonexistent/x.pcap"])
        #expect(outcome.status == 2)
        #expect(!outcome.stderr.contains("double free"))
    }

    @Test(arguments: ["inf", "1e10", "nan", "-1", "0"])
    func absurdDurationsAreRefused(_ value: String) throws {
        let live = try CommandLineTests.run(["-i", "lo", "--duration", value])
        #expect(live.status == 2)
        #expect(live.stderr.contains("--duration"))
        let wait = try CommandLineTests.run(["--time-wait", value, CommandLineTests.lostFinalACK])
        #expect(wait.status == 2)
    }

    @Test func expectationFileDurationsAreValidated() {
        // Expected files' options go through the command line's parser and its validation.
        #expect(throws: AuditConfiguration.OptionError.self) {
            _ = try AnalysisOptions.configuration(parsing: ["--time-wait", "1e300"])
        }
        #expect(throws: AuditConfiguration.OptionError.self) {
            _ = try AnalysisOptions.configuration(parsing: ["--time-wait", "inf"])
        }
        #expect(throws: AuditConfiguration.OptionError.self) {
            _ = try AnalysisOptions.configuration(parsing: ["--no-such-option", "2"])
        }
        let parsed = try? AnalysisOptions.configuration(parsing: ["--time-wait", "2"])
        #expect(parsed?.timeWait == 2_000_000_000)
    }

    /// SIGINT while a file is read from standard input: what was read is judged, the summary says
    /// it was interrupted, and the exit status is 130.
    @Test func interruptedFileAnalysisWritesItsSummary() throws {
        var writer = PcapWriter(linkType: .ethernet)
        for index in 0..<50 {
            for entry in Self.connectionFrames(port: 30_000 + index, start: Self.start + Int64(index) * 1_000_000) {
                writer.append(entry.frame, at: entry.time)
            }
        }
        let bytes = writer.bytes, half = 24 + (bytes.count - 24) / 2
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = ["--format", "json", "-"]
        let input = Pipe(), out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(bytes[..<half]))
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.2)
        input.fileHandleForWriting.write(Data(bytes[half...]))
        try input.fileHandleForWriting.close()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let summary = try #require(output.split(separator: "\n").last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "summary")
        #expect(object["interrupted_by"] as? String == "SIGINT")
        #expect((object["frames"] as? Int).map { $0 < 50 * 8 } == true)
    }
}

/// Defect 7: a flood of one-packet flows is held to `--max-connections` by shedding.
@Suite("Connection cap")
struct ConnectionCapTests {
    @Test func oneSYNFloodIsShedUnderTheCap() {
        var configuration = AuditConfiguration()
        configuration.maxConnections = 1_000
        var judged: [GenerationReport] = []
        let auditor = FlowAuditor(configuration: configuration, reportAll: true) { judged.append($0) }
        let start = Timestamp(seconds: 1_763_000_000)
        for index in 0..<5_000 {
            let segment = TCPSegment(
                source: ConnectionScript.endpoint("203.0.113.\(index % 250 + 1):\(10_000 + index)"),
                destination: ConnectionScript.endpoint("198.51.100.20:80"),
                sequence: SequenceNumber(UInt32(index) &* 7_919),
                acknowledgment: nil,
                flags: .syn
            )
            auditor.process(segment, frame: UInt64(index + 1), time: start + Int64(index) * 100_000)
        }
        auditor.finish()
        let summary = auditor.summary
        #expect(summary.shedConnections == 4_000)
        #expect(summary.peakOpenConnections <= 1_000)
        #expect(summary.generations == 5_000)  // shed generations are judged, not dropped
        // One report per shed generation, and the flood's own (attached to a shed flow).
        #expect(judged.filter { $0.reason == .shed && !$0.findings.contains { $0.kind == .synFlood } }.count == 4_000)
        #expect(summary.findingsByKind[.synFlood] == 1)
    }

    @Test func aCapBelowAThousandIsRefused() throws {
        let outcome = try CommandLineTests.run(["--max-connections", "10", CommandLineTests.lostFinalACK])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--max-connections"))
    }
}
