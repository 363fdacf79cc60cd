import FlowAuditTestSupport
import Testing

@testable import FlowAudit

func bytes(hex: String) -> [UInt8] {
    let digits = hex.filter(\.isHexDigit)
    return stride(from: 0, to: digits.count, by: 2).map {
        let start = digits.index(digits.startIndex, offsetBy: $0)
        return UInt8(digits[start...digits.index(after: start)], radix: 16)!
    }
}

func decode(_ frame: [UInt8], _ link: LinkType) -> DecodedFrame {
    frame.withUnsafeBytes { FrameDecoder.decode($0, linkType: link) }
}

func segment(of frame: [UInt8], _ link: LinkType, sourceLocation: SourceLocation = #_sourceLocation) -> TCPSegment? {
    guard case let .tcp(segment, _) = decode(frame, link) else {
        Issue.record("expected a TCP segment, got \(decode(frame, link))", sourceLocation: sourceLocation)
        return nil
    }
    return segment
}

@Suite("Frame decoder")
struct FrameDecoderTests {
    /// Linux 6.18, Ethernet: `10.77.0.1.50910 > 10.77.0.2.8080: Flags [S], seq 3992003004, win 64240,
    /// options [mss 1460,sackOK,TS val 4038828774 ecr 0,nop,wscale 10], length 0` (tcpdump).
    static let realSYN = bytes(
        hex: """
            36d5 cff2 43a6 bad9 4c17 63cc 0800 4500 003c 4c50 4000 4006 d9cf 0a4d 0001 0a4d
            0002 c6de 1f90 edf1 21bc 0000 0000 a002 faf0 14cb 0000 0204 05b4 0402 080a f0bb
            a2e6 0000 0000 0103 030a
            """
    )

    @Test func realLinuxSYN() throws {
        let s = try #require(segment(of: Self.realSYN, .ethernet))
        #expect(s.source == Endpoint(address: IPAddress("10.77.0.1")!, port: 50910))
        #expect(s.destination == Endpoint(address: IPAddress("10.77.0.2")!, port: 8080))
        #expect(s.sequence == SequenceNumber(3_992_003_004))
        #expect(s.acknowledgment == nil)
        #expect(s.flags == .syn)
        #expect(s.window == 64240)
        #expect(s.payloadLength == 0)
        #expect(s.options.maximumSegmentSize == 1460)
        #expect(s.options.sackPermitted)
        #expect(s.options.timestampValue == 4_038_828_774)
        #expect(s.options.timestampEcho == 0)
        #expect(s.options.windowScale == 10)
        #expect(!s.options.truncated)
    }

    /// Every prefix that ends inside a header gives the exact truncation error of that layer;
    /// a prefix with the fixed TCP header but not all options decodes, marked cut by the snaplen.
    @Test func everyTruncatedPrefix() {
        let frame = Self.realSYN
        for length in 0..<frame.count {
            let prefix = Array(frame.prefix(length))
            let result = decode(prefix, .ethernet)
            switch length {
            case 0..<14:
                guard case .undecodable(.truncated(.link, 0, 14, length, .capturedLength)) = result else {
                    Issue.record("length \(length): \(result)")
                    continue
                }
            case 14..<34:
                guard case .undecodable(.truncated(.ipv4, 14, 20, length - 14, .capturedLength)) = result else {
                    Issue.record("length \(length): \(result)")
                    continue
                }
            case 34..<54:
                guard case .undecodable(.truncated(.tcp, 34, 20, length - 34, .capturedLength)) = result else {
                    Issue.record("length \(length): \(result)")
                    continue
                }
            default:
                guard case let .tcp(segment, cut) = result, cut, segment.options.truncated else {
                    Issue.record("length \(length): \(result)")
                    continue
                }
            }
        }
    }

