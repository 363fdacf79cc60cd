import Foundation
import Testing

/// `--html`: the page loads in a real browser (headless Chromium, installed by CI) without a
/// console message, its script runs, it asks for nothing over the network, and every connection
/// generation with findings has its ladder diagram (up to the cap, which the page then states).
@Suite("HTML report in headless Chromium")
struct HTMLReportTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Loads `page` in headless Chromium; returns the DOM after its scripts ran, and Chromium's log.
    static func load(_ page: String, fragment: String = "") throws -> (dom: String, log: String) {
        let profile = NSTemporaryDirectory() + "tcpflow-audit-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--enable-logging=stderr",
            "--v=0", "--virtual-time-budget=2000", "--dump-dom", URL(fileURLWithPath: page).absoluteString + fragment,
        ]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let dom = out.fileHandleForReading.readDataToEndOfFile()
        let log = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: dom, as: UTF8.self), String(decoding: log, as: UTF8.self))
    }

    /// Writes the HTML report of `Captures/real/NAME.pcap` to a temporary file; returns its path
    /// and the run. The caller removes the file.
    static func writePage(of name: String) throws -> (page: String, run: CommandLineTests.Outcome) {
        let capture = CorpusLocation.captures.appendingPathComponent("real/\(name).pcap").path
        let page = NSTemporaryDirectory() + "tcpflow-audit-\(name)-\(UUID().uuidString).html"
        return (page, try CommandLineTests.run(["--fail-on", "never", "--html", page, capture]))
    }

    static func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test(
        .enabled(if: chromium != nil, "needs chromium (apt-get install chromium)"),
        .timeLimit(.minutes(5)),
        arguments: ["lost-final-ack", "syn-reuse-last-ack", "rst-injected-in-window", "close-wait-open", "syn-flood"]
    )
    func pageLoadsWithADiagramPerFinding(_ name: String) throws {
        let (page, run) = try Self.writePage(of: name)
        defer { try? FileManager.default.removeItem(atPath: page) }
        #expect(run.status == 0 && run.stderr.contains("HTML report in"))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(
            !html.contains("http://") && !html.contains("https://") && !html.contains("src="),
            "no external resource"
        )
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))

        let (dom, log) = try Self.load(page)
        #expect(dom.contains("data-ready=\"yes\""), "the page's script ran to its end")
        let consoleLines = log.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleLines.isEmpty, "console: \(consoleLines)")
        let generations = Self.occurrences("<article class=\"generation\"", in: dom)
        #expect(generations > 0)
        #expect(
            Self.occurrences("<svg class=\"ladder\"", in: dom) == generations,
            "one ladder per generation with findings"
        )
        #expect(Self.occurrences("<li class=\"finding\"", in: dom) >= generations)
        #expect(dom.contains("findings shown"))
    }

    /// Past the cap the page says which generations have no diagram, and why.
    @Test(.enabled(if: chromium != nil, "needs chromium"), .timeLimit(.minutes(5)))
    func manyGenerationsAreCappedAndSaySo() throws {
        let page = try Self.writePage(of: "time-wait-population").page
        defer { try? FileManager.default.removeItem(atPath: page) }
        let (dom, log) = try Self.load(page)
        #expect(dom.contains("data-ready=\"yes\"") && !log.contains(":CONSOLE"))
        #expect(Self.occurrences("<article class=\"generation\"", in: dom) == 300)
        #expect(Self.occurrences("<svg class=\"ladder\"", in: dom) == 100)
        #expect(Self.occurrences("only the first 100 connection generations with findings are drawn", in: dom) == 200)
        #expect(dom.contains("TIME-WAIT population") && dom.contains("peak 300"))
        #expect(dom.contains("conn_state: SF × 300"))
    }

    /// The filters work: a fragment that keeps only errors hides a capture's warnings, and one
    /// naming the kind shows it again.
    @Test(.enabled(if: chromium != nil, "needs chromium"), .timeLimit(.minutes(5)))
    func filtersHideWhatIsNotChecked() throws {
        let page = try Self.writePage(of: "lost-final-ack").page
        defer { try? FileManager.default.removeItem(atPath: page) }
        let errorsOnly = try Self.load(page, fragment: "#severity=error").dom
        #expect(errorsOnly.contains("0 of 1 findings shown"))
        #expect(errorsOnly.contains("<article class=\"generation hidden\""))
        let kind = try Self.load(page, fragment: "#kind=lost-final-ack&severity=warning").dom
        #expect(kind.contains("1 of 1 findings shown") && !kind.contains("generation hidden"))
    }
}
