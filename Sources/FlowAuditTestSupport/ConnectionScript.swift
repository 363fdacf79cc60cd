import FlowAudit

/// A readable description of what crossed the wire, segment by segment, for crafted captures:
///
///     var script = ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80")
///     script.handshake()
///     script.data(.client, 100)
///     script.close(first: .client)
///
/// Sequence and acknowledgment numbers follow from what each side sent (every segment is assumed
/// delivered); any of them can be overridden to craft damage. Each step advances the clock by
/// `after` seconds. Several scripts can be merged into one capture with `Capture`.
public struct ConnectionScript {
    public enum Peer: Sendable { case client, server }

    public var client: Endpoint
    public var server: Endpoint
    public private(set) var segments: [(segment: TCPSegment, time: Timestamp)] = []
    public var clock: Timestamp
    /// Send the timestamps option (RFC 7323) on every segment.
    public var timestamps: Bool
    public var vlan: UInt32 = 0
    /// Every segment this peer sends gets a bad checksum (captured on its host, with offload).
    public var badChecksums: Peer?
    /// Each peer's next IPv4 ID.
    private var ipID: (client: UInt16, server: UInt16) = (1, 1)

    private var nextSequence: (client: UInt32, server: UInt32)
    private var timestampValue: (client: UInt32, server: UInt32) = (100_000, 900_000)
    private var lastValueSeen: (client: UInt32, server: UInt32) = (0, 0)

    public init(
        client: String,
        server: String,
        clientISN: UInt32 = 1_000,
        serverISN: UInt32 = 5_000,
        start: Timestamp = Timestamp(seconds: 1_763_000_000),
        timestamps: Bool = true,
        timestampBase: UInt32 = 100_000
    ) {
        self.client = Self.endpoint(client)
        timestampValue = (timestampBase, timestampBase &+ 800_000)
        self.server = Self.endpoint(server)
        nextSequence = (clientISN, serverISN)
        clock = start
        self.timestamps = timestamps
    }

    /// Parses `1.2.3.4:80` or `[::1]:80`.
    public static func endpoint(_ text: String) -> Endpoint {
        let colon = text.lastIndex(of: ":")!
        var host = String(text[..<colon])
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        return Endpoint(address: IPAddress(host)!, port: UInt16(text[text.index(after: colon)...])!)
    }

    public func next(_ peer: Peer) -> UInt32 { peer == .client ? nextSequence.client : nextSequence.server }

    /// Sends one segment and returns its index in `segments` (0-based; the frame number is index + 1
    /// when the script is the whole capture).
    @discardableResult
    public mutating func send(
        _ from: Peer,
        _ flags: TCPFlags,
        payload: Int = 0,
        seq: UInt32? = nil,
        ack: UInt32? = nil,
        noACK: Bool = false,
        after seconds: Double = 0.001,
        tsval: UInt32? = nil,
        tsecr: UInt32? = nil,
        options extra: TCPOptions? = nil,
        hopLimit: UInt8 = 64,
        badChecksum: Bool = false
    ) -> Int {
        clock = clock + Int64(seconds * 1e9)
        let to: Peer = from == .client ? .server : .client
        let sequence = seq ?? next(from)
        let acknowledgment: SequenceNumber? =
            noACK || (flags.contains(.syn) && !flags.contains(.ack)) ? nil : SequenceNumber(ack ?? next(to))
        var options = extra ?? TCPOptions()
        if flags.contains(.syn) && extra == nil {
            options.maximumSegmentSize = 1460
            options.sackPermitted = true
            options.windowScale = 7
        }
        if timestamps {
            let value = tsval ?? (from == .client ? timestampValue.client : timestampValue.server)
            options.timestampValue = value
            options.timestampEcho =
                tsecr
                ?? (flags.contains(.syn) && !flags.contains(.ack)
                    ? 0 : (from == .client ? lastValueSeen.server : lastValueSeen.client))
            if from == .client {
                timestampValue.client = max(timestampValue.client, value) &+ 1
                lastValueSeen.client = value
            } else {
                timestampValue.server = max(timestampValue.server, value) &+ 1
                lastValueSeen.server = value
            }
        }
        let segment = TCPSegment(
            source: from == .client ? client : server,
            destination: from == .client ? server : client,
            vlan: vlan,
            sequence: SequenceNumber(sequence),
            acknowledgment: acknowledgment,
            flags: flags.subtracting(.ack),
            window: 502,
            payloadLength: payload,
            options: options,
            ipID: nextIPID(from),
            hopLimit: hopLimit
        )
        var stored = segment
        if acknowledgment != nil { stored.flags.insert(.ack) }
        if badChecksum || badChecksums == from { stored.checksum = .bad }
        segments.append((stored, clock))
        let end = sequence &+ stored.sequenceLength
        if seq == nil || Int32(bitPattern: end &- next(from)) > 0 {
            if from == .client { nextSequence.client = end } else { nextSequence.server = end }
        }
        return segments.count - 1
    }

    /// The IPv4 ID of `peer`'s next packet: Linux counts up per packet of a connected socket.
    private mutating func nextIPID(_ peer: Peer) -> UInt16 {
        defer { if peer == .client { ipID.client &+= 1 } else { ipID.server &+= 1 } }
        return peer == .client ? ipID.client : ipID.server
    }

