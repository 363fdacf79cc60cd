/// Builds one JSON object as UTF-8 bytes, keys in insertion order, so JSON Lines output is
/// byte-for-byte deterministic. Only what the reports need: strings, integers, seconds, booleans,
/// integer arrays and nested objects. Writes bytes directly: reports are on the hot path when a
/// capture has many findings.
struct JSONObject {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    private mutating func key(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private mutating func key(dynamic name: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        JSONObject.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func add(_ name: StaticString, _ value: String) { key(name); JSONObject.appendQuoted(value, to: &bytes) }
    mutating func add<T: BinaryInteger>(_ name: StaticString, _ value: T) { key(name); JSONObject.appendInteger(UInt64(value), to: &bytes) }
    mutating func add(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
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
    mutating func add(_ name: StaticString, object: JSONObject) { key(name); bytes.append(contentsOf: object.closed) }
    /// A member whose name is data (a state, a reason, a kind).
    mutating func add(dynamic name: String, _ value: UInt64) { key(dynamic: name); JSONObject.appendInteger(value, to: &bytes) }
    mutating func add(dynamic name: String, seconds nanoseconds: Int64) { key(dynamic: name); JSONObject.appendSeconds(nanoseconds, to: &bytes) }

    var closed: [UInt8] { bytes + [UInt8(ascii: "}")] }
    var rendered: String { String(decoding: closed, as: UTF8.self) }

    static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(20 - count)...])
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
        var divisor: UInt64 = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends the string as a JSON string literal; most strings need no escape and are copied whole.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out.append(contentsOf: value.utf8)
            return
        }
        for byte in value.utf8 {
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
