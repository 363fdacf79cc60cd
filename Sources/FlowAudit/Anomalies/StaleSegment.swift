/// Segments from an earlier incarnation of the 4-tuple arrived within 2MSL: their sequence
/// numbers fit the previous generation's space and not this one's, their TSval is older than
/// this connection's (PAWS, RFC 7323 §5), or they repeat acknowledged data after the close
/// (RFC 9293 §3.4.1: why TIME-WAIT lasts 2MSL).
struct StaleSegment: Classifier {
    static var kind: AnomalyKind { .staleSegment }
    static var advice: String {
        "A delayed duplicate from an earlier incarnation of the 4-tuple arrived within 2MSL: the reason TIME-WAIT lasts 2MSL. Keep net.ipv4.tcp_timestamps=1 so PAWS (RFC 7323) rejects such segments; do not shorten TIME-WAIT."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard let first = e.staleSegments.first else { return nil }
        let reason = e.staleReasons.first ?? "it belongs to an earlier connection"
        let count = e.staleSegments.count + Int(e.overflow)
        return Finding(
            .staleSegment,
            .warning,
            evidence: e.staleSegments.map(\.moment),
            decidedAt: first.moment,
            in: g,
            "\(count) segment\(count == 1 ? "" : "s") from the \(g.role(first.sender)) belong\(count == 1 ? "s" : "") to an earlier connection: \(reason)."
        )
    }
}
