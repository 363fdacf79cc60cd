import FlowAudit

/// The fuzzer's view of a capture: the whole pipeline after libpcap (clock → decoder → flows →
/// replay → judgement → JSON and text rendering) run on frames taken from arbitrary bytes.
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
        let auditor = FlowAuditor(configuration: configuration, reportAll: true) { report in
            JSONLinesReport.append(report, file: file, options: options, to: out)
            if let block = text.block(for: report) { out.append(block) }
        }
        var clock = CaptureClock()
        var time = Int64(1_763_000_000) * 1_000_000_000
        var offset = 1, frame: UInt64 = 0
        var held: (UInt64, Int, Int)?
        func process(_ number: UInt64, _ start: Int, _ length: Int, at placement: CaptureClock.Placement) {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
            auditor.process(
                FrameDecoder.decode(slice, linkType: linkType),
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
        return out.count
    }
}
