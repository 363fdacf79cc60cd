import CPrefetch

/// A slot of a `ProbingTable`: empty, or an entry that knows the hash bits choosing its home slot.
protocol ProbedSlot {
    static var empty: Self { get }
    var isEmpty: Bool { get }
    /// The hash bits (at least as many as the table has slots) that choose the entry's home slot.
    var home: UInt64 { get }
}

/// The open-addressing table under the flow index and the per-host SYN timestamps: one array of
/// slots, linear probing from the home slot the hash picks, at most 70 % full, and backward-shift
/// deletion (Knuth's Algorithm R), so there are no tombstones and a probe ends at the first empty
/// slot. What a slot holds and how entries are compared is the user's.
struct ProbingTable<Slot: ProbedSlot> {
    private var slots: [Slot]
    private var mask: Int
    /// Entries held.
    private(set) var count = 0

    init(minimumCapacity: Int = 16) {
        var size = 16
        while size * 7 < minimumCapacity * 10 { size <<= 1 }
        slots = [Slot](repeating: .empty, count: size)
        mask = size - 1
    }

    /// Slots in the table (a power of two); every index is below this.
    var capacity: Int { slots.count }

    subscript(index: Int) -> Slot {
        @inline(__always) get { slots[index] }
        @inline(__always) set { slots[index] = newValue }
    }

    /// The index of the first slot, from `hash`'s home on, that `found` accepts, or of the empty
    /// slot that ends the probe run (check `isEmpty`): where the entry sought is, or would go.
    @inline(__always)
    func probe(_ hash: UInt64, until found: (Slot) -> Bool) -> Int {
        var index = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { table in
            while true {
                let slot = table[index]
                if slot.isEmpty || found(slot) { return index }
                index = (index &+ 1) & mask
            }
        }
    }

    /// Calls `body` with the slots and the index mask, for a probe loop of the caller's own (the
    /// flow index's lookup: through `probe`'s closure the optimizer retained the slot array on
    /// every packet).
    @inline(__always)
    func withSlots<Result>(_ body: (UnsafeBufferPointer<Slot>, Int) -> Result) -> Result {
        slots.withUnsafeBufferPointer { body($0, mask) }
    }

    /// Starts loading the slot where a probe for `hash` begins.
    @inline(__always)
    func prefetch(_ hash: UInt64) {
        slots.withUnsafeBufferPointer { cprefetch_read($0.baseAddress! + (Int(truncatingIfNeeded: hash) & mask)) }
    }

    /// Adds `slot` (not already present), growing the table first if it would be over 70 % full.
    mutating func insert(_ slot: Slot) {
        if (count + 1) * 10 > slots.count * 7 { grow() }
        place(slot)
        count += 1
    }

    /// Stores `slot` in the empty slot at `index` (found by `probe`), growing afterwards if the
    /// table is now over 70 % full.
    mutating func insert(_ slot: Slot, at index: Int) {
        slots[index] = slot
        count += 1
        if count * 10 > slots.count * 7 { grow() }
    }

    /// Empties the slot at `index` and moves later entries of its probe run back, so every entry
    /// stays reachable from its home. Entries only move into the emptied slot or past it, so a
    /// walk in index order that looks at `index` again after a removal still sees each one.
    mutating func remove(at index: Int) {
        var hole = index
        var next = (index + 1) & mask
        while !slots[next].isEmpty {
            let home = Int(truncatingIfNeeded: slots[next].home) & mask
            // Move the entry back unless its home lies cyclically in (hole, next].
            if (next - home) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = .empty
        count -= 1
    }

    /// Removes every entry and shrinks back to the smallest size.
    mutating func removeAll() {
        slots = [Slot](repeating: .empty, count: 16)
        mask = 15
        count = 0
    }

    private mutating func place(_ slot: Slot) {
        var index = Int(truncatingIfNeeded: slot.home) & mask
        while !slots[index].isEmpty { index = (index + 1) & mask }
        slots[index] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: .empty, count: old.count * 2)
        mask = slots.count - 1
        for slot in old where !slot.isEmpty { place(slot) }
    }
}

/// The keyed hash of the flow tables: up to five 64-bit words, each multiplied by its own odd
/// constant and folded by xor with a per-process random seed, then MurmurHash3's 64-bit
/// finaliser. A few cycles where SipHash takes a hundred, and a crafted capture cannot aim its
/// keys at one bucket without knowing the seed. Each use has its own constants, so its hashes
/// are independent of the others' (two keys must collide in both of a flow's hashes to be
/// confused, see `FlowKey.fingerprint`). The constants are computed properties, so they inline
/// as immediates on the per-packet path.
enum SeededHash {
    typealias Multipliers = (UInt64, UInt64, UInt64, UInt64, UInt64)

    /// Where the flow index puts a flow key.
    static var flowIndex: Multipliers {
        (
            0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63,
            0x27D4_EB2F_1656_67C5
        )
    }
    /// A flow key's second hash, what a closed flow keeps instead of its key.
    static var flowFingerprint: Multipliers {
        (
            0xD6E8_FEB8_6659_FD93, 0xA076_1D64_78BD_642F, 0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3,
            0x5899_65CC_7537_4CC3
        )
    }
    /// A (client address, server address) pair of the per-host SYN timestamps.
    static var hostPair: Multipliers {
        (
            0x94D0_49BB_1331_11EB, 0xBF58_476D_1CE4_E5B9, 0x1656_67B1_9E37_79F9, 0xC2B2_AE3D_27D4_EB4F,
            0xFF51_AFD7_ED55_8CCD
        )
    }

    /// The per-process seed.
    private static let seed = UInt64.random(in: .min ... .max) | 1

    @inline(__always)
    static func hash(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64, _ w4: UInt64, _ m: Multipliers) -> UInt64 {
        var h = w0 &* m.0 ^ w1 &* m.1 ^ (w2 ^ seed) &* m.2 ^ w3 &* m.3 ^ w4 &* m.4
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
