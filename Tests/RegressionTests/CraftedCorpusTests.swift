import FlowAuditTestSupport
import Foundation
import Testing

/// The committed files in `Captures/crafted/` are exactly what `CraftedCorpus` generates, so the
/// crafted half of the corpus is reproducible. `RECORD_GOLDEN=1` writes them (with a provenance
/// file that the next recording run turns into the expected file's header).
@Suite("Crafted corpus is generated")
struct CraftedCorpusTests {
    static let directory = CorpusLocation.captures.appendingPathComponent("crafted")

    @Test(arguments: CraftedCorpus.all.map(\.name))
    func committedFileMatchesGenerator(_ name: String) throws {
        let entry = try #require(CraftedCorpus.all.first { $0.name == name })
        let path = Self.directory.appendingPathComponent("\(name).\(entry.fileExtension)")
        let generated = Data(entry.bytes())
        let committed = try? Data(contentsOf: path)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1", committed != generated {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try generated.write(to: path)
            var provenance = entry.note + "\n"
            if !entry.options.isEmpty { provenance += "options: " + entry.options.joined(separator: " ") + "\n" }
            try provenance.write(
                to: Self.directory.appendingPathComponent("\(name).provenance"),
                atomically: true,
                encoding: .utf8
            )
            Issue.record("wrote \(path.lastPathComponent); run RECORD_GOLDEN=1 again to record its expected findings")
            return
        }
        #expect(committed == generated, "\(name) differs from its generator; regenerate with RECORD_GOLDEN=1")
    }

    @Test func namesAreUnique() {
        #expect(Set(CraftedCorpus.all.map(\.name)).count == CraftedCorpus.all.count)
    }
}
