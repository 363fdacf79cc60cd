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
    /// One TIME-WAIT, from its start to when it ended or would end, with its host's and its
    /// peer group's numbers (keys are numbered once: a flat array instead of an array per key).
    private struct Interval {
        var host: Int32
        var group: Int32
        var start: Timestamp
        var end: Timestamp
    }

    /// A client's TIME-WAITs are grouped by server address and port (the 4-tuples towards one
    /// service, which tie up its ephemeral ports); a server's by its service port (`peer` is
    /// then the unspecified address).
    private struct PeerKey: Hashable, Comparable {
        var host: IPAddress
        var hostIsClient: Bool
        var peer: IPAddress
        var servicePort: UInt16

        static func < (lhs: PeerKey, rhs: PeerKey) -> Bool {
            (lhs.host, lhs.peer, lhs.servicePort) < (rhs.host, rhs.peer, rhs.servicePort)
        }

        /// One combine instead of one per field (this is hashed for every TIME-WAIT).
        func hash(into hasher: inout Hasher) {
            hasher.combine(
                host.folded ^ peer.folded &* 0x27D4_EB2F_1656_67C5 ^ (UInt64(servicePort) << 1 | (hostIsClient ? 1 : 0))
            )
        }
    }

    private var hostNumbers: [IPAddress: Int32] = [:]
    private var hosts: [(address: IPAddress, isServer: Bool)] = []
    private var groupNumbers: [PeerKey: Int32] = [:]
    private var groups: [PeerKey] = []
    private var intervals: [Interval] = []
    /// TIME-WAITs past `intervalLimit`, or of keys past `keyLimit`: counted, not broken down.
    private(set) var untracked = 0

    /// The most TIME-WAITs kept (32 bytes each) and keys numbered: the view's memory stays
    /// bounded (about 14 MB) however long the capture; what goes past is counted in `untracked`.
    static let intervalLimit = 262_144
    static let keyLimit = 65_536

    /// Notes the TIME-WAIT (if any) of a judged generation.
    mutating func note(_ g: ConnectionGeneration, reason: FinishReason, at time: Timestamp, timeWait: Int64) {
        guard let side = g.timeWaitSide else { return }
        guard intervals.count < Self.intervalLimit else {
            untracked += 1
            return
        }
        let start = g[side].stateSince
        let natural = start + timeWait
        // A new connection on the 4-tuple ended it (the reuse took the TIME-WAIT socket over).
        let end = reason == .superseded ? min(natural, time) : natural
        let host = g.key.endpoint(side).address, peer = g.key.endpoint(side.peer).address
        guard let hostNumber = Self.number(of: host, in: &hostNumbers, next: hosts.count) else {
            untracked += 1
            return
        }
        if Int(hostNumber) == hosts.count { hosts.append((host, false)) }
        if side == g.server { hosts[Int(hostNumber)].isServer = true }
        let key = PeerKey(
            host: host,
            hostIsClient: side == g.client,
            peer: side == g.client ? peer : IPAddress(ipv4: 0),
            servicePort: g.key.endpoint(g.server).port
        )
        guard let group = Self.number(of: key, in: &groupNumbers, next: groups.count) else {
            untracked += 1
            return
        }
        if Int(group) == groups.count { groups.append(key) }
        intervals.append(Interval(host: hostNumber, group: group, start: start, end: end))
    }

    /// `key`'s number in `numbers`; a new key gets `next` (the caller's list then grows by it),
    /// unless `keyLimit` keys are known already: nil.
    private static func number<Key: Hashable>(of key: Key, in numbers: inout [Key: Int32], next: Int) -> Int32? {
        if let known = numbers[key] { return known }
        guard next < keyLimit else { return nil }
        numbers[key] = Int32(next)
        return Int32(next)
    }

    /// Hosts, and (host, peer, service port) groups, kept in the output at most: the busiest.
    static let hostLimit = 50
    static let peerLimit = 100

    /// The populations, busiest first (at most `hostLimit` hosts and `peerLimit` peer groups,
    /// the rest counted in `omitted`), with the capture's time range (`first` … `last`).
    func entries(
        first: Timestamp?,
        last: Timestamp?,
        ephemeralPorts: Int,
        maxBuckets: Int
    ) -> (entries: [TimeWaitEntry], omitted: Int) {
        guard let first, let last else { return ([], 0) }
        let step = Self.step(for: last.since(first))
        // Each key's intervals as one slice of a copy sorted by that key (no array per key).
        let byHost = Self.slices(intervals, count: hosts.count) { $0.host }
        let byGroup = Self.slices(intervals, count: groups.count) { $0.group }
        // Peaks first, cheaply, for every key; series only for those kept. Ties go to the key
        // seen first (keys are numbered in judgement order, which is the capture's): integer
        // comparisons only, and keys with a single TIME-WAIT are taken in order without a sort.
        let hostOrder = Self.busiest(hosts.count, limit: Self.hostLimit) {
            byHost.ranges[$0].count
        } peak: {
            Self.peak(byHost.intervals[byHost.ranges[$0]], last: last)
        }
        let groupOrder = Self.busiest(groups.count, limit: Self.peerLimit) {
            byGroup.ranges[$0].count
        } peak: {
            Self.peak(byGroup.intervals[byGroup.ranges[$0]], last: last)
        }
        var entries: [TimeWaitEntry] = []
        for host in hostOrder {
            var entry = Self.entry(byHost.intervals[byHost.ranges[host]], first: first, last: last, step: step)
            entry.host = hosts[host].address
            entry.hostRole = hosts[host].isServer ? "server" : "client"
            entry.aboveMaxBuckets = entry.peak > maxBuckets
            entries.append(entry)
        }
        for group in groupOrder {
            let key = groups[group]
            var entry = Self.entry(byGroup.intervals[byGroup.ranges[group]], first: first, last: last, step: step)
            entry.host = key.host
            entry.hostRole = key.hostIsClient ? "client" : "server"
            entry.peer = key.hostIsClient ? key.peer : nil
            entry.servicePort = key.servicePort
            if key.hostIsClient { entry.portShare = Double(entry.peak) / Double(max(ephemeralPorts, 1)) }
            entries.append(entry)
        }
        let omitted = max(0, hosts.count - Self.hostLimit) + max(0, groups.count - Self.peerLimit)
        return (entries, omitted)
    }

    /// The numbers (below `count`) of the `limit` keys with the highest peaks, then totals, then
    /// the lowest number; `total` and `peak` give a key's.
    private static func busiest(_ count: Int, limit: Int, total: (Int) -> Int, peak: (Int) -> Int) -> [Int] {
        var several: [(key: Int, peak: Int, total: Int)] = []
        var singles: [Int] = []
        for key in 0..<count {
            let total = total(key)
            if total > 1 {
                several.append((key, peak(key), total))
            } else if total == 1, singles.count < limit {
                singles.append(key)
            }
        }
        several.sort { ($0.peak, $0.total, $1.key) > ($1.peak, $1.total, $0.key) }
        return Array((several.map(\.key) + singles).prefix(limit))
    }

    /// `intervals` sorted by `key` (a number below `count`), with each key's range in the result.
    private static func slices(
        _ intervals: [Interval],
        count: Int,
        key: (Interval) -> Int32
    ) -> (intervals: [Interval], ranges: [Range<Int>]) {
        let sorted = intervals.sorted { key($0) < key($1) }
        var ranges = [Range<Int>](repeating: 0..<0, count: count)
        var start = 0
        while start < sorted.count {
            let current = key(sorted[start])
            var end = start + 1
            while end < sorted.count, key(sorted[end]) == current { end += 1 }
            ranges[Int(current)] = start..<end
            start = end
        }
        return (sorted, ranges)
    }

    /// The most TIME-WAITs at once among `intervals`.
    private static func peak(_ intervals: ArraySlice<Interval>, last: Timestamp) -> Int {
        if intervals.count <= 1 { return intervals.count }
        var events: [(Timestamp, Int)] = []
        events.reserveCapacity(intervals.count * 2)
        for interval in intervals {
            events.append((interval.start, 1))
            if interval.end <= last { events.append((interval.end, -1)) }
        }
        events.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var count = 0, peak = 0
        for event in events {
            count += event.1
            peak = max(peak, count)
        }
        return peak
    }

    /// A step that cuts the capture into at most about 60 points, at a round number of seconds.
    static func step(for duration: Int64) -> Int64 {
        let candidates: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400]
        for seconds in candidates where duration / (seconds * 1_000_000_000) < 60 { return seconds * 1_000_000_000 }
        // Longer than 60 days (a capture whose clock jumped, say): whole days, still about 60 points.
        let day: Int64 = 86_400_000_000_000
        return (max(0, duration) / 60 / day + 1) * day
    }

    /// Points in a series at most, whatever the capture's span.
    static let seriesLimit = 100

    /// Sweeps the intervals: the count over time (the most at once in each step), its peak and when.
    private static func entry(
        _ intervals: ArraySlice<Interval>,
        first: Timestamp,
        last: Timestamp,
        step: Int64
    ) -> TimeWaitEntry {
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
        // The most at once in each step, by step index (clamped to the capture's span).
        let steps = Int(min(max(0, last.since(first)) / step + 1, Int64(Self.seriesLimit)))
        var maxima = [Int](repeating: 0, count: steps)
        var count = 0, filled = 0
        for event in events {
            let index = Int(min(max(0, event.time.since(first)) / step, Int64(steps - 1)))
            while filled < index {
                maxima[filled] = max(maxima[filled], count)
                filled += 1
            }
            maxima[index] = max(maxima[index], count)
            count += event.delta
            maxima[index] = max(maxima[index], count)
            if count > entry.peak {
                entry.peak = count
                entry.peakTime = event.time
            }
        }
        while filled < steps {
            maxima[filled] = max(maxima[filled], count)
            filled += 1
        }
        entry.series = maxima.enumerated().map { (first + Int64($0.offset) &* step, $0.element) }
        return entry
    }
}

/// One host's (or one host's towards one peer service) TIME-WAIT population over a capture.
public struct TimeWaitEntry: Sendable {
    public var host = IPAddress(ipv4: 0)
    /// Whether the host held TIME-WAIT as the client or the server of those connections.
    public var hostRole = "client"
    /// For a client host's group, the server's address (nil for a server host's group and for
    /// the host as a whole).
    public var peer: IPAddress?
    /// The service's (server's) port of a group; nil for the host as a whole.
    public var servicePort: UInt16?
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
