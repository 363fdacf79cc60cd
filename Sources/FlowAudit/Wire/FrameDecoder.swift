/// What one captured frame turned out to be.
public enum DecodedFrame: Sendable {
    /// A TCP segment. `cutBySnaplen` is true when the capture kept fewer bytes than the packet had
    /// (payload or options missing); the headers that were present are still used.
    case tcp(TCPSegment, cutBySnaplen: Bool)
    /// Not TCP (ARP, UDP, ICMP, …): counted, otherwise ignored.
    case notTCP
    /// A non-first IP fragment (RFC 791 fragment offset > 0): it carries no TCP header; counted and skipped.
    case laterFragment
    /// Could not be decoded as far as a TCP header.
    case undecodable(DecodeError)
}

/// Decodes link, IP and TCP headers in place from a borrowed frame. No allocation, no copy.
public enum FrameDecoder {
    static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86DD
    static let etherTypeVLAN: UInt16 = 0x8100  // IEEE 802.1Q
    static let etherTypeQinQ: UInt16 = 0x88A8  // IEEE 802.1ad service tag
    static let etherTypeQinQLegacy: UInt16 = 0x9100

    /// Decodes one frame of the given link type. `bytes` is only read during the call.
    @inlinable
    public static func decode(_ bytes: UnsafeRawBufferPointer, linkType: LinkType) -> DecodedFrame {
        let view = ByteView(bytes)
        switch linkType {
        case .ethernet: return decodeCommonEthernetTCP(bytes) ?? decodeEthernet(view)
        case .linuxSLL:
            guard let protocolType = view.u16(14) else { return truncatedLink(view, needed: 16) }
            return decodeEtherType(protocolType, view, at: 16, vlan: 0)
        case .linuxSLL2:
            guard view.count >= 20, let protocolType = view.u16(0) else { return truncatedLink(view, needed: 20) }
            return decodeEtherType(protocolType, view, at: 20, vlan: 0)
        case .null, .loop:
            // BSD loopback: the address family as a 4-byte word, host order for NULL, network order
            // for LOOP. AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (the BSDs).
            guard let raw = view.u32(0), let little = view.u32LittleEndian(0) else {
                return truncatedLink(view, needed: 4)
            }
            let family = linkType == .loop ? raw : (raw <= 0xFF ? raw : little)
            switch family {
            case 2: return decodeIPv4(view, at: 4, vlan: 0)
            case 10, 24, 28, 30: return decodeIPv6(view, at: 4, vlan: 0)
            default: return .notTCP
            }
        case .raw, .rawDLT12, .rawDLT14:
            guard let first = view.u8(0) else { return truncatedLink(view, needed: 1) }
            switch first >> 4 {
            case 4: return decodeIPv4(view, at: 0, vlan: 0)
            case 6: return decodeIPv6(view, at: 0, vlan: 0)
            default: return .undecodable(.malformed(layer: .link, offset: 0, reason: .ipVersion(first >> 4)))
            }
        case .ipv4: return decodeIPv4(view, at: 0, vlan: 0)
        case .ipv6: return decodeIPv6(view, at: 0, vlan: 0)
        case .nflog: return decodeNFLOG(view)
        case .ieee80211Radiotap: return decodeRadiotap(view)
        case .ieee80211: return decode80211(view, at: 0)
        default: return .undecodable(.unsupportedLinkType(linkType))
        }
    }

    /// The common case with one bounds check and plain loads: untagged Ethernet, IPv4 without
    /// options or fragmentation or IPv6 without extension headers, TCP with no options or exactly
    /// NOP, NOP, timestamps (what Linux sends once a connection is established, RFC 7323
    /// Appendix A). It gives the same result as the general path; anything else (or anything odd)
    /// returns nil and takes the general path.
    /// SYN, FIN and RST: the segments whose checksum is verified (`TCPChecksum`).
    @usableFromInline static let controlFlags: UInt8 =
        TCPFlags.syn.rawValue | TCPFlags.fin.rawValue | TCPFlags.rst.rawValue

