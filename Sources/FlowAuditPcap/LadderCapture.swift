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
    /// `configuration`), in one more pass over the file; at most `limit` segments each. With
    /// `stopAfterLastFrame` the pass ends at the targets' last frame (segments after it, such as
    /// a late ACK within 2MSL that made no finding, are then not drawn).
    public static func ladders(
        of targets: [GenerationReport],
        path: String,
        configuration: AuditConfiguration,
        limit: Int = 500,
        stopAfterLastFrame: Bool = false
    ) throws(PcapError) -> [Ladder] {
        guard !targets.isEmpty else { return [] }
        let reader = try PcapFileReader(path: path)
        let recorders = targets.map { LadderRecorder(report: $0, configuration: configuration, limit: limit) }
        // Each segment goes only to the recorders of its 4-tuple (each checks the VLAN itself).
        var byTuple: [FlowKey: [LadderRecorder]] = [:]
        for (target, recorder) in zip(targets, recorders) {
            byTuple[target.key.withoutVLAN, default: []].append(recorder)
        }
        let end = stopAfterLastFrame ? targets.map(\.lastFrame).max() ?? .max : .max
        let fileLinkType = reader.linkType
        var read: UInt64 = 0
        _ = reader.forEachFrame(shouldStop: { read > end }) { frame in
            read = frame.number
            guard frame.number <= end, let time = frame.time,
                case let .tcp(segment, _) = FrameDecoder.decode(frame.bytes, linkType: frame.linkType ?? fileLinkType),
                let interested = byTuple[FlowKey.of(segment).key.withoutVLAN]
            else { return }
            for recorder in interested { recorder.add(segment, frame: frame.number, time: time) }
        }
        return recorders.map { $0.finish() }
    }
}
