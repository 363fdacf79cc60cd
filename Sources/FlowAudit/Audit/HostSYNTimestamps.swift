/// The newest SYN TSval seen from each client host towards each server host (the per-host view
/// of PAWS, RFC 7323 §5.8 and Appendix B): a first SYN whose TSval is older was built from an
/// older clock state than one already seen, the input of `timestamp-regression`.
///
/// An entry is forgotten 2MSL after it was last refreshed, so the table stays bounded. A busy
/// capture has a pair per client host, a million within 2MSL, so an entry is 16 bytes: a 64-bit
/// fingerprint of the address pair as the key (a collision, odds about 10⁻⁸ at that size, could
/// at worst misjudge one SYN's timestamp), and the TSval with the time it was seen, in
/// milliseconds modulo 2³², packed into one word. Expired entries are swept out every quarter of
/// 2MSL instead of queueing an expiry per entry. The table is open-addressed by the fingerprint
/// itself (already a good hash): a `Dictionary` hashed it again through SipHash on every SYN.
struct HostSYNTimestamps {
    /// Fingerprint and entry side by side per slot; a zero fingerprint marks an empty slot.
    private var slots = [UInt64](repeating: 0, count: 2 * 64)
    private var count = 0
    private let lifetime: Int64
    private(set) var nextSweep = Timestamp(nanoseconds: .min)

    init(lifetime: Int64) { self.lifetime = lifetime }

    private static func milliseconds(_ time: Timestamp) -> UInt32 { UInt32(truncatingIfNeeded: time.nanoseconds / 1_000_000) }

    private func isCurrent(_ entry: UInt64, at now: Timestamp) -> Bool {
        let age = Self.milliseconds(now) &- UInt32(truncatingIfNeeded: entry >> 32)
        return Int64(age) * 1_000_000 < lifetime
    }

    /// Records `value` seen at `now` from `client` to `server` and returns the newer TSval already
    /// known for that pair if `value` is older than it (modular comparison, RFC 7323 §5.2).
    mutating func note(_ value: UInt32, client: IPAddress, server: IPAddress, at now: Timestamp) -> UInt32? {
        let pair = Self.fingerprint(client: client, server: server)
        let slot = find(pair)
        if slots[slot] == pair {
            let entry = slots[slot + 1]
            if isCurrent(entry, at: now) {
                let newest = UInt32(truncatingIfNeeded: entry)
                if Int32(bitPattern: value &- newest) < 0 { return newest }
            }
        } else {
            slots[slot] = pair
            count += 1
        }
        slots[slot + 1] = UInt64(Self.milliseconds(now)) << 32 | UInt64(value)
        if count * 10 > slots.count / 2 * 7 { grow() }  // over 70 % full
        return nil
    }

    /// Forgets entries older than the lifetime, at most every quarter lifetime.
    mutating func sweep(at now: Timestamp) {
        guard now >= nextSweep else { return }
        nextSweep = now + lifetime / 4
        var index = 0
        while index < slots.count / 2 {
            if slots[2 * index] != 0, !isCurrent(slots[2 * index + 1], at: now) {
                remove(at: index)  // a later entry may have moved here: look again
            } else {
                index += 1
            }
        }
    }

    /// Empties slot `index` and moves later entries of its run back, so every entry stays
    /// reachable from its home slot (deletion for linear probing, without tombstones). Entries
    /// only move into the emptied slot or past it, so a sweep in slot order still sees each one.
    private mutating func remove(at index: Int) {
        let mask = slots.count / 2 - 1
        var hole = index
        var next = (index + 1) & mask
        while slots[2 * next] != 0 {
            let home = Int(truncatingIfNeeded: slots[2 * next]) & mask
            if (next - home) & mask >= (next - hole) & mask {
                slots[2 * hole] = slots[2 * next]
                slots[2 * hole + 1] = slots[2 * next + 1]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[2 * hole] = 0
        slots[2 * hole + 1] = 0
        count -= 1
    }

    /// The slot (index of its fingerprint) holding `pair`, or the empty one where it belongs.
    private func find(_ pair: UInt64) -> Int {
        let mask = slots.count / 2 - 1
        var index = Int(truncatingIfNeeded: pair) & mask
        while slots[2 * index] != 0 && slots[2 * index] != pair { index = (index + 1) & mask }
        return 2 * index
    }

    /// Moves the entries into a table twice the size.
    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: 2 * old.count)
        for index in stride(from: 0, to: old.count, by: 2) where old[index] != 0 {
            let slot = find(old[index])
            slots[slot] = old[index]
            slots[slot + 1] = old[index + 1]
        }
    }

    private static func fingerprint(client: IPAddress, server: IPAddress) -> UInt64 {
        var h = client.low &* 0x9E37_79B9_7F4A_7C15 ^ client.high &* 0xC2B2_AE3D_27D4_EB4F
        h = (h ^ h >> 31) &* 0xBF58_476D_1CE4_E5B9
        h ^= server.low &* 0x94D0_49BB_1331_11EB ^ server.high &* 0x1656_67B1_9E37_79F9 ^ (client.isIPv6 ? 1 : 0)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h == 0 ? 1 : h  // zero marks an empty slot
    }
}
