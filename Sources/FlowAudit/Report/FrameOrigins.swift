import Synchronization

/// Where each frame of a merged capture (`--merge`) came from: runs of consecutive merged frame
/// numbers read from one file, so that a finding's frames, numbered as in `mergecap`'s output,
/// can also be named in their own files. Rotated captures (`tcpdump -C/-G`) make one run per file;
/// interleaved ones one run per switch. Appended by the reading thread, read by the reporting one.
public final class FrameOrigins: Sendable {
    /// One run: merged frames from `firstFrame` on came from `file`, starting at `firstOriginal`.
    private struct Run {
        var firstFrame: UInt64
        var file: Int
        var firstOriginal: UInt64
    }

    /// The merged files' names, by index.
    public let files: [String]
    private let runs = Mutex<[Run]>([])

    public init(files: [String]) { self.files = files }

    /// Records that merged frame `frame` is frame `original` of file `file` (frames in order).
    public func note(frame: UInt64, file: Int, original: UInt64) {
        runs.withLock { runs in
            if let last = runs.last, last.file == file, original - last.firstOriginal == frame - last.firstFrame {
                return
            }
            runs.append(Run(firstFrame: frame, file: file, firstOriginal: original))
        }
    }

    /// `frames` (merged numbers, ascending) grouped by their file, in file order of appearance,
    /// each with the frames' numbers in that file.
    public func locate(_ frames: [UInt64]) -> [(file: String, frames: [UInt64])] {
        runs.withLock { runs in
            var grouped: [(file: Int, frames: [UInt64])] = []
            for frame in frames {
                // The last run starting at or before `frame`.
                var low = 0, high = runs.count
                while low < high {
                    let middle = (low + high) / 2
                    if runs[middle].firstFrame <= frame { low = middle + 1 } else { high = middle }
                }
                guard low > 0 else { continue }
                let run = runs[low - 1]
                let original = run.firstOriginal + (frame - run.firstFrame)
                if let index = grouped.firstIndex(where: { $0.file == run.file }) {
                    grouped[index].frames.append(original)
                } else {
                    grouped.append((run.file, [original]))
                }
            }
            return grouped.map { (files[$0.file], $0.frames) }
        }
    }
}
