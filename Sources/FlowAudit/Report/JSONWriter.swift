/// Builds one JSON object as UTF-8 bytes, keys in insertion order, so JSON Lines output is
/// byte-for-byte deterministic. Only what the reports need: strings, integers, seconds, booleans,
/// integer arrays and one level of nested objects. Nothing goes through `String` on the way:
/// reports are on the hot path when a capture has many findings.
struct JSONObject {
    private(set) var bytes: [UInt8]
    private var empty = true

    init() {
        bytes = []
        bytes.reserveCapacity(1024)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Closes the object and appends it, with a newline, to `out`.
    mutating func appendLine(to out: inout [UInt8]) {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(0x0A)
        out.append(contentsOf: bytes)
    }

    var rendered: String { String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }

    private mutating func key(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func key(dynamic name: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        JSONObject.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func add(_ name: StaticString, _ value: String) { key(name); JSONObject.appendQuoted(value, to: &bytes) }
    /// A string value that is known to need no escaping (pre-rendered names, addresses, times).
    mutating func add(_ name: StaticString, plain value: [UInt8]) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: value)
        bytes.append(UInt8(ascii: "\""))
    }
    mutating func add(_ name: StaticString, time: Timestamp) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        time.appendISO8601(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
    mutating func add(_ name: StaticString, endpoint: Endpoint) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        endpoint.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
    mutating func add<T: BinaryInteger>(_ name: StaticString, _ value: T) { key(name); JSONObject.appendInteger(UInt64(value), to: &bytes) }
    mutating func add(_ name: StaticString, _ value: Bool) {
        key(name)
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }
    mutating func add<T: BinaryInteger>(_ name: StaticString, _ values: [T]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONObject.appendInteger(UInt64(value), to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }
    /// Opens a nested object member; its members follow until `endObject()`.
    mutating func beginObject(_ name: StaticString) {
        key(name)
        bytes.append(UInt8(ascii: "{"))
        empty = true
    }
    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        empty = false
    }
    /// A member whose name is data (a state, a reason, a kind).
    mutating func add(dynamic name: String, _ value: UInt64) { key(dynamic: name); JSONObject.appendInteger(value, to: &bytes) }
    mutating func add(plainName name: [UInt8], seconds nanoseconds: Int64) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        JSONObject.appendSeconds(nanoseconds, to: &bytes)
    }

    static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[23 - count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                count += 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// `value` as exactly `width` decimal digits, zero-padded (times and dates).
    static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor &*= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Seconds with nanosecond precision and no trailing zeros: `0.000123`, `60`.
    static func appendSeconds(_ nanoseconds: Int64, to out: inout [UInt8]) {
        if nanoseconds < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = nanoseconds.magnitude
        appendInteger(magnitude / 1_000_000_000, to: &out)
        var fraction = magnitude % 1_000_000_000
        guard fraction != 0 else { return }
        var width = 9
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        out.append(UInt8(ascii: "."))
        appendPadded(Int64(fraction), width: width, to: &out)
    }

    /// Appends the string as a JSON string literal; most strings need no escape and are copied whole.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    static func appendQuoted(utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        var clean = true
        for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            clean = false
            break
        }
        if clean {
            out.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
    }
}
