/// Link layers and encapsulations beyond plain Ethernet: PPPoE sessions (RFC 2516) and MPLS label
/// stacks (RFC 3032) inside Ethernet (VLAN-tagged or not), Linux netfilter log messages (NFLOG)
/// and 802.11 data frames (with or without a radiotap header, LLC/SNAP encapsulated). Each peels
/// its header and hands the IP packet to the IPv4 or IPv6 decoder; what carries no IP (PPP
/// control, encrypted 802.11, management frames) is not TCP.
extension FrameDecoder {
    static let etherTypePPPoESession: UInt16 = 0x8864
    static let etherTypeMPLS: UInt16 = 0x8847
    static let etherTypeMPLSMulticast: UInt16 = 0x8848

    @usableFromInline
    static func truncated(_ layer: DecodeError.Layer, _ view: ByteView, at offset: Int, needed: Int) -> DecodedFrame {
        .undecodable(
            .truncated(
                layer: layer,
                offset: offset,
                needed: needed,
                available: max(0, view.count - offset),
                limit: .capturedLength
            )
        )
    }

    /// PPPoE session stage (RFC 2516 §4): version/type, code, session id, length, then the PPP
    /// protocol field (RFC 1661): 0x0021 IPv4, 0x0057 IPv6 (RFC 5072).
    @usableFromInline
    static func decodePPPoE(_ view: ByteView, at offset: Int, vlan: UInt32) -> DecodedFrame {
        guard let versionType = view.u8(offset), let pppProtocol = view.u16(offset + 6) else {
            return truncated(.pppoe, view, at: offset, needed: 8)
        }
        guard versionType == 0x11 else {
            return .undecodable(
                .malformed(layer: .pppoe, offset: offset, reason: .versionMismatch(found: versionType, expected: 0x11))
            )
        }
        switch pppProtocol {
        case 0x0021: return decodeIPv4(view, at: offset + 8, vlan: vlan)
        case 0x0057: return decodeIPv6(view, at: offset + 8, vlan: vlan)
        default: return .notTCP
        }
    }

    /// An MPLS label stack (RFC 3032 §2.1): 4-byte entries until the bottom-of-stack bit; the
    /// payload's first nibble says IPv4 or IPv6 (RFC 4182 leaves no other indication). A
    /// pseudowire's control word (first nibble 0) carries no IP directly: not TCP.
    @usableFromInline
    static func decodeMPLS(_ view: ByteView, at offset: Int, vlan: UInt32) -> DecodedFrame {
        var position = offset
        for _ in 0..<8 {
            guard let entry = view.u32(position) else { return truncated(.mpls, view, at: position, needed: 4) }
            position += 4
            guard entry & 0x100 != 0 else { continue }
            guard let first = view.u8(position) else { return truncated(.mpls, view, at: position, needed: 1) }
            switch first >> 4 {
            case 4: return decodeIPv4(view, at: position, vlan: vlan)
            case 6: return decodeIPv6(view, at: position, vlan: vlan)
            default: return .notTCP
            }
        }
        return .undecodable(.malformed(layer: .mpls, offset: offset, reason: .tooManyMPLSLabels))
    }

    /// NFLOG (LINKTYPE_NFLOG): address family, version and resource id, then TLVs whose length and
    /// type are in the logging host's byte order, each padded to 4 bytes; type 9 (NFULA_PAYLOAD)
    /// holds the packet from its IP header on. The byte order is the one whose first TLV length
    /// fits the message.
    @usableFromInline
    static func decodeNFLOG(_ view: ByteView) -> DecodedFrame {
        guard let family = view.u8(0), view.count >= 4 else { return truncated(.nflog, view, at: 0, needed: 4) }
        var offset = 4
        var littleEndian = true
        if let big = view.u16(4) {
            func fits(_ length: UInt16) -> Bool { length >= 4 && Int(length) <= view.count - 4 }
            littleEndian = fits(big.byteSwapped) || !fits(big)
        }
        while offset + 4 <= view.count {
            guard let rawLength = view.u16(offset), let rawType = view.u16(offset + 2) else { break }
            let length = Int(littleEndian ? rawLength.byteSwapped : rawLength)
            let type = (littleEndian ? rawType.byteSwapped : rawType) & 0x7FFF
            guard length >= 4, offset + length <= view.count else {
                return .undecodable(
                    .truncated(
                        layer: .nflog,
                        offset: offset,
                        needed: max(length, 4),
                        available: view.count - offset,
                        limit: .capturedLength
                    )
                )
            }
            if type == 9 {
                let payload = ByteView(UnsafeRawBufferPointer(rebasing: view.base[(offset + 4)..<(offset + length)]))
                switch family {
                case 2: return decodeIPv4(payload, at: 0, vlan: 0)
                case 10: return decodeIPv6(payload, at: 0, vlan: 0)
                default:
                    guard let first = payload.u8(0) else { return .notTCP }
                    return first >> 4 == 4
                        ? decodeIPv4(payload, at: 0, vlan: 0)
                        : first >> 4 == 6 ? decodeIPv6(payload, at: 0, vlan: 0) : .notTCP
                }
            }
            offset += (length + 3) & ~3
        }
        return .undecodable(.malformed(layer: .nflog, offset: 4, reason: .noPayload))
    }

    /// A radiotap header (its length is a little-endian field at byte 2), then an 802.11 frame.
    @usableFromInline
    static func decodeRadiotap(_ view: ByteView) -> DecodedFrame {
        guard let version = view.u8(0), let raw = view.u16(2) else { return truncated(.link, view, at: 0, needed: 4) }
        guard version == 0 else {
            return .undecodable(
                .malformed(layer: .link, offset: 0, reason: .versionMismatch(found: version, expected: 0))
            )
        }
        let length = Int(raw.byteSwapped)
        guard length >= 8, length <= view.count else { return truncated(.link, view, at: 0, needed: max(length, 8)) }
        return decode80211(view, at: length)
    }

    /// An 802.11 data frame (IEEE 802.11-2020 §9.2.4): frame control (little-endian), duration,
    /// three addresses, sequence control, a fourth address when both DS bits are set, QoS control
    /// for QoS subtypes and HT control when the +HTC/order bit is set on them; then LLC/SNAP
    /// (AA AA 03, OUI 00 00 00) and an EtherType. Management, control, null and protected
    /// (encrypted) frames carry no readable IP: not TCP.
    @usableFromInline
    static func decode80211(_ view: ByteView, at offset: Int) -> DecodedFrame {
        guard let control = view.u16(offset).map({ $0.byteSwapped }) else {
            return truncated(.ieee80211, view, at: offset, needed: 2)
        }
        let type = (control >> 2) & 0x3, subtype = (control >> 4) & 0xF
        guard type == 2, subtype & 0x4 == 0, control & 0x4000 == 0 else { return .notTCP }
        var header = 24
        if control & 0x0300 == 0x0300 { header += 6 }
        if subtype & 0x8 != 0 {
            header += 2
            if control & 0x8000 != 0 { header += 4 }
        }
        let llc = offset + header
        guard let dsap = view.u8(llc), let ssap = view.u8(llc + 1), let llcControl = view.u8(llc + 2),
            let oui = view.u32(llc + 2), let etherType = view.u16(llc + 6)
        else { return truncated(.ieee80211, view, at: offset, needed: header + 8) }
        guard dsap == 0xAA, ssap == 0xAA, llcControl == 0x03, oui & 0x00FF_FFFF == 0 else { return .notTCP }
        return decodeEtherType(etherType, view, at: llc + 8, vlan: 0)
    }
}
