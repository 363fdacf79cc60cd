import ArgumentParser
import FlowAudit
import FlowAuditPcap
import FlowAuditRegression
import Foundation

/// `tcpflow-audit regress [DIR…]`: replays a corpus of captures and compares each one's findings
/// with the expected file beside it.
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Replay captures and compare their findings with the .expected file beside each.",
        usage: "tcpflow-audit regress [<dir> ...] [--update]",
        discussion: """
            Prints one line per capture (pass or FAIL) and, for each failure, the expected findings \
            that were not found (-) and the findings that were not expected (+). Exit 0 only when \
            every capture passes. The expected-file format is described in README.md.
            """
    )

    @Argument(help: ArgumentHelp("Folders (searched recursively) or capture files.", valueName: "dir"))
    var paths: [String] = ["Captures"]

    @Flag(help: "Rewrite the expected files of captures that differ (or have none) from what is found now.")
    var update = false

    func run() throws {
        let missing = paths.filter { !FileManager.default.fileExists(atPath: $0) }
        guard missing.isEmpty else {
            Terminal.error("tcpflow-audit regress: \(missing.joined(separator: ", ")): no such file or directory")
            throw ExitStatus.usageOrUnreadable
        }
        let captures = Corpus.captures(under: paths)
        guard !captures.isEmpty else {
            Terminal.error(
                "tcpflow-audit regress: no capture files (.pcap, .pcapng, .cap, .dmp, each also .gz) under \(paths.joined(separator: ", "))"
            )
            throw ExitStatus.usageOrUnreadable
        }
        var passed = 0, failed = 0, updated = 0
        for capture in captures {
            let outcome = Corpus.check(capture)
            let count = "\(outcome.actual.count) finding\(outcome.actual.count == 1 ? "" : "s")"
            let notes = [
                outcome.damage.map { "damaged: \($0)" },
                outcome.undecodableFrames > 0 ? "\(outcome.undecodableFrames) undecodable frames" : nil,
            ]
            .compactMap { $0 }.joined(separator: "; ")
            let suffix = notes.isEmpty ? "" : " — \(notes)"
            if outcome.passed {
                passed += 1
                Terminal.out("pass  \(capture) (\(count))\(suffix)")
                continue
            }
            if update, outcome.error == nil {
                try Corpus.update(outcome)
                updated += 1
                let what =
                    outcome.expectation == nil ? "a new baseline was written" : "the new baseline replaces the old"
                Terminal.out("UPDATED \(capture) (\(count)): \(what); review it before committing")
                let changes = outcome.expectation == nil ? outcome.actual.map { "  + \($0)" } : outcome.diff
                for line in changes { Terminal.out(line) }
                continue
            }
            failed += 1
            Terminal.out("FAIL  \(capture) (\(count))\(suffix)")
            for line in outcome.diff { Terminal.out(line) }
        }
        var closing = "\(passed) passed, \(failed) failed"
        if updated > 0 { closing += ", \(updated) updated" }
        Terminal.out(closing)
        if failed > 0 { throw ExitStatus.findings }
    }
}
