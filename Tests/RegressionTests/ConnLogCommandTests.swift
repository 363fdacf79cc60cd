import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

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

    /// Live, on loopback: a connect() to a closed port is written as a `REJ` line (`Sr`) while
    /// the capture runs, under the log's header.
    @Test(.enabled(if: geteuid() == 0, "live capture needs root"), .timeLimit(.minutes(5)))
    func liveCaptureWritesTheLog() throws {
        // A port bound but not listening: nothing else can take it meanwhile, and a connect() to
        // it is refused.
        let (reserved, port) = try #require(Self.reservedPort())
        defer { close(reserved) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = ["-i", "lo", "-f", "tcp port \(port)", "--format", "conn", "--duration", "4"]
        // A file, not a pipe: the output is read once the capture has ended, whatever else runs.
        let log = NSTemporaryDirectory() + "tcpflow-audit-live-conn-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        for _ in 0..<3 {
            Self.connectRefused(port: port)
            Thread.sleep(forTimeInterval: 0.2)
        }
        process.waitUntilExit()
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(output.hasPrefix("#separator \\x09"))
        let rows = Self.rows(output)
        #expect(
            !rows.isEmpty && rows.allSatisfy { $0[5] == String(port) && $0[10] == "REJ" && $0[11] == "Sr" },
            "\(output)"
        )
    }

    /// A TCP socket bound to a free loopback port, not listening, and that port.
    static func reservedPort() -> (Int32, UInt16)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// One connect() to 127.0.0.1:`port`, where nothing listens (refused at once).
    static func connectRefused(port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}
