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
}
