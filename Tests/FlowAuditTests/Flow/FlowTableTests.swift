import FlowAuditTestSupport
import Testing

@testable import FlowAudit

@Suite("Flow table")
struct FlowTableTests {
    /// A generation of the connection `client` → `server` opened by its first SYN.
    private func generation(client: String, number: UInt32 = 1, isn: UInt32 = 1_000) -> (ConnectionGeneration, FlowKey)
    {
        var s = ConnectionScript(client: client, server: "10.0.0.1:80", clientISN: isn)
        s.handshake()
        let syn = s.segments[0]
        let (key, sender) = FlowKey.of(syn.segment)
        let seen = ObservedSegment(syn.segment, from: sender, frame: 1, time: syn.time)
        var g = ConnectionGeneration(key: key, number: number, first: seen, predecessor: nil)
        g.apply(seen, cutBySnaplen: false)
        return (g, key)
    }

    @Test func lookupTellsOpenClosedAndAbsent() {
        var table = FlowTable()
        let (g, key) = generation(client: "10.0.0.2:40000")
        guard case .absent = table.find(key, hash: key.hash64) else {
            Issue.record("empty table found a flow")
            return
        }
        let open = table.addNew(g, hash: key.hash64)
        guard case let .open(found) = table.find(key, hash: key.hash64) else {
            Issue.record("open flow not found")
            return
        }
        #expect(found == open)
        #expect(table[open].ordinal == 0)
        #expect(table.openCount == 1)

        let ticket = table.close(open, summary: GenerationSummary(g, endedAt: g.lastSeen))
        #expect(table.openCount == 0 && table.closedCount == 1)
        guard case let .closed(closed) = table.find(key, hash: key.hash64) else {
            Issue.record("closed flow not found")
            return
        }
        #expect(table[closed].ordinal == 0)
        #expect(table.endOfClosed(ticket) == g.lastSeen)

        #expect(table.remove(closed) == 0)
        #expect(table.resolve(ticket) == nil)  // the expiry entry goes stale with its flow
        guard case .absent = table.find(key, hash: key.hash64) else {
            Issue.record("removed flow still found")
            return
        }
    }

    @Test func aTicketGoesStaleWhenItsSlotIsReused() {
        var table = FlowTable()
        let (first, firstKey) = generation(client: "10.0.0.2:40000")
        let (second, secondKey) = generation(client: "10.0.0.3:40001")
        let open = table.addNew(first, hash: firstKey.hash64)
        let ticket = table.withFlow(open) { FlowTable.ticket(open, $0) }
        #expect(table.resolve(ticket) == open)
        _ = table.remove(open)
        #expect(table.resolve(ticket) == nil)
        let reused = table.addNew(second, hash: secondKey.hash64)  // takes the freed slot
        #expect(reused == open)
        #expect(table.resolve(ticket) == nil)  // another flow (ordinal 1) holds it now
        #expect(table[reused].ordinal == 1)
    }

    @Test func reopeningKeepsTheOrdinalAndTheKeyFindsTheNewGeneration() {
        var table = FlowTable()
        let (g, key) = generation(client: "10.0.0.2:40000")
        let (other, otherKey) = generation(client: "10.0.0.9:40009")
        _ = table.addNew(other, hash: otherKey.hash64)  // so the flow under test is ordinal 1
        let open = table.addNew(g, hash: key.hash64)
        _ = table.close(open, summary: GenerationSummary(g, endedAt: g.lastSeen))
        guard case let .closed(closed) = table.find(key, hash: key.hash64) else {
            Issue.record("closed flow not found")
            return
        }
        let next = table.reopen(
            closed,
            with: generation(client: "10.0.0.2:40000", number: 2, isn: 9_000).0,
            hash: key.hash64
        )
        guard case let .open(found) = table.find(key, hash: key.hash64) else {
            Issue.record("reopened flow not found")
            return
        }
        #expect(found == next)
        #expect(table[next].ordinal == 1)
        #expect(table[next].current.number == 2)
        #expect(table.closedCount == 0)
    }

    @Test func openFlowsComeInFirstSeenOrderAndShedChoosesByRank() {
        var table = FlowTable()
        for port in 0..<5 {
            let (g, key) = generation(client: "10.0.0.2:\(40_000 + port)")
            _ = table.addNew(g, hash: key.hash64)
        }
        let all = table.openFlows { _ in true }
        #expect(all.map { table[$0].ordinal } == [0, 1, 2, 3, 4])
        let victim = table.shedCandidate(search: 8) { $0.ordinal == 3 ? 0 : 1 }
        #expect(victim.map { table[$0].ordinal } == 3)
        let none = table.shedCandidate(search: 8) { _ in 2 }
        #expect(none == nil)
    }
}
