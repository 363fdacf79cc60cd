import ArgumentParser
import FlowAudit

/// Live capture, and the capture filter shared with file input.
struct LiveOptions: ParsableArguments {
    @Option(
        name: .customShort("i"),
        help: ArgumentHelp("Capture live from this interface ('any' for all).", valueName: "interface")
    )
    var interface: String?

    @Flag(name: .customShort("D"), help: "List the interfaces that can be captured from, then exit.")
    var listInterfaces = false

    @Option(
        name: .customShort("f"),
        help: ArgumentHelp(
            "BPF capture filter, for live capture and files (frame numbers stay the file's).",
            valueName: "expression"
        )
    )
    var filter: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Live: stop after this many packets.", valueName: "count"))
    var count: UInt64?

    @Option(
        name: .customLong("duration"),
        help: ArgumentHelp("Live: stop after this many seconds.", valueName: "seconds")
    )
    var duration: Double?

    @Option(
        name: .customShort("w"),
        help: ArgumentHelp("Live: also write every captured packet to this pcap file.", valueName: "file")
    )
    var writeFile: String?

    @Option(
        name: .customLong("snaplen"),
        help: ArgumentHelp("Live: bytes kept per packet (headers and options fit in the default).", valueName: "bytes")
    )
    var snaplen: Int32 = 256

    var isLive: Bool { interface != nil }

    mutating func validate() throws {
        if !isLive, count != nil || duration != nil || writeFile != nil {
            throw ValidationError("-c, --duration and -w apply to live capture (-i)")
        }
        if count == 0 { throw ValidationError("-c must be at least 1 (omit it to capture until Ctrl-C)") }
        if let duration {
            do {
                _ = try AuditConfiguration.nanoseconds(seconds: duration, option: "--duration")
            } catch {
                throw ValidationError(error.description)
            }
        }
        guard snaplen >= 64, snaplen <= 262_144 else {
            throw ValidationError("--snaplen must be between 64 and 262144")
        }
    }
}
