import CPcap

#if canImport(Glibc)
import Glibc
#endif

/// Owns one libpcap capture handle: its deinit is the only `pcap_close`, so no error path can
/// close it twice (an initializer that throws after taking ownership just lets it go).
final class PcapHandle {
    let pointer: OpaquePointer
    /// The stdio buffer an offline capture reads through, freed only after the file is closed.
    private let streamBuffer: UnsafeMutablePointer<CChar>?

    init(_ pointer: OpaquePointer, streamBuffer: UnsafeMutablePointer<CChar>? = nil) {
        self.pointer = pointer
        self.streamBuffer = streamBuffer
    }

    deinit {
        pcap_close(pointer)
        streamBuffer?.deallocate()
    }

    /// libpcap's message for the handle's last error.
    var lastError: String { String(cString: pcap_geterr(pointer)) }
}

/// Owns one `pcap_dump` output file (`-w`) and notices when writing it fails: `pcap_dump` itself
/// reports nothing, so each flush checks libpcap's flush result and the stream's error flag.
final class PcapDumpFile {
    let path: String
    private let dumper: OpaquePointer
    /// Why writing failed (first failure only); the file is incomplete from there on.
    private(set) var failure: String?

    init(capture: PcapHandle, path: String) throws(PcapError) {
        guard let opened = pcap_dump_open(capture.pointer, path) else {
            throw .cannotWrite(file: path, reason: capture.lastError)
        }
        self.path = path
        dumper = opened
    }

    deinit { pcap_dump_close(dumper) }

    func write(_ header: UnsafePointer<pcap_pkthdr>, _ data: UnsafePointer<UInt8>) {
        guard failure == nil else { return }
        pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), header, data)
    }

    /// Pushes buffered packets to the file; the first failure is kept in `failure`.
    func flush() {
        guard failure == nil else { return }
        errno = 0
        let flushed = pcap_dump_flush(dumper) == 0
        if !flushed || ferror(pcap_dump_file(dumper)) != 0 {
            failure = errno != 0 ? String(cString: strerror(errno)) : "write error"
        }
    }
}
