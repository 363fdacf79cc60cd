import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `tcpflow-audit` command: audits by default, other tools as subcommands.
@main
struct TCPFlowAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcpflow-audit",
        abstract: "Tells, flow by flow, what went wrong in TCP connection set-up and tear-down.",
        subcommands: [AuditCommand.self, RegressCommand.self],
        defaultSubcommand: AuditCommand.self
    )

    /// Parses, runs, and maps usage errors to exit status 2 (argument-parser's default is 64).
    /// A failed write (4) outranks 0–3; an interrupted file analysis (128 + signal) outranks it.
    static func main() {
        var status = ExitStatus.clean
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            status = code
        } catch {
            Terminal.flush()
            if exitCode(for: error) == .validationFailure {
                Terminal.error("tcpflow-audit: " + fullMessage(for: error))
                Glibc.exit(ExitStatus.usageOrUnreadable.rawValue)
            }
            exit(withError: error)
        }
        Terminal.flush()
        if Terminal.writeFailed && status.rawValue < 128 { status = ExitStatus.writeFailed }
        Glibc.exit(status.rawValue)
    }
}
