/// Why a capture could not be opened or read, with the file and libpcap's own words.
public enum PcapError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(file: String, reason: String)
    /// A live capture could not start (or its filter be set) on an interface.
    case cannotCapture(interface: String, reason: String)
    /// The `-w` file could not be created.
    case cannotWrite(file: String, reason: String)
    case unsupportedLinkType(file: String, linkType: Int32, name: String)
    case permissionDenied(interface: String)
    case noSuchInterface(interface: String, available: [String])
    case interfaceDown(interface: String)
    case badFilter(expression: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            "\(file): cannot read capture: \(Self.withoutName(file, reason))"
        case let .cannotCapture(interface, reason):
            "\(interface): cannot capture: \(Self.withoutName(interface, reason))"
        case let .cannotWrite(file, reason):
            "\(file): cannot write capture: \(Self.withoutName(file, reason))"
        case let .unsupportedLinkType(file, linkType, name):
            "\(file): link type \(linkType) (\(name)) is not supported; supported: EN10MB (with 802.1Q/QinQ, PPPoE, MPLS), LINUX_SLL, LINUX_SLL2, NULL, LOOP, RAW, IPV4, IPV6, NFLOG, IEEE802_11, IEEE802_11_RADIO"
        case let .permissionDenied(interface):
            "\(interface): capturing needs CAP_NET_RAW and CAP_NET_ADMIN: run as root or grant them with setcap cap_net_raw,cap_net_admin=eip $(command -v tcpflow-audit)"
        case let .noSuchInterface(interface, available):
            "\(interface): no such interface; interfaces: \(available.joined(separator: ", "))"
        case let .interfaceDown(interface):
            "\(interface): the interface is down (ip link set \(interface) up)"
        case let .badFilter(expression, reason):
            "capture filter '\(expression)': \(reason)"
        }
    }

    /// libpcap's message without the name it starts with (the message already names it once).
    static func withoutName(_ name: String, _ reason: String) -> String {
        reason.hasPrefix(name + ": ") ? String(reason.dropFirst(name.count + 2)) : reason
    }
}
