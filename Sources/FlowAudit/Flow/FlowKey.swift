/// A flow's identity: the 4-tuple in canonical order (lower endpoint first) plus the VLAN id, so
/// both directions of a connection hash to the same key (as gopacket's `Flow.FastHash` does).
public struct FlowKey: Hashable, Sendable {
    public var lower: Endpoint
    public var upper: Endpoint
    public var vlan: UInt32

    /// The key of `segment`'s flow, and which side of it sent the segment.
    @inlinable
    public static func of(_ segment: TCPSegment) -> (key: FlowKey, sender: Side) {
        let source = segment.source, destination = segment.destination
        let sourceIsLower = (source.address, source.port) < (destination.address, destination.port)
        return sourceIsLower
            ? (FlowKey(lower: source, upper: destination, vlan: segment.vlan), .a)
            : (FlowKey(lower: destination, upper: source, vlan: segment.vlan), .b)
    }

    public init(lower: Endpoint, upper: Endpoint, vlan: UInt32) {
        self.lower = lower
        self.upper = upper
        self.vlan = vlan
    }

    public func endpoint(_ side: Side) -> Endpoint { side == .a ? lower : upper }

    /// Hashes four words instead of every field: the addresses folded with the ports and VLAN.
    /// (Equality still compares every field.)
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(lower.address.low ^ (lower.address.high &* 0x9E37_79B9_7F4A_7C15))
        hasher.combine(upper.address.low ^ (upper.address.high &* 0xC2B2_AE3D_27D4_EB4F))
        hasher.combine(UInt64(lower.port) << 48 | UInt64(upper.port) << 32 | UInt64(vlan))
    }
}
