import ArgumentParser
import FlowAudit

/// The audit's timers, limits and report filters as command-line options: the one parser of
/// them, for the command line (`tcpflow-audit`, an option group) and for the `# options:` line
/// of a regression corpus's expected files alike.
public struct AnalysisOptions: ParsableArguments {
    @Option(
        name: .customLong("time-wait"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "2MSL: how long TIME-WAIT lasts and closed connections are remembered.",
            valueName: "seconds"
        )
    )
    public var timeWait: Double = 60

    @Option(
        name: .customLong("close-wait-threshold"),
        parsing: .unconditional,
        help: ArgumentHelp("Report CLOSE-WAIT lasting this long as a warning.", valueName: "seconds")
    )
    public var closeWaitThreshold: Double = 10

    @Option(
        name: .customLong("fin-timeout"),
        parsing: .unconditional,
        help: ArgumentHelp("Report FIN-WAIT-2 lasting longer than this (Linux tcp_fin_timeout).", valueName: "seconds")
    )
    public var finTimeout: Double = 60

    @Option(
        name: .customLong("syn-timeout"),
        parsing: .unconditional,
        help: ArgumentHelp("Live: report a SYN still unanswered after this long.", valueName: "seconds")
    )
    public var synTimeout: Double = 3

    @Option(
        name: .customLong("attempt-timeout"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "Judge an unanswered SYN once its client has sent none for this long (or 3× its longest retry gap).",
            valueName: "seconds"
        )
    )
    public var attemptTimeout: Double = 10

    @Option(
        name: .customLong("idle-timeout"),
        parsing: .unconditional,
        help: ArgumentHelp("Judge a connection with no packets for this long.", valueName: "seconds")
    )
    public var idleTimeout: Double = 300

    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp(
            "Follow at most this many connections at once (about 600 bytes each); past it, shed one-packet flows and unanswered attempts, judged early.",
            valueName: "count"
        )
    )
    public var maxConnections: Int = AuditConfiguration().maxConnections

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp("Report only these kinds (comma-separated).", valueName: "kind,…")
    )
    public var only: String?

    @Option(
        name: .customLong("min-severity"),
        help: ArgumentHelp("Hide findings below this severity: info, warning, error.", valueName: "severity")
    )
    public var minimumSeverity: String = "info"

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "Exit 1 when a finding at or above this severity is reported: info, warning, error, never.",
            valueName: "severity"
        )
    )
    public var failOn: String = "error"

    @Flag(name: .customLong("all-flows"), help: "Also report connections without findings.")
    public var allFlows = false

    public init() {}

    public mutating func validate() throws {
        for (name, value) in [
            ("--time-wait", timeWait), ("--close-wait-threshold", closeWaitThreshold), ("--fin-timeout", finTimeout),
            ("--idle-timeout", idleTimeout), ("--syn-timeout", synTimeout), ("--attempt-timeout", attemptTimeout),
        ] {
            do {
                _ = try AuditConfiguration.nanoseconds(seconds: value, option: name)
            } catch {
                throw ValidationError(error.description)
            }
        }
        guard maxConnections >= 1_000 else {
            throw ValidationError("--max-connections must be at least 1000, got \(maxConnections)")
        }
        _ = try onlyKinds()
        _ = try severity(minimumSeverity, option: "--min-severity")
        if failOn != "never" { _ = try severity(failOn, option: "--fail-on") }
    }

    public func onlyKinds() throws -> Set<AnomalyKind>? {
        guard let only else { return nil }
        var kinds = Set<AnomalyKind>()
        for name in only.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where !name.isEmpty {
            guard let kind = AnomalyKind(rawValue: name) else {
                throw ValidationError(
                    "--only: unknown kind '\(name)'; kinds are: \(AnomalyKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            kinds.insert(kind)
        }
        return kinds
    }

    public func severity(_ text: String, option: String) throws -> Severity {
        guard let value = Severity(rawValue: text) else {
            let choices = option == "--fail-on" ? "info, warning, error, never" : "info, warning, error"
            throw ValidationError("\(option): '\(text)' is not one of \(choices)")
        }
        return value
    }

    public var configuration: AuditConfiguration {
        var configuration = AuditConfiguration()
        configuration.timeWait = Int64(timeWait * 1e9)
        configuration.closeWaitThreshold = Int64(closeWaitThreshold * 1e9)
        configuration.finTimeout = Int64(finTimeout * 1e9)
        configuration.idleTimeout = Int64(idleTimeout * 1e9)
        configuration.synTimeout = Int64(synTimeout * 1e9)
        configuration.attemptTimeout = Int64(attemptTimeout * 1e9)
        configuration.maxConnections = maxConnections
        return configuration
    }

    /// The severity that makes the run exit 1, or nil for `never`.
    public var failSeverity: Severity? { Severity(rawValue: failOn) }

    /// The configuration `arguments` (such as `["--time-wait", "2"]`) give, validated as on the
    /// command line; the error carries the parser's message.
    public static func configuration(
        parsing arguments: [String]
    ) throws(AuditConfiguration.OptionError)
        -> AuditConfiguration
    {
        do {
            return try parse(arguments).configuration
        } catch {
            throw AuditConfiguration.OptionError(description: message(for: error))
        }
    }
}
