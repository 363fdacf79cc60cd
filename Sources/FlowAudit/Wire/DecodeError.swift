/// What was wrong with a header that was present in full. Plain values rather than text, so a
/// decode result carries no reference-counted payload (it is returned once per packet).
public enum Malformation: Hashable, Sendable, CustomStringConvertible {
    /// The IP version nibble of a raw-IP link frame is neither 4 nor 6.
    case ipVersion(UInt8)
    case versionMismatch(found: UInt8, expected: UInt8)
    case tooManyVLANTags
    case headerTooShort(Int)
    case totalBelowHeader(total: Int, header: Int)
    case tooManyExtensionHeaders
    case dataOffsetTooSmall(words: Int)
    case headerBeyondPayload(header: Int, payload: Int)
    case tooManyMPLSLabels
    case noPayload

    public var description: String {
        switch self {
        case let .ipVersion(version): "IP version \(version)"
        case let .versionMismatch(found, expected): "version \(found), expected \(expected)"
        case .tooManyVLANTags: "more than 4 VLAN tags"
        case let .headerTooShort(length): "header length \(length) < 20"
        case let .totalBelowHeader(total, header): "total length \(total) < header length \(header)"
        case .tooManyExtensionHeaders: "more than 8 extension headers"
        case let .dataOffsetTooSmall(words): "data offset \(words) words < 5"
        case let .headerBeyondPayload(header, payload): "header length \(header) exceeds IP payload \(payload)"
        case .tooManyMPLSLabels: "more than 8 MPLS labels"
        case .noPayload: "no packet in the message"
        }
    }
}

/// Why a frame could not be decoded far enough to yield a TCP segment. Each case names the layer
/// and byte offset, and for truncation how many bytes were needed and which length set the limit
/// (in the manner of etherparse's length errors), so a diagnostic can say exactly what went wrong.
public enum DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Layer: String, Sendable {
        case link = "link-layer header", vlan = "VLAN tag", ipv4 = "IPv4 header", ipv6 = "IPv6 header"
        case pppoe = "PPPoE header", mpls = "MPLS label stack", nflog = "NFLOG header", ieee80211 = "802.11 header"
        case ipv6Extension = "IPv6 extension header", tcp = "TCP header"
    }

    /// What bounded the bytes available: the capture's snaplen or the IP header's own length field.
    public enum LengthSource: String, Sendable {
        case capturedLength = "captured length"
        case ipLength = "IP length field"
    }

    case truncated(layer: Layer, offset: Int, needed: Int, available: Int, limit: LengthSource)
    case malformed(layer: Layer, offset: Int, reason: Malformation)
    case unsupportedLinkType(LinkType)
    /// The capture header's time lies outside what the analysis can represent (years 1677–2262).
    case timestampOutOfRange(seconds: Int64)

    public var description: String {
        switch self {
        case let .truncated(layer, offset, needed, available, limit):
            "\(layer.rawValue) truncated at byte \(offset): needs \(needed) bytes, \(available) available (\(limit.rawValue))"
        case let .malformed(layer, offset, reason):
            "\(layer.rawValue) malformed at byte \(offset): \(reason)"
        case let .unsupportedLinkType(link):
            "unsupported link type \(link)"
        case let .timestampOutOfRange(seconds):
            "capture timestamp \(seconds) s from 1970 is outside years 1677–2262; frame not analysed"
        }
    }

    /// A short stable reason, used to group counts in the summary.
    public var category: String {
        switch self {
        case let .truncated(layer, _, _, _, _): "\(layer.rawValue) truncated"
        case let .malformed(layer, _, _): "\(layer.rawValue) malformed"
        case .unsupportedLinkType: "unsupported link type"
        case .timestampOutOfRange: "timestamp out of range"
        }
    }
}
