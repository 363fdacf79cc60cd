import CPcap
import FlowAudit

/// `--merge`: several capture files read as one, frame by frame in timestamp order as `mergecap`
/// merges them (on equal times, the file given first), numbered 1, 2 … as in `mergecap`'s output;
/// `origins` names each frame's own file and number. For rotated captures (`tcpdump -C/-G`): a
/// connection that spans two files is one connection. The files must share a link type. A file
/// that is damaged drops out of the merge at the damage, which is reported; the others go on.
package final class MergedCapture: FrameSource {
    package let linkType: LinkType
    package let origins: FrameOrigins
    private let readers: [PcapFileReader]
    private var filters: [bpf_program?]

    /// One file's frame waiting to be merged (libpcap's buffer holds it until the next read).
    private struct Head {
        var header: UnsafePointer<pcap_pkthdr>
        var data: UnsafePointer<UInt8>
        var frame: CapturedFrame
    }

    package init(paths: [String], origins: FrameOrigins, filter: String? = nil) throws(PcapError) {
        var readers: [PcapFileReader] = []
        for path in paths { readers.append(try PcapFileReader(path: path)) }
        guard let first = readers.first else { throw .cannotOpen(file: "--merge", reason: "no capture files to merge") }
        for reader in readers where reader.linkType != first.linkType {
            throw .cannotOpen(
                file: reader.name,
                reason:
                    "link type \(reader.linkType) differs from \(first.name)'s \(first.linkType); --merge needs one link type"
            )
        }
        self.readers = readers
        linkType = first.linkType
        self.origins = origins
        filters = []
        for reader in readers {
            guard let filter else {
                filters.append(nil)
                continue
            }
            var compiled = bpf_program()
            guard pcap_compile(reader.capture.pointer, &compiled, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                throw .badFilter(expression: filter, reason: reader.capture.lastError)
            }
            filters.append(compiled)
        }
    }

    deinit {
        for index in filters.indices where filters[index] != nil { pcap_freecode(&filters[index]!) }
    }

    /// Every frame of every file in timestamp order. Frames a `-f` filter rejects keep their
    /// merged numbers, as `mergecap` then a display filter would show them.
    package func forEachFrame(shouldStop: (() -> Bool)?, _ body: (CapturedFrame) -> Void) -> String? {
        var heads: [Head?] = Array(repeating: nil, count: readers.count)
        var numbers = [UInt64](repeating: 0, count: readers.count)
        var damage: [String] = []
        func advance(_ file: Int) {
            var number = numbers[file]
            var head: Head?
            let end = readers[file].capture.readFrames(limit: 1, numberedFrom: &number, nanoseconds: true) {
                frame,
                header,
                data in
                head = Head(header: header, data: data, frame: frame)
                return true
            }
            numbers[file] = number
            heads[file] = head
            if case let .failed(reason) = end {
                damage.append("\(readers[file].name): frame \(number + 1): \(reason)")
            }
        }
        for file in readers.indices { advance(file) }
        var merged: UInt64 = 0
        while merged & 63 != 0 || shouldStop?() != true {
            // The earliest head; a frame without a representable time goes first (it is reported).
            var chosen: Int?
            for file in heads.indices {
                guard let head = heads[file] else { continue }
                guard let current = chosen, let best = heads[current] else {
                    chosen = file
                    continue
                }
                let time = head.frame.time?.nanoseconds ?? .min, bestTime = best.frame.time?.nanoseconds ?? .min
                if time < bestTime { chosen = file }
            }
            guard let file = chosen, var head = heads[file] else { break }
            merged += 1
            origins.note(frame: merged, file: file, original: head.frame.number)
            var passes = true
            if let program = filters[file] {
                passes = withUnsafePointer(to: program) { pcap_offline_filter($0, head.header, head.data) != 0 }
            }
            if passes {
                head.frame.number = merged
                body(head.frame)
            }
            advance(file)
        }
        return damage.isEmpty ? nil : damage.joined(separator: "; ")
    }
}
