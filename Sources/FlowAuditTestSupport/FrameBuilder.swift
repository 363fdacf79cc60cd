import FlowAudit

/// Builds wire frames from `TCPSegment` values: IPv4 or IPv6, TCP with its options and correct
/// checksums, wrapped in any supported link layer. The inverse of `FrameDecoder`, for tests and
/// the crafted corpus.
public enum FrameBuilder {
    /// How to wrap the IP packet.
    public enum Link: Sendable {
        case ethernet(vlanTags: [UInt16] = [])
        case linuxSLL, linuxSLL2, null, loop, raw
        case ipOnly  // LINKTYPE_IPV4 / LINKTYPE_IPV6
        /// A PPPoE session (RFC 2516) in Ethernet, under these VLAN tags.
        case pppoe(vlanTags: [UInt16] = [])
        /// An MPLS label stack (RFC 3032) in Ethernet, top label first.
        case mpls(labels: [UInt32])
        /// A Linux netfilter log message (LINKTYPE_NFLOG), little-endian TLVs as on x86.
        case nflog
        /// An 802.11 QoS data frame from the access point (LLC/SNAP) after a radiotap header.
        case radiotap
        public var linkType: LinkType {
            switch self {
            case .ethernet: .ethernet
            case .linuxSLL: .linuxSLL
            case .linuxSLL2: .linuxSLL2
            case .null: .null
            case .loop: .loop
            case .raw: .raw
            case .ipOnly: .ipv4
            case .pppoe, .mpls: .ethernet
            case .nflog: .nflog
            case .radiotap: .ieee80211Radiotap
            }
        }
    }

