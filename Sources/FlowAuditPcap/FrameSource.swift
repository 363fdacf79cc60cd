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
    /// The frame's own link type where it differs by frame (a pcapng file with interfaces of
    /// several types); nil means the capture's.
    public var linkType: LinkType? = nil
}

/// Where frames come from for `CaptureAudit`: one capture file (`PcapFileReader`) or several
/// merged in time order (`MergedCapture`).
package protocol FrameSource {
    var linkType: LinkType { get }
    /// Calls `body` with every frame in order; returns the damage that ended reading early, if
    /// any. `shouldStop` is asked every few frames.
    func forEachFrame(shouldStop: (() -> Bool)?, _ body: (CapturedFrame) -> Void) -> String?
}

/// Why `PcapHandle.readFrames` returned.
enum FramesEnd {
    /// It read `limit` frames.
    case limit
    /// The caller's body asked to stop.
    case stopped
    /// No frame is waiting (a live capture's buffer is empty: its timeout passed).
    case none
    /// The end of a file, or `pcap_breakloop`.
    case end
    /// libpcap's message for a read error (a truncated or corrupt file, a failed interface).
    case failed(String)
}

extension PcapHandle {
    /// The one `pcap_next_ex` loop, for files and live captures alike: reads up to `limit` frames,
    /// numbering them on from `number` (frames `filter` rejects keep their numbers but are not
    /// passed on), and lends each to `body` with libpcap's header and data (for a `-w` copy);
    /// `body` returns false to stop. `nanoseconds` says how the headers' fraction field counts.
    @inline(__always)
    func readFrames(
        limit: Int,
        numberedFrom number: inout UInt64,
        nanoseconds: Bool,
        filter: UnsafePointer<bpf_program>? = nil,
        _ body: (CapturedFrame, UnsafePointer<pcap_pkthdr>, UnsafePointer<UInt8>) -> Bool
    ) -> FramesEnd {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        for _ in 0..<limit {
            switch pcap_next_ex(pointer, &header, &data) {
            case 1:
                guard let header, let data else { continue }
                number += 1
                if let filter, pcap_offline_filter(filter, header, data) == 0 { continue }
                let frame = CapturedFrame(number: number, header: header, data: data, nanoseconds: nanoseconds)
                if !body(frame, header, data) { return .stopped }
            case 0:
                return .none
            case PCAP_ERROR_BREAK:
                return .end
            default:
                return .failed(lastError)
            }
        }
        return .limit
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
