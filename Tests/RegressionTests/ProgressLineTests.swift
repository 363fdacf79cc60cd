import FlowAuditTestSupport
import Foundation
import Testing

/// The progress line and the reports share a terminal (issue 12, defect 6): a report is never
/// glued onto the progress line. Runs the binary under `script`, which gives it a pseudo-terminal
/// for both standard output and standard error, with the capture trickled in on standard input so
/// that reports come out while the progress line is shown.
@Suite("Progress line on a terminal")
struct ProgressLineTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func reportsNeverGlueOntoTheProgressLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let capture = directory.appendingPathComponent("workload.pcap").path
        let manifest = try #require(SyntheticWorkload(packets: 150_000, concurrency: 2_000).write(to: capture))
        #expect(!manifest.expectedFindings.isEmpty)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: capture)[.size] as? Int)
        // Most of the file at once, a pause, then the rest: reports are written while the
        // progress line (drawn every 65 536 frames) is on the screen (`--verbose`: every report
        // as it comes, not grouped at the end).
        let command =
            "(head -c \(size * 3 / 5) \(capture); sleep 0.7; tail -c +\(size * 3 / 5 + 1) \(capture)) | \(CommandLineTests.binary) --fail-on never --verbose -"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", command, "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TERM": "xterm", "NO_COLOR": "1"]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let screen = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(screen.suffix(500))")
        let progressEnds = screen.components(separatedBy: "frames/s").dropFirst()
        #expect(!progressEnds.isEmpty, "no progress line was drawn")
        #expect(screen.contains("  generation "), "no report was written")
        for after in progressEnds {
            // What follows a progress line is a redraw or a clear, never report text.
            #expect(after.hasPrefix("\r\u{1B}[K"), "glued: \(after.prefix(60).debugDescription)")
        }
    }
}
