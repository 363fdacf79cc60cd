import DequeModule

/// Streams frames into per-4-tuple flows, keeps each flow's current connection generation, and
/// judges every generation once it is done: closed and past 2MSL, replaced by a new connection on
/// the same 4-tuple, idle past the timeout, or cut by the end of the capture.
///
/// Memory is bounded by the connections alive within 2MSL, not by the capture's length: judged
/// generations are freed, and only a small `GenerationSummary` of a replaced one is kept by its
/// successor. All time comes from the frames (or from the caller, via `advance(to:)`).
public final class FlowAuditor {
    public let configuration: AuditConfiguration
    public private(set) var summary = CaptureSummary()
    /// Called once for every judged generation that has findings (or every one, with `reportAll`).
    private let onReport: (GenerationReport) -> Void
    private let reportAll: Bool

    private struct FlowRecord {
        var ordinal: UInt64
        var current: ConnectionGeneration
        /// Whether `current` is counted in `openConnections` (a FIN sent again can reopen a
        /// generation the observer had thought closed).
        var countedOpen: Bool
    }

    /// A deadline to look at a flow again; stale entries are skipped (lazy deletion).
    private struct Pending {
        var deadline: Timestamp
        var key: FlowKey
        var ordinal: UInt64
    }

    private var flows: [FlowKey: FlowRecord] = [:]
    private var idleChecks = Deque<Pending>()
    private var closeChecks = Deque<Pending>()
    private var nextOrdinal: UInt64 = 0
    private var openConnections: UInt64 = 0
    /// Newest SYN TSval seen per (client address, server address): the per-host PAWS view.
    private var newestSYNTimestamp: [HostPair: UInt32] = [:]
    private var now = Timestamp(nanoseconds: .min)

    private struct HostPair: Hashable {
        var client: IPAddress
        var server: IPAddress
    }

    public init(configuration: AuditConfiguration = AuditConfiguration(), reportAll: Bool = false,
                onReport: @escaping (GenerationReport) -> Void) {
        self.configuration = configuration
        self.reportAll = reportAll
        self.onReport = onReport
    }

    /// Decodes and applies one captured frame. `bytes` is only read during the call.
    public func process(frame number: UInt64, time: Timestamp, bytes: UnsafeRawBufferPointer, wireLength: Int, linkType: LinkType) {
        summary.frames &+= 1
        summary.bytes &+= UInt64(wireLength)
        switch FrameDecoder.decode(bytes, linkType: linkType) {
        case let .tcp(segment, cut):
            process(segment, frame: number, time: time, cutBySnaplen: cut || bytes.count < wireLength && cut)
        case .notTCP:
            summary.notTCP &+= 1
            advance(to: time)
        case .laterFragment:
            summary.laterFragments &+= 1
            advance(to: time)
        case let .undecodable(error):
            summary.noteUndecodable(frame: number, error)
            advance(to: time)
        }
    }

    /// Applies one decoded segment (tests feed segments directly).
    public func process(_ segment: TCPSegment, frame: UInt64, time: Timestamp, cutBySnaplen: Bool = false) {
        summary.tcpPackets &+= 1
        if cutBySnaplen { summary.cutBySnaplen &+= 1 }
        if summary.firstTime == nil { summary.firstTime = time }
        advance(to: time)

        let (key, sender) = FlowKey.of(segment)
        guard var record = flows.removeValue(forKey: key) else {
            startFlow(key, segment, sender: sender, frame: frame, time: time, cut: cutBySnaplen)
            return
        }
        if startsNewGeneration(record.current, segment, from: sender) {
            if record.current.predecessor?.initialSequence(of: sender) == segment.sequence {
                record.current.noteStale(from: sender, frame, time, reason: "SYN of generation \(record.current.number - 1) sent again")
                flows[key] = record
                return
            }
            let old = record.current
            judge(old, ordinal: record.ordinal, reason: .superseded, at: time)
            record.current = ConnectionGeneration(
                key: key, number: old.number + 1, firstSegment: segment, from: sender, frame: frame, time: time,
                predecessor: GenerationSummary(old, endedAt: time))
            idleChecks.append(Pending(deadline: time + configuration.idleTimeout, key: key, ordinal: record.ordinal))
            checkHostTimestamp(&record.current, segment, sender: sender)
            record.current.apply(segment, from: sender, frame: frame, time: time, cutBySnaplen: cutBySnaplen)
        } else {
            record.current.apply(segment, from: sender, frame: frame, time: time, cutBySnaplen: cutBySnaplen)
            if segment.flags.contains(.syn), !segment.flags.contains(.ack), record.current.evidence.firstSYN?.frame == frame {
                checkHostTimestamp(&record.current, segment, sender: sender)
            }
        }
        updateOpenCount(&record, key: key)
        flows[key] = record
    }

    /// Keeps `openConnections` in step with the record and schedules the 2MSL check on closing.
    private func updateOpenCount(_ record: inout FlowRecord, key: FlowKey) {
        let open = !record.current.isClosed
        guard open != record.countedOpen else { return }
        record.countedOpen = open
        if open {
            openConnections += 1
            noteOpenPeak()
        } else {
            openConnections -= 1
            if let closed = record.current.closedSince {
                closeChecks.append(Pending(deadline: closed + configuration.timeWait, key: key, ordinal: record.ordinal))
            }
        }
    }

