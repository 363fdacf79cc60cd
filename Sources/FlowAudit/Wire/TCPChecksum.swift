/// Whether a segment's TCP checksum (RFC 9293 §3.1, the one's complement sum over a pseudo-header
/// and the segment) holds. Verified for SYN, FIN and RST segments only, the ones that move states
/// and are few: every payload byte of a bulk transfer would cost more than the analysis itself.
public enum TCPChecksum: UInt8, Sendable, Hashable {
    /// Not verified: a data or pure ACK segment, or one the snaplen cut.
    case unchecked
    case good
    case bad
    /// The field holds only the pseudo-header's sum: Linux left it for the NIC to finish
    /// (CHECKSUM_PARTIAL: checksum offload, and veth pairs), so the capture saw it unfinished.
    case partial

    /// Verifies the segment `tcp` (its header and payload, all captured) sent from `source` to
    /// `destination`. A field of 0xFFFF standing for a computed 0 (software paths write it, RFC
    /// 1624 §3) sums the same, so it is not called bad; a field holding the pseudo-header's sum
    /// alone is `partial` (Linux's `__tcp_v4_send_check` leaves it so for the NIC).
    static func verify(_ tcp: UnsafeRawBufferPointer, source: IPAddress, destination: IPAddress) -> TCPChecksum {
        guard tcp.count >= 20 else { return .unchecked }
        var sum: UInt64 = 6 &+ UInt64(tcp.count)
        func add(_ address: IPAddress) {
            if address.isIPv6 {
                sum &+= address.high >> 32 &+ (address.high & 0xFFFF_FFFF) &+ address.low >> 32 &+ (address.low & 0xFFFF_FFFF)
            } else {
                sum &+= address.low & 0xFFFF_FFFF
            }
        }
        add(source)
        add(destination)
        var pseudo = sum
        while pseudo >> 16 != 0 { pseudo = (pseudo & 0xFFFF) &+ (pseudo >> 16) }
        if UInt64(tcp[16]) << 8 | UInt64(tcp[17]) == pseudo { return .partial }
        var index = 0
        while index + 1 < tcp.count {
            sum &+= UInt64(tcp[index]) << 8 | UInt64(tcp[index + 1])
            index += 2
        }
        if index < tcp.count { sum &+= UInt64(tcp[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return sum == 0xFFFF ? .good : .bad
    }
}
