import FlowAudit
import FlowAuditOptions
import FlowAuditPcap
import FlowAuditRegression
import Foundation
import Testing

/// What the real-capture generator needs: root, network namespaces, nftables, tcpdump, python3.
enum RealLab {
    static let unavailableReason: String? = {
        guard geteuid() == 0 else {
            return "regenerating real captures needs root (network namespaces, nftables, tcpdump)"
        }
        for tool in ["ip", "nft", "tcpdump", "python3"] where run("/bin/sh", ["-c", "command -v \(tool)"]) != 0 {
            return "regenerating real captures needs \(tool)"
        }
        let probe = "tfa-probe-\(getpid())"
        guard run("/bin/sh", ["-c", "ip netns add \(probe) && ip netns del \(probe)"]) == 0 else {
            return "network namespaces are not available here"
        }
        return nil
    }()

    /// Runs a command to completion; its standard error goes to `log` when given.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], log: String? = nil) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        if let log, FileManager.default.createFile(atPath: log, contents: nil),
            let handle = FileHandle(forWritingAtPath: log)
        {
            process.standardError = handle
        } else {
            process.standardError = FileHandle.nullDevice
        }
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Regenerates every real capture with `Captures/make-real.sh` on this machine's kernel and checks
/// that each still gets the findings its committed expected file names, and its generations the
/// same Zeek `conn_state`s. Ports, ISNs and frame numbers differ from run to run, so findings are
/// compared by kind, severity and the roles' addresses, and generations by `conn_state` alone (a
/// history letter can come and go with timing: a window update, a delayed ACK). A scenario that differs is regenerated once more before it counts as a failure
/// (the generator's timing windows are wide but not infinite).
@Suite("Real captures regenerated on this kernel")
struct RealCaptureRegenerationTests {
    @Test(
        .enabled(if: RealLab.unavailableReason == nil, Comment(rawValue: RealLab.unavailableReason ?? "")),
        .timeLimit(.minutes(10))
    )
    func regeneratedCapturesKeepTheirVerdicts() throws {
        let output = NSTemporaryDirectory() + "tcpflow-audit-real-\(UUID().uuidString)"
        let script = CorpusLocation.captures.appendingPathComponent("make-real.sh").path
        let log = output + ".log"
        let status = RealLab.run("/bin/bash", [script, output], log: log)
        #expect(status == 0, "make-real.sh failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let committed = CorpusLocation.captures.appendingPathComponent("real").path
        let regenerated = Corpus.captures(under: [output])
        #expect(regenerated.count == Corpus.captures(under: [committed]).count)
        for capture in regenerated {
            let name = ((capture as NSString).lastPathComponent as NSString).deletingPathExtension
            let text = try String(contentsOfFile: "\(committed)/\(name).expected", encoding: .utf8)
            let expectation = try ExpectationFile(parsing: text)
            var shapes = try shapesFound(in: capture, options: expectation.options)
            let expected = (expectation.findings.map(\.shape) + expectation.connections.map(\.shape)).sorted()
            if shapes != expected {
                RealLab.run("/bin/bash", [script, output, name])
                shapes = try shapesFound(in: capture, options: expectation.options)
            }
            #expect(shapes == expected, "\(name): regenerated capture differs")
        }
    }

    func shapesFound(in capture: String, options: [String]) throws -> [String] {
        let configuration = try AnalysisOptions.configuration(parsing: options)
        let result = try CaptureAudit.run(path: capture, configuration: configuration, reportAll: true)
        return (result.expectedFindings.map(\.shape) + result.expectedConnections.map(\.shape)).sorted()
    }
}
