/// Why a capture could not be opened or read, with the file and libpcap's own words.
public enum PcapError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(file: String, reason: String)
    case unsupportedLinkType(file: String, linkType: Int32, name: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            "\(file): cannot read capture: \(reason)"
        case let .unsupportedLinkType(file, linkType, name):
            "\(file): link type \(linkType) (\(name)) is not supported; supported: EN10MB (with 802.1Q/QinQ), LINUX_SLL, LINUX_SLL2, NULL, LOOP, RAW, IPV4, IPV6"
        }
    }
}
