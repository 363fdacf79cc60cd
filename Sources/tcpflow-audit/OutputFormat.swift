import ArgumentParser

/// `--format`: the text report, JSON Lines, or a Zeek-style connection log (`conn`).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, conn

    /// The connection log has a line for every generation, findings or not.
    var reportsEveryGeneration: Bool { self == .conn }
}

/// `--color`: `auto` colours text output on a terminal unless `NO_COLOR` is set (no-color.org) or
/// `TERM` is `dumb`; `always` colours it anyway (for `less -R`; an explicit choice overrides
/// `NO_COLOR`, as no-color.org asks); `never` does not.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    var enabled: Bool {
        switch self {
        case .auto: Terminal.wantsColor
        case .always: true
        case .never: false
        }
    }
}
