/// The newest SYN TSval seen from each client host towards each server host (the per-host view
/// of PAWS, RFC 7323 §5.8 and Appendix B): a first SYN whose TSval is older was built from an
/// older clock state than one already seen, the input of `timestamp-regression`.
///
/// An entry is forgotten 2MSL after it was last refreshed, so the table stays bounded. A busy
/// capture has a pair per client host, a million within 2MSL, so an entry is 16 bytes: a 64-bit
/// fingerprint of the address pair as the key (a collision, odds about 10⁻⁸ at that size, could
/// at worst misjudge one SYN's timestamp), and the TSval with the time it was seen, in
/// milliseconds modulo 2³², packed into one word. Expired entries are swept out every quarter of
/// 2MSL instead of queueing an expiry per entry.
struct HostSYNTimestamps {
    private var entries: [UInt64: UInt64] = [:]
    private let lifetime: Int64
    private var nextSweep = Timestamp(nanoseconds: .min)

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
        if let entry = entries[pair], isCurrent(entry, at: now) {
            let newest = UInt32(truncatingIfNeeded: entry)
            if Int32(bitPattern: value &- newest) < 0 { return newest }
        }
        entries[pair] = UInt64(Self.milliseconds(now)) << 32 | UInt64(value)
        return nil
    }

    /// Forgets entries older than the lifetime, at most every quarter lifetime.
    mutating func sweep(at now: Timestamp) {
        guard now >= nextSweep else { return }
        nextSweep = now + lifetime / 4
        let expired = entries.compactMap { isCurrent($0.value, at: now) ? nil : $0.key }
        for key in expired { entries[key] = nil }
    }

    private static func fingerprint(client: IPAddress, server: IPAddress) -> UInt64 {
        var h = client.low &* 0x9E37_79B9_7F4A_7C15 ^ client.high &* 0xC2B2_AE3D_27D4_EB4F
        h = (h ^ h >> 31) &* 0xBF58_476D_1CE4_E5B9
        h ^= server.low &* 0x94D0_49BB_1331_11EB ^ server.high &* 0x1656_67B1_9E37_79F9 ^ (client.isIPv6 ? 1 : 0)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
