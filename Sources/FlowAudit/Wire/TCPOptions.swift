/// The TCP options the analysis uses, decoded from the header's option bytes in place.
///
/// Kinds (IANA): 2 MSS (RFC 9293 §3.7.1), 3 window scale (RFC 7323 §2), 4 SACK-permitted and 5 SACK
/// (RFC 2018), 8 timestamps (RFC 7323 §3), 34 TCP Fast Open cookie (RFC 7413 §4.1; also the
/// experimental kind 254 with magic 0xF989). Unknown kinds are skipped by their length byte.
public struct TCPOptions: Hashable, Sendable {
    public var maximumSegmentSize: UInt16?
    public var windowScale: UInt8?
    public var sackPermitted = false
    /// TSval and TSecr, when the timestamps option is present.
    public var timestampValue: UInt32?
    public var timestampEcho: UInt32?
    /// Number of SACK blocks and the first one (a D-SACK, RFC 2883, when it lies below the ACK).
    public var sackBlockCount: UInt8 = 0
    public var firstSACKBlock: (left: UInt32, right: UInt32)? {
        get { sackLeft.map { ($0, sackRight) } }
        set {
            sackLeft = newValue?.left
            sackRight = newValue?.right ?? 0
        }
    }
    /// True when the option bytes ended inside an option (snaplen cut, or a corrupt length).
    public var truncated = false
    /// A TCP Fast Open option (a cookie request when empty, a cookie otherwise), RFC 7413 §4.1.
    public var fastOpen = false

    private var sackLeft: UInt32?
    private var sackRight: UInt32 = 0

    public init() {}

    /// Walks the option list in `view[start..<end]`, stopping at End-of-Option-List or damage.
    @inlinable
    static func decode(_ view: ByteView, from start: Int, to end: Int) -> TCPOptions {
        var options = TCPOptions()
        // Most segments of a connection that negotiated timestamps carry exactly NOP, NOP, TS
        // (Linux, RFC 7323 Appendix A's layout): read it in one step.
        if end - start == 12, end <= view.count, view.u32(start) == 0x0101_080A {
            options.timestampValue = view.u32(start + 4)
            options.timestampEcho = view.u32(start + 8)
            return options
        }
        var offset = start
        while offset < end {
            guard let kind = view.u8(offset) else {
                options.truncated = true
                break
            }
            if kind == 0 { break }
            if kind == 1 {
                offset += 1
                continue
            }
            guard offset + 1 < end, let length = view.u8(offset + 1).map(Int.init), length >= 2 else {
                options.truncated = true
                break
            }
            guard offset + length <= end, offset + length <= view.count else {
                options.truncated = true
                break
            }
            switch (kind, length) {
            case (2, 4): options.maximumSegmentSize = view.u16(offset + 2)
            case (3, 3): options.windowScale = view.u8(offset + 2)
            case (4, 2): options.sackPermitted = true
            case (5, _) where (length - 2) % 8 == 0 && length > 2:
                options.sackBlockCount = UInt8((length - 2) / 8)
                if let left = view.u32(offset + 2), let right = view.u32(offset + 6) {
                    options.firstSACKBlock = (left, right)
                }
            case (8, 10):
                options.timestampValue = view.u32(offset + 2)
                options.timestampEcho = view.u32(offset + 6)
            case (34, _): options.fastOpen = true
            case (254, _) where length >= 4 && view.u16(offset + 2) == 0xF989: options.fastOpen = true
            default: break
            }
            offset += length
        }
        return options
    }

    public static func == (lhs: TCPOptions, rhs: TCPOptions) -> Bool {
        lhs.maximumSegmentSize == rhs.maximumSegmentSize && lhs.windowScale == rhs.windowScale
            && lhs.sackPermitted == rhs.sackPermitted && lhs.timestampValue == rhs.timestampValue
            && lhs.timestampEcho == rhs.timestampEcho && lhs.sackBlockCount == rhs.sackBlockCount
            && lhs.sackLeft == rhs.sackLeft && lhs.sackRight == rhs.sackRight && lhs.truncated == rhs.truncated
            && lhs.fastOpen == rhs.fastOpen
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(maximumSegmentSize)
        hasher.combine(timestampValue)
        hasher.combine(sackBlockCount)
    }
}
