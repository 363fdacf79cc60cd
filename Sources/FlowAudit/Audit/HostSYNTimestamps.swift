/// The newest SYN TSval seen from each client host towards each server host (the per-host view
/// of PAWS, RFC 7323 §5.8 and Appendix B): a first SYN whose TSval is older was built from an
/// older clock state than one already seen, the input of `timestamp-regression`.
///
/// Counter-evidence is kept too: once the server answered a SYN from the host whose TSval was
/// older than the newest, the server does not drop such SYNs by a per-host PAWS check, or the
/// host's TSvals do not share one clock (Linux randomises the offset per connection, ip-sysctl
/// `tcp_timestamps=1`), and later older SYNs from the pair are no longer flagged.
///
/// An entry is forgotten 2MSL after it was last refreshed, so the table stays bounded. A busy
/// capture has a pair per client host, a million within 2MSL, so an entry is 16 bytes: a 64-bit
/// fingerprint of the address pair as the key (a collision, odds about 10⁻⁸ at that size, could
/// at worst misjudge one SYN's timestamp), and the TSval with the time it was seen, in
/// milliseconds modulo 2³², packed into one word. Expired entries are swept out every quarter of
/// 2MSL instead of queueing an expiry per entry. The table is open-addressed by the fingerprint
/// itself (already a good hash): a `Dictionary` hashed it again through SipHash on every SYN.
struct HostSYNTimestamps {
    /// A pair's fingerprint (0 marks an empty slot) and its entry: the TSval in the low 32 bits,
    /// the millisecond it was seen (modulo 2³¹) in the next 31, and the top bit set once an
    /// older SYN of the pair was answered (`answeredOlder`).
    struct Slot: ProbedSlot {
        var pair: UInt64
        var entry: UInt64
        static var empty: Slot { Slot(pair: 0, entry: 0) }
        var isEmpty: Bool { pair == 0 }
        var home: UInt64 { pair }
    }

    private var slots = ProbingTable<Slot>(minimumCapacity: 44)
    private let lifetime: Int64
    private(set) var nextSweep = Timestamp(nanoseconds: .min)

    init(lifetime: Int64) { self.lifetime = lifetime }

    private static let answeredOlder: UInt64 = 1 << 63

    private static func milliseconds(_ time: Timestamp) -> UInt32 {
        UInt32(truncatingIfNeeded: time.nanoseconds / 1_000_000) & 0x7FFF_FFFF
    }

    private func isCurrent(_ entry: UInt64, at now: Timestamp) -> Bool {
        let age = (Self.milliseconds(now) &- UInt32(truncatingIfNeeded: entry >> 32)) & 0x7FFF_FFFF
        return Int64(age) * 1_000_000 < lifetime
    }

    /// Records `value` seen at `now` from `client` to `server` and returns the newer TSval already
    /// known for that pair if `value` is older than it (modular comparison, RFC 7323 §5.2).
    mutating func note(_ value: UInt32, client: IPAddress, server: IPAddress, at now: Timestamp) -> UInt32? {
        let pair = Self.fingerprint(client: client, server: server)
        let index = slots.probe(pair) { $0.pair == pair }
        let entry = UInt64(Self.milliseconds(now)) << 32 | UInt64(value)
        guard !slots[index].isEmpty else {
            slots.insert(Slot(pair: pair, entry: entry), at: index)
            return nil
        }
        let known = slots[index].entry
        guard isCurrent(known, at: now) else {
            slots[index].entry = entry
            return nil
        }
        let newest = UInt32(truncatingIfNeeded: known)
        if Int32(bitPattern: value &- newest) < 0 {
            return known & Self.answeredOlder != 0 ? nil : newest
        }
        slots[index].entry = entry | known & Self.answeredOlder
        return nil
    }

    /// The server answered a SYN from `client` whose TSval was older than the newest then known:
    /// from now on (while the pair is remembered) older SYNs are not flagged.
    mutating func noteAnsweredOlder(client: IPAddress, server: IPAddress) {
        let pair = Self.fingerprint(client: client, server: server)
        let index = slots.probe(pair) { $0.pair == pair }
        guard !slots[index].isEmpty else { return }
        slots[index].entry |= Self.answeredOlder
    }

    /// Forgets entries older than the lifetime, at most every quarter lifetime.
    mutating func sweep(at now: Timestamp) {
        guard now >= nextSweep else { return }
        nextSweep = now + lifetime / 4
        var index = 0
        while index < slots.capacity {
            if !slots[index].isEmpty, !isCurrent(slots[index].entry, at: now) {
                slots.remove(at: index)  // a later entry may have moved here: look again
            } else {
                index += 1
            }
        }
    }

    private static func fingerprint(client: IPAddress, server: IPAddress) -> UInt64 {
        let h = SeededHash.hash(
            client.low,
            client.high,
            server.low,
            server.high,
            client.isIPv6 ? 1 : 0,
            SeededHash.hostPair
        )
        return h == 0 ? 1 : h  // zero marks an empty slot
    }
}
