import Foundation

/// Where the regression corpus lives, found from this file's path so tests run from any directory.
enum CorpusLocation {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let captures = packageRoot.appendingPathComponent("Captures")

    /// Every `.pcap` / `.pcapng` under `Captures/`, as paths relative to it, sorted.
    static func allCaptures() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: captures.path) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") || $0.hasSuffix(".pcap.gz") }
            .sorted()
    }

    /// A product built beside the running test bundle, wherever SwiftPM put it (`--scratch-path`,
    /// `-c release`); `.build/debug` if the bundle's folder cannot be read.
    static func builtExecutable(_ name: String) -> String {
        if let bundle = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var folder = URL(fileURLWithPath: bundle).deletingLastPathComponent()
            // The test runner may be the bundle itself or sit inside it (…/X.xctest/…).
            while folder.path != "/" {
                let candidate = folder.appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                folder.deleteLastPathComponent()
            }
        }
        return packageRoot.appendingPathComponent(".build/debug/\(name)").path
    }

    static func expectationPath(for capture: String) -> String {
        let name = capture.hasSuffix(".gz") ? String(capture.dropLast(3)) : capture
        let base = name.hasSuffix(".pcapng") ? String(name.dropLast(7)) : String(name.dropLast(5))
        return captures.appendingPathComponent(base + ".expected").path
    }
}
