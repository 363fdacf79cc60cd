import CPcap
import FlowAudit

/// What a live capture gave: where it came from (with libpcap's drop counters), its summary, and
/// why writing the `-w` copy failed, if it did.
public struct LiveAuditResult: Sendable {
    public var source: CaptureSource
    public var summary: CaptureSummary
    public var dumpFailure: String?
}

/// Captures from an interface through libpcap and audits as it goes, beside `CaptureAudit` for
/// files: each report goes out the moment it is decided (findings on open connections included,
/// `FlowAuditor`'s `immediately`), timers run on the wall clock while no packet arrives, and the
/// end (`shouldStop`, a packet count or a duration) judges every open connection.
public enum LiveAudit {
    /// Where and how to capture, and when to stop.
    public struct Settings: Sendable {
        public var interface: String
        public var snaplen: Int32 = 256
        /// A BPF capture filter (tcpdump syntax).
        public var filter: String?
        /// A pcap file that receives a copy of every packet captured.
        public var writeTo: String?
        /// Stop after this many packets.
        public var count: UInt64?
        /// Stop after this many seconds of wall-clock time (validated by the caller: at most 10⁷).
        public var duration: Double?

        public init(interface: String) { self.interface = interface }
    }

    /// Runs the capture. `started` is called once the interface is open, before the first packet.
    public static func run(
        _ settings: Settings,
        configuration: AuditConfiguration,
        reportAll: Bool,
        shouldStop: () -> Bool,
        started: (LiveCapture) -> Void,
        onReport: @escaping (GenerationReport) -> Void
    ) throws(PcapError) -> LiveAuditResult {
        let capture = try LiveCapture(
            interface: settings.interface,
            snaplen: settings.snaplen,
            filter: settings.filter,
            writeTo: settings.writeTo
        )
        let linkType = capture.linkType
        guard linkType.isSupported else {
            let name = pcap_datalink_val_to_name(linkType.rawValue).map { String(cString: $0) } ?? "unknown"
            throw .unsupportedLinkType(file: settings.interface, linkType: linkType.rawValue, name: name)
        }
        started(capture)
        let auditor = FlowAuditor(
            configuration: configuration,
            reportAll: reportAll,
            immediately: true,
            onReport: onReport
        )
        let deadline = settings.duration.map { LiveCapture.wallClock() + Int64($0 * 1e9) }
        var packets: UInt64 = 0
        let failure = capture.run(
            shouldStop: {
                shouldStop() || settings.count.map { packets >= $0 } == true
                    || deadline.map { LiveCapture.wallClock() >= $0 } == true
            },
            idle: { auditor.advance(to: $0) },
            body: { frame in
                packets += 1
                auditor.process(
                    frame: frame.number,
                    time: frame.time ?? LiveCapture.wallClock(),
                    bytes: frame.bytes,
                    wireLength: frame.wireLength,
                    linkType: linkType
                )
            }
        )
        auditor.advance(to: LiveCapture.wallClock())
        auditor.finish()
        var source = CaptureSource(name: settings.interface, linkType: linkType, damage: failure)
        if let stats = capture.statistics {
            source.counters = CaptureCounters(
                received: UInt64(stats.received),
                droppedByKernel: UInt64(stats.droppedByKernel),
                droppedByInterface: UInt64(stats.droppedByInterface),
                countsEachPacketTwice: (try? LiveCapture.interfaces())?.first { $0.name == settings.interface }?
                    .isLoopback ?? false
            )
        }
        return LiveAuditResult(source: source, summary: auditor.summary, dumpFailure: capture.dumpFailure)
    }
}