    /// Sends segment `index` again, unchanged but for its time, IP ID and TSval (a
    /// retransmission); with `delayedCopy`, the IP ID and TSval too are the original's (a copy
    /// the network held back).
    @discardableResult
    public mutating func resend(_ index: Int, after seconds: Double, delayedCopy: Bool = false) -> Int {
        clock = clock + Int64(seconds * 1e9)
        var copy = segments[index].segment
        if !delayedCopy {
            copy.ipID = nextIPID(copy.source == client ? .client : .server)
            copy.checksum =
                badChecksums.map { ($0 == .client) == (copy.source == client) ? .bad : .unchecked } ?? .unchecked
        }
        if timestamps, !delayedCopy, copy.options.timestampValue != nil {
            let fromClient = copy.source == client
            let value = fromClient ? timestampValue.client : timestampValue.server
            copy.options.timestampValue = value
            if fromClient { timestampValue.client &+= 1 } else { timestampValue.server &+= 1 }
        }
        segments.append((copy, clock))
        return segments.count - 1
    }

    // MARK: Common sequences

    public mutating func handshake(rtt: Double = 0.001) {
        send(.client, .syn)
        send(.server, [.syn, .ack], after: rtt / 2)
        send(.client, .ack, after: rtt / 2)
    }

    /// `bytes` of data from `from`, acknowledged by the other side.
    public mutating func data(_ from: Peer, _ bytes: Int) {
        send(from, .psh, payload: bytes)
        send(from == .client ? .server : .client, .ack)
    }

    /// The four-way close (RFC 9293 §3.6, Figure 12), `first` closing actively.
    public mutating func close(first: Peer) {
        let second: Peer = first == .client ? .server : .client
        send(first, .fin)
        send(second, .ack)
        send(second, .fin)
        send(first, .ack)
    }

    /// The client closes first and its final ACK is lost after the capture point: the server sends
    /// its FIN again after `resendAfter` seconds and the client's TIME-WAIT re-acknowledges it.
    public mutating func closeLosingFinalACK(resendAfter: Double = 0.21) {
        send(.client, .fin)
        send(.server, .ack)
        let fin = send(.server, .fin)
        send(.client, .ack)
        resend(fin, after: resendAfter)
        send(.client, .ack)
    }

    /// A full accept queue as older kernels show it (tcp_abort_on_overflow=0): the client completes
    /// the handshake and sends a request, the server ignores both and resends its SYN-ACK after
    /// 1 s and again 2 s later, while the client re-ACKs and resends the request.
    /// Frames: 1 SYN, 2 SYN-ACK, 3 ACK, 4 request, 5 SYN-ACK, 6 re-ACK, 7 request again, 8 SYN-ACK.
    public mutating func acceptQueueIgnoresHandshake() {
        send(.client, .syn)
        let synACK = send(.server, [.syn, .ack])
        send(.client, .ack)
        let request = send(.client, .psh, payload: 80)
        resend(synACK, after: 1)
        send(.client, .ack)
        resend(request, after: 0.1)
        resend(synACK, after: 2)
    }

    /// Segment `index` captured a second time, `after` seconds later, byte for byte (a capture on
    /// two interfaces, a SPAN port mirroring both directions).
    @discardableResult
    public mutating func captureAgain(_ index: Int, after seconds: Double = 0.000_05) -> Int {
        clock = clock + Int64(seconds * 1e9)
        segments.append((segments[index].segment, clock))
        return segments.count - 1
    }

    /// Starts a new connection on the same 4-tuple (a new generation), with a new client ISN.
    public mutating func reconnect(clientISN: UInt32, serverISN: UInt32) {
        nextSequence = (clientISN, serverISN)
    }

    /// The pcap file of this script alone.
    public func pcap(link: FrameBuilder.Link = .ethernet(), snaplen: Int = 262_144, nanosecond: Bool = false) -> [UInt8]
    {
        var writer = PcapWriter(linkType: link.linkType, nanosecond: nanosecond, snaplen: snaplen)
        for (segment, time) in segments { writer.append(FrameBuilder.frame(segment, link: link), at: time) }
        return writer.bytes
    }
}

/// Several scripts interleaved by time into one capture.
public struct Capture {
    public var segments: [(segment: TCPSegment, time: Timestamp)]

    public init(_ scripts: [ConnectionScript]) {
        segments = scripts.flatMap(\.segments).enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    public func pcap(link: FrameBuilder.Link = .ethernet(), snaplen: Int = 262_144, nanosecond: Bool = false) -> [UInt8]
    {
        var writer = PcapWriter(linkType: link.linkType, nanosecond: nanosecond, snaplen: snaplen)
        for (segment, time) in segments { writer.append(FrameBuilder.frame(segment, link: link), at: time) }
        return writer.bytes
    }
}

/// Runs segments straight through a `FlowAuditor` (no file), returning every judged generation.
public func audit(
    _ segments: [(segment: TCPSegment, time: Timestamp)],
    configuration: AuditConfiguration = AuditConfiguration()
) -> [GenerationReport] {
    var reports: [GenerationReport] = []
    let auditor = FlowAuditor(configuration: configuration, reportAll: true) { reports.append($0) }
    for (index, entry) in segments.enumerated() {
        auditor.process(entry.segment, frame: UInt64(index + 1), time: entry.time)
    }
    auditor.finish()
    return reports
}
