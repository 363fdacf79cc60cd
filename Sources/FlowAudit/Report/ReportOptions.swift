/// What the user asked to see.
public struct ReportOptions: Sendable {
    /// Only these kinds are reported (all when nil).
    public var onlyKinds: Set<AnomalyKind>?
    public var minimumSeverity: Severity = .info
    /// Also report generations without findings (JSON `flow` objects, text flow lines).
    public var allFlows = false
    public var color = false
    /// Set for a merged capture (`--merge`): names each frame's own file and number.
    public var origins: FrameOrigins?

    public init() {}

    public func keeps(_ finding: Finding) -> Bool {
        finding.severity >= minimumSeverity && (onlyKinds?.contains(finding.kind) ?? true)
    }

    /// The findings of `report` this user wants to see.
    public func visibleFindings(_ report: GenerationReport) -> [Finding] { report.findings.filter(keeps) }
}

/// Where one capture's results came from, for the report's headings.
public struct CaptureSource: Sendable {
    public var name: String
    public var linkType: LinkType
    /// The damage that stopped reading early, if any ("truncated dump file …"), with the frame.
    public var damage: String?
    /// Live capture: libpcap's counts of packets received and dropped.
    public var counters: CaptureCounters?
    /// Set when a signal stopped reading early ("SIGINT"): what was read was judged.
    public var interruptedBy: String?
    /// For the summary across several inputs: how many were analysed and could not be read.
    public var inputs: (analysed: Int, unreadable: Int)?

    public init(name: String, linkType: LinkType, damage: String? = nil) {
        self.name = name
        self.linkType = linkType
        self.damage = damage
    }

    /// The source of the summary across several inputs.
    public static func all(analysed: Int, unreadable: Int, linkType: LinkType) -> CaptureSource {
        var source = CaptureSource(name: "all \(analysed) inputs", linkType: linkType)
        source.inputs = (analysed, unreadable)
        return source
    }
}

/// What libpcap counted on a live interface.
public struct CaptureCounters: Sendable {
    public var received: UInt64
    public var droppedByKernel: UInt64
    public var droppedByInterface: UInt64
    /// On a loopback interface the kernel hands every packet to the capture twice (as sent and
    /// as received); libpcap drops the outgoing copy but counts both in `received`.
    public var countsEachPacketTwice: Bool

    public init(
        received: UInt64,
        droppedByKernel: UInt64,
        droppedByInterface: UInt64,
        countsEachPacketTwice: Bool = false
    ) {
        self.received = received
        self.droppedByKernel = droppedByKernel
        self.droppedByInterface = droppedByInterface
        self.countsEachPacketTwice = countsEachPacketTwice
    }
}
