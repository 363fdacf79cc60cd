/// A bounds-checked, big-endian view over bytes lent by the capture source.
///
/// Nothing is copied: the view borrows the frame for the duration of one decode call, as libpcap's
/// callback lends its buffer. Every read returns `nil` past the end instead of trapping, so a
/// truncated or corrupt frame can never crash the decoder (the style of swift-nio's `ByteBuffer`).
@usableFromInline
struct ByteView {
    @usableFromInline let base: UnsafeRawBufferPointer

    @inlinable init(_ base: UnsafeRawBufferPointer) { self.base = base }

    @inlinable var count: Int { base.count }

    @inlinable @inline(__always) func u8(_ offset: Int) -> UInt8? {
        guard offset >= 0, offset < base.count else { return nil }
        return base[offset]
    }

    @inlinable @inline(__always) func u16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset &+ 2 <= base.count else { return nil }
        return UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inlinable @inline(__always) func u32(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= base.count else { return nil }
        return UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable @inline(__always) func u64(_ offset: Int) -> UInt64? {
        guard offset >= 0, offset &+ 8 <= base.count else { return nil }
        return UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Reads a 32-bit value in the byte order of the machine that wrote it (BSD loopback headers).
    @inlinable @inline(__always) func u32LittleEndian(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset &+ 4 <= base.count else { return nil }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
