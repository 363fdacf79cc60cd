/// Data or a new FIN from an endpoint after its own FIN: RFC 9293 §3.10.2 forbids SEND after
/// CLOSE. (Segments after an endpoint's "own" RST show that the RST was not its own: `rst-ignored`.)
struct DataAfterClose: Classifier {
    static var kind: AnomalyKind { .dataAfterClose }
    static var advice: String {
        "Segments after the sender's own FIN or RST: a broken stack, a middlebox, or stale or injected segments; compare TTLs and timestamps with the connection's."
    }

    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let items = g.evidence.dataAfterClose
        guard let first = items.first else { return nil }
        let senders = Set(items.map(\.sender)).map { g.role($0) }.sorted().joined(separator: " and ")
        return Finding(
            .dataAfterClose,
            .warning,
            evidence: items.map(\.moment),
            decidedAt: first.moment,
            in: g,
            "The \(senders) sent \(items.count) segment\(items.count == 1 ? "" : "s") after its own FIN, which no correct stack does: a broken stack, or stale or injected segments.",
            confidence: .likely
        )
    }
}
