import Foundation
import Testing

/// The README's sample outputs are what the tool prints (issue 12, defect 10): each block between
/// `<!-- sample: ARGUMENTS -->` and `<!-- end sample -->` is run again and compared.
/// `python3 docs/update-samples.py BINARY` regenerates them.
@Suite("README samples")
struct ReadmeSampleTests {
    static let root = CorpusLocation.captures.deletingLastPathComponent()

    static func samples() throws -> [(arguments: String, output: String)] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        var found: [(String, String)] = []
        for part in readme.components(separatedBy: "<!-- sample: ").dropFirst() {
            guard let header = part.range(of: " -->\n```\n"), let end = part.range(of: "```\n<!-- end sample -->")
            else {
                continue
            }
            let arguments = String(part[..<header.lowerBound])
            let block = String(part[header.upperBound..<end.lowerBound])
            let prompt = "$ tcpflow-audit \(arguments)\n"
            guard block.hasPrefix(prompt) else { continue }
            found.append((arguments, String(block.dropFirst(prompt.count))))
        }
        return found
    }

    @Test func everySampleIsWhatTheToolPrints() throws {
        let samples = try Self.samples()
        #expect(samples.count >= 3)
        for sample in samples {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
            process.arguments = sample.arguments.split(separator: " ").map(String.init)
            process.currentDirectoryURL = Self.root
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(
                printed == sample.output,
                "README sample '\(sample.arguments)' is stale: run docs/update-samples.py"
            )
        }
    }
}