    static let ipv4Segment = TCPSegment(
        source: Endpoint(address: IPAddress("192.0.2.1")!, port: 40000),
        destination: Endpoint(address: IPAddress("192.0.2.2")!, port: 443),
        sequence: SequenceNumber(7),
        acknowledgment: SequenceNumber(9),
        flags: [.ack, .psh],
        window: 1000,
        payloadLength: 5
    )
    /// A FIN: its checksum is verified on decoding, and the frame builder writes a correct one.
    static let ipv6Segment: TCPSegment = {
        var segment = TCPSegment(
            source: Endpoint(address: IPAddress("2001:db8::1")!, port: 40000),
            destination: Endpoint(address: IPAddress("2001:db8::2")!, port: 443),
            sequence: SequenceNumber(7),
            acknowledgment: SequenceNumber(9),
            flags: [.ack, .fin],
            window: 1000,
            payloadLength: 3
        )
        segment.checksum = .good
        return segment
    }()

    /// The eight-bytes-at-a-time sum agrees with the frame builder's two-bytes-at-a-time one for
    /// every length (odd tails included), IPv4 and IPv6, and catches one flipped bit.
    @Test func checksumSumsEveryLength() {
        for payload in 0..<40 {
            for original in [Self.ipv6Segment, Self.ipv4Segment] {
                var fin = original
                fin.flags = [.fin, .ack]
                fin.payloadLength = payload
                fin.checksum = .good
                let link: LinkType = original.source.address.isIPv6 ? .ipv6 : .ipv4
                let packet = FrameBuilder.packet(fin, payloadByte: UInt8(truncatingIfNeeded: payload &* 37 &+ 1))
                #expect(segment(of: packet, link)?.checksum == .good, "payload \(payload)")
                var flipped = packet
                flipped[flipped.count - 1] ^= 0x10
                if payload > 0 { #expect(segment(of: flipped, link)?.checksum == .bad, "payload \(payload)") }
            }
        }
    }

    @Test func checksumsOfControlSegmentsAreVerified() {
        var bad = Self.ipv6Segment
        bad.checksum = .bad
        #expect(segment(of: FrameBuilder.packet(bad), .ipv6)?.checksum == .bad)
        #expect(segment(of: FrameBuilder.packet(Self.ipv6Segment), .ipv6)?.checksum == .good)
        // Linux's partial checksum (the pseudo-header's sum, left for the NIC) is not bad.
        var packet = FrameBuilder.packet(Self.ipv6Segment)
        let tcp = 40
        var pseudo: UInt32 = 6 + UInt32(packet.count - tcp)
        for index in stride(from: 8, to: 40, by: 2) { pseudo += UInt32(packet[index]) << 8 | UInt32(packet[index + 1]) }
        while pseudo >> 16 != 0 { pseudo = (pseudo & 0xFFFF) + (pseudo >> 16) }
        packet[tcp + 16] = UInt8(pseudo >> 8)
        packet[tcp + 17] = UInt8(pseudo & 0xFF)
        #expect(segment(of: packet, .ipv6)?.checksum == .partial)
    }

    static let links: [FrameBuilder.Link] = [.ethernet(), .linuxSLL, .linuxSLL2, .null, .loop, .raw]

    @Test(arguments: links)
    func everyLinkTypeCarriesIPv4AndIPv6(_ link: FrameBuilder.Link) {
        for original in [Self.ipv4Segment, Self.ipv6Segment] {
            let decoded = segment(of: FrameBuilder.frame(original, link: link), link.linkType)
            #expect(decoded == original)
        }
    }

    @Test func linkTypesIPv4AndIPv6AndRawDLT() {
        #expect(segment(of: FrameBuilder.packet(Self.ipv4Segment), .ipv4) == Self.ipv4Segment)
        #expect(segment(of: FrameBuilder.packet(Self.ipv6Segment), .ipv6) == Self.ipv6Segment)
        #expect(segment(of: FrameBuilder.packet(Self.ipv6Segment), .rawDLT12) == Self.ipv6Segment)
    }

    @Test func vlanAndQinQIdsAreKept() {
        var expected = Self.ipv4Segment
        expected.vlan = 100
        #expect(
            segment(of: FrameBuilder.frame(Self.ipv4Segment, link: .ethernet(vlanTags: [100])), .ethernet) == expected
        )
        expected.vlan = 10 << 12 | 200
        #expect(
            segment(of: FrameBuilder.frame(Self.ipv4Segment, link: .ethernet(vlanTags: [10, 200])), .ethernet)
                == expected
        )
    }

    @Test func nonTCPAndLaterFragments() {
        var frame = FrameBuilder.frame(Self.ipv4Segment)
        frame[14 + 9] = 17  // UDP
        guard case .notTCP = decode(frame, .ethernet) else {
            Issue.record("UDP should be notTCP")
            return
        }
        frame[14 + 9] = 6
        frame[14 + 6] = 0x00
        frame[14 + 7] = 0x10  // fragment offset 16 × 8 bytes
        guard case .laterFragment = decode(frame, .ethernet) else {
            Issue.record("expected laterFragment")
            return
        }
        var arp = FrameBuilder.frame(Self.ipv4Segment)
        arp[12] = 0x08
        arp[13] = 0x06
        guard case .notTCP = decode(arp, .ethernet) else {
            Issue.record("ARP should be notTCP")
            return
        }
    }

    @Test func ipv4OptionsAreSkippedByIHL() {
        var packet = FrameBuilder.packet(Self.ipv4Segment)
        packet[0] = 0x46
        packet.insert(contentsOf: [1, 1, 1, 0], at: 20)  // NOP, NOP, NOP, EOL
        let total = UInt16(packet.count)
        packet[2] = UInt8(total >> 8)
        packet[3] = UInt8(total & 0xFF)
        #expect(segment(of: packet, .ipv4) == Self.ipv4Segment)
    }

    @Test func ipv6ExtensionHeadersAreWalked() {
        var packet = FrameBuilder.packet(Self.ipv6Segment)
        // Hop-by-hop (8 bytes, next: fragment) then a first fragment header (offset 0, next: TCP).
        let hopByHop: [UInt8] = [44, 0, 1, 4, 0, 0, 0, 0]
        let fragment: [UInt8] = [6, 0, 0, 1, 0, 0, 0, 42]
        packet[6] = 0
        packet.insert(contentsOf: hopByHop + fragment, at: 40)
        let payload = UInt16(packet.count - 40)
        packet[4] = UInt8(payload >> 8)
        packet[5] = UInt8(payload & 0xFF)
        #expect(segment(of: packet, .ipv6) == Self.ipv6Segment)
        packet[40 + 8 + 3] = 0x08  // fragment offset 1: a later fragment
        guard case .laterFragment = decode(packet, .ipv6) else {
            Issue.record("expected laterFragment")
            return
        }
    }

    @Test func malformedHeadersAreNamed() {
        var packet = FrameBuilder.packet(Self.ipv4Segment)
        packet[0] = 0x44
        guard case .undecodable(.malformed(.ipv4, 0, _)) = decode(packet, .ipv4) else {
            Issue.record("IHL 4")
            return
        }
        packet = FrameBuilder.packet(Self.ipv4Segment)
        packet[20 + 12] = 0x40  // data offset 4 words
        guard case .undecodable(.malformed(.tcp, 20, _)) = decode(packet, .ipv4) else {
            Issue.record("data offset 4")
            return
        }
        guard case .undecodable(.unsupportedLinkType) = decode(packet, LinkType(rawValue: 147)) else {
            Issue.record("link 147")
            return
        }
        guard case .undecodable(.malformed(.link, 0, _)) = decode([0x50] + packet.dropFirst(), .raw) else {
            Issue.record("version 5")
            return
        }
    }

    @Test func truncationMessageNamesLayerOffsetAndLimit() {
        let error = DecodeError.truncated(layer: .tcp, offset: 34, needed: 20, available: 14, limit: .capturedLength)
        #expect(error.description == "TCP header truncated at byte 34: needs 20 bytes, 14 available (captured length)")
    }

    /// Random bytes of every length never crash the decoder (a cheap stand-in for the fuzzer).
    @Test func garbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            for _ in 0..<20 {
                let junk = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                for link in LinkType.supported { _ = decode(junk, link) }
            }
        }
    }
}

extension FrameBuilder.Link: CustomTestStringConvertible {
    public var testDescription: String { linkType.description }
}
