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
                sum &+=
                    address.high >> 32 &+ (address.high & 0xFFFF_FFFF) &+ address.low >> 32
                    &+ (address.low & 0xFFFF_FFFF)
            } else {
                sum &+= address.low & 0xFFFF_FFFF
            }
        }
        add(source)
        add(destination)
        var pseudo = sum
        while pseudo >> 16 != 0 { pseudo = (pseudo & 0xFFFF) &+ (pseudo >> 16) }
        if UInt64(tcp[16]) << 8 | UInt64(tcp[17]) == pseudo { return .partial }
        // RFC 1071 §2: the one's complement sum does not depend on byte order, so the segment is
        // summed eight bytes at a time in the machine's order, folded, and swapped at the end.
        var data: UInt64 = 0
        var index = 0
        while index + 8 <= tcp.count {
            let (next, carry) = data.addingReportingOverflow(tcp.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            data = next &+ (carry ? 1 : 0)
            index += 8
        }
        var tail: UInt64 = 0  // the last bytes, zero-padded, in the same machine order
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: tcp[index...])) }
        let (withTail, carry) = data.addingReportingOverflow(tail)
        data = withTail &+ (carry ? 1 : 0)
        while data >> 16 != 0 { data = (data & 0xFFFF) &+ (data >> 16) }
        sum &+= UInt64(UInt16(bigEndian: UInt16(truncatingIfNeeded: data)))
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return sum == 0xFFFF ? .good : .bad
    }
}
