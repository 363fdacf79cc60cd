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
}
