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
        defaultSubcommand: AuditCommand.self)

    /// Parses, runs, and maps usage errors to exit status 2 (argument-parser's default is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            Terminal.flush()
        } catch {
            Terminal.flush()
            if exitCode(for: error) == .validationFailure {
                Terminal.error("tcpflow-audit: " + fullMessage(for: error))
                Glibc.exit(ExitStatus.usageOrUnreadable.rawValue)
            }
            exit(withError: error)
        }
    }
}
