import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The entry point: `AuditCommand` is the root command (`regress` and `ladder` its subcommands).
@main
enum TCPFlowAudit {
    /// Parses, runs, and maps usage errors to exit status 2 (argument-parser's default is 64).
    /// A failed write (4) outranks 0–3; an interrupted file analysis (128 + signal) outranks it.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // The root command takes capture files as arguments, so argument-parser would read
        // `regress` or `ladder` as a file name: the subcommands are dispatched here.
        if arguments.first == RegressCommand.configuration.commandName {
            run(RegressCommand.self, Array(arguments.dropFirst()))
        } else if arguments.first == LadderCommand.configuration.commandName {
            run(LadderCommand.self, Array(arguments.dropFirst()))
        } else {
            run(AuditCommand.self, arguments)
        }
    }

    private static func run<Command: ParsableCommand>(_ type: Command.Type, _ arguments: [String]) -> Never {
        var status = ExitStatus.clean
        do {
            var command = try type.parse(arguments)
            try command.run()
        } catch let code as ExitCode {
            status = code
        } catch {
            Terminal.flush()
            if type.exitCode(for: error) == .validationFailure {
                Terminal.error("tcpflow-audit: " + type.fullMessage(for: error))
                Glibc.exit(ExitStatus.usageOrUnreadable.rawValue)
            }
            type.exit(withError: error)
        }
        Terminal.flush()
        if Terminal.writeFailed && status.rawValue < 128 { status = ExitStatus.writeFailed }
        Glibc.exit(status.rawValue)
    }
}
