import Foundation
import Testing

/// `--format conn` on the command line: Zeek's header and unset fields, one header per input,
/// the exit status still following the findings.
@Suite("Connection log on the command line")
struct ConnLogCommandTests {
    static func capture(_ name: String) -> String {
        CorpusLocation.captures.appendingPathComponent("real/\(name).pcap").path
    }

    static func rows(_ output: String) -> [[String]] {
        output.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test func zeeksHeaderAndAnUnansweredSYN() throws {
        let run = try CommandLineTests.run(["--format", "conn", Self.capture("syn-unanswered")])
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first == "#separator \\x09")
        #expect(lines.contains("#path\tconn") && lines.contains("#unset_field\t-"))
        let rows = Self.rows(run.stdout)
        #expect(rows.count == 1)
        // ts uid orig_h orig_p resp_h resp_p proto duration orig_bytes resp_bytes conn_state history …
        #expect(rows[0][1] == "1.1" && rows[0][6] == "tcp" && rows[0][10] == "S0" && rows[0][11] == "S")
        #expect(rows[0][14] == "SYN-SENT" && rows[0][16] == "syn-unanswered")
        // An error finding: the exit status is the audit's, whatever the format.
        #expect(run.status == 1)
    }

    @Test func aConnectionOfNoDurationLeavesDurationAndBytesUnset() throws {
        let rows = Self.rows(
            try CommandLineTests.run(["--format", "conn", "--fail-on", "never", Self.capture("connection-refused")])
                .stdout
        )
        #expect(rows.count == 1 && rows[0][10] == "REJ")
        // The SYN and the RST came 29 µs apart: the duration is set; both sent no payload.
        #expect(rows[0][7] == "0.000029" && rows[0][8] == "0" && rows[0][9] == "0")
        let single = Self.rows(
            try CommandLineTests.run(["--format", "conn", "--fail-on", "never", Self.capture("fin-null-xmas-probes")])
                .stdout
        )
        #expect(single.contains { $0[7] == "-" && $0[8] == "-" && $0[9] == "-" }, "a one-packet probe has no duration")
    }

    @Test func oneHeaderPerInput() throws {
        let run = try CommandLineTests.run([
            "--format", "conn", "--fail-on", "never", Self.capture("lost-final-ack"), Self.capture("linger-abort"),
        ])
        #expect(run.stdout.components(separatedBy: "#fields\t").count == 3)
        #expect(Self.rows(run.stdout).map { $0[10] } == ["SF", "RSTO"])
        #expect(!run.stdout.contains("Summary"), "no text summary in a conn.log")
    }
}
