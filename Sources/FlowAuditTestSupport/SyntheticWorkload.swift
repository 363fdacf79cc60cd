import FlowAudit

#if canImport(Glibc)
import Glibc
#endif

/// A deterministic synthetic capture for benchmarks: `concurrency` connections open at once,
/// their packets interleaved at random (seeded), until about `packets` packets have been written.
/// Ethernet, IPv4 with about 20 % IPv6, a mix of connection kinds whose findings are known in
/// advance, written with a snaplen (128 by default) like a header-only production capture.
public struct SyntheticWorkload: Sendable {
    public var packets: Int
    public var concurrency: Int
    public var seed: UInt64
    public var snaplen: Int = 128
    /// Capture time between consecutive packets (5 µs: 200 000 packets/s, a busy server).
    public var packetInterval: Int64 = 5_000

    public init(packets: Int, concurrency: Int, seed: UInt64 = 0x5EED) {
        self.packets = packets
        self.concurrency = concurrency
        self.seed = seed
    }

    /// The kinds of connection written, with the finding each one must produce.
    enum Kind: CaseIterable {
        case clean, lostFinalACK, reset, unansweredSYN, simultaneousClose, reuse

        var finding: AnomalyKind? {
            switch self {
            case .clean: nil
            case .lostFinalACK: .lostFinalACK
            case .reset: .abortiveClose
            case .unansweredSYN: .synUnanswered
            case .simultaneousClose: .simultaneousClose
            case .reuse: .portReuseWithin2MSL
            }
        }

        /// Share in percent: clean connections dominate, as on a real server.
        static func pick(_ roll: UInt64) -> Kind {
            switch roll % 100 {
            case 0..<72: .clean
            case 72..<80: .lostFinalACK
            case 80..<86: .reset
            case 86..<91: .unansweredSYN
            case 91..<95: .simultaneousClose
            default: .reuse
            }
        }
    }

    /// What was written: packets, connections, and how many findings of each kind it must produce.
    public struct Manifest: Sendable {
        public var packets = 0
        public var bytes = 0
        public var connections = 0
        public var expectedFindings: [AnomalyKind: Int] = [:]
    }

    /// Writes the capture to `path` (pcap, microsecond timestamps) and returns its manifest.
    public func write(to path: String) -> Manifest? {
        guard let file = fopen(path, "wb") else { return nil }
        defer { fclose(file) }
        var manifest = Manifest()
        var header = PcapWriter(linkType: .ethernet, snaplen: snaplen)
        fwrite(header.bytes, 1, header.bytes.count, file)
        var random = SplitMix64(seed: seed)
        var clock = Timestamp(seconds: 1_763_000_000)
        var slots: [[(TCPSegment, Int64)]] = []
        var cursor: [Int] = []
        var nextClient: UInt32 = 0
        var scheduled = 0
        /// Per slot, whether its connection is an unanswered attempt, and when those first sent.
        var unanswered: [Bool] = []
        var unansweredStarts: [Timestamp] = []

        func newConnection() -> (Kind, [(TCPSegment, Int64)]) {
            let kind = Kind.pick(random.next())
            manifest.connections += 1
            if let finding = kind.finding { manifest.expectedFindings[finding, default: 0] += 1 }
            if kind == .reuse { manifest.connections += 1 }
            nextClient &+= 1
            let script = Self.script(kind, client: nextClient, random: &random)
            scheduled += script.count
            return (kind, script)
        }

        for _ in 0..<concurrency where scheduled < packets {
            let (kind, script) = newConnection()
            slots.append(script)
            unanswered.append(kind == .unansweredSYN)
            cursor.append(0)
        }
        var live = slots.count
        while live > 0 {
            let slot = Int(random.next() % UInt64(slots.count))
            guard cursor[slot] < slots[slot].count else { continue }
            let (segment, _) = slots[slot][cursor[slot]]
            cursor[slot] += 1
            clock = clock + packetInterval
            if cursor[slot] == 1, unanswered[slot] { unansweredStarts.append(clock) }
            let frame = FrameBuilder.frame(segment)
            header.reset()
            header.append(frame, at: clock)
            fwrite(header.bytes, 1, header.bytes.count, file)
            manifest.packets += 1
            manifest.bytes += frame.count
            if cursor[slot] == slots[slot].count {
                if scheduled < packets {
                    let (kind, script) = newConnection()
                    slots[slot] = script
                    unanswered[slot] = kind == .unansweredSYN
                    cursor[slot] = 0
                } else {
                    live -= 1
                }
            }
        }
        // An attempt whose first SYN came less than a second before the capture's end is not
        // reported: no answer was due yet (SYNUnanswered.answerCouldStillCome).
        let late = unansweredStarts.filter { clock.since($0) < 1_000_000_000 }.count
        manifest.expectedFindings[.synUnanswered, default: 0] -= late
        return manifest
    }

    /// The segments of one connection of `kind` (with, for reuse, a second connection on the same
    /// 4-tuple). Client `n` gets a unique 4-tuple; one in five is IPv6.
    static func script(_ kind: Kind, client n: UInt32, random: inout SplitMix64) -> [(TCPSegment, Int64)] {
        // One address per client: random interleaving would otherwise send one host's SYNs out of
        // TSval order (as Linux hosts do, with a random offset per connection), which would add
        // possible timestamp-regression findings to those the manifest counts.
        let port = 1024 + n % 60_000
        let ipv6 = random.next() % 5 == 0
        let clientText =
            ipv6
            ? "[fd00::\(String(n >> 16, radix: 16)):\(String(n & 0xFFFF, radix: 16))]:\(port)"
            : "10.\(n >> 16 & 0xFF).\(n >> 8 & 0xFF).\(n & 0xFF):\(port)"
        let serverText = ipv6 ? "[fd00::1:80]:443" : "192.168.100.1:443"
        var s = ConnectionScript(
            client: clientText,
            server: serverText,
            clientISN: UInt32(truncatingIfNeeded: random.next()),
            serverISN: UInt32(truncatingIfNeeded: random.next()),
            start: Timestamp(nanoseconds: 0),
            timestampBase: n &* 64
        )  // each host's TSval clock only moves forward, as on a real host
        let replies = Int(random.next() % 6) + 1
        func exchange() {
            s.handshake()
            s.data(.client, 200 + Int(random.next() % 300))
            for _ in 0..<replies { s.send(.server, .psh, payload: 1448) }
            s.send(.client, .ack)
        }
        switch kind {
        case .clean:
            exchange()
            s.close(first: .client)
        case .lostFinalACK:
            exchange()
            s.closeLosingFinalACK(resendAfter: 0.2)
        case .reset:
            exchange()
            s.send(.client, .rst)
        case .unansweredSYN:
            let syn = s.send(.client, .syn)
            s.resend(syn, after: 1)
            s.resend(syn, after: 2)
        case .simultaneousClose:
            exchange()
            let before = s.next(.client)
            s.send(.client, .fin)
            s.send(.server, .fin, ack: before)
            s.send(.client, .ack)
            s.send(.server, .ack)
        case .reuse:
            exchange()
            s.close(first: .client)
            let next = s.next(.client) &+ 100_000
            s.reconnect(clientISN: next, serverISN: UInt32(truncatingIfNeeded: random.next()))
            s.clock = s.clock + 1_000_000_000
            exchange()
            s.close(first: .client)
        }
        return s.segments.map { ($0.segment, $0.time.nanoseconds) }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so workloads are the
/// same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
