import FlowAudit

/// The fuzzer's view of a capture: the whole pipeline after libpcap (clock → decoder → flows →
/// replay → judgement → JSON, text and conn.log rendering) run on frames taken from arbitrary
/// bytes, then the ladder of the first generation with findings (a second replay of its 4-tuple)
/// drawn as text and inside the HTML report.
///
/// Layout (every field optional: the input just ends): byte 0 picks the link type; then frames,
/// each a 2-byte little-endian length, a 4-byte little-endian signed time step in microseconds
/// (the top bit of the length byte pair scales it by 2^32, for absurd jumps), and that many bytes
/// (fewer if the input ends). `Fuzz/seeds.py` turns the regression corpus into such inputs.
public enum FuzzInput {
    public static let linkTypes: [LinkType] = [
        .ethernet, .linuxSLL, .linuxSLL2, .null, .loop, .raw, .ipv4, .ipv6, .nflog, .ieee80211Radiotap, .ieee80211,
    ]

    /// Runs the pipeline on `bytes`; returns the number of bytes rendered (so nothing is optimised away).
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let first = bytes.first else { return 0 }
        let linkType = linkTypes[Int(first) % linkTypes.count]
        var configuration = AuditConfiguration()
        configuration.closeGrace = 1_000_000_000
        let out = OutputBuffer()
        let text = TextReport(options: ReportOptions())
        let file = JSONLinesReport.FileName("fuzz")
        var options = ReportOptions()
        options.allFlows = true
        var laddered: GenerationReport?
        var segments: [(TCPSegment, UInt64, Timestamp)] = []
        let auditor = FlowAuditor(configuration: configuration, reportAll: true) { report in
            JSONLinesReport.append(report, file: file, options: options, to: out)
            if let block = text.block(for: report) { out.append(block) }
            if let line = ConnLogReport.line(report, options: options) { out.append(line) }
            if laddered == nil, !report.findings.isEmpty, report.connection != nil { laddered = report }
        }
        var clock = CaptureClock()
        var time = Int64(1_763_000_000) * 1_000_000_000
        var offset = 1, frame: UInt64 = 0
        var held: (UInt64, Int, Int)?
        func process(_ number: UInt64, _ start: Int, _ length: Int, at placement: CaptureClock.Placement) {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
            let decoded = FrameDecoder.decode(slice, linkType: linkType)
            if case let .tcp(segment, _) = decoded { segments.append((segment, number, placement.time)) }
            auditor.process(
                decoded,
                frame: number,
                time: placement.time,
                wireLength: length,
                clock: placement.note
            )
        }
        while offset + 6 <= bytes.count {
            let lengthField = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            var step = Int64(
                Int32(
                    bitPattern: UInt32(bytes[offset + 2]) | UInt32(bytes[offset + 3]) << 8
                        | UInt32(bytes[offset + 4]) << 16 | UInt32(bytes[offset + 5]) << 24
                )
            )
            if lengthField & 0x8000 != 0 { step = step.saturatingMultiply(1 << 32) }
            offset += 6
            let length = min(lengthField & 0x7FFF, bytes.count - offset)
            time = time.saturatingAdd(step.saturatingMultiply(1000))
            frame += 1
            let (settled, placement) = clock.next(Timestamp(nanoseconds: time))
            if let settled, let (number, start, count) = held {
                held = nil
                process(number, start, count, at: settled)
            }
            if let placement {
                process(frame, offset, length, at: placement)
            } else {
                held = (frame, offset, length)
            }
            offset += length
        }
        if let last = clock.finish(), let (number, start, count) = held { process(number, start, count, at: last) }
        auditor.finish()
        out.append(
            JSONLinesReport.summaryLine(auditor.summary, source: CaptureSource(name: "fuzz", linkType: linkType))
        )
        out.append(text.summary(auditor.summary, source: CaptureSource(name: "fuzz", linkType: linkType)))
        if let laddered {
            let recorder = LadderRecorder(report: laddered, configuration: configuration, limit: 200)
            for (segment, number, time) in segments { recorder.add(segment, frame: number, time: time) }
            let ladder = recorder.finish()
            out.append(LadderText.render(ladder))
            var page = HTMLReport(source: "fuzz", linkType: "\(linkType)", summary: auditor.summary)
            page.findingReports = [laddered]
            page.connections = [HTMLReport.Connection(laddered)]
            page.ladders[laddered.uid] = ladder
            out.append(page.render())
        }
        return out.count
    }
}
