/// How many sockets each host held in TIME-WAIT over the capture (issue 13): the question behind
/// "why does this server hold 18 000 sockets in TIME-WAIT". The side that closed first holds
/// TIME-WAIT for 2MSL (`AuditConfiguration.timeWait`), unless a new connection on the 4-tuple ends
/// it earlier (RFC 6191, RFC 1122 §4.2.2.13). Per host and per (host, peer address, peer port):
/// the count over time, its peak and when, the total; for a client, the share of the ephemeral
/// port range the 4-tuples to one service tie up. The peer port is always the service's (the
/// server's port): a server's TIME-WAITs are grouped by client address and the port they came to,
/// a client's by server address and port.
///
/// A TIME-WAIT that outlives the end of the capture is counted to the capture's end and marked
/// `partial`; one that began before the capture started cannot be seen at all (say so).
struct TimeWaitPopulation {
    /// One TIME-WAIT, from its start to when it ended or would end.
    private struct Interval {
        var start: Timestamp
        var end: Timestamp
    }

    private struct PeerKey: Hashable {
        var host: IPAddress
        var hostIsClient: Bool
        var peer: IPAddress
        var servicePort: UInt16
    }

    private var byHost: [IPAddress: [Interval]] = [:]
    private var hostIsServer: [IPAddress: Bool] = [:]
    private var byPeer: [PeerKey: [Interval]] = [:]

    /// Notes the TIME-WAIT (if any) of a judged generation.
    mutating func note(_ g: ConnectionGeneration, reason: FinishReason, at time: Timestamp, timeWait: Int64) {
        guard let side = g.timeWaitSide else { return }
        let start = g[side].stateSince
        let natural = start + timeWait
        // A new connection on the 4-tuple ended it (the reuse took the TIME-WAIT socket over).
        let end = reason == .superseded ? min(natural, time) : natural
        let host = g.key.endpoint(side), peer = g.key.endpoint(side.peer)
        let interval = Interval(start: start, end: end)
        byHost[host.address, default: []].append(interval)
        if side == g.server { hostIsServer[host.address] = true }
        let servicePort = g.key.endpoint(g.server).port
        let key = PeerKey(
            host: host.address,
            hostIsClient: side == g.client,
            peer: peer.address,
            servicePort: servicePort
        )
        byPeer[key, default: []].append(interval)
    }

    /// The populations, busiest first, with the capture's time range (`first` … `last`).
    func entries(
        first: Timestamp?,
        last: Timestamp?,
        ephemeralPorts: Int,
        maxBuckets: Int
    ) -> [TimeWaitEntry] {
        guard let first, let last else { return [] }
        let step = Self.step(for: last.since(first))
        var entries: [TimeWaitEntry] = []
        for (host, intervals) in byHost {
            var entry = Self.entry(intervals, first: first, last: last, step: step)
            entry.host = host
            entry.hostRole = hostIsServer[host] == true ? "server" : "client"
            entry.aboveMaxBuckets = entry.peak > maxBuckets
            entries.append(entry)
        }
        for (key, intervals) in byPeer {
            var entry = Self.entry(intervals, first: first, last: last, step: step)
            entry.host = key.host
            entry.hostRole = key.hostIsClient ? "client" : "server"
            entry.peer = Endpoint(address: key.peer, port: key.servicePort)
            if key.hostIsClient { entry.portShare = Double(entry.peak) / Double(max(ephemeralPorts, 1)) }
            entries.append(entry)
        }
        return entries.sorted {
            ($0.peak, $0.total, $1.host.description, $1.peer?.description ?? "")
                > ($1.peak, $1.total, $0.host.description, $0.peer?.description ?? "")
        }
    }

    /// A step that cuts the capture into at most about 60 points, at a round number of seconds.
    static func step(for duration: Int64) -> Int64 {
        let candidates: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400]
        for seconds in candidates where duration / (seconds * 1_000_000_000) < 60 { return seconds * 1_000_000_000 }
        return 86400 * 1_000_000_000
    }

    /// Sweeps the intervals: the count over time (the most at once in each step), its peak and when.
    private static func entry(_ intervals: [Interval], first: Timestamp, last: Timestamp, step: Int64) -> TimeWaitEntry
    {
        var events: [(time: Timestamp, delta: Int)] = []
        events.reserveCapacity(intervals.count * 2)
        var partial = false
        for interval in intervals {
            events.append((interval.start, 1))
            if interval.end > last {
                partial = true
            } else {
                events.append((interval.end, -1))
            }
        }
        // Ends before starts at one instant: a reuse hands the 4-tuple over, it does not double it.
        events.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var entry = TimeWaitEntry(total: intervals.count, partial: partial)
        var count = 0
        var bucket = first, bucketMax = 0
        for event in events {
            while event.time >= bucket + step {
                entry.series.append((bucket, bucketMax))
                bucket = bucket + step
                bucketMax = count
            }
            count += event.delta
            bucketMax = max(bucketMax, count)
            if count > entry.peak {
                entry.peak = count
                entry.peakTime = event.time
            }
        }
        while bucket <= last {
            entry.series.append((bucket, bucketMax))
            bucket = bucket + step
            bucketMax = count
        }
        return entry
    }
}

/// One host's (or one host's towards one peer service) TIME-WAIT population over a capture.
public struct TimeWaitEntry: Sendable {
    public var host = IPAddress(ipv4: 0)
    /// Whether the host held TIME-WAIT as the client or the server of those connections.
    public var hostRole = "client"
    /// The peer's address with the service's port (the server's port: for a client host its
    /// peer is the server, for a server host the client and the port it connected to), or nil
    /// for the host as a whole.
    public var peer: Endpoint?
    public var peak = 0
    public var peakTime = Timestamp(nanoseconds: 0)
    /// TIME-WAITs seen in all.
    public var total = 0
    /// (step start, the most in TIME-WAIT at once during the step).
    public var series: [(Timestamp, Int)] = []
    /// Some TIME-WAITs outlived the capture: counted to its end.
    public var partial = false
    /// For a client towards one service: the peak's share of the ephemeral port range.
    public var portShare: Double?
    /// The host's peak exceeded `tcp_max_tw_buckets` (`AuditConfiguration.maxTimeWaitBuckets`).
    public var aboveMaxBuckets = false

    init(total: Int, partial: Bool) {
        self.total = total
        self.partial = partial
    }
}