    private func startFlow(_ key: FlowKey, _ segment: TCPSegment, sender: Side, frame: UInt64, time: Timestamp, cut: Bool) {
        var generation = ConnectionGeneration(
            key: key, number: 1, firstSegment: segment, from: sender, frame: frame, time: time, predecessor: nil)
        checkHostTimestamp(&generation, segment, sender: sender)
        generation.apply(segment, from: sender, frame: frame, time: time, cutBySnaplen: cut)
        var record = FlowRecord(ordinal: nextOrdinal, current: generation, countedOpen: false)
        nextOrdinal += 1
        summary.flows += 1
        idleChecks.append(Pending(deadline: time + configuration.idleTimeout, key: key, ordinal: record.ordinal))
        updateOpenCount(&record, key: key)
        flows[key] = record
    }

    private func noteOpenPeak() {
        if openConnections > summary.peakOpenConnections { summary.peakOpenConnections = openConnections }
    }

    /// RFC 9293 §3.5 and DOMAIN.md §2: a SYN with a new ISN starts a new generation; the same ISN
    /// again is a retransmission, and a SYN answering a SYN-SENT peer is a simultaneous open.
    private func startsNewGeneration(_ g: ConnectionGeneration, _ segment: TCPSegment, from sender: Side) -> Bool {
        guard segment.flags.contains(.syn), !segment.flags.contains(.ack), !segment.flags.contains(.rst) else { return false }
        if g[sender].initialSequence == segment.sequence { return false }
        if g[sender].initialSequence == nil, g[sender.peer].state == .synSent { return false }
        return true
    }

    /// Records whether a first SYN's TSval is older than the newest seen from its host towards the
    /// same server (the input of `timestamp-regression`), then remembers the newer of the two.
    private func checkHostTimestamp(_ g: inout ConnectionGeneration, _ segment: TCPSegment, sender: Side) {
        guard segment.flags.contains(.syn), !segment.flags.contains(.ack), let value = segment.options.timestampValue else { return }
        let pair = HostPair(client: segment.source.address, server: segment.destination.address)
        if let newest = newestSYNTimestamp[pair], Int32(bitPattern: value &- newest) < 0 {
            g.evidence.synTimestampBehindHost = newest
        } else {
            newestSYNTimestamp[pair] = value
        }
    }

    /// Moves capture time forward to `time`, judging every flow whose deadline has passed. Live
    /// capture calls this from a clock when no packet arrives.
    public func advance(to time: Timestamp) {
        guard time > now else { return }
        now = time
        summary.lastTime = time
        expire(&closeChecks)
        expire(&idleChecks)
    }

    private func expire(_ queue: inout Deque<Pending>) {
        while let next = queue.first, next.deadline <= now {
            queue.removeFirst()
            guard let record = flows[next.key], record.ordinal == next.ordinal else { continue }
            let g = record.current
            if let closed = g.closedSince {
                let deadline = closed + configuration.timeWait
                if deadline <= now {
                    flows[next.key] = nil
                    judge(g, ordinal: record.ordinal, reason: .expired, at: deadline)
                } else {
                    closeChecks.append(Pending(deadline: deadline, key: next.key, ordinal: record.ordinal))
                }
            } else {
                let deadline = g.lastSeen + configuration.idleTimeout
                if deadline <= now {
                    flows[next.key] = nil
                    if record.countedOpen { openConnections -= 1 }
                    judge(g, ordinal: record.ordinal, reason: .idle, at: deadline)
                } else {
                    idleChecks.append(Pending(deadline: deadline, key: next.key, ordinal: record.ordinal))
                }
            }
        }
    }

    /// Ends the capture: every flow still known is judged, in first-seen order.
    public func finish() {
        let end = summary.lastTime ?? Timestamp(nanoseconds: 0)
        let remaining = flows.values.sorted { $0.ordinal < $1.ordinal }
        flows.removeAll()
        idleChecks.removeAll()
        closeChecks.removeAll()
        for record in remaining {
            judge(record.current, ordinal: record.ordinal, reason: .endOfCapture, at: end)
        }
    }

    private func judge(_ g: ConnectionGeneration, ordinal: UInt64, reason: FinishReason, at time: Timestamp) {
        let judgedAt = max(time, g.lastSeen)
        let context = ClassificationContext(
            configuration: configuration, reason: reason, now: judgedAt,
            lastMoment: Moment(frame: g.lastFrame, time: g.lastSeen, states: g.states))
        let findings = Classifiers.findings(for: g, context)
        summary.generations += 1
        summary.finalStatePairs["\(g[g.client].state) / \(g[g.server].state)", default: 0] += 1
        for finding in findings { summary.findingsByKind[finding.kind, default: 0] += 1 }
        if !findings.isEmpty || reportAll {
            onReport(GenerationReport(g, flowOrdinal: ordinal, reason: reason, now: judgedAt, findings: findings))
        }
    }
}
