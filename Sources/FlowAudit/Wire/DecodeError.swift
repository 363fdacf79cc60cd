/// Why a frame could not be decoded far enough to yield a TCP segment. Each case names the layer
/// and byte offset, and for truncation how many bytes were needed and which length set the limit
/// (in the manner of etherparse's length errors), so a diagnostic can say exactly what went wrong.
public enum DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Layer: String, Sendable {
        case link = "link-layer header", vlan = "VLAN tag", ipv4 = "IPv4 header", ipv6 = "IPv6 header"
        case ipv6Extension = "IPv6 extension header", tcp = "TCP header"
    }

    /// What bounded the bytes available: the capture's snaplen or the IP header's own length field.
    public enum LengthSource: String, Sendable {
        case capturedLength = "captured length"
        case ipLength = "IP length field"
    }

    case truncated(layer: Layer, offset: Int, needed: Int, available: Int, limit: LengthSource)
    case malformed(layer: Layer, offset: Int, reason: String)
    case unsupportedLinkType(LinkType)

    public var description: String {
        switch self {
        case let .truncated(layer, offset, needed, available, limit):
            "\(layer.rawValue) truncated at byte \(offset): needs \(needed) bytes, \(available) available (\(limit.rawValue))"
        case let .malformed(layer, offset, reason):
            "\(layer.rawValue) malformed at byte \(offset): \(reason)"
        case let .unsupportedLinkType(link):
            "unsupported link type \(link)"
        }
    }

    /// A short stable reason, used to group counts in the summary.
    public var category: String {
        switch self {
        case let .truncated(layer, _, _, _, _): "\(layer.rawValue) truncated"
        case let .malformed(layer, _, _): "\(layer.rawValue) malformed"
        case .unsupportedLinkType: "unsupported link type"
        }
    }
}
