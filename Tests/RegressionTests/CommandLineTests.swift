import FlowAudit
import FlowAuditPcap
import FlowAuditTestSupport
import Foundation
import Testing

/// Runs the built `tcpflow-audit` binary as a user would: exit codes, JSON Lines, stdin, colour.
@Suite("tcpflow-audit command line")
struct CommandLineTests {
    static let binary = CorpusLocation.builtExecutable("tcpflow-audit")
    static let lostFinalACK = CorpusLocation.captures.appendingPathComponent("real/lost-final-ack.pcap").path
    static let refused = CorpusLocation.captures.appendingPathComponent("real/connection-refused.pcap").path

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    @Test func warningsExitZeroByDefaultAndOneWithFailOnWarning() throws {
        #expect(try Self.run([Self.lostFinalACK]).status == 0)
        #expect(try Self.run(["--fail-on", "warning", Self.lostFinalACK]).status == 1)
        #expect(try Self.run([Self.refused]).status == 1)
        #expect(try Self.run(["--fail-on", "never", Self.refused]).status == 0)
        #expect(try Self.run(["--only", "lost-final-ack", Self.refused]).status == 0)
    }

    @Test func jsonLinesAreValidAndTyped() throws {
        let outcome = try Self.run(["--format", "json", Self.lostFinalACK])
        let objects = try outcome.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        // The whole-capture records (per host and per service) come just before the summary.
        #expect(
            objects.map { $0["type"] as? String } == [
                "flow", "finding", "time-wait", "time-wait", "service", "summary",
            ]
        )
        let finding = objects[1]
        #expect(finding["kind"] as? String == "lost-final-ack")
        #expect(finding["frames"] as? [Int] == [8, 9, 10, 11, 12])
        #expect(finding["client_state"] as? String == "TIME-WAIT")
        #expect(finding["server_state"] as? String == "LAST-ACK")
        #expect((finding["server"] as? String)?.hasSuffix(":8080") == true)
    }

    @Test func standardInputIsReadForDash() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.lostFinalACK))
        let outcome = try Self.run(["--format", "json", "--only", "lost-final-ack", "-"], stdin: data)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("\"kind\":\"lost-final-ack\""))
    }

    @Test func unreadableInputExitsTwoNamingTheFile() throws {
        let outcome = try Self.run(["/nonexistent/capture.pcap"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("/nonexistent/capture.pcap: cannot read capture"))
        #expect(try Self.run(["--min-severity", "loud", Self.lostFinalACK]).status == 2)
        #expect(try Self.run([]).status == 2)
    }

    @Test func damagedInputExitsThreeAfterAnalysingWhatCameBefore() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.lostFinalACK))
        let path = NSTemporaryDirectory() + "tcpflow-audit-cut-\(UUID().uuidString).pcap"
        try whole.dropLast(20).write(to: URL(fileURLWithPath: path))
        let outcome = try Self.run([path])
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("frame 12: truncated dump file"))
        #expect(outcome.stdout.contains("damaged: frame 12"))
        #expect(outcome.stdout.contains("lost-final-ack"))
    }

    @Test func noColourOnAPipe() throws {
        let outcome = try Self.run([Self.lostFinalACK])
        #expect(!outcome.stdout.contains("\u{1B}["))
    }

    @Test func regressPassesFailsAndUpdates() throws {
        let folder = NSTemporaryDirectory() + "tcpflow-audit-corpus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.lostFinalACK, toPath: folder + "/incident.pcap")
        let missing = try Self.run(["regress", folder])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("FAIL  \(folder)/incident.pcap"))
        #expect(missing.stdout.contains("0 passed, 1 failed"))

        let updated = try Self.run(["regress", "--update", folder])
        #expect(updated.status == 0)
        #expect(updated.stdout.contains("UPDATED"))
        #expect(try Self.run(["regress", folder]).stdout.contains("1 passed, 0 failed"))

        let expected = folder + "/incident.expected"
        let text = try String(contentsOfFile: expected, encoding: .utf8)
        try text.replacingOccurrences(of: "lost-final-ack warning", with: "lost-final-ack error").write(
            toFile: expected,
            atomically: true,
            encoding: .utf8
        )
        let changed = try Self.run(["regress", folder])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("  - lost-final-ack error"))
        #expect(changed.stdout.contains("  + lost-final-ack warning"))
    }

    // Issue 12, small defects.

    @Test func failOnNamesNeverAmongItsChoices() throws {
        let outcome = try Self.run(["--fail-on", "sometimes", Self.lostFinalACK])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("info, warning, error, never"))
    }

    @Test func aPacketCountOfZeroIsRefused() throws {
        let outcome = try Self.run(["-i", "lo", "-c", "0"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("-c must be at least 1"))
    }

    @Test func regressFindsCapAndUpperCaseExtensions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("regress-ext-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = CorpusLocation.captures.appendingPathComponent("real/lost-final-ack")
        for name in ["one.cap", "two.PCAP"] {
            let target = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: source.appendingPathExtension("pcap"), to: target)
            try FileManager.default.copyItem(
                at: source.appendingPathExtension("expected"),
                to: target.deletingPathExtension().appendingPathExtension("expected")
            )
        }
        let outcome = try Self.run(["regress", folder.path])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("2 passed, 0 failed"), "\(outcome.stdout)")
    }

    @Test func messagesNameTheFileOnceAndSayWhatFailed() throws {
        let missing = try Self.run(["/nonexistent.pcap"])
        #expect(missing.stderr.components(separatedBy: "/nonexistent.pcap").count == 2, "\(missing.stderr)")
        let regress = try Self.run(["regress", "/nonexistent"])
        #expect(regress.status == 2)
        #expect(regress.stderr.contains("/nonexistent: no such file or directory"))
        let negative = try Self.run(["--time-wait", "-5", Self.lostFinalACK])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--time-wait must be a number of seconds above 0"), "\(negative.stderr)")
    }

    @Test func exitStatusFollowsWhatIsShown() throws {
        // lost-final-ack is a warning: hidden by --min-severity error, it must not fail the run.
        #expect(try Self.run(["--min-severity", "error", "--fail-on", "warning", Self.lostFinalACK]).status == 0)
        #expect(try Self.run(["--min-severity", "warning", "--fail-on", "warning", Self.lostFinalACK]).status == 1)
    }

    @Test func qinqTagsPrintOuterThenInner() throws {
        let capture = CorpusLocation.captures.appendingPathComponent("crafted/format-ethernet-qinq.pcap").path
        let text = try Self.run(["--all-flows", capture])
        #expect(text.stdout.contains(" vlan 10.200 "), "\(text.stdout)")
        let json = try Self.run(["--all-flows", "--format", "json", capture])
        #expect(json.stdout.contains("\"vlan\":[10,200]"), "\(json.stdout)")
    }

    @Test func jsonRecordsAvoidJqKeywordsAndCoverUnreadableInputs() throws {
        let outcome = try Self.run(["--all-flows", "--format", "json", Self.lostFinalACK, "/nonexistent.pcap"])
        let objects = try outcome.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let flow = try #require(objects.first { $0["type"] as? String == "flow" })
        #expect(flow["ended"] as? String == "end-of-capture" && flow["end"] == nil)
        #expect(flow["finding_count"] as? Int == 1 && flow["findings"] == nil)
        #expect(objects.first { $0["type"] as? String == "summary" }?["schema_version"] as? Int == 3)
        // The unreadable record comes where the input did, before the total of the two inputs.
        #expect(objects.last?["type"] as? String == "total")
        let unreadable = try #require(objects.first { $0["type"] as? String == "unreadable" })
        #expect(unreadable["file"] as? String == "/nonexistent.pcap")
        #expect((unreadable["error"] as? String)?.contains("No such file") == true)
    }

    /// The summary counts what was reported and says how many were hidden, in text and JSON alike.
    @Test func summaryCountsWhatWasReported() throws {
        let text = try Self.run(["--only", "lost-final-ack", Self.refused])
        #expect(text.stdout.contains("findings: none (1 more hidden by --only / --min-severity)"), "\(text.stdout)")
        let json = try Self.run(["--format", "json", "--min-severity", "error", Self.lostFinalACK])
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.split(separator: "\n").last!.utf8))
                as? [String: Any]
        )
        #expect((summary["findings"] as? [String: Any])?.isEmpty == true)
        #expect(summary["hidden_findings"] as? Int == 1)
    }

    /// A finding decided after its generation was judged (issue 12, defect 1) gets the
    /// generation's header: its packets, bytes and vantage, as `--all-flows` shows them.
    @Test func lateFindingsCarryTheirGenerationsHeader() throws {
        let capture = CorpusLocation.captures.appendingPathComponent("crafted/stale-segment-in-time-wait.pcap").path
        let all = try Self.run(["--all-flows", "--format", "json", capture])
        let late = try Self.run(["--format", "json", capture])
        func flowRecords(_ output: String) throws -> [[String: Any]] {
            try output.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }.filter { $0["type"] as? String == "flow" }
        }
        let judged = try #require(try flowRecords(all.stdout).first)
        let header = try #require(try flowRecords(late.stdout).first)
        #expect(header["late"] as? Bool == true && header["client_state_seconds"] == nil)
        #expect((header["packets"] as? Int ?? 0) > 0)
        for field in ["packets", "payload_bytes", "vantage", "first_frame", "first_time"] {
            #expect("\(header[field] ?? "-")" == "\(judged[field] ?? "-")", "\(field)")
        }
        let text = try Self.run([capture])
        #expect(!text.stdout.contains(" 0 packets"), "\(text.stdout)")
        #expect(text.stdout.contains("this finding came later, within 2MSL"), "\(text.stdout)")
    }

    /// On loopback libpcap counts every packet twice; the summary says so (issue 12, defect 8).
    @Test(.enabled(if: getuid() == 0, "capturing on lo needs root"))
    func loopbackSummaryExplainsTheDoubledCount() throws {
        let outcome = try Self.run(["-i", "lo", "--duration", "0.3", "-f", "tcp port 9"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("each packet counted twice, as sent and as received"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("(link type EN10MB)"), "\(outcome.stdout)")
    }

    /// `--version`, the version in the JSON summary, and a top-level `--help` that shows the
    /// audit options (issue 12, feature 1).
    @Test func versionAndTopLevelHelp() throws {
        let version = try Self.run(["--version"])
        #expect(version.status == 0 && version.stdout == FlowAuditVersion.string + "\n", "\(version.stdout)")
        let help = try Self.run(["--help"])
        for option in ["--time-wait", "--only", "--fail-on", "-i <interface>", "regress"] {
            #expect(help.stdout.contains(option), "\(option)")
        }
        let json = try Self.run(["--format", "json", Self.lostFinalACK])
        #expect(json.stdout.contains("\"tool_version\":\"\(FlowAuditVersion.string)\""))
        #expect(try Self.run(["regress", "--help"]).stdout.contains("--update"))
    }

    /// `--color auto|always|never` and NO_COLOR (issue 12, feature 7): auto never colours a pipe;
    /// always does, NO_COLOR notwithstanding (an explicit choice wins); never never does.
    @Test func colorChoice() throws {
        let escape = "\u{1B}["
        #expect(!(try Self.run([Self.lostFinalACK]).stdout.contains(escape)))
        #expect(try Self.run(["--color", "always", Self.lostFinalACK]).stdout.contains(escape))
        #expect(
            try Self.run(["--color", "always", Self.lostFinalACK], environment: ["NO_COLOR": "1"]).stdout.contains(
                escape
            )
        )
        #expect(!(try Self.run(["--color", "never", Self.lostFinalACK]).stdout.contains(escape)))
        #expect(!(try Self.run(["--color", "always", "--format", "json", Self.lostFinalACK]).stdout.contains(escape)))
        #expect(try Self.run(["--color", "sometimes", Self.lostFinalACK]).status == 2)
    }

    /// A capture in which no frame is TCP says so on standard error (issue 12, feature 6).
    @Test func aCaptureWithoutTCPSaysSo() throws {
        var writer = PcapWriter(linkType: .ethernet)
        // Ethernet + IPv4 carrying UDP (protocol 17): decodable, not TCP.
        var frame: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00]
        frame += [0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        frame += [0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0]
        writer.append(frame, at: Timestamp(seconds: 1_763_000_000))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("udp-only-\(getpid()).pcap").path
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try Self.run([path])
        #expect(outcome.stderr.contains("none of its 1 frames could be decoded as TCP"), "\(outcome.stderr)")
    }

    /// gzip-compressed captures are read transparently, from a file or standard input; a cut or
    /// corrupt stream is damage, never silence (issue 12, feature 5).
    @Test func gzipCompressedCaptures() throws {
        let compressed = CorpusLocation.captures.appendingPathComponent("compressed/lost-final-ack.pcap.gz").path
        let plain = try Self.run(["--format", "json", Self.lostFinalACK])
        let inflated = try Self.run(["--format", "json", compressed])
        func findings(_ output: String) -> [Substring] {
            output.split(separator: "\n").filter { $0.contains("\"type\":\"finding\"") }
                .map { $0.replacingOccurrences(of: Self.lostFinalACK, with: "FILE") }
                .map { Substring($0.replacingOccurrences(of: compressed, with: "FILE")) }
        }
        #expect(inflated.status == 0 && findings(inflated.stdout) == findings(plain.stdout))
        let fromStandardInput = try Self.run(["-"], stdin: try Data(contentsOf: URL(fileURLWithPath: compressed)))
        #expect(fromStandardInput.stdout.contains("lost-final-ack"))
        let cut = try Data(contentsOf: URL(fileURLWithPath: compressed)).dropLast(6)
        let damaged = try Self.run(["-"], stdin: Data(cut))
        #expect(damaged.status == 3, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("Bad message"), "\(damaged.stderr)")
    }

    /// `--evidence DIR` writes, per finding, a pcap of its generation's packets with the original
    /// link type and timestamps (issue 12, feature 3).
    @Test func evidenceExport() throws {
        let capture = CorpusLocation.captures.appendingPathComponent("real/syn-reuse-last-ack.pcap").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try Self.run(["--evidence", directory, "--format", "json", capture])
        #expect(outcome.stderr.contains("2 evidence pcap(s) in \(directory)"), "\(outcome.stderr)")
        let flow = try #require(
            outcome.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first { $0["type"] as? String == "flow" }
        )
        let path = directory + "/syn-reuse-last-ack-flow1-gen2-rst-after-syn-reuse.pcap"
        let original = try PcapFileReader(path: capture)
        let reader = try PcapFileReader(path: path)
        #expect(reader.linkType == original.linkType)
        var times: [Timestamp] = []
        _ = reader.forEachFrame { times.append(try! #require($0.time)) }
        #expect(times.count == flow["packets"] as? Int, "the generation's packets, no more, no fewer")
        #expect(times.first?.description == flow["first_time"] as? String)
        // Standard input cannot be read a second time.
        let piped = try Self.run(
            ["--evidence", directory, "-"],
            stdin: try Data(contentsOf: URL(fileURLWithPath: capture))
        )
        #expect(piped.status == 4 && piped.stderr.contains("not standard input"), "\(piped.stderr)")
    }

    /// A directory argument stands for the captures under it; a summary across all inputs follows
    /// the per-file ones (issue 12, feature 4).
    @Test func directoriesAndTheSummaryAcrossInputs() throws {
        let compressed = CorpusLocation.captures.appendingPathComponent("compressed").path
        let text = try Self.run(["--fail-on", "never", compressed, Self.refused, "/nonexistent.pcap"])
        #expect(text.stdout.contains("Summary of \(compressed)/lost-final-ack.pcap.gz"), "\(text.stdout)")
        #expect(text.stdout.contains("Summary of all 2 inputs; 1 could not be read"), "\(text.stdout)")
        let json = try Self.run(["--format", "json", "--fail-on", "never", compressed, Self.refused])
        let total = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.split(separator: "\n").last!.utf8))
                as? [String: Any]
        )
        #expect(total["type"] as? String == "total" && total["inputs"] as? Int == 2)
        #expect((total["findings"] as? [String: Int]) == ["lost-final-ack": 1, "connection-refused": 1])
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(getpid())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let none = try Self.run([empty])
        #expect(none.status == 2 && none.stderr.contains("no capture files"), "\(none.stderr)")
    }

    /// `--merge` reads rotated files as one capture: the two halves of a real capture give the
    /// whole capture's findings, frames numbered as in the whole (mergecap's numbering), and each
    /// frame's own file named (issue 12, feature 4).
    @Test func mergedRotatedFilesAreTheWholeCapture() throws {
        let whole = CorpusLocation.captures.appendingPathComponent("real/syn-reuse-last-ack.pcap").path
        let rotated = CorpusLocation.captures.appendingPathComponent("rotated").path
        func findings(_ arguments: [String]) throws -> [[String: Any]] {
            try Self.run(["--format", "json", "--fail-on", "never"] + arguments).stdout.split(separator: "\n")
                .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .filter { $0["type"] as? String == "finding" }
        }
        let expected = try findings([whole])
        let merged = try findings(["--merge", rotated])
        #expect(merged.map { $0["kind"] as? String } == expected.map { $0["kind"] as? String })
        #expect(merged.map { "\($0["frames"] ?? "")" } == expected.map { "\($0["frames"] ?? "")" })
        let reuse = try #require(merged.first { $0["kind"] as? String == "rst-after-syn-reuse" })
        let origins = try #require(reuse["frame_origins"] as? [String: [Int]])
        #expect(origins[rotated + "/syn-reuse-last-ack-part1.pcap"] == [11])
        #expect(origins[rotated + "/syn-reuse-last-ack-part2.pcap"] == [1, 2, 3, 4])
        // Different link types cannot be merged; standard input cannot be merged.
        let sll = CorpusLocation.captures.appendingPathComponent("crafted/format-linux-sll.pcap").path
        let mixed = try Self.run(["--merge", whole, sll])
        #expect(mixed.status == 2 && mixed.stderr.contains("--merge needs one link type"), "\(mixed.stderr)")
        #expect(try Self.run(["--merge", whole, "-"]).status == 2)
    }

    /// A pcapng file whose interfaces have different link types is read to the end (issue 12,
    /// feature 6): libpcap stops at the second type, the pcapng block reader goes on. From
    /// standard input (which cannot be read again) the stop is reported as damage.
    @Test func pcapngWithTwoLinkTypesIsReadToTheEnd() throws {
        let capture = CorpusLocation.captures.appendingPathComponent("crafted/format-pcapng-two-link-types.pcapng").path
        let result = try CaptureAudit.run(path: capture, configuration: AuditConfiguration())
        #expect(result.source.damage == nil)
        #expect(result.summary.frames == 13 && result.summary.tcpPackets == 13)
        #expect(result.expectedFindings.map(\.frames) == [[8, 10, 11, 12, 13]])
        // Nanosecond (Ethernet) and microsecond (cooked) interfaces: the same clock.
        let single = try CaptureAudit.run(
            path: CorpusLocation.captures.appendingPathComponent("crafted/format-linux-sll.pcap").path,
            configuration: AuditConfiguration()
        )
        #expect(
            result.summary.firstTime == single.summary.firstTime && result.summary.lastTime == single.summary.lastTime
        )
        // A filter applies to frames of either link type; numbers stay the file's.
        let filtered = try CaptureAudit.run(path: capture, configuration: AuditConfiguration(), filter: "src port 80")
        #expect(filtered.summary.frames == 6)
        let piped = try Self.run(["-"], stdin: try Data(contentsOf: URL(fileURLWithPath: capture)))
        #expect(piped.status == 3 && piped.stderr.contains("different from the type of the first interface"))
    }
}
