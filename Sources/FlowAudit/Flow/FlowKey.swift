/// A flow's identity: the 4-tuple in canonical order (lower endpoint first) plus the VLAN id, so
/// both directions of a connection hash to the same key (as gopacket's `Flow.FastHash` does).
///
/// Packed into five words (40 bytes): the flow tables hold a million of these, and a lookup
/// compares and hashes them once per packet.
public struct FlowKey: Hashable, Sendable {
    @usableFromInline var lowerHigh: UInt64
    @usableFromInline var lowerLow: UInt64
    @usableFromInline var upperHigh: UInt64
    @usableFromInline var upperLow: UInt64
    /// lower port << 48 | upper port << 32 | IPv6 flag << 31 | VLAN id (24 bits).
    @usableFromInline var portsAndVLAN: UInt64

    /// The key of `segment`'s flow, and which side of it sent the segment.
    @inlinable @inline(__always)
    public static func of(_ segment: TCPSegment) -> (key: FlowKey, sender: Side) {
        let source = segment.source, destination = segment.destination
        let sourceIsLower = (source.address, source.port) < (destination.address, destination.port)
        return sourceIsLower
            ? (FlowKey(lower: source, upper: destination, vlan: segment.vlan), .a)
            : (FlowKey(lower: destination, upper: source, vlan: segment.vlan), .b)
    }

    @inlinable @inline(__always)
    public init(lower: Endpoint, upper: Endpoint, vlan: UInt32) {
        lowerHigh = lower.address.high
        lowerLow = lower.address.low
        upperHigh = upper.address.high
        upperLow = upper.address.low
        portsAndVLAN =
            UInt64(lower.port) << 48 | UInt64(upper.port) << 32 | (lower.address.isIPv6 ? 1 << 31 : 0)
            | UInt64(vlan & 0xFF_FFFF)
    }

    public var lower: Endpoint { endpoint(.a) }
    public var upper: Endpoint { endpoint(.b) }
    /// 802.1Q VLAN id (QinQ: outer << 12 | inner), 0 when untagged.
    public var vlan: UInt32 { UInt32(truncatingIfNeeded: portsAndVLAN) & 0xFF_FFFF }

    /// The VLAN ids as tagged, outer first: one for 802.1Q, two for QinQ (`vlan` packs the outer
    /// id above the inner one's 12 bits), none when untagged.
    public var vlanTags: [UInt32] {
        let packed = vlan
        if packed == 0 { return [] }
        return packed > 0xFFF ? [packed >> 12, packed & 0xFFF] : [packed]
    }
    private var isIPv6: Bool { portsAndVLAN & 1 << 31 != 0 }

    public func endpoint(_ side: Side) -> Endpoint {
        let (high, low, port) =
            side == .a
            ? (lowerHigh, lowerLow, UInt16(truncatingIfNeeded: portsAndVLAN >> 48))
            : (upperHigh, upperLow, UInt16(truncatingIfNeeded: portsAndVLAN >> 32))
        return Endpoint(
            address: isIPv6 ? IPAddress(ipv6High: high, low: low) : IPAddress(ipv4: UInt32(truncatingIfNeeded: low)),
            port: port
        )
    }

    /// The key's hash in the flow index (`SeededHash`). The VLAN is left out, so that a segment
    /// tagged on one direction only finds its flow (`isSameFlow`): the 4-tuple picks the bucket.
    @inline(__always)
    var hash64: UInt64 {
        SeededHash.hash(lowerLow, upperLow, lowerHigh, upperHigh, portsAndVLAN & ~0xFF_FFFF, SeededHash.flowIndex)
    }

    /// A second hash, independent of `hash64` (other constants): a closed flow is remembered by
    /// the two (16 bytes instead of the 40-byte key); two keys would have to collide in both to
    /// be confused.
    @inline(__always)
    var fingerprint: UInt64 {
        SeededHash.hash(lowerLow, upperLow, lowerHigh, upperHigh, portsAndVLAN & ~0xFF_FFFF, SeededHash.flowFingerprint)
    }

    /// Whether a segment with key `other` belongs to this flow: the same 4-tuple, and the same
    /// VLAN, or no VLAN on one of the two. A VLAN tag present on one direction only (added by a
    /// switch on the way, or a SPAN of a trunk and an access port) so leaves one connection one
    /// flow; two tagged flows of one 4-tuple in different VLANs (overlapping address spaces) stay
    /// apart (docs/domain.md §2, §6).
    @inline(__always)
    public func isSameFlow(as other: FlowKey) -> Bool {
        guard lowerLow == other.lowerLow, upperLow == other.upperLow, lowerHigh == other.lowerHigh,
            upperHigh == other.upperHigh,
            portsAndVLAN & ~0xFF_FFFF == other.portsAndVLAN & ~0xFF_FFFF
        else { return false }
        let vlan = portsAndVLAN & 0xFF_FFFF, otherVLAN = other.portsAndVLAN & 0xFF_FFFF
        return vlan == otherVLAN || vlan == 0 || otherVLAN == 0
    }

    /// The key without its VLAN: keys that `isSameFlow` may match share it (for grouping).
    public var withoutVLAN: FlowKey {
        var key = self
        key.portsAndVLAN &= ~0xFF_FFFF
        return key
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(hash64) }
}

/// What a flow lookup needs from a segment: its flow's key, the side that sent it, and the key's
/// hash. A capture file's reading thread computes it while decoding, so the analysing thread can
/// prefetch by the hash and look up without hashing again.
package struct FlowLookup: Sendable {
    package let key: FlowKey
    package let sender: Side
    package let hash: UInt64

    @inline(__always)
    package init(_ segment: TCPSegment) {
        (key, sender) = FlowKey.of(segment)
        hash = key.hash64
    }
}
