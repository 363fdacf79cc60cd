import CPcap
import FlowAudit

#if canImport(Glibc)
import Glibc
#endif

/// Reads a pcapng file whose interfaces have different link types (dumpcap's `-i eth0 -i any`
/// writes an Ethernet and a Linux cooked interface into one file), which libpcap 1.10 refuses at
/// the first interface of a second type. A small reader for exactly that case, against the
/// pcapng specification (draft-ietf-opsawg-pcapng): section headers (either byte order),
/// interface descriptions with `if_tsresol` and `if_tsoffset`, enhanced, simple and obsolete
/// packet blocks; other blocks are skipped. Each frame carries its interface's link type.
///
/// Chosen over Wireshark's libwiretap, which reads such files too: libwiretap is GPL-licensed,
/// has no stable API outside Wireshark, and would pull in much of libwireshark for one block
/// layout that is a hundred lines to read.
final class PcapngBlockReader {
    private struct Interface {
        var linkType: LinkType
        var snaplen: UInt32
        /// Timestamp units per second as a power: 10^-exponent, or 2^-exponent when `binary`.
        var exponent: UInt8 = 6
        var binary = false
        var offsetSeconds: Int64 = 0
    }

    private let name: String
    private let file: UnsafeMutablePointer<FILE>
    private var bigEndian = false
    private var interfaces: [Interface] = []
    private var block = [UInt8](repeating: 0, count: 1 << 16)
    private var filters: [Int32: UnsafeMutablePointer<bpf_program>] = [:]
    private let filter: String?

    /// Opens `path` (gzip-compressed or not); nil if it cannot be opened.
    init?(path: String, filter: String?) {
        guard let opened = fopen(path, "rb") else { return nil }
        var file = opened
        if GzipStream.isCompressed(opened) {
            guard let inflating = GzipStream.open(opened) else {
                fclose(opened)
                return nil
            }
            file = inflating
        }
        self.file = file
        name = path
        self.filter = filter
    }

    deinit {
        fclose(file)
        for program in filters.values {
            pcap_freecode(program)
            program.deallocate()
        }
    }

    private func u16(_ offset: Int) -> UInt16 {
        let value = UInt16(block[offset]) | UInt16(block[offset + 1]) << 8
        return bigEndian ? value.byteSwapped : value
    }

    private func u32(_ offset: Int) -> UInt32 {
        let value =
            UInt32(block[offset]) | UInt32(block[offset + 1]) << 8 | UInt32(block[offset + 2]) << 16
            | UInt32(block[offset + 3]) << 24
        return bigEndian ? value.byteSwapped : value
    }

    /// Calls `body` with every frame after the first `skip` (numbered from 1 as libpcap numbers
    /// them), each with its interface's link type; returns the damage that ended reading, if any.
    func forEachFrame(skipping skip: UInt64, shouldStop: (() -> Bool)?, _ body: (CapturedFrame) -> Void) -> String? {
        var number: UInt64 = 0
        while number & 63 != 0 || shouldStop?() != true {
            var header = [UInt8](repeating: 0, count: 8)
            let got = fread(&header, 1, 8, file)
            if got == 0 { return nil }
            guard got == 8 else { return "frame \(number + 1): truncated block header" }
            let type = UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24
            if type == 0x0A0D_0D0A {
                // A section header: its byte-order magic follows the length.
                var magic = [UInt8](repeating: 0, count: 4)
                guard fread(&magic, 1, 4, file) == 4 else { return "section header truncated" }
                bigEndian = magic == [0x1A, 0x2B, 0x3C, 0x4D]
                guard bigEndian || magic == [0x4D, 0x3C, 0x2B, 0x1A] else { return "bad section byte-order magic" }
                interfaces = []
                let length = Int(bigEndian ? readBig(header, 4) : readLittle(header, 4))
                guard length >= 28, length % 4 == 0, skipBytes(length - 12) else { return "section header truncated" }
                continue
            }
            let length = Int(bigEndian ? readBig(header, 4) : readLittle(header, 4))
            guard length >= 12, length % 4 == 0, length <= 1 << 26 else {
                return "frame \(number + 1): block length \(length) is invalid"
            }
            if block.count < length - 8 { block = [UInt8](repeating: 0, count: length - 8) }
            guard fread(&block, 1, length - 8, file) == length - 8 else {
                return "frame \(number + 1): truncated block"
            }
            let bodyLength = length - 12
            switch bigEndian ? type.byteSwapped : type {
            case 1:  // interface description
                guard bodyLength >= 8 else { return "interface description too short" }
                var interface = Interface(linkType: LinkType(rawValue: Int32(u16(0))), snaplen: u32(4))
                readOptions(from: 8, to: bodyLength) { code, offset, size in
                    if code == 9, size >= 1 {
                        interface.exponent = block[offset] & 0x7F
                        interface.binary = block[offset] & 0x80 != 0
                    } else if code == 14, size >= 8 {
                        interface.offsetSeconds = Int64(bitPattern: UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32)
                        if bigEndian {
                            interface.offsetSeconds = Int64(
                                bitPattern: UInt64(u32(offset)) << 32 | UInt64(u32(offset + 4))
                            )
                        }
                    }
                }
                interfaces.append(interface)
            case 6, 2:  // enhanced packet, obsolete packet
                let enhanced = (bigEndian ? type.byteSwapped : type) == 6
                guard bodyLength >= 20 else { return "frame \(number + 1): packet block too short" }
                let id = enhanced ? Int(u32(0)) : Int(u16(0))
                let capturedLength = Int(u32(12)), wireLength = Int(u32(16))
                guard id < interfaces.count, capturedLength <= bodyLength - 20 else {
                    return "frame \(number + 1): packet block names interface \(id) or overruns its block"
                }
                number += 1
                guard number > skip else { continue }
                let units = UInt64(u32(4)) << 32 | UInt64(u32(8))
                deliver(number, interfaces[id], units: units, from: 20, count: capturedLength, wire: wireLength, body)
            case 3:  // simple packet: interface 0, no timestamp
                guard bodyLength >= 4, let interface = interfaces.first else {
                    return "frame \(number + 1): simple packet block without an interface"
                }
                number += 1
                guard number > skip else { continue }
                let wireLength = Int(u32(0))
                let captured = min(
                    wireLength,
                    bodyLength - 4,
                    Int(interface.snaplen == 0 ? UInt32.max : interface.snaplen)
                )
                deliver(number, interface, units: nil, from: 4, count: captured, wire: wireLength, body)
            default:
                continue
            }
        }
        return nil
    }

