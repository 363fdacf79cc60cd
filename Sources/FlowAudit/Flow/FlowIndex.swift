/// The flow table's index: key hash → a 32-bit handle, in a `ProbingTable` of 8-byte entries.
///
/// The keys themselves live with the records the handles name; an entry keeps the low 32 bits of
/// its key's hash, so a probe compares keys only on a hash match, and growing the table re-slots
/// the entries without touching a record. One lookup per packet costs one or two cache lines.
struct FlowIndex {
    /// 0 = empty; otherwise hash low 32 bits << 32 | (handle + 1).
    struct Entry: ProbedSlot {
        var raw: UInt64
        static var empty: Entry { Entry(raw: 0) }
        var isEmpty: Bool { @inline(__always) get { raw == 0 } }
        var home: UInt64 { @inline(__always) get { raw >> 32 } }
        var tag: UInt64 { @inline(__always) get { raw >> 32 } }
        var handle: UInt32 { @inline(__always) get { UInt32(truncatingIfNeeded: raw) &- 1 } }

        init(raw: UInt64) { self.raw = raw }
        init(hash: UInt64, handle: UInt32) { raw = (hash & 0xFFFF_FFFF) << 32 | UInt64(handle &+ 1) }
    }

    private var table: ProbingTable<Entry>

    init(capacity: Int = 1 << 12) { table = ProbingTable(minimumCapacity: capacity) }

    var count: Int { table.count }

    /// A walk along the probe run of one hash, visiting the entries with its tag.
    struct Probe {
        fileprivate var position: Int
        fileprivate let tag: UInt64
    }

    /// Starts a walk for `hash`; `next` gives the candidates' handles.
    @inline(__always)
    func probe(_ hash: UInt64) -> Probe {
        Probe(position: Int(truncatingIfNeeded: hash) & (table.capacity - 1), tag: hash & 0xFFFF_FFFF)
    }

    /// The next handle on `probe`'s run whose entry has the hash's tag, or nil at the run's end.
    /// The caller compares keys between calls (no closure: through one, the optimizer retained
    /// the entry array on every lookup).
    @inline(__always)
    func next(_ probe: inout Probe) -> UInt32? {
        table.withSlots { slots, mask in
            while true {
                let entry = slots[probe.position]
                if entry.isEmpty { return nil }
                probe.position = (probe.position &+ 1) & mask
                if entry.tag == probe.tag { return entry.handle }
            }
        }
    }

    /// The handle stored under `hash` whose record `matches` (compares its key with the one sought).
    func find(hash: UInt64, matches: (UInt32) -> Bool) -> UInt32? {
        var walk = probe(hash)
        while let handle = next(&walk) {
            if matches(handle) { return handle }
        }
        return nil
    }

    /// Starts loading the entry where a probe for `hash` begins.
    @inline(__always)
    func prefetch(hash: UInt64) { table.prefetch(hash) }

    /// Adds `handle` under `hash` (its key must not be present).
    mutating func insert(hash: UInt64, handle: UInt32) { table.insert(Entry(hash: hash, handle: handle)) }

    /// Replaces `handle` (stored under `hash`) by `replacement`: a record moved between pools.
    mutating func replace(hash: UInt64, handle: UInt32, with replacement: UInt32) {
        guard let index = position(hash: hash, handle: handle) else { return }
        table[index] = Entry(hash: hash, handle: replacement)
    }

    /// Removes `handle` (stored under `hash`; only its low 32 bits are used).
    mutating func remove(hash: UInt64, handle: UInt32) {
        guard let index = position(hash: hash, handle: handle) else { return }
        table.remove(at: index)
    }

    mutating func removeAll() { table.removeAll() }

    private func position(hash: UInt64, handle: UInt32) -> Int? {
        let wanted = Entry(hash: hash, handle: handle).raw
        let index = table.probe(hash) { $0.raw == wanted }
        return table[index].isEmpty ? nil : index
    }
}
