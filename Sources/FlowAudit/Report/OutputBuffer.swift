/// A growable byte buffer that reports are rendered into: appending a byte is a capacity check,
/// a store and an increment, with none of the per-append uniqueness checks of an `[UInt8]`.
/// Reports are on the hot path when a capture has many findings (a million lines or more).
package final class OutputBuffer {
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) package private(set) var count = 0

    package init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    @inline(__always)
    private func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStorage.update(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    @inline(__always)
    package func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count &+= 1
    }

    /// Appends `,"name":` (without the comma for an object's first member) in one step.
    func appendJSONKey(_ name: StaticString, afterMember: Bool) {
        let length = name.utf8CodeUnitCount
        reserve(length &+ 4)
        var cursor = storage + count
        if afterMember {
            cursor.pointee = UInt8(ascii: ",")
            cursor += 1
        }
        cursor.pointee = UInt8(ascii: "\"")
        (cursor + 1).update(from: name.utf8Start, count: length)
        cursor += length &+ 1
        cursor[0] = UInt8(ascii: "\"")
        cursor[1] = UInt8(ascii: ":")
        count = cursor + 2 - storage
    }

    /// The last text `appendMemoized` rendered, and the key it was rendered for.
    @exclusivity(unchecked) private var memoKey = Int64.min
    @exclusivity(unchecked) private var memo: [UInt8] = []

    /// Appends what `render` writes for `key`, reusing the previous rendering when `key` is the
    /// same as last time (a report's times mostly share their date and second).
    func appendMemoized(_ key: Int64, _ render: (OutputBuffer) -> Void) {
        if key == memoKey, key != .min {
            append(memo)
            return
        }
        let start = count
        render(self)
        memoKey = key
        memo = Array(UnsafeBufferPointer(start: storage + start, count: count - start))
    }

    /// Appends `value` in decimal.
    package func appendDecimal(_ value: UInt64) {
        var digits = 1
        var rest = value
        while rest >= 100 {
            rest /= 100
            digits &+= 2
        }
        if rest >= 10 { digits &+= 1 }
        appendDecimal(value, digits: digits)
    }

    /// "00" to "99": decimals are written two digits per division.
    private static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Appends the last `digits` decimal digits of `value`, zero-padded on the left.
    package func appendDecimal(_ value: UInt64, digits: Int) {
        reserve(digits)
        let pairs = Self.digitPairs.utf8Start
        var rest = value
        var position = count &+ digits
        while position &- count >= 2 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            position &-= 2
            storage[position] = pairs[pair]
            storage[position &+ 1] = pairs[pair &+ 1]
        }
        if position > count { storage[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10) }
        count &+= digits
    }

    package func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (storage + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    package func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    package func append(_ text: StaticString) { text.withUTF8Buffer { append($0) } }

    package func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// The bytes written so far, for the duration of `body`.
    package func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(start: storage, count: count))
    }

    package func removeAll() { count = 0 }

    package var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }
}
