import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// PPPoE, MPLS, NFLOG and 802.11 (issue 12, feature 6): each peels to the same TCP segment, and
/// what carries no readable IP is not TCP rather than damage.
@Suite("Encapsulations and more link types")
struct EncapsulationDecoderTests {
    static let syn = TCPSegment(
        source: ConnectionScript.endpoint("10.0.0.1:40000"),
        destination: ConnectionScript.endpoint("10.0.0.2:80"),
        sequence: SequenceNumber(1_000),
        acknowledgment: nil,
        flags: [.syn],
        options: TCPOptions()
    )
    static let syn6 = TCPSegment(
        source: ConnectionScript.endpoint("[2001:db8::1]:40000"),
        destination: ConnectionScript.endpoint("[2001:db8::2]:443"),
        sequence: SequenceNumber(7),
        acknowledgment: nil,
        flags: [.syn],
        options: TCPOptions()
    )

    @Test func pppoeUnderQinQ() throws {
        let frame = FrameBuilder.frame(Self.syn, link: .pppoe(vlanTags: [10, 200]))
        let s = try #require(segment(of: frame, .ethernet))
        #expect(s.source == Self.syn.source && s.vlan == 10 << 12 | 200)
        // PPP link control (LCP, 0xC021) is not TCP: the protocol field follows two tags, the
        // EtherType and the 6-byte PPPoE header.
        var lcp = frame
        lcp[28] = 0xC0
        lcp[29] = 0x21
        guard case .notTCP = decode(lcp, .ethernet) else {
            Issue.record("LCP decoded as \(decode(lcp, .ethernet))")
            return
        }
    }

    @Test func mplsStackOfThreeAroundIPv6() throws {
        let frame = FrameBuilder.frame(Self.syn6, link: .mpls(labels: [16, 17, 18]))
        let s = try #require(segment(of: frame, .ethernet))
        #expect(s.destination == Self.syn6.destination)
        // A pseudowire control word (first nibble 0) after the stack carries no IP directly.
        var pseudowire = FrameBuilder.frame(Self.syn, link: .mpls(labels: [16]))
        pseudowire[18] = 0x00
        guard case .notTCP = decode(pseudowire, .ethernet) else {
            Issue.record("pseudowire decoded")
            return
        }
    }

    @Test func nflogInEitherByteOrder() throws {
        let little = FrameBuilder.frame(Self.syn, link: .nflog)
        #expect(try #require(segment(of: little, .nflog)).source == Self.syn.source)
        // The same message from a big-endian host: every TLV length and type swapped.
        var big = little
        var offset = 4
        while offset + 4 <= big.count {
            let length = Int(big[offset]) | Int(big[offset + 1]) << 8
            big.swapAt(offset, offset + 1)
            big.swapAt(offset + 2, offset + 3)
            offset += (length + 3) & ~3
        }
        #expect(try #require(segment(of: big, .nflog)).source == Self.syn.source)
        // A message without a payload TLV is damage, named as such.
        guard case .undecodable(.malformed(.nflog, _, .noPayload)) = decode(Array(little.prefix(16)), .nflog) else {
            Issue.record("\(decode(Array(little.prefix(16)), .nflog))")
            return
        }
    }

    @Test func ieee80211DataFramesWithAndWithoutRadiotap() throws {
        let radiotap = FrameBuilder.frame(Self.syn, link: .radiotap)
        #expect(try #require(segment(of: radiotap, .ieee80211Radiotap)).source == Self.syn.source)
        let plain = Array(radiotap.dropFirst(8))
        #expect(try #require(segment(of: plain, .ieee80211)).source == Self.syn.source)
        // A four-address (WDS) QoS data frame: 6 more header bytes.
        var wds = Array(plain.prefix(24)) + [0x02, 0, 0, 0, 0, 0x03] + Array(plain.dropFirst(24))
        wds[1] = 0x03
        #expect(try #require(segment(of: wds, .ieee80211)).source == Self.syn.source)
        // Protected (encrypted) and management frames hide any IP.
        var protected = plain
        protected[1] |= 0x40
        guard case .notTCP = decode(protected, .ieee80211) else {
            Issue.record("protected frame decoded")
            return
        }
        var beacon = plain
        beacon[0] = 0x80
        guard case .notTCP = decode(beacon, .ieee80211) else {
            Issue.record("beacon decoded")
            return
        }
    }
}
