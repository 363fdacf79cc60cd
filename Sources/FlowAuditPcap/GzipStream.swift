import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// A gzip-compressed capture read as a plain stdio stream, so libpcap reads it as it reads any
/// file (Wireshark opens `.pcap.gz` the same way). The stream inflates from the original `FILE`
/// (whose first byte was only peeked at, so standard input works too), member after member
/// (`cat a.gz b.gz` is one valid gzip file), and is closed with it.
final class GzipStream {
    private let source: UnsafeMutablePointer<FILE>
    private var stream = z_stream()
    private let input = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
    /// The end of the last member was reached and no more input follows.
    private var finished = false
    /// Input was consumed since the last member ended (so an end of input now cuts a member short).
    private var insideMember = false

    /// Whether `file`'s next byte starts a gzip member (0x1F; no pcap or pcapng magic does).
    static func isCompressed(_ file: UnsafeMutablePointer<FILE>) -> Bool {
        let first = getc(file)
        guard first != EOF else { return false }
        ungetc(first, file)
        return first == 0x1F
    }

    /// A read-only `FILE` that yields `source` inflated, or nil if zlib or stdio refused.
    static func open(_ source: UnsafeMutablePointer<FILE>) -> UnsafeMutablePointer<FILE>? {
        let gzip = GzipStream(source: source)
        // 15 + 16: a gzip wrapper, the largest window.
        guard inflateInit2_(&gzip.stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        let functions = tcpflow_cookie_functions(
            read: { cookie, buffer, size in
                guard let cookie, let buffer else { return -1 }
                return Unmanaged<GzipStream>.fromOpaque(cookie).takeUnretainedValue().read(into: buffer, size: size)
            },
            write: nil,
            seek: nil,
            close: { cookie in
                guard let cookie else { return 0 }
                Unmanaged<GzipStream>.fromOpaque(cookie).release()
                return 0
            }
        )
        let cookie = Unmanaged.passRetained(gzip).toOpaque()
        guard let file = tcpflow_fopencookie(cookie, "r", functions) else {
            Unmanaged<GzipStream>.fromOpaque(cookie).release()
            return nil
        }
        return file
    }

    private init(source: UnsafeMutablePointer<FILE>) { self.source = source }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
        fclose(source)
    }

    /// Inflates into `buffer`; 0 at the end, −1 with errno EBADMSG ("Bad message") on damaged
    /// compressed data or a member cut short (a truncated `.gz`), which libpcap reports as damage.
    private func read(into buffer: UnsafeMutablePointer<CChar>, size: Int) -> Int {
        guard !finished else { return 0 }
        stream.next_out = UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(clamping: size)
        while stream.avail_out == UInt32(clamping: size) {
            if stream.avail_in == 0 {
                let count = fread(input, 1, 1 << 16, source)
                if count == 0 {
                    finished = true
                    // Between members the input may end; inside one the file was cut short.
                    guard !insideMember || stream.avail_out != UInt32(clamping: size) else {
                        errno = EBADMSG
                        return -1
                    }
                    break
                }
                stream.next_in = input
                stream.avail_in = UInt32(count)
            }
            insideMember = true
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                insideMember = false
                // Another member may follow.
                if inflateReset(&stream) != Z_OK { finished = true }
                if stream.avail_in == 0, feof(source) != 0 { finished = true }
                if finished { break }
            } else if status != Z_OK && status != Z_BUF_ERROR {
                errno = EBADMSG
                return -1
            }
        }
        return size - Int(stream.avail_out)
    }
}
