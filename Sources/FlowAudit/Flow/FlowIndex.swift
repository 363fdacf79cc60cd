import CPrefetch

/// The flow table's index: key hash → a 32-bit handle, in one open-addressing array of 8-byte
/// entries (linear probing, at most 70 % full, backward-shift deletion so there are no tombstones).
///
/// The keys themselves live with the records the handles name; an entry keeps the low 32 bits of
/// its key's hash, so a probe compares keys only on a hash match, and growing the table re-slots
/// the entries without touching a record. One lookup per packet costs one or two cache lines.
struct FlowIndex {
    /// 0 = empty; otherwise hash low 32 bits << 32 | (handle + 1).
    private var entries: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size * 7 < capacity * 10 { size <<= 1 }
        entries = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// The handle stored under `hash` whose record `matches` (compares its key with the one sought).
    @inline(__always)
    func find(hash: UInt64, matches: (UInt32) -> Bool) -> UInt32? {
        let tag = hash & 0xFFFF_FFFF
        var index = Int(truncatingIfNeeded: hash) & mask
        return entries.withUnsafeBufferPointer { table in
            while true {
                let entry = table[index]
                if entry == 0 { return nil }
                if entry >> 32 == tag {
                    let handle = UInt32(truncatingIfNeeded: entry) &- 1
                    if matches(handle) { return handle }
                }
                index = (index &+ 1) & mask
            }
        }
    }

    /// Starts loading the entry where a probe for `hash` begins.
    @inline(__always)
    func prefetch(hash: UInt64) {
        entries.withUnsafeBufferPointer { cprefetch_read($0.baseAddress! + (Int(truncatingIfNeeded: hash) & mask)) }
    }

    /// Adds `handle` under `hash` (its key must not be present).
    mutating func insert(hash: UInt64, handle: UInt32) {
        if (count + 1) * 10 > entries.count * 7 { grow() }
        place(hash & 0xFFFF_FFFF, handle)
        count += 1
    }

    /// Replaces `handle` (stored under `hash`) by `replacement`: a record moved between pools.
    mutating func replace(hash: UInt64, handle: UInt32, with replacement: UInt32) {
        guard let index = position(hash: hash, handle: handle) else { return }
        entries[index] = (hash & 0xFFFF_FFFF) << 32 | UInt64(replacement &+ 1)
    }

    /// Removes `handle` (stored under `hash`; only its low 32 bits are used), shifting later
    /// entries of the same probe run back.
    mutating func remove(hash: UInt64, handle: UInt32) {
        guard var hole = position(hash: hash, handle: handle) else { return }
        count -= 1
        var index = hole
        while true {
            index = (index + 1) & mask
            let entry = entries[index]
            if entry == 0 { break }
            let home = Int(truncatingIfNeeded: entry >> 32) & mask
            // Move the entry back unless its home lies cyclically in (hole, index].
            if (index - home) & mask >= (index - hole) & mask {
                entries[hole] = entry
                hole = index
            }
        }
        entries[hole] = 0
    }

    mutating func removeAll() {
        entries = [UInt64](repeating: 0, count: 16)
        mask = 15
        count = 0
    }

    private func position(hash: UInt64, handle: UInt32) -> Int? {
        let wanted = (hash & 0xFFFF_FFFF) << 32 | UInt64(handle &+ 1)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = entries[index]
            if entry == 0 { return nil }
            if entry == wanted { return index }
            index = (index + 1) & mask
        }
    }

    private mutating func place(_ tag: UInt64, _ handle: UInt32) {
        var index = Int(truncatingIfNeeded: tag) & mask
        while entries[index] != 0 { index = (index + 1) & mask }
        entries[index] = tag << 32 | UInt64(handle &+ 1)
    }

    private mutating func grow() {
        let old = entries
        entries = [UInt64](repeating: 0, count: old.count * 2)
        mask = entries.count - 1
        for entry in old where entry != 0 { place(entry >> 32, UInt32(truncatingIfNeeded: entry) &- 1) }
    }
}
