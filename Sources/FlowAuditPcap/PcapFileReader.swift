import CPcap
import FlowAudit

#if canImport(Glibc)
import Glibc
#endif

/// Reads a pcap or pcapng file (or standard input, named `-`) through libpcap, with nanosecond
/// timestamps, and lends each frame to the caller in place: no copy of the packet bytes.
public final class PcapFileReader: FrameSource {
    public let name: String
    public let linkType: LinkType
    let capture: PcapHandle
    private var handle: OpaquePointer { capture.pointer }
    static let readBufferSize = 1 << 20
    /// The `-f` filter as given (for the pcapng block reader, see `forEachFrame`).
    private let filterExpression: String?
    /// The compiled `-f` filter, applied frame by frame so frame numbers stay those of the file.
    @exclusivity(unchecked) private var program: bpf_program?

    /// Opens `path` (`-` for standard input). libpcap recognises pcap (either byte order, micro- or
    /// nanosecond magic) and pcapng by their magic numbers.
    public init(path: String, filter: String? = nil) throws(PcapError) {
        name = path
        filterExpression = filter
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let streamBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.readBufferSize)
        let opened: OpaquePointer? = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            // A fresh FILE on descriptor 0 rather than the global `stdin`, which libpcap closes.
            // If the file cannot be opened here, libpcap opens it to word the error.
            guard let opened = path == "-" ? fdopen(0, "rb") : fopen(path, "rb") else {
                return pcap_open_offline_with_tstamp_precision(
                    path,
                    UInt32(PCAP_TSTAMP_PRECISION_NANO),
                    buffer.baseAddress
                )
            }
            // libpcap reads through stdio; a 1 MiB buffer instead of the default 4 KiB makes a
            // read system call per MiB instead of per page on a multi-gigabyte file.
            // (glibc ignores the size unless it is given the buffer; set before the first read.)
            setvbuf(opened, streamBuffer, _IOFBF, Self.readBufferSize)
            // A gzip-compressed capture (`.pcap.gz`, or compressed on standard input) is inflated
            // on the way: libpcap reads the inflated stream.
            var file = opened
            if GzipStream.isCompressed(opened) {
                guard let inflating = GzipStream.open(opened) else {
                    fclose(opened)
                    let reason = Array("cannot start inflating the gzip stream".utf8CString)
                    for (index, byte) in reason.prefix(buffer.count).enumerated() { buffer[index] = byte }
                    return nil
                }
                file = inflating
            }
            guard
                let capture = pcap_fopen_offline_with_tstamp_precision(
                    file,
                    UInt32(PCAP_TSTAMP_PRECISION_NANO),
                    buffer.baseAddress
                )
            else {
                fclose(file)
                return nil
            }
            return capture
        }
        guard let opened else {
            streamBuffer.deallocate()
            throw .cannotOpen(
                file: path,
                reason: String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            )
        }
        // The stdio buffer libpcap reads through belongs to the handle: freed after the file is closed.
        let capture = PcapHandle(opened, streamBuffer: streamBuffer)
        let link = LinkType(rawValue: pcap_datalink(opened))
        guard link.isSupported else {
            let name = pcap_datalink_val_to_name(link.rawValue).map { String(cString: $0) } ?? "unknown"
            throw .unsupportedLinkType(file: path, linkType: link.rawValue, name: name)
        }
        self.capture = capture
        linkType = link
        if let filter {
            var compiled = bpf_program()
            guard pcap_compile(handle, &compiled, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                throw .badFilter(expression: filter, reason: String(cString: pcap_geterr(handle)))
            }
            program = compiled
        }
    }

    deinit {
        if var program { pcap_freecode(&program) }
    }

    /// Calls `body` with every frame in order (filtered-out frames keep their numbers).
    /// Returns the damage that ended reading early (truncated or corrupt file), or nil at a clean end
    /// or when `shouldStop` (asked every 64 frames) said to stop.
    @inline(__always)
    public func forEachFrame(shouldStop: (() -> Bool)? = nil, _ body: (CapturedFrame) -> Void) -> String? {
        var number: UInt64 = 0
        // `shouldStop` is asked between bursts of 64 frames: it is a closure call.
        while shouldStop?() != true {
            let end = withFilter { filter in
                capture.readFrames(limit: 64, numberedFrom: &number, nanoseconds: true, filter: filter) { frame, _, _ in
                    body(frame)
                    return true
                }
            }
            switch end {
            case .limit, .stopped, .none: continue
            case .end: return nil
            case let .failed(reason):
                // libpcap 1.10 stops at an interface of a second link type: a file (not standard
                // input) is read on from there by the pcapng block reader.
                if reason.contains("different from the type of the first interface"), name != "-",
                    let blocks = PcapngBlockReader(path: name, filter: filterExpression)
                {
                    return blocks.forEachFrame(skipping: number, shouldStop: shouldStop, body)
                }
                return "frame \(number + 1): \(reason)"
            }
        }
        return nil
    }

    /// Calls `body` with every frame and libpcap's header and data for it (no filter), until
    /// `body` returns false; returns the damage that ended reading early, if any.
    func forEachFrame(
        withHeaders: Bool,
        _ body: (CapturedFrame, UnsafePointer<pcap_pkthdr>, UnsafePointer<UInt8>) -> Bool
    ) -> String? {
        var number: UInt64 = 0
        while true {
            switch capture.readFrames(limit: 1 << 16, numberedFrom: &number, nanoseconds: true, body) {
            case .limit, .none: continue
            case .stopped, .end: return nil
            case let .failed(reason): return "frame \(number + 1): \(reason)"
            }
        }
    }

    /// Calls `body` with the compiled filter, if there is one.
    @inline(__always)
    private func withFilter<Result>(_ body: (UnsafePointer<bpf_program>?) -> Result) -> Result {
        guard program != nil else { return body(nil) }
        return withUnsafePointer(to: &program!) { body($0) }
    }
}
