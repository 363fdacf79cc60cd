import Testing

@testable import FlowAudit

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

@Suite("Per-host SYN timestamps, many hosts")
struct HostSYNTimestampsGrowthTests {
    @Test func everyPairIsKeptThroughGrowthAndForgottenBySweep() {
        var table = HostSYNTimestamps(lifetime: 60_000_000_000)
        let start = Timestamp(seconds: 1_763_000_000)
        let server = IPAddress(ipv4: 0xC0A8_0001)
        let clients = (0..<20_000).map { IPAddress(ipv4: 0x0A00_0000 + UInt32($0)) }
        for client in clients { #expect(table.note(1_000, client: client, server: server, at: start) == nil) }
        for client in clients {
            #expect(table.note(900, client: client, server: server, at: start + 1_000_000_000) == 1_000)
        }
        table.sweep(at: start + 30_000_000_000)  // all still current: kept
        #expect(table.note(800, client: clients[7], server: server, at: start + 30_000_000_000) == 1_000)
        table.sweep(at: start + 100_000_000_000)  // all past the lifetime: forgotten
        #expect(table.note(700, client: clients[9], server: server, at: start + 100_000_000_000) == nil)
    }

    @Test func aSweepForgetsOnlyExpiredPairsAndKeepsTheRestReachable() {
        var table = HostSYNTimestamps(lifetime: 60_000_000_000)
        let start = Timestamp(seconds: 1_763_000_000), later = start + 40_000_000_000
        let server = IPAddress(ipv4: 0xC0A8_0001)
        let old = (0..<15_000).map { IPAddress(ipv4: 0x0A00_0000 + UInt32($0)) }
        let recent = (0..<15_000).map { IPAddress(ipv4: 0x0B00_0000 + UInt32($0)) }
        for client in old { _ = table.note(1_000, client: client, server: server, at: start) }
        for client in recent { _ = table.note(2_000, client: client, server: server, at: later) }
        let sweepTime = start + 70_000_000_000
        table.sweep(at: sweepTime)
        for client in recent { #expect(table.note(1_500, client: client, server: server, at: sweepTime) == 2_000) }
        for client in old { #expect(table.note(500, client: client, server: server, at: sweepTime) == nil) }
    }
}