    @usableFromInline @inline(__always)
    static func decodeCommonEthernetTCP(_ bytes: UnsafeRawBufferPointer) -> DecodedFrame? {
        guard bytes.count >= 54 else { return nil }
        func u16(_ offset: Int) -> UInt16 {
            UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        }
        func u32(_ offset: Int) -> UInt32 {
            UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }
        func u64(_ offset: Int) -> UInt64 {
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        let tcp: Int, ipPayloadLength: Int, source: IPAddress, destination: IPAddress, ipID: UInt16, hopLimit: UInt8
        switch u16(12) {
        case etherTypeIPv4:
            guard bytes[14] == 0x45, bytes[23] == 6, u16(20) & 0x1FFF == 0 else { return nil }
            (tcp, ipPayloadLength) = (34, Int(u16(16)) - 20)
            (ipID, hopLimit) = (u16(18), bytes[22])
            source = IPAddress(ipv4: u32(26))
            destination = IPAddress(ipv4: u32(30))
        case etherTypeIPv6:
            guard bytes.count >= 74, bytes[14] >> 4 == 6, bytes[20] == 6 else { return nil }
            (tcp, ipPayloadLength) = (54, Int(u16(18)))
            (ipID, hopLimit) = (0, bytes[21])
            source = IPAddress(ipv6High: u64(22), low: u64(30))
            destination = IPAddress(ipv6High: u64(38), low: u64(46))
        default:
            return nil
        }
        let offsetFlags = u16(tcp + 12)
        let headerLength = Int(offsetFlags >> 12) * 4
        guard headerLength >= 20, ipPayloadLength >= headerLength else { return nil }
        var options = TCPOptions()
        switch headerLength {
        case 20: break
        case 32 where bytes.count >= tcp + 32 && u32(tcp + 20) == 0x0101_080A:
            options.timestampValue = u32(tcp + 24)
            options.timestampEcho = u32(tcp + 28)
        default: return nil
        }
        let flags = TCPFlags(rawValue: UInt8(truncatingIfNeeded: offsetFlags))
        var segment = TCPSegment(
            source: Endpoint(address: source, port: u16(tcp)),
            destination: Endpoint(address: destination, port: u16(tcp + 2)),
            vlan: 0,
            sequence: SequenceNumber(u32(tcp + 4)),
            acknowledgment: flags.contains(.ack) ? SequenceNumber(u32(tcp + 8)) : nil,
            flags: flags,
            window: u16(tcp + 14),
            payloadLength: ipPayloadLength - headerLength,
            options: options,
            ipID: ipID,
            hopLimit: hopLimit
        )
        let cut = tcp + ipPayloadLength > bytes.count
        if !cut, flags.rawValue & Self.controlFlags != 0 {
            segment.checksum = TCPChecksum.verify(
                UnsafeRawBufferPointer(rebasing: bytes[tcp..<(tcp + ipPayloadLength)]),
                source: source,
                destination: destination
            )
        }
        return .tcp(segment, cutBySnaplen: cut)
    }

    @usableFromInline
    static func truncatedLink(_ view: ByteView, needed: Int) -> DecodedFrame {
        .undecodable(.truncated(layer: .link, offset: 0, needed: needed, available: view.count, limit: .capturedLength))
    }

    /// Ethernet II with any number of 802.1Q / 802.1ad tags (QinQ). The VLAN id kept for the flow
    /// key is the inner id, with the outer id above it (outer << 12 | inner).
    @usableFromInline @inline(__always)
    static func decodeEthernet(_ view: ByteView) -> DecodedFrame {
        guard var etherType = view.u16(12) else { return truncatedLink(view, needed: 14) }
        var offset = 14
        var vlan: UInt32 = 0
        var tags = 0
        while etherType == etherTypeVLAN || etherType == etherTypeQinQ || etherType == etherTypeQinQLegacy {
            guard tags < 4 else {
                return .undecodable(.malformed(layer: .vlan, offset: offset, reason: .tooManyVLANTags))
            }
            guard let tci = view.u16(offset), let next = view.u16(offset + 2) else {
                return truncated(.vlan, view, at: offset, needed: 4)
            }
            vlan = (vlan << 12 | UInt32(tci & 0x0FFF)) & 0xFF_FFFF
            etherType = next
            offset += 4
            tags += 1
        }
        return decodeEtherType(etherType, view, at: offset, vlan: vlan)
    }

    @usableFromInline @inline(__always)
    static func decodeEtherType(_ etherType: UInt16, _ view: ByteView, at offset: Int, vlan: UInt32) -> DecodedFrame {
        switch etherType {
        case etherTypeIPv4: decodeIPv4(view, at: offset, vlan: vlan)
        case etherTypeIPv6: decodeIPv6(view, at: offset, vlan: vlan)
        case etherTypePPPoESession: decodePPPoE(view, at: offset, vlan: vlan)
        case etherTypeMPLS, etherTypeMPLSMulticast: decodeMPLS(view, at: offset, vlan: vlan)
        default: .notTCP
        }
    }

    /// IPv4 (RFC 791): IHL ≥ 5 (options skipped by IHL), total length bounds the payload; a
    /// fragment with a non-zero offset carries no TCP header and is reported as such.
    @usableFromInline @inline(__always)
    static func decodeIPv4(_ view: ByteView, at offset: Int, vlan: UInt32) -> DecodedFrame {
        guard let versionIHL = view.u8(offset), let totalLength = view.u16(offset + 2),
            let identification = view.u16(offset + 4), let fragment = view.u16(offset + 6),
            let ttl = view.u8(offset + 8),
            let proto = view.u8(offset + 9),
            let source = view.u32(offset + 12), let destination = view.u32(offset + 16)
        else {
            return truncated(.ipv4, view, at: offset, needed: 20)
        }
        guard versionIHL >> 4 == 4 else {
            return .undecodable(
                .malformed(layer: .ipv4, offset: offset, reason: .versionMismatch(found: versionIHL >> 4, expected: 4))
            )
        }
        let headerLength = Int(versionIHL & 0x0F) * 4
        guard headerLength >= 20 else {
            return .undecodable(.malformed(layer: .ipv4, offset: offset, reason: .headerTooShort(headerLength)))
        }
        // TSO/GSO captures on the sending host can show total length 0; then the captured length rules.
        let ipLength = totalLength == 0 ? view.count - offset : Int(totalLength)
        guard ipLength >= headerLength else {
            return .undecodable(
                .malformed(
                    layer: .ipv4,
                    offset: offset,
                    reason: .totalBelowHeader(total: ipLength, header: headerLength)
                )
            )
        }
        guard proto == 6 else { return .notTCP }
        if fragment & 0x1FFF != 0 { return .laterFragment }
        return decodeTCP(
            view,
            at: offset + headerLength,
            ipPayloadLength: ipLength - headerLength,
            source: IPAddress(ipv4: source),
            destination: IPAddress(ipv4: destination),
            vlan: vlan,
            ipID: identification,
            hopLimit: ttl
        )
    }

    /// IPv6 (RFC 8200) with its extension-header chain: hop-by-hop (0), routing (43), fragment (44),
    /// destination options (60) and AH (51, RFC 4302) are walked; ESP (50) hides TCP.
    @usableFromInline @inline(__always)
    static func decodeIPv6(_ view: ByteView, at offset: Int, vlan: UInt32) -> DecodedFrame {
        guard let first = view.u8(offset), let payloadLength = view.u16(offset + 4), var next = view.u8(offset + 6),
            let hopLimit = view.u8(offset + 7),
            let sourceHigh = view.u64(offset + 8), let sourceLow = view.u64(offset + 16),
            let destinationHigh = view.u64(offset + 24), let destinationLow = view.u64(offset + 32)
        else {
            return truncated(.ipv6, view, at: offset, needed: 40)
        }
        guard first >> 4 == 6 else {
            return .undecodable(
                .malformed(layer: .ipv6, offset: offset, reason: .versionMismatch(found: first >> 4, expected: 6))
            )
        }
        var headerOffset = offset + 40
        // Jumbograms (payload length 0 with a hop-by-hop jumbo option) fall back to the captured length.
        var remaining = payloadLength == 0 ? view.count - headerOffset : Int(payloadLength)
        var extensions = 0
        while next != 6 {
            switch next {
            case 0, 43, 60, 51, 44:
                guard extensions < 8 else {
                    return .undecodable(
                        .malformed(layer: .ipv6Extension, offset: headerOffset, reason: .tooManyExtensionHeaders)
                    )
                }
                guard let following = view.u8(headerOffset), let lengthField = view.u8(headerOffset + 1) else {
                    return truncated(.ipv6Extension, view, at: headerOffset, needed: 8)
                }
                let length: Int
                if next == 44 {
                    guard let fragmentField = view.u16(headerOffset + 2) else {
                        return truncated(.ipv6Extension, view, at: headerOffset, needed: 8)
                    }
                    if fragmentField & 0xFFF8 != 0 { return .laterFragment }
                    length = 8
                } else if next == 51 {
                    length = (Int(lengthField) + 2) * 4
                } else {
                    length = (Int(lengthField) + 1) * 8
                }
                guard length <= remaining else {
                    return .undecodable(
                        .truncated(
                            layer: .ipv6Extension,
                            offset: headerOffset,
                            needed: length,
                            available: remaining,
                            limit: .ipLength
                        )
                    )
                }
                next = following
                headerOffset += length
                remaining -= length
                extensions += 1
            default:
                return .notTCP
            }
        }
        return decodeTCP(
            view,
            at: headerOffset,
            ipPayloadLength: remaining,
            source: IPAddress(ipv6High: sourceHigh, low: sourceLow),
            destination: IPAddress(ipv6High: destinationHigh, low: destinationLow),
            vlan: vlan,
            ipID: 0,
            hopLimit: hopLimit
        )
    }

    /// TCP header (RFC 9293 §3.1): data offset ≥ 5 words; options decoded as far as captured.
    /// With at least the 20-byte fixed header present the segment is usable even if options or
    /// payload were cut by the snaplen.
    @usableFromInline @inline(__always)
    static func decodeTCP(
        _ view: ByteView,
        at offset: Int,
        ipPayloadLength: Int,
        source: IPAddress,
        destination: IPAddress,
        vlan: UInt32,
        ipID: UInt16,
        hopLimit: UInt8
    ) -> DecodedFrame {
        guard ipPayloadLength >= 20 else {
            return .undecodable(
                .truncated(layer: .tcp, offset: offset, needed: 20, available: ipPayloadLength, limit: .ipLength)
            )
        }
        guard let sourcePort = view.u16(offset), let destinationPort = view.u16(offset + 2),
            let sequence = view.u32(offset + 4), let acknowledgment = view.u32(offset + 8),
            let offsetFlags = view.u16(offset + 12), let window = view.u16(offset + 14), view.count >= offset + 20
        else {
            return truncated(.tcp, view, at: offset, needed: 20)
        }
        let headerLength = Int(offsetFlags >> 12) * 4
        guard headerLength >= 20 else {
            return .undecodable(
                .malformed(layer: .tcp, offset: offset, reason: .dataOffsetTooSmall(words: headerLength / 4))
            )
        }
        guard headerLength <= ipPayloadLength else {
            return .undecodable(
                .malformed(
                    layer: .tcp,
                    offset: offset,
                    reason: .headerBeyondPayload(header: headerLength, payload: ipPayloadLength)
                )
            )
        }
        let flags = TCPFlags(rawValue: UInt8(truncatingIfNeeded: offsetFlags))
        let optionsEnd = offset + headerLength
        var options = TCPOptions.decode(view, from: offset + 20, to: min(optionsEnd, view.count))
        if optionsEnd > view.count { options.truncated = true }
        let payloadLength = ipPayloadLength - headerLength
        var segment = TCPSegment(
            source: Endpoint(address: source, port: sourcePort),
            destination: Endpoint(address: destination, port: destinationPort),
            vlan: vlan,
            sequence: SequenceNumber(sequence),
            acknowledgment: flags.contains(.ack) ? SequenceNumber(acknowledgment) : nil,
            flags: flags,
            window: window,
            payloadLength: payloadLength,
            options: options,
            ipID: ipID,
            hopLimit: hopLimit
        )
        let cut = optionsEnd + payloadLength > view.count
        if !cut, flags.rawValue & Self.controlFlags != 0 {
            segment.checksum = TCPChecksum.verify(
                UnsafeRawBufferPointer(rebasing: view.base[offset..<(offset + ipPayloadLength)]),
                source: source,
                destination: destination
            )
        }
        return .tcp(segment, cutBySnaplen: cut)
    }
}
