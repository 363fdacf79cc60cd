import FlowAuditRegression
import Testing

@testable import FlowAudit

@Suite("Value types")
struct ValueTypeTests {
    @Test func sequenceNumbersCompareAcrossWraparound() {
        let nearTop = SequenceNumber(0xFFFF_FFF0)
        let wrapped = nearTop + 0x20
        #expect(wrapped.rawValue == 0x10)
        #expect(nearTop < wrapped)
        #expect(!(wrapped < nearTop))
        #expect(wrapped.distance(from: nearTop) == 0x20)
        #expect(SequenceNumber(5).isWithin(nearTop, length: 0x20))
        #expect(!SequenceNumber(0x10).isWithin(nearTop, length: 0x20))
    }

    @Test func addressesPrintCanonically() {
        #expect(IPAddress("10.0.0.1")!.description == "10.0.0.1")
        #expect(IPAddress("2001:db8:0:0:1:0:0:1")!.description == "2001:db8::1:0:0:1")
        #expect(IPAddress("fe80::1")!.description == "fe80::1")
        #expect(IPAddress("::")!.description == "::")
        #expect(Endpoint(address: IPAddress("::1")!, port: 80).description == "[::1]:80")
        #expect(IPAddress("10.0.0.256") == nil)
        #expect(IPAddress("1::2::3") == nil)
    }

    @Test func flowKeyIsTheSameBothWays() {
        let a = Endpoint(address: IPAddress("10.0.0.1")!, port: 40000)
        let b = Endpoint(address: IPAddress("10.0.0.2")!, port: 80)
        let forward = TCPSegment(
            source: a,
            destination: b,
            sequence: SequenceNumber(1),
            acknowledgment: nil,
            flags: .syn
        )
        let backward = TCPSegment(
            source: b,
            destination: a,
            sequence: SequenceNumber(1),
            acknowledgment: nil,
            flags: .syn
        )
        #expect(FlowKey.of(forward).key == FlowKey.of(backward).key)
        #expect(FlowKey.of(forward).sender != FlowKey.of(backward).sender)
    }

    @Test func timestampsPrintInUTC() {
        #expect(Timestamp(seconds: 0).description == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp(nanoseconds: 1_763_780_552_123_456_789).description == "2025-11-22T03:02:32.123456Z")
    }
}

@Suite("Expected-finding shapes")
struct ExpectedFindingShapeTests {
    @Test func simultaneousOpenShapeIgnoresWhichEndWasCalledClient() {
        let one = ExpectedFinding(
            line: "simultaneous-open info flow=1 generation=1 client=10.0.0.2:42000 server=10.0.0.1:41000 frames=1,2"
        )
        let other = ExpectedFinding(
            line: "simultaneous-open info flow=1 generation=1 client=10.0.0.1:41000 server=10.0.0.2:42000 frames=1,2"
        )
        #expect(one?.shape == other?.shape)
        let lost = ExpectedFinding(
            line: "lost-final-ack warning flow=1 generation=1 client=10.0.0.1:4 server=10.0.0.2:80 frames=8"
        )
        #expect(lost?.shape == "lost-final-ack warning client=10.0.0.1 server=10.0.0.2")
    }
}
