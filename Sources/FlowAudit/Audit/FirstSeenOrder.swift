import DequeModule

/// Releases generation reports in first-seen flow order while flows are still being judged: a
/// flow's reports wait until that flow and every flow first seen before it have been retired
/// (judged and freed, 2MSL included), then go out together, generation by generation, with any
/// late findings folded in. So output is deterministic and in order, and memory holds only the
/// reports of flows overtaken by an older one still alive.
///
/// An early flow that never closes (an unanswered SYN waits for the idle timeout) would hold
/// everything back: past `limit` waiting reports the oldest flows' reports go out anyway, and are
/// counted in `releasedEarly`; later findings of those flows then follow as reports of their own.
struct FirstSeenOrder {
    /// Per ordinal from `base`: is the flow alive, and its waiting reports.
    private var live = Deque<Bool>()
    private var waiting = Deque<[GenerationReport]>()
    private var base: UInt64 = 0
    private var waitingCount = 0
    let limit: Int
    private(set) var releasedEarly: UInt64 = 0

    init(limit: Int = 20_000) { self.limit = limit }

    /// A new flow got `ordinal` (ordinals are handed out in increasing order).
    mutating func opened(_ ordinal: UInt64) {
        guard ordinal >= base else { return }
        while base + UInt64(live.count) <= ordinal {
            live.append(false)
            waiting.append([])
        }
        live[Int(ordinal - base)] = true
    }

    mutating func add(_ report: GenerationReport, release: (GenerationReport) -> Void) {
        guard report.flowOrdinal >= base, report.flowOrdinal - base < UInt64(live.count) else {
            release(report)  // its turn has passed
            return
        }
        let index = Int(report.flowOrdinal - base)
        if let same = waiting[index].firstIndex(where: { $0.generation == report.generation }) {
            waiting[index][same].merge(report)
        } else {
            waiting[index].append(report)
            waitingCount += 1
        }
        while waitingCount > limit, !live.isEmpty {
            releasedEarly += UInt64(waiting[0].count)
            releaseFront(release)
        }
    }

    /// Flow `ordinal` is gone for good: release what can now go out in order.
    mutating func retired(_ ordinal: UInt64, release: (GenerationReport) -> Void) {
        guard ordinal >= base, ordinal - base < UInt64(live.count) else { return }
        live[Int(ordinal - base)] = false
        while let first = live.first, !first { releaseFront(release) }
    }

    /// Releases everything still waiting, in order (end of capture).
    mutating func releaseAll(_ release: (GenerationReport) -> Void) {
        while !live.isEmpty { releaseFront(release) }
    }

    private mutating func releaseFront(_ release: (GenerationReport) -> Void) {
        let reports = waiting.removeFirst()
        live.removeFirst()
        base += 1
        waitingCount -= reports.count
        for report in reports { release(report) }
    }
}
