import ArgumentParser

/// The documented exit codes (README.md, "Exit codes").
enum ExitStatus {
    /// Analysed; no finding at or above `--fail-on`.
    static let clean = ExitCode(0)
    /// A finding at or above `--fail-on` was reported.
    static let findings = ExitCode(1)
    /// Usage error, or an input that could not be opened or is of an unsupported link type.
    static let usageOrUnreadable = ExitCode(2)
    /// An input was damaged (truncated or corrupt); it was analysed up to the damage.
    static let damaged = ExitCode(3)
    /// Output could not be written (a full disk, a closed standard output, a `-w` file that
    /// failed): what was written is incomplete. Outranks 0–3.
    static let writeFailed = ExitCode(4)
    /// Interrupted by SIGINT (128 + 2) or SIGTERM (128 + 15): what was read was judged and the
    /// summary written, marked as interrupted. Outranks every other code.
    static func interrupted(by signal: Int32) -> ExitCode { ExitCode(128 + signal) }
}
