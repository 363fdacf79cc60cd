/// Data or a new FIN from an endpoint after its own FIN, or any segment after its own RST: RFC
/// 9293 §3.10.2 forbids SEND after CLOSE, and a reset endpoint has no connection left.
struct DataAfterClose: Classifier {
    static func classify(_ g: ConnectionGeneration, _ context: ClassificationContext) -> Finding? {
        let items = g.evidence.dataAfterClose
        guard let first = items.first else { return nil }
        let senders = Set(items.map(\.sender)).map { g.role($0) }.sorted().joined(separator: " and ")
        let afterReset = items.contains { g[$0.sender].sentReset && $0.senderState == .closed }
        return Finding(
            .dataAfterClose, .warning, evidence: items.map(\.moment), decidedAt: first.moment, in: g,
            "The \(senders) sent \(items.count) segment\(items.count == 1 ? "" : "s") after \(afterReset ? "its own RST" : "its own FIN"), which no correct stack does.")
    }
}