    private func deliver(
        _ number: UInt64,
        _ interface: Interface,
        units: UInt64?,
        from offset: Int,
        count: Int,
        wire: Int,
        _ body: (CapturedFrame) -> Void
    ) {
        block.withUnsafeBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)])
            guard passes(bytes, interface.linkType, wire: wire) else { return }
            let time = units.flatMap { nanoseconds($0, interface) }.map { Timestamp(nanoseconds: $0) }
            var frame = CapturedFrame(number: number, time: time, bytes: bytes, wireLength: wire, headerSeconds: 0)
            frame.linkType = interface.linkType
            body(frame)
        }
    }

    /// The `-f` filter, compiled once per link type against a dead libpcap handle.
    private func passes(_ bytes: UnsafeRawBufferPointer, _ linkType: LinkType, wire: Int) -> Bool {
        guard let filter else { return true }
        if filters[linkType.rawValue] == nil, let dead = pcap_open_dead(linkType.rawValue, 262_144) {
            let program = UnsafeMutablePointer<bpf_program>.allocate(capacity: 1)
            program.initialize(to: bpf_program())
            if pcap_compile(dead, program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 {
                filters[linkType.rawValue] = program
            } else {
                program.deallocate()
            }
            pcap_close(dead)
        }
        guard let program = filters[linkType.rawValue], let base = bytes.baseAddress else { return false }
        var header = pcap_pkthdr()
        header.caplen = UInt32(bytes.count)
        header.len = UInt32(wire)
        return pcap_offline_filter(program, &header, base.assumingMemoryBound(to: UInt8.self)) != 0
    }

    /// Timestamp units of `interface` as nanoseconds since 1970, or nil if out of range.
    private func nanoseconds(_ units: UInt64, _ interface: Interface) -> Int64? {
        var value: UInt64
        if interface.binary {
            let (high, low) = units.multipliedFullWidth(by: 1_000_000_000)
            let shift = Int(min(interface.exponent, 63))
            if shift == 0 {
                guard high == 0 else { return nil }
                value = low
            } else {
                guard high >> shift == 0 else { return nil }
                value = high << (64 - shift) | low >> shift
            }
        } else if interface.exponent <= 9 {
            var power: UInt64 = 1
            for _ in 0..<(9 - Int(interface.exponent)) { power *= 10 }
            let (product, overflow) = units.multipliedReportingOverflow(by: power)
            guard !overflow else { return nil }
            value = product
        } else {
            var power: UInt64 = 1
            for _ in 0..<min(Int(interface.exponent) - 9, 19) { power *= 10 }
            value = units / power
        }
        guard let nanoseconds = Int64(exactly: value) else { return nil }
        let (total, overflow) = nanoseconds.addingReportingOverflow(
            interface.offsetSeconds.saturatingMultiply(1_000_000_000)
        )
        return overflow ? nil : total
    }

    /// Walks the options between `start` and `end` of the block body: code, value offset, size.
    private func readOptions(from start: Int, to end: Int, _ visit: (UInt16, Int, Int) -> Void) {
        var offset = start
        while offset + 4 <= end {
            let code = u16(offset), size = Int(u16(offset + 2))
            if code == 0 || offset + 4 + size > end { return }
            visit(code, offset + 4, size)
            offset += 4 + (size + 3) & ~3
        }
    }

    private func skipBytes(_ count: Int) -> Bool {
        var remaining = count
        var scratch = [UInt8](repeating: 0, count: 4096)
        while remaining > 0 {
            let got = fread(&scratch, 1, min(remaining, scratch.count), file)
            if got == 0 { return false }
            remaining -= got
        }
        return true
    }

    private func readLittle(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(
            bytes[offset + 3]
        ) << 24
    }

    private func readBig(_ bytes: [UInt8], _ offset: Int) -> UInt32 { readLittle(bytes, offset).byteSwapped }
}
