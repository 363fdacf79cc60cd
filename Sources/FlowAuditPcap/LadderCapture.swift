import FlowAudit

/// `tcpflow-audit ladder FILE FLOW[.GENERATION]`: audits the file, picks the generation, reads the
/// file again for that 4-tuple's segments and draws its ladder (`LadderRecorder`).
public enum LadderCapture {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// Which generation `FLOW[.GENERATION]` names: the flow's given generation; without one, the
    /// flow's only generation, else its first with findings, else its first.
    public static func pick(
        _ reports: [GenerationReport],
        flow: UInt64,
        generation: UInt32?
    ) throws(NotFound)
        -> GenerationReport
    {
        let ofFlow = reports.filter { $0.flowOrdinal + 1 == flow }
        guard !ofFlow.isEmpty else {
            let flows = Set(reports.map(\.flowOrdinal)).count
            throw NotFound(
                description: "no flow \(flow): the capture has \(flows) flow\(flows == 1 ? "" : "s") (1…\(flows))"
            )
        }
        if let generation {
            guard let report = ofFlow.first(where: { $0.generation == generation }) else {
                let numbers = ofFlow.map { String($0.generation) }.joined(separator: ", ")
                throw NotFound(description: "flow \(flow) has no generation \(generation) (it has \(numbers))")
            }
            return report
        }
        return ofFlow.first { !$0.findings.isEmpty } ?? ofFlow[0]
    }

    /// The ladders of `targets` (generations of reports from a full audit of `path` with
    /// `configuration`), in one more pass over the file; at most `limit` segments each.
    public static func ladders(
        of targets: [GenerationReport],
        path: String,
        configuration: AuditConfiguration,
        limit: Int = 500
    ) throws(PcapError) -> [Ladder] {
        guard !targets.isEmpty else { return [] }
        let reader = try PcapFileReader(path: path)
        let recorders = targets.map { LadderRecorder(report: $0, configuration: configuration, limit: limit) }
        // Each recorder keeps only its own 4-tuple's segments; several are offered every segment.
        _ = reader.forEachFrame { frame in
            guard let time = frame.time else { return }
            guard
                case let .tcp(segment, _) = FrameDecoder.decode(
                    frame.bytes,
                    linkType: frame.linkType ?? reader.linkType
                )
            else { return }
            for recorder in recorders { recorder.add(segment, frame: frame.number, time: time) }
        }
        return recorders.map { $0.finish() }
    }
}
