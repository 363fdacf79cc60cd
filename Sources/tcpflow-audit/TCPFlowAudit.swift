import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The entry point: `AuditCommand` is the root command (`regress` its subcommand).
@main
enum TCPFlowAudit {
    /// Parses, runs, and maps usage errors to exit status 2 (argument-parser's default is 64).
    /// A failed write (4) outranks 0–3; an interrupted file analysis (128 + signal) outranks it.
    static func main() {
        var status = ExitStatus.clean
        do {
            var command = try AuditCommand.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            status = code
        } catch {
            Terminal.flush()
            if AuditCommand.exitCode(for: error) == .validationFailure {
                Terminal.error("tcpflow-audit: " + AuditCommand.fullMessage(for: error))
                Glibc.exit(ExitStatus.usageOrUnreadable.rawValue)
            }
            AuditCommand.exit(withError: error)
        }
        Terminal.flush()
        if Terminal.writeFailed && status.rawValue < 128 { status = ExitStatus.writeFailed }
        Glibc.exit(status.rawValue)
    }
}
