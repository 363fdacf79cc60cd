import Testing

@testable import FlowAudit

@Suite("Flow index")
struct FlowIndexTests {
    /// Hashes chosen to collide in the low bits, so probe runs wrap and deletions shift entries back.
    private func hash(_ n: UInt32) -> UInt64 { UInt64(n) << 40 | UInt64(n % 7) }

    @Test func insertFindRemoveAcrossGrowthAndCollisions() {
        var index = FlowIndex(capacity: 4)
        var present = Set<UInt32>()
        for n in 0..<2_000 as Range<UInt32> {
            index.insert(hash: hash(n), handle: n)
            present.insert(n)
        }
        for n in stride(from: UInt32(0), to: 2_000, by: 3) {
            index.remove(hash: hash(n), handle: n)
            present.remove(n)
        }
        #expect(index.count == present.count)
        for n in 0..<2_000 as Range<UInt32> {
            let found = index.find(hash: hash(n)) { $0 == n }
            #expect(found == (present.contains(n) ? n : nil))
        }
    }

    @Test func replaceKeepsTheEntryFindable() {
        var index = FlowIndex()
        let closed: UInt32 = 1 << 31 | 3
        index.insert(hash: 42, handle: 7)
        index.replace(hash: 42, handle: 7, with: closed)
        let found: UInt32? = index.find(hash: 42) { $0 == closed }
        #expect(found == closed)
        #expect(index.find(hash: 42) { $0 == 7 } == nil)
    }

    @Test func packedKeysGiveBackTheirEndpoints() {
        let a = Endpoint(address: IPAddress("10.0.0.1")!, port: 40000)
        let b = Endpoint(address: IPAddress("10.0.0.2")!, port: 80)
        let key = FlowKey(lower: a, upper: b, vlan: 0)
        #expect(key.lower == a && key.upper == b && key.vlan == 0)
        #expect(key.hash64 != key.fingerprint)
        let v6 = FlowKey(
            lower: Endpoint(address: IPAddress("fd00::1")!, port: 1),
            upper: Endpoint(address: IPAddress("fd00::2")!, port: 2),
            vlan: 5
        )
        #expect(v6.lower.description == "[fd00::1]:1" && v6.vlan == 5)
    }
}
