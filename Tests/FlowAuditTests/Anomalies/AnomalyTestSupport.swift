import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// Findings of every generation in `scripts`, in report order.
func findings(_ scripts: ConnectionScript..., configuration: AuditConfiguration = AuditConfiguration()) -> [Finding] {
    audit(Capture(scripts).segments, configuration: configuration).flatMap(\.findings)
}

/// Asserts that exactly the `expected` kinds were found (in catalogue order) and returns the one of `kind`.
@discardableResult
func expectKinds(
    _ found: [Finding],
    _ expected: [AnomalyKind],
    sourceLocation: SourceLocation = #_sourceLocation
) -> [AnomalyKind: Finding] {
    #expect(found.map(\.kind).sorted() == expected.sorted(), sourceLocation: sourceLocation)
    return Dictionary(found.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
}

func script(timestamps: Bool = true) -> ConnectionScript {
    ConnectionScript(client: "10.0.0.1:40000", server: "10.0.0.2:80", timestamps: timestamps)
}
