@testable import FlowAudit
import Testing

@Suite("Per-host SYN timestamps")
struct HostSYNTimestampsTests {
    let client = IPAddress("10.0.0.1")!, server = IPAddress("10.0.0.2")!
    let start = Timestamp(seconds: 1_763_000_000)

    @Test func olderTSvalFromTheSameHostIsReportedWithinTheLifetime() {
        var table = HostSYNTimestamps(lifetime: 60_000_000_000)
        #expect(table.note(5_000, client: client, server: server, at: start) == nil)
        #expect(table.note(4_000, client: client, server: server, at: start + 30_000_000_000) == 5_000)
        // Another server is another pair.
        #expect(table.note(4_000, client: client, server: IPAddress("10.0.0.3")!, at: start + 30_000_000_000) == nil)
    }

    @Test func entriesAreForgottenAfterTheLifetimeAndSwept() {
        var table = HostSYNTimestamps(lifetime: 60_000_000_000)
        #expect(table.note(5_000, client: client, server: server, at: start) == nil)
        table.sweep(at: start + 61_000_000_000)
        #expect(table.note(4_000, client: client, server: server, at: start + 61_000_000_000) == nil)
    }
}
