import FlowAudit
import FlowAuditPcap
import Foundation
import Testing

/// The whole-capture view (issue 13, first part) on a real capture of 300 short connections the
/// server closed first, one every 10 ms: all 300 are in TIME-WAIT at once (the capture lasts far
/// less than 2MSL), the service table has them, and the grouped text report fits on one screen.
@Suite("Whole-capture view")
struct WholeCaptureViewTests {
    static let capture = CorpusLocation.captures.appendingPathComponent("real/time-wait-population.pcap").path

    @Test func timeWaitPeakIsEveryConnectionClosedWithin2MSL() throws {
        let result = try CaptureAudit.run(path: Self.capture, configuration: AuditConfiguration())
        let host = try #require(result.summary.timeWait.first { $0.servicePort == nil })
        #expect(host.hostRole == "server" && host.total == 300 && host.peak == 300)
        #expect(host.partial, "every TIME-WAIT outlives the 3-second capture")
        #expect(host.series.map(\.1).last == 300 && host.series.map(\.1) == host.series.map(\.1).sorted())
        let byService = try #require(result.summary.timeWait.first { $0.servicePort != nil })
        #expect(
            byService.servicePort == 8080 && byService.peer == nil && byService.peak == 300
                && byService.portShare == nil
        )
        let service = try #require(result.summary.services.first)
        #expect(service.server.port == 8080 && service.connections == 300)
        #expect(service.closedFirst == ["server": 300])
        #expect(service.findings == [.timeWaitOnServer: 300])
        #expect(service.finalStates == ["CLOSED / TIME-WAIT": 300])
    }

    @Test func shorterThan2MSLWhenTheSettingSaysSo() throws {
        // With a 1-second 2MSL, TIME-WAITs expire during the capture: about 100 at once (one
        // connection every 10 ms), and none outlives it but the last second's.
        var configuration = AuditConfiguration()
        configuration.timeWait = 1_000_000_000
        let result = try CaptureAudit.run(path: Self.capture, configuration: configuration)
        let host = try #require(result.summary.timeWait.first { $0.servicePort == nil })
        #expect(host.total == 300 && (80...110).contains(host.peak), "\(host.peak)")
    }

    @Test func groupedTextFitsOnOneScreenAndVerboseKeepsEveryFinding() throws {
        let grouped = try CommandLineTests.run(["--fail-on", "never", Self.capture])
        #expect(grouped.stdout.split(separator: "\n").count <= 40, "\(grouped.stdout)")
        #expect(grouped.stdout.contains("time-wait-on-server × 300 on 10.77.0.2:8080"))
        #expect(grouped.stdout.contains("and 296 more"))
        #expect(grouped.stdout.contains("TIME-WAIT (most at once"))
        let verbose = try CommandLineTests.run(["--fail-on", "never", "--verbose", Self.capture])
        #expect(verbose.stdout.components(separatedBy: "INFO    time-wait-on-server").count == 301)
    }

    @Test func jsonRecordsForHostsAndServices() throws {
        let json = try CommandLineTests.run(["--format", "json", "--fail-on", "never", Self.capture])
        let objects = try json.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let host = try #require(objects.first { $0["type"] as? String == "time-wait" && $0["service_port"] == nil })
        #expect(host["host"] as? String == "10.77.0.2" && host["peak"] as? Int == 300 && host["total"] as? Int == 300)
        #expect((host["series"] as? [[Any]])?.isEmpty == false && host["peak_time"] is String)
        let service = try #require(objects.first { $0["type"] as? String == "service" })
        #expect(service["connections"] as? Int == 300)
        #expect((service["closed_first"] as? [String: Int]) == ["server": 300])
        #expect((service["handshake_seconds"] as? [String: Double])?["p50"] != nil)
    }

    /// `--format conn`: one Zeek conn.log line per connection, all `SF` (both sides sent a FIN),
    /// each with as many columns as the `#fields` header names; JSON flow records agree.
    @Test func connectionLogSaysSFForEveryConnection() throws {
        let log = try CommandLineTests.run(["--format", "conn", "--fail-on", "never", Self.capture])
        let lines = log.stdout.split(separator: "\n").map(String.init)
        let fields = try #require(lines.first { $0.hasPrefix("#fields\t") }).split(separator: "\t").dropFirst()
        let rows = lines.filter { !$0.hasPrefix("#") }.map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        #expect(rows.count == 300)
        #expect(rows.allSatisfy { $0.count == fields.count })
        let state = try #require(fields.firstIndex(of: "conn_state")) - 1
        let history = try #require(fields.firstIndex(of: "history")) - 1
        #expect(rows.allSatisfy { $0[state] == "SF" })
        // The server closes first: its FIN (lower case, the responder's) comes before the client's.
        #expect(rows.allSatisfy { $0[history].hasPrefix("ShAD") && $0[history].contains("fF") }, "\(rows.first ?? [])")
        #expect(log.status == 0 && log.stderr.isEmpty)

        let json = try CommandLineTests.run(["--format", "json", "--all-flows", "--fail-on", "never", Self.capture])
        let flows = try json.stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["type"] as? String == "flow" }
        #expect(flows.count == 300 && flows.allSatisfy { $0["conn_state"] as? String == "SF" })
    }
}
