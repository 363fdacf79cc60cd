/// The timers the analysis judges by. All durations are nanoseconds of capture time.
public struct AuditConfiguration: Sendable {
    /// 2MSL: how long TIME-WAIT lasts and a closed generation is remembered. Linux fixes it at
    /// 60 s (TCP_TIMEWAIT_LEN); RFC 793 assumed 4 minutes; Windows defaults to 240 s.
    public var timeWait: Int64 = 60_000_000_000
    /// CLOSE-WAIT lasting at least this long is reported as a warning (the application never closed).
    public var closeWaitThreshold: Int64 = 10_000_000_000
    /// FIN-WAIT-2 lasting longer than this is reported (Linux tcp_fin_timeout, default 60 s).
    public var finTimeout: Int64 = 60_000_000_000
    /// A generation with no packet for this long is judged as it stands and freed.
    public var idleTimeout: Int64 = 300_000_000_000
    /// Live capture: a handshake whose SYN has gone unanswered this long is reported while the
    /// client is still retrying (files are judged when the flow ends).
    public var synTimeout: Int64 = 3_000_000_000
    /// An unanswered connection attempt (SYNs from the client and nothing from the server) is
    /// judged once the client has sent no SYN for this long, or for three times the longest gap
    /// between its SYNs if that is longer: past the next retransmission of an exponential backoff
    /// (RFC 6298 §5.5; Linux doubles from 1 s, after up to 4 linear retries). It is then kept as a
    /// summary for 2MSL like a closed generation. Without this, every attempt of a SYN flood or a
    /// firewalled port would stay open for the idle timeout.
    public var attemptTimeout: Int64 = 10_000_000_000
    /// A closed generation is judged once it has been closed this long (its FIN retransmissions
    /// and re-ACKs usually come within RTO ≥ 200 ms); only a small summary stays for the rest of
    /// 2MSL, and later evidence against it is judged as it comes.
    public var closeGrace: Int64 = 1_000_000_000
    /// The most connections followed at once (open, or closed within their grace period). Past it,
    /// new flows make room by shedding old ones in the spirit of conntrack's early drop: a flow of
    /// one packet first, else an unanswered attempt; the shed generation is judged at once (its
    /// findings are kept, `FinishReason.shed`) and forgotten. About 600 bytes each: the default
    /// keeps the flow table near 600 MB, and a whole run near 1 GB.
    public var maxConnections = 1_000_000
    /// Ports in the clients' ephemeral range (Linux default `ip_local_port_range` 32768–60999):
    /// the TIME-WAIT population tells what share of it the 4-tuples to one service tie up.
    public var ephemeralPorts = 60_999 - 32_768 + 1
    /// `net.ipv4.tcp_max_tw_buckets`: past it the kernel drops TIME-WAIT sockets ("time wait
    /// bucket table overflow"). 262 144 on a machine with a few GiB of memory.
    public var maxTimeWaitBuckets = 262_144

    public init() {}
}

/// Why a generation's record was closed and judged.
public enum FinishReason: String, Sendable {
    /// Closed, and quiet for the grace period.
    case closed
    /// A new connection on the same 4-tuple replaced it.
    case superseded
    /// No packet for the idle timeout.
    case idle
    /// The capture ended while it was still open or within 2MSL.
    case endOfCapture = "end-of-capture"
    /// An unanswered connection attempt whose client stopped retrying (see `attemptTimeout`).
    case abandoned
    /// Reported while the connection is still open (live capture: a timer decided it).
    case stillOpen = "still-open"
    /// Judged early to make room under `AuditConfiguration.maxConnections`.
    case shed
}

extension AuditConfiguration {
    /// An option value that cannot be used, with a message naming the option.
    public struct OptionError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The longest duration any option takes: 10⁷ s (about 116 days), far beyond any kernel timer,
    /// and small enough that every sum of capture times and durations stays inside Int64.
    public static let longestDuration: Double = 1e7

    /// A duration option's seconds as nanoseconds: the one check every duration passes, from the
    /// command line or an expectation file. Rejects NaN, infinities, zero, negatives and anything
    /// over `longestDuration` (`--duration 1e10` or `1e300` would overflow the conversion).
    public static func nanoseconds(seconds: Double, option: String) throws(OptionError) -> Int64 {
        guard seconds.isFinite, seconds > 0, seconds <= longestDuration else {
            throw OptionError(
                description:
                    "\(option) must be a number of seconds above 0 and at most \(Int(longestDuration)), got \(seconds)"
            )
        }
        return Int64(seconds * 1e9)
    }
}
