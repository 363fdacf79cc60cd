import CPcap
import FlowAudit

/// One frame as libpcap lends it: its number (1-based, as Wireshark counts), the header's capture
/// time (nil when out of the representable range), the captured bytes (valid only during the
/// call that receives it) and the length the packet had on the wire.
public struct CapturedFrame {
    public var number: UInt64
    public var time: Timestamp?
    public var bytes: UnsafeRawBufferPointer
    public var wireLength: Int
    /// The header's seconds field as stored (for a diagnostic when `time` is nil).
    public var headerSeconds: Int64
}

/// What asking libpcap for the next frame gave.
enum NextFrame {
    case frame(UnsafePointer<pcap_pkthdr>, UnsafePointer<UInt8>)
    /// None yet (a live capture's buffer is empty: its timeout passed, or it is non-blocking).
    case none
    /// The end of a file, or `pcap_breakloop`.
    case end
    /// libpcap's message for a read error (a truncated or corrupt file, a failed interface).
    case failed(String)
}

extension PcapHandle {
    /// The next frame: the one place `pcap_next_ex` is called, for files and live captures alike.
    /// The handle was opened with nanosecond precision (files) or is read as microseconds (live),
    /// see `CapturedFrame.init(number:header:data:nanoseconds:)`.
    @inline(__always)
    func nextFrame() -> NextFrame {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(pointer, &header, &data) {
        case 1:
            guard let header, let data else { return .none }
            return .frame(header, data)
        case 0:
            return .none
        case PCAP_ERROR_BREAK:
            return .end
        default:
            return .failed(lastError)
        }
    }
}

extension CapturedFrame {
    /// The frame libpcap lent as `header` and `data`; `nanoseconds` says whether the header's
    /// fraction field counts nanoseconds (a file opened with nanosecond precision) or microseconds.
    @inline(__always)
    init(number: UInt64, header: UnsafePointer<pcap_pkthdr>, data: UnsafePointer<UInt8>, nanoseconds: Bool) {
        let h = header.pointee
        self.number = number
        headerSeconds = Int64(h.ts.tv_sec)
        time = Timestamp(
            captureSeconds: Int64(h.ts.tv_sec),
            fraction: Int64(h.ts.tv_usec),
            unitsPerSecond: nanoseconds ? 1_000_000_000 : 1_000_000
        )
        bytes = UnsafeRawBufferPointer(start: data, count: Int(h.caplen))
        wireLength = Int(h.len)
    }
}
