import CPcap
import FlowAudit

#if canImport(Glibc)
import Glibc
#endif

/// Captures from a live interface through libpcap (`pcap_create`, immediate mode), optionally
/// writing every packet to a pcap file as well, and lends each frame to the caller in place.
///
/// The capture loop waits on libpcap's selectable descriptor with a short timeout, so the caller
/// gets control back on the wall clock even when no packet arrives (timers must run while quiet).
public final class LiveCapture {
    public let interface: String
    public let linkType: LinkType
    private let capture: PcapHandle
    private var handle: OpaquePointer { capture.pointer }
    private var dump: PcapDumpFile?
    /// Why writing the `-w` file failed, if it did (it is incomplete from there on).
    public var dumpFailure: String? { dump?.failure }

    /// libpcap's counters: packets received, dropped by the kernel (buffer full), and dropped by
    /// the interface or driver.
    public struct Statistics: Sendable {
        public var received: UInt32
        public var droppedByKernel: UInt32
        public var droppedByInterface: UInt32
    }

    /// An interface as `pcap_findalldevs` reports it.
    public struct Interface: Sendable {
        public var name: String
        public var description: String?
        public var isUp: Bool
        public var isRunning: Bool
        public var isLoopback: Bool
    }

    public static func interfaces() throws(PcapError) -> [Interface] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        var list: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&list, &errorBuffer) == 0 else {
            throw .cannotCapture(interface: "interfaces", reason: Self.text(errorBuffer))
        }
        defer { pcap_freealldevs(list) }
        var found: [Interface] = []
        var cursor = list
        while let device = cursor {
            let flags = device.pointee.flags
            found.append(
                Interface(
                    name: String(cString: device.pointee.name),
                    description: device.pointee.description.map { String(cString: $0) },
                    isUp: flags & UInt32(PCAP_IF_UP) != 0,
                    isRunning: flags & UInt32(PCAP_IF_RUNNING) != 0,
                    isLoopback: flags & UInt32(PCAP_IF_LOOPBACK) != 0
                )
            )
            cursor = device.pointee.next
        }
        return found
    }

    /// Opens `interface` (`any` for all, as Linux SLL2). `snaplen` 256 keeps every header and
    /// option while dropping payload; the 4 MiB buffer absorbs bursts.
    public init(
        interface: String,
        snaplen: Int32 = 256,
        bufferSize: Int32 = 4 << 20,
        filter: String? = nil,
        writeTo path: String? = nil
    ) throws(PcapError) {
        self.interface = interface
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let created = pcap_create(interface, &errorBuffer) else {
            throw .cannotCapture(interface: interface, reason: Self.text(errorBuffer))
        }
        capture = PcapHandle(created)
        pcap_set_snaplen(created, snaplen)
        pcap_set_immediate_mode(created, 1)
        pcap_set_buffer_size(created, bufferSize)
        pcap_set_timeout(created, 100)
        let status = pcap_activate(created)
        if status < 0 {
            throw Self.activationError(status, interface: interface, detail: capture.lastError)
        }
        // `any` offers Linux cooked v2 (with the interface index) next to v1; prefer it, as tcpdump does.
        var offered: UnsafeMutablePointer<Int32>?
        let count = pcap_list_datalinks(created, &offered)
        if count > 0, let offered {
            if UnsafeBufferPointer(start: offered, count: Int(count)).contains(LinkType.linuxSLL2.rawValue) {
                pcap_set_datalink(created, LinkType.linuxSLL2.rawValue)
            }
            pcap_free_datalinks(offered)
        }
        linkType = LinkType(rawValue: pcap_datalink(created))
        if let filter { try apply(filter: filter) }
        if let path { dump = try PcapDumpFile(capture: capture, path: path) }
        guard pcap_setnonblock(handle, 1, &errorBuffer) == 0 else {
            throw .cannotCapture(interface: interface, reason: Self.text(errorBuffer))
        }
    }

    private func apply(filter: String) throws(PcapError) {
        var program = bpf_program()
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw .badFilter(expression: filter, reason: String(cString: pcap_geterr(handle)))
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw .badFilter(expression: filter, reason: String(cString: pcap_geterr(handle)))
        }
    }

    private static func activationError(_ status: Int32, interface: String, detail: String) -> PcapError {
        switch status {
        case PCAP_ERROR_PERM_DENIED:
            return .permissionDenied(interface: interface)
        case PCAP_ERROR_NO_SUCH_DEVICE:
            let names = (try? interfaces().map(\.name)) ?? []
            return .noSuchInterface(interface: interface, available: names)
        case PCAP_ERROR_IFACE_NOT_UP:
            return .interfaceDown(interface: interface)
        default:
            return .cannotCapture(interface: interface, reason: detail)
        }
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Delivers packets to `body` until `shouldStop` says so, calling `idle` with the wall clock
    /// at least every `tick` milliseconds. Returns an error message if libpcap failed mid-capture.
    public func run(
        tick: Int32 = 200,
        shouldStop: () -> Bool,
        idle: (Timestamp) -> Void,
        body: (CapturedFrame) -> Void
    ) -> String? {
        let descriptor = pcap_get_selectable_fd(handle)
        var number: UInt64 = 0
        while !shouldStop() {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, tick)
            let end = capture.readFrames(limit: 10_000, numberedFrom: &number, nanoseconds: false) {
                frame,
                header,
                data in
                dump?.write(header, data)
                body(frame)
                return !shouldStop()
            }
            if case let .failed(reason) = end { return reason }
            dump?.flush()
            idle(Self.wallClock())
        }
        dump?.flush()
        return nil
    }

    public var statistics: Statistics? {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return Statistics(received: stats.ps_recv, droppedByKernel: stats.ps_drop, droppedByInterface: stats.ps_ifdrop)
    }

    /// The wall clock, read here (in the capture layer) and passed into the analysis as capture time.
    public static func wallClock() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(nanoseconds: Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec))
    }
}
