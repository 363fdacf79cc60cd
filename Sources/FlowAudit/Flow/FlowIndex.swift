/// The flow table's index: FlowKey → a 32-bit handle, in one open-addressing array of 8-byte
/// entries (linear probing, at most half full, backward-shift deletion so there are no tombstones).
///
/// The keys themselves live in the records the handles name; an entry keeps the low 32 bits of its
/// key's hash, so a probe compares keys only on a hash match, and growing the table re-slots the
/// entries without touching a record. One lookup per packet costs one or two cache lines.
struct FlowIndex {
    /// 0 = empty; otherwise hash low 32 bits << 32 | (handle + 1).
    private var entries: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// The handle stored for `key`; `keyOf` returns the key of the record a handle names.
    @inline(__always)
    func find(_ key: FlowKey, hash: UInt64, keyOf: (UInt32) -> FlowKey) -> UInt32? {
        let tag = hash & 0xFFFF_FFFF
        var index = Int(truncatingIfNeeded: hash) & mask
        return entries.withUnsafeBufferPointer { table in
            while true {
                let entry = table[index]
                if entry == 0 { return nil }
                if entry >> 32 == tag {
                    let handle = UInt32(truncatingIfNeeded: entry) &- 1
                    if keyOf(handle) == key { return handle }
                }
                index = (index &+ 1) & mask
            }
        }
    }

    /// Adds `key` → `handle`; the key must not be present.
    mutating func insert(hash: UInt64, handle: UInt32) {
        if (count + 1) * 2 > entries.count { grow() }
        place(hash & 0xFFFF_FFFF, handle)
        count += 1
    }

    /// Replaces the handle stored for `key` (a record moved between pools).
    mutating func update(_ key: FlowKey, hash: UInt64, to handle: UInt32, keyOf: (UInt32) -> FlowKey) {
        guard let index = position(of: key, hash: hash, keyOf: keyOf) else { return }
        entries[index] = (hash & 0xFFFF_FFFF) << 32 | UInt64(handle &+ 1)
    }

    /// Removes `key`, shifting later entries of the same probe run back (no tombstones).
    mutating func remove(_ key: FlowKey, hash: UInt64, keyOf: (UInt32) -> FlowKey) {
        guard var hole = position(of: key, hash: hash, keyOf: keyOf) else { return }
        count -= 1
        var index = hole
        while true {
            index = (index + 1) & mask
            let entry = entries[index]
            if entry == 0 { break }
            let home = Int(truncatingIfNeeded: entry >> 32) & mask
            // Move the entry back if its home is not in (hole, index] cyclically.
            let distanceFromHome = (index - home) & mask
            let distanceFromHole = (index - hole) & mask
            if distanceFromHome >= distanceFromHole {
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

    private func position(of key: FlowKey, hash: UInt64, keyOf: (UInt32) -> FlowKey) -> Int? {
        let tag = hash & 0xFFFF_FFFF
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = entries[index]
            if entry == 0 { return nil }
            if entry >> 32 == tag, keyOf(UInt32(truncatingIfNeeded: entry) &- 1) == key { return index }
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
