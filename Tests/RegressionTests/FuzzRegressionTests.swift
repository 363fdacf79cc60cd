import FlowAuditFuzzing
import Foundation
import Testing

/// Every input the fuzzer once failed on (`Fuzz/regressions/`) runs through the pipeline again.
/// (An out-of-memory there would end the test process; a crash, too.)
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let directory = CorpusLocation.captures.deletingLastPathComponent().appendingPathComponent(
        "Fuzz/regressions"
    )

    static func inputs() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test(arguments: inputs())
    func replays(_ name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let rendered = data.withUnsafeBytes { FuzzInput.run($0) }
        #expect(rendered > 0)
    }
}
