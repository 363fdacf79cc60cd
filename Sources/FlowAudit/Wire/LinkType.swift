/// A capture's link-layer header type, as libpcap's `pcap_datalink` reports it (DLT_ values,
/// which equal the LINKTYPE_ values in files except where a platform gave DLT_RAW another number).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// LINKTYPE_NULL, DLT_NULL: BSD loopback, a 4-byte address family in the writer's byte order.
    public static let null = LinkType(rawValue: 0)
    /// LINKTYPE_ETHERNET, DLT_EN10MB.
    public static let ethernet = LinkType(rawValue: 1)
    /// DLT_RAW on most platforms (LINKTYPE_RAW is 101 in files; libpcap maps it back).
    public static let rawDLT12 = LinkType(rawValue: 12)
    /// DLT_RAW on OpenBSD.
    public static let rawDLT14 = LinkType(rawValue: 14)
    /// LINKTYPE_RAW: a bare IPv4 or IPv6 packet.
    public static let raw = LinkType(rawValue: 101)
    /// LINKTYPE_LOOP, DLT_LOOP: OpenBSD loopback, the address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// LINKTYPE_LINUX_SLL, DLT_LINUX_SLL: Linux "cooked" capture (`-i any` before libpcap 1.10).
    public static let linuxSLL = LinkType(rawValue: 113)
    /// LINKTYPE_IPV4, DLT_IPV4.
    public static let ipv4 = LinkType(rawValue: 228)
    /// LINKTYPE_IPV6, DLT_IPV6.
    public static let ipv6 = LinkType(rawValue: 229)
    /// LINKTYPE_LINUX_SLL2, DLT_LINUX_SLL2: Linux cooked capture v2 (`-i any` since libpcap 1.10).
    public static let linuxSLL2 = LinkType(rawValue: 276)
    /// LINKTYPE_IEEE802_11: 802.11 frames without a radio header.
    public static let ieee80211 = LinkType(rawValue: 105)
    /// LINKTYPE_IEEE802_11_RADIOTAP: 802.11 frames after a radiotap header (monitor mode).
    public static let ieee80211Radiotap = LinkType(rawValue: 127)
    /// LINKTYPE_NFLOG: Linux netfilter log messages (`tcpdump -i nflog:GROUP`, nftables `log group`).
    public static let nflog = LinkType(rawValue: 239)

    public static let supported: [LinkType] = [
        .null, .ethernet, .rawDLT12, .rawDLT14, .raw, .loop, .linuxSLL, .ipv4, .ipv6, .linuxSLL2, .ieee80211,
        .ieee80211Radiotap, .nflog,
    ]

    public var isSupported: Bool { Self.supported.contains(self) }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "EN10MB"
        case .rawDLT12, .rawDLT14, .raw: "RAW"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .linuxSLL2: "LINUX_SLL2"
        case .ieee80211: "IEEE802_11"
        case .ieee80211Radiotap: "IEEE802_11_RADIO"
        case .nflog: "NFLOG"
        default: "\(rawValue)"
        }
    }
}
