import FlowAudit

#if canImport(Glibc)
import Glibc
#endif

/// `--stats` and the progress line: throughput and peak memory of a run, on standard error.
struct RunStatistics {
    private let started = RunStatistics.monotonic()
    private var lastProgress: Int64 = 0
    /// A progress line only on a terminal: never into a pipe or a file.
    let showsProgress = isatty(STDERR_FILENO) != 0

    static func monotonic() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Peak resident memory of this process, in bytes (getrusage: kilobytes on Linux).
    static var peakResidentBytes: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// Redraws the progress line at most twice a second.
    mutating func progress(frames: UInt64, bytes: UInt64, file: String) {
        guard showsProgress, frames & 0xFFFF == 0 else { return }
        let now = Self.monotonic()
        guard now - lastProgress > 500_000_000 else { return }
        lastProgress = now
        let seconds = Double(now - started) / 1e9
        Terminal.progress(
            "\(file): \(frames) frames, \(bytes / 1_000_000) MB, \(Int(Double(frames) / max(seconds, 0.001))) frames/s"
        )
    }

    func finish(_ summary: CaptureSummary, file: String, print: Bool) {
        if showsProgress { Terminal.progress(nil) }
        guard print else { return }
        let seconds = Double(Self.monotonic() - started) / 1e9
        let rate = Double(summary.frames) / max(seconds, 1e-9)
        let megabytes = Double(summary.bytes) / 1e6
        Terminal.error(
            "tcpflow-audit: \(file): \(summary.frames) packets, \(Int(megabytes)) MB in \(Double(Int(seconds * 1000)) / 1000) s: \(Int(rate)) packets/s, \(Int(megabytes / max(seconds, 1e-9))) MB/s; peak memory \(Self.peakResidentBytes / 1_048_576) MiB"
        )
        let open = FlowAuditor.bytesPerOpenConnection, closed = FlowAuditor.bytesPerClosedConnection
        Terminal.error(
            "tcpflow-audit: \(file): flow tables: \(open) B per open connection × peak \(summary.peakOpenConnections), \(closed) B per closed one kept for 2MSL × peak \(summary.peakClosedConnections)"
        )
    }
}
