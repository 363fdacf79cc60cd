import FlowAudit

/// Writes classic pcap files (https://www.tcpdump.org/manpages/pcap-savefile.5.html): either byte
/// order, microsecond (0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps.
public struct PcapWriter {
    public let linkType: LinkType
    public let nanosecond: Bool
    public let bigEndian: Bool
    public let snaplen: Int
    public private(set) var bytes: [UInt8] = []

    public init(linkType: LinkType, nanosecond: Bool = false, bigEndian: Bool = false, snaplen: Int = 262_144) {
        self.linkType = linkType
        self.nanosecond = nanosecond
        self.bigEndian = bigEndian
        self.snaplen = snaplen
        put32(nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        put16(2)
        put16(4)
        put32(0)
        put32(0)
        put32(UInt32(snaplen))
        // LINKTYPE_RAW is 101 in files, whatever DLT_RAW is on the reading platform.
        put32(UInt32(linkType == .rawDLT12 || linkType == .rawDLT14 ? LinkType.raw.rawValue : linkType.rawValue))
    }

    /// Forgets what was written so far (header included), to stream records to a file one by one.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Appends one frame, cut to the snaplen; the original length is kept in the record header.
    public mutating func append(_ frame: [UInt8], at time: Timestamp) {
        let fraction = time.nanoseconds % 1_000_000_000
        append(
            frame,
            seconds: UInt32(truncatingIfNeeded: time.nanoseconds / 1_000_000_000),
            fraction: UInt32(nanosecond ? fraction : fraction / 1000)
        )
    }

    /// Appends one frame with the record header's time fields as given (the seconds field is a
    /// 32-bit value that readers take as signed: 0x8000_0000 is 1901, 0x7FFF_FFFF is 2038).
    public mutating func append(_ frame: [UInt8], seconds: UInt32, fraction: UInt32) {
        let kept = min(frame.count, snaplen)
        put32(seconds)
        put32(fraction)
        put32(UInt32(kept))
        put32(UInt32(frame.count))
        bytes += frame[..<kept]
    }

    private mutating func put32(_ value: UInt32) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes += $0 }
    }

    private mutating func put16(_ value: UInt16) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes += $0 }
    }
}

/// Writes pcapng files (RFC 9293's sibling draft-ietf-opsawg-pcapng): a section header, one
/// interface description per link type (with if_tsresol for nanoseconds), enhanced packet blocks.
public struct PcapNGWriter {
    public private(set) var bytes: [UInt8] = []
    private var interfaces = 0

    public init() {
        block(type: 0x0A0D_0D0A) { body in
            body.u32(0x1A2B_3C4D)
            body.u16(1)
            body.u16(0)
            body.u32(0xFFFF_FFFF)
            body.u32(0xFFFF_FFFF)
        }
    }

    /// Declares an interface and returns its id. `nanosecond` sets if_tsresol to 9.
    public mutating func addInterface(linkType: LinkType, nanosecond: Bool, snaplen: UInt32 = 262_144) -> UInt32 {
        block(type: 1) { body in
            body.u16(UInt16(linkType.rawValue))
            body.u16(0)
            body.u32(snaplen)
            if nanosecond {
                body.u16(9)  // if_tsresol
                body.u16(1)
                body.bytes += [9, 0, 0, 0]
            }
            body.u16(0)  // opt_endofopt
            body.u16(0)
        }
        interfaces += 1
        return UInt32(interfaces - 1)
    }

    public mutating func append(_ frame: [UInt8], at time: Timestamp, interface: UInt32, nanosecond: Bool) {
        append(frame, units: UInt64(nanosecond ? time.nanoseconds : time.nanoseconds / 1000), interface: interface)
    }

    /// Appends one frame with its 64-bit timestamp in the interface's units, as given.
    public mutating func append(_ frame: [UInt8], units: UInt64, interface: UInt32) {
        block(type: 6) { body in
            body.u32(interface)
            body.u32(UInt32(units >> 32))
            body.u32(UInt32(truncatingIfNeeded: units))
            body.u32(UInt32(frame.count))
            body.u32(UInt32(frame.count))
            body.bytes += frame
            while body.bytes.count % 4 != 0 { body.bytes.append(0) }
        }
    }

    private mutating func block(type: UInt32, _ fill: (inout LittleEndianBytes) -> Void) {
        var body = LittleEndianBytes()
        fill(&body)
        let total = UInt32(body.bytes.count + 12)
        var out = LittleEndianBytes()
        out.u32(type)
        out.u32(total)
        out.bytes += body.bytes
        out.u32(total)
        bytes += out.bytes
    }
}

struct LittleEndianBytes {
    var bytes: [UInt8] = []
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
}
