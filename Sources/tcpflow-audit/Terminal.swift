import FlowAudit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to standard output (buffered, flushed at exit or on request) and standard error
/// (unbuffered), and whether colour is wanted.
enum Terminal {
    nonisolated(unsafe) private static let buffer = OutputBuffer(capacity: 1 << 17)

    static func out(_ line: String) {
        buffer.append(line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Lets `render` append bytes (whole lines) to the output buffer directly.
    static func out(rendering render: (OutputBuffer) -> Void) {
        render(buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Set once standard output could not be written (a full disk, a closed descriptor): from then
    /// on its output is dropped.
    nonisolated(unsafe) private static var standardOutputFailed = false
    /// Set once any output (standard output, a `-w` file) failed: the run exits with
    /// `ExitStatus.writeFailed`.
    nonisolated(unsafe) private(set) static var writeFailed = false

    /// Whether a progress line is on standard error now. The progress line is drawn by the
    /// analysing thread while reports are written by the judging thread: both go through this
    /// lock, and a report clears the progress line before it is written, so the two never share
    /// a terminal line.
    private static let progressShown = Mutex(false)

    static func flush() {
        defer { buffer.removeAll() }
        guard !standardOutputFailed, buffer.count > 0 else { return }
        let failed = progressShown.withLock { shown in
            if shown {
                writeAll(Array(clearLine.utf8), to: STDERR_FILENO)
                shown = false
            }
            return buffer.withBytes { writeAll($0, to: STDOUT_FILENO) }
        }
        if let failed {
            standardOutputFailed = true
            reportWriteFailure(output: "standard output", reason: String(cString: strerror(failed)))
        }
    }

    /// Carriage return and "erase to end of line".
    private static let clearLine = "\r\u{1B}[K"

    /// Says once on standard error that `output` could not be written, and marks the run failed.
    static func reportWriteFailure(output: String, reason: String) {
        writeFailed = true
        error("tcpflow-audit: cannot write to \(output): \(reason); it is incomplete")
    }

    /// Draws (or, with nil, clears) a one-line progress display on standard error.
    static func progress(_ line: String?) {
        progressShown.withLock { shown in
            guard line != nil || shown else { return }
            writeAll(Array((clearLine + (line ?? "")).utf8), to: STDERR_FILENO)
            shown = line != nil
        }
    }

    static func error(_ line: String) {
        flush()
        writeAll(Array((line + "\n").utf8), to: STDERR_FILENO)
    }

    @discardableResult
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    /// Writes everything, retrying after EINTR; returns the errno of a failed write, or nil.
    /// (A closed pipe raises SIGPIPE first, which ends the run quietly, as for any Unix filter.)
    private static func writeAll(_ raw: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = raw.baseAddress else { return nil }
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, base + offset, raw.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return written < 0 ? errno : EIO }
            offset += written
        }
        return nil
    }

    /// Colour only on a terminal, never when NO_COLOR is set to anything non-empty (no-color.org)
    /// or TERM is `dumb`.
    static var wantsColor: Bool {
        guard isatty(STDOUT_FILENO) != 0 else { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }
}
