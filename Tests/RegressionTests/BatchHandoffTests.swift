import FlowAuditPcap
import Testing

@Suite("Batch hand-off between threads")
struct BatchHandoffTests {
    /// Sends `count` numbers from a background thread and returns what the consumer saw.
    private func relay(_ count: Int, batchSize: Int, depth: Int) -> [Int] {
        let handoff = BatchHandoff<Int>(batchSize: batchSize, depth: depth)
        let thread = BackgroundThread {
            for value in 0..<count { handoff.append(value) }
            handoff.finish()
        }
        #expect(thread != nil)
        var received: [Int] = []
        handoff.consume { received.append($0) }
        thread?.join()
        return received
    }

    @Test func everyValueArrivesOnceInOrder() {
        for (count, batchSize, depth) in [(0, 4, 2), (1, 4, 2), (4, 4, 2), (5, 4, 2), (100_003, 64, 3), (10_000, 1, 2)]
        {
            #expect(
                relay(count, batchSize: batchSize, depth: depth) == Array(0..<count),
                "\(count) values, batches of \(batchSize)"
            )
        }
    }

    @Test func valuesWithReferencesAreHandedOverIntact() {
        let handoff = BatchHandoff<[String]>(batchSize: 8, depth: 2)
        let thread = BackgroundThread {
            for value in 0..<1000 { handoff.append([String(value), "x"]) }
            handoff.finish()
        }
        var joined: [String] = []
        handoff.consume { joined.append($0.joined()) }
        thread?.join()
        #expect(joined == (0..<1000).map { "\($0)x" })
    }

    @Test func peekSeesTheValuesAheadInTheSameBatch() {
        let handoff = BatchHandoff<Int>(batchSize: 10, depth: 2)
        let thread = BackgroundThread {
            for value in 0..<25 { handoff.append(value) }
            handoff.finish()
        }
        var received: [Int] = [], near: [Int] = [], far: [Int] = []
        handoff.consume(
            peekDistance: 2,
            peek: { value, isNear in
                if isNear { near.append(value) } else { far.append(value) }
            }
        ) { received.append($0) }
        thread?.join()
        #expect(received == Array(0..<25))
        // Batches 0–9, 10–19, 20–24: within each, near peeks start 2 in, far peeks 4 in.
        #expect(near == Array(2...9) + Array(12...19) + Array(22...24))
        #expect(far == Array(4...9) + Array(14...19) + [24])
    }
}
