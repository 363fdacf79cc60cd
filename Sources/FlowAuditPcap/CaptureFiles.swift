import Foundation

/// Finding capture files: a directory argument stands for the captures under it.
public enum CaptureFiles {
    /// Every capture under `paths` (folders are walked recursively; files are taken as they are), sorted.
    public static func under(_ paths: [String]) -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            let walker = FileManager.default.enumerator(atPath: path)
            while let relative = walker?.nextObject() as? String {
                if isCaptureFile(relative) { found.append((path as NSString).appendingPathComponent(relative)) }
            }
        }
        return found.sorted()
    }

    /// Capture file endings, as tcpdump, Wireshark and Windows tools write them (any case), each
    /// also gzip-compressed (`.pcap.gz`).
    public static let captureExtensions: Set<String> = ["pcap", "pcapng", "cap", "dmp"]

    public static func isCaptureFile(_ name: String) -> Bool {
        captureExtensions.contains((withoutGzipSuffix(name) as NSString).pathExtension.lowercased())
    }

    public static func withoutGzipSuffix(_ name: String) -> String {
        (name as NSString).pathExtension.lowercased() == "gz" ? (name as NSString).deletingPathExtension : name
    }
}