    public static func frame(_ segment: TCPSegment, link: Link = .ethernet(), payloadByte: UInt8 = 0x61) -> [UInt8] {
        let ip = packet(segment, payloadByte: payloadByte)
        let isIPv6 = segment.source.address.isIPv6
        let etherType: [UInt8] = isIPv6 ? [0x86, 0xDD] : [0x08, 0x00]
        switch link {
        case let .ethernet(tags):
            var header: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]
            for (index, tag) in tags.enumerated() {
                header += index == 0 && tags.count > 1 ? [0x88, 0xA8] : [0x81, 0x00]
                header += be16(tag)
            }
            return header + etherType + ip
        case .linuxSLL:
            return [0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0] + etherType + ip
        case .linuxSLL2:
            return etherType + [0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0] + ip
        case .null:
            return (isIPv6 ? [30, 0, 0, 0] : [2, 0, 0, 0]) + ip
        case .loop:
            return (isIPv6 ? [0, 0, 0, 24] : [0, 0, 0, 2]) + ip
        case .raw, .ipOnly:
            return ip
        case let .pppoe(tags):
            var header: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]
            for (index, tag) in tags.enumerated() {
                header += index == 0 && tags.count > 1 ? [0x88, 0xA8] : [0x81, 0x00]
                header += be16(tag)
            }
            // Version/type 0x11, code 0 (session data), session 0x1234, length of PPP + IP.
            header += [0x88, 0x64, 0x11, 0x00, 0x12, 0x34] + be16(UInt16(ip.count + 2))
            return header + (isIPv6 ? [0x00, 0x57] : [0x00, 0x21]) + ip
        case let .mpls(labels):
            var header: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0x47]
            for (index, label) in labels.enumerated() {
                let bottom: UInt32 = index == labels.count - 1 ? 0x100 : 0
                header += be32(label << 12 | bottom | 64)  // TTL 64
            }
            return header + ip
        case .nflog:
            func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
            // Family, version 0, resource id (group 5) in network order; then TLVs: a prefix
            // ("tcp "), the payload (type 9), each padded to 4 bytes.
            var message: [UInt8] = [isIPv6 ? 10 : 2, 0, 0, 5]
            message += le16(9) + le16(10) + Array("tcp ".utf8) + [0] + [0, 0, 0]
            message += le16(UInt16(4 + ip.count)) + le16(9) + ip
            message += [UInt8](repeating: 0, count: (4 - ip.count % 4) % 4)
            return message
        case .radiotap:
            // Radiotap v0, 8 bytes, no fields; 802.11 QoS data (subtype 8) from the DS
            // (frame control 0x88 0x02), three addresses, sequence control, QoS control, then SNAP.
            let radiotap: [UInt8] = [0, 0, 8, 0, 0, 0, 0, 0]
            var wifi: [UInt8] = [0x88, 0x02, 0x2C, 0x00]
            wifi += [0x02, 0, 0, 0, 0, 0x01] + [0x02, 0, 0, 0, 0, 0xAA] + [0x02, 0, 0, 0, 0, 0x02]
            wifi += [0x10, 0x00] + [0x00, 0x00]
            return radiotap + wifi + [0xAA, 0xAA, 0x03, 0, 0, 0] + etherType + ip
        }
    }

    /// The IP packet (header, TCP header with options, payload) for `segment`.
    public static func packet(_ segment: TCPSegment, payloadByte: UInt8 = 0x61) -> [UInt8] {
        let tcp = tcpSegment(segment, payloadByte: payloadByte)
        let source = segment.source.address, destination = segment.destination.address
        var pseudo: [UInt8]
        var ip: [UInt8]
        if source.isIPv6 {
            pseudo = address(source) + address(destination) + be32(UInt32(tcp.count)) + [0, 0, 0, 6]
            ip =
                [0x60, 0, 0, 0] + be16(UInt16(tcp.count)) + [6, segment.hopLimit] + address(source)
                + address(destination)
        } else {
            pseudo = address(source) + address(destination) + [0, 6] + be16(UInt16(tcp.count))
            ip =
                [0x45, 0] + be16(UInt16(20 + tcp.count)) + be16(segment.ipID) + [0x40, 0, segment.hopLimit, 6, 0, 0]
                + address(source) + address(destination)
            let sum = checksum(ip)
            ip[10] = UInt8(sum >> 8)
            ip[11] = UInt8(sum & 0xFF)
        }
        var withSum = tcp
        // A segment marked bad is written with a wrong checksum (a damaged packet, or offload).
        let sum = checksum(pseudo + tcp) ^ (segment.checksum == .bad ? 0x5A5A : 0)
        withSum[16] = UInt8(sum >> 8)
        withSum[17] = UInt8(sum & 0xFF)
        return ip + withSum
    }

    static func tcpSegment(_ s: TCPSegment, payloadByte: UInt8) -> [UInt8] {
        var options: [UInt8] = []
        if let mss = s.options.maximumSegmentSize { options += [2, 4] + be16(mss) }
        if s.options.sackPermitted { options += [4, 2] }
        if let value = s.options.timestampValue {
            options += [1, 1, 8, 10] + be32(value) + be32(s.options.timestampEcho ?? 0)
        }
        if let block = s.options.firstSACKBlock {
            options += [1, 1, 5, 10] + be32(block.left) + be32(block.right)
        }
        if let scale = s.options.windowScale { options += [1, 3, 3, scale] }
        while options.count % 4 != 0 { options.append(0) }
        let headerLength = 20 + options.count
        var header = be16(s.source.port) + be16(s.destination.port) + be32(s.sequence.rawValue)
        header += be32(s.acknowledgment?.rawValue ?? 0)
        let flags = s.flags.union(s.acknowledgment != nil ? .ack : [])
        header += [UInt8(headerLength / 4) << 4, flags.rawValue] + be16(s.window) + [0, 0, 0, 0]
        return header + options + [UInt8](repeating: payloadByte, count: s.payloadLength)
    }

    static func address(_ a: IPAddress) -> [UInt8] {
        a.isIPv6 ? be64(a.high) + be64(a.low) : be32(UInt32(truncatingIfNeeded: a.low))
    }

    /// The Internet checksum (RFC 1071).
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { be16(UInt16(v >> 16)) + be16(UInt16(v & 0xFFFF)) }
    static func be64(_ v: UInt64) -> [UInt8] { be32(UInt32(v >> 32)) + be32(UInt32(v & 0xFFFF_FFFF)) }
}
