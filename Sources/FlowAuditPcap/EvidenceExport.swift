import CPcap
import FlowAudit

/// `--evidence DIR`: for each finding, a small pcap of its generation's packets — the frames of
/// its flow from the generation's first frame to the finding's last — with the original link
/// type and timestamps, written through libpcap's dumper, so the evidence can go into a ticket
/// or Wireshark without the multi-gigabyte original. Needs a second pass over the file (a file,
/// not standard input); a finding's file is open only while the pass is inside its frame range.
public struct EvidenceExport {
    /// One finding to export.
    public struct Request: Sendable {
        public var key: FlowKey
        public var firstFrame: UInt64
        public var lastFrame: UInt64
        /// The file name, without the directory.
        public var fileName: String

        /// The request for `finding` of `report` in the capture named `capture`:
        /// `CAPTURE-flow3-gen1-lost-final-ack.pcap` (CAPTURE without directory and extension).
        public init(_ finding: Finding, of report: GenerationReport, capture: String) {
            key = report.key
            firstFrame = report.firstFrame
            lastFrame = max(report.lastFrame, finding.frames.last ?? report.lastFrame)
            var stem = String(capture.split(separator: "/").last ?? "capture")
            for suffix in [".gz", ".pcapng", ".pcap", ".cap", ".dmp"] where stem.lowercased().hasSuffix(suffix) {
                stem = String(stem.dropLast(suffix.count))
            }
            fileName = "\(stem)-flow\(report.flowOrdinal + 1)-gen\(report.generation)-\(finding.kind.rawValue).pcap"
        }
    }

    /// What the export wrote, and what it could not.
    public struct Outcome: Sendable {
        public var written: [String] = []
        public var failures: [String] = []
    }

    /// Files open at once, at most (each is a stdio stream).
    static let openLimit = 256

    /// Writes every request's pcap into `directory` (created if missing) from `path`.
    public static func write(_ requests: [Request], from path: String, into directory: String) -> Outcome {
        var outcome = Outcome()
        guard !requests.isEmpty else { return outcome }
        guard path != "-" else {
            outcome.failures.append("--evidence needs a capture file it can read again, not standard input")
            return outcome
        }
        let reader: PcapFileReader
        do {
            reader = try PcapFileReader(path: path)
        } catch {
            outcome.failures.append("\(error)")
            return outcome
        }
        let linkType = reader.linkType
        let pending = requests.sorted { $0.firstFrame < $1.firstFrame }
        var next = 0
        var open: [(request: Request, file: PcapDumpFile)] = []
        func close(_ entry: (request: Request, file: PcapDumpFile)) {
            entry.file.flush()
            if let failure = entry.file.failure {
                outcome.failures.append("\(entry.file.path): \(failure)")
            } else {
                outcome.written.append(entry.file.path)
            }
        }
        let damage = reader.forEachFrame(withHeaders: true) { frame, header, data in
            while next < pending.count, pending[next].firstFrame <= frame.number {
                let request = pending[next]
                next += 1
                guard open.count < openLimit else {
                    outcome.failures.append("\(request.fileName): more than \(openLimit) evidence files open at once")
                    continue
                }
                let target = directory + "/" + request.fileName
                do {
                    open.append((request, try PcapDumpFile(capture: reader.capture, path: target)))
                } catch {
                    outcome.failures.append("\(error)")
                }
            }
            if !open.isEmpty, case let .tcp(segment, _) = FrameDecoder.decode(frame.bytes, linkType: linkType) {
                let key = FlowKey.of(segment).key
                for entry in open where entry.request.key.isSameFlow(as: key) { entry.file.write(header, data) }
            }
            open.removeAll { entry in
                guard entry.request.lastFrame <= frame.number else { return false }
                close(entry)
                return true
            }
            return next < pending.count || !open.isEmpty
        }
        for entry in open { close(entry) }
        if let damage { outcome.failures.append("\(path): \(damage) (evidence files end there)") }
        return outcome
    }
}
