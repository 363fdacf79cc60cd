/// The FINs crossed: each was sent before the other arrived, so both endpoints passed through
/// CLOSING (RFC 9293 §3.6, Figure 13) and both end in TIME-WAIT. Legal.
struct SimultaneousClose: Classifier {
    static var kind: AnomalyKind { .simultaneousClose }
    static var advice: String {
        "Legal: both sides called close() at once; both pass through CLOSING and both end in TIME-WAIT."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let e = g.evidence
        guard e.simultaneousClose, let finA = e.firstFIN.a, let finB = e.firstFIN.b else { return nil }
        let later = finA.time < finB.time ? finB : finA
        return Finding(
            .simultaneousClose,
            .info,
            evidence: [finA, finB],
            decidedAt: later,
            in: g,
            "Both endpoints sent FIN before receiving the other's (frames \(min(finA.frame, finB.frame)) and \(max(finA.frame, finB.frame))): a simultaneous close, both end in TIME-WAIT."
        )
    }
}
