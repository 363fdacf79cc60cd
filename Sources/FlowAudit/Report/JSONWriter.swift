/// Writes one JSON object as UTF-8 into an `OutputBuffer`, keys in insertion order, so JSON Lines
/// output is byte-for-byte deterministic. Only what the reports need: strings, integers,
/// seconds, booleans, integer arrays and one level of nested objects. Nothing goes through
/// `String` on the way: reports are on the hot path when a capture has many findings.
struct JSONObject {
    let out: OutputBuffer
    private var empty = true

    /// Starts an object at the end of `out`.
    init(into out: OutputBuffer) {
        self.out = out
        out.append(UInt8(ascii: "{"))
    }

    /// Closes the object and ends the line.
    func finishLine() {
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    private mutating func key(_ name: StaticString) {
        out.appendJSONKey(name, afterMember: !empty)
        empty = false
    }

    private mutating func key(dynamic name: String) {
        if !empty { out.append(UInt8(ascii: ",")) }
        empty = false
        JSONObject.appendQuoted(name, to: out)
        out.append(UInt8(ascii: ":"))
    }

    mutating func add(_ name: StaticString, _ value: String) {
        key(name)
        JSONObject.appendQuoted(value, to: out)
    }
    /// A string value given as UTF-8.
    mutating func add(_ name: StaticString, utf8 value: [UInt8]) {
        key(name)
        value.withUnsafeBufferPointer { JSONObject.appendQuoted(utf8: $0, to: out) }
    }
    /// A value already rendered as JSON (a quoted string rendered once and reused).
    mutating func add(_ name: StaticString, json value: [UInt8]) {
        key(name)
        out.append(value)
    }
    /// A string value that is known to need no escaping (pre-rendered names).
    mutating func add(_ name: StaticString, plain value: [UInt8]) {
        key(name)
        out.append(UInt8(ascii: "\""))
        out.append(value)
        out.append(UInt8(ascii: "\""))
    }
    mutating func add(_ name: StaticString, time: Timestamp) {
        key(name)
        out.append(UInt8(ascii: "\""))
        time.appendISO8601(to: out)
        out.append(UInt8(ascii: "\""))
    }
    mutating func add(_ name: StaticString, endpoint: Endpoint) {
        key(name)
        out.append(UInt8(ascii: "\""))
        endpoint.appendText(to: out)
        out.append(UInt8(ascii: "\""))
    }
    mutating func add<T: BinaryInteger>(_ name: StaticString, _ value: T) {
        key(name)
        out.appendDecimal(UInt64(value))
    }
    mutating func add(_ name: StaticString, _ value: Bool) {
        key(name)
        out.append(value ? "true" : "false")
    }
    /// An array of strings.
    mutating func add(_ name: StaticString, strings values: [String]) {
        key(name)
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONObject.appendQuoted(value, to: out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func add<T: BinaryInteger>(_ name: StaticString, _ values: [T]) {
        key(name)
        appendArray(values)
    }

    /// A finding's Wireshark display filter (`Finding.displayFilter`), rendered straight into the
    /// buffer: it is written for every finding.
    mutating func add(_ name: StaticString, displayFilterOf frames: [UInt64]) {
        key(name)
        out.append(UInt8(ascii: "\""))
        guard frames.count > 1 else {
            out.append("frame.number == " as StaticString)
            out.appendDecimal(frames.first ?? 0)
            out.append(UInt8(ascii: "\""))
            return
        }
        out.append("frame.number in {" as StaticString)
        var index = 0
        while index < frames.count {
            var end = index
            while end + 1 < frames.count, frames[end + 1] == frames[end] + 1 { end += 1 }
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.appendDecimal(frames[index])
            if end > index {
                out.append(".." as StaticString)
                out.appendDecimal(frames[end])
            }
            index = end + 1
        }
        out.append("}\"" as StaticString)
    }

    /// A fraction with six decimals (a share, not a duration).
    mutating func add(_ name: StaticString, fraction value: Double) {
        key(name)
        let micro = UInt64((min(max(value, 0), 1e9) * 1_000_000).rounded())
        out.appendDecimal(micro / 1_000_000)
        out.append(UInt8(ascii: "."))
        out.appendDecimal(micro % 1_000_000, digits: 6)
    }

    /// `[[time, count], …]`: a series of counts over capture time.
    mutating func add(_ name: StaticString, series: [(Timestamp, Int)]) {
        key(name)
        out.append(UInt8(ascii: "["))
        for (index, point) in series.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            out.append(UInt8(ascii: "\""))
            out.append(point.0.description)
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ","))
            out.appendDecimal(UInt64(point.1))
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// An array member whose name is data (a file name).
    mutating func add<T: BinaryInteger>(dynamic name: String, _ values: [T]) {
        key(dynamic: name)
        appendArray(values)
    }

    private func appendArray<T: BinaryInteger>(_ values: [T]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.appendDecimal(UInt64(value))
        }
        out.append(UInt8(ascii: "]"))
    }
    /// Opens a nested object member; its members follow until `endObject()`.
    mutating func beginObject(_ name: StaticString) {
        key(name)
        out.append(UInt8(ascii: "{"))
        empty = true
    }
    mutating func endObject() {
        out.append(UInt8(ascii: "}"))
        empty = false
    }
    /// A member whose name is data (a state, a reason, a kind).
    mutating func add(dynamic name: String, _ value: UInt64) {
        key(dynamic: name)
        out.appendDecimal(value)
    }
    mutating func add(plainName name: [UInt8], seconds nanoseconds: Int64) {
        if !empty { out.append(UInt8(ascii: ",")) }
        empty = false
        out.append(UInt8(ascii: "\""))
        out.append(name)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
        JSONObject.appendSeconds(nanoseconds, to: out)
    }

    /// Seconds with nanosecond precision and no trailing zeros: `0.000123`, `60`.
    static func appendSeconds(_ nanoseconds: Int64, to out: OutputBuffer) {
        if nanoseconds < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = nanoseconds.magnitude
        out.appendDecimal(magnitude / 1_000_000_000)
        var fraction = magnitude % 1_000_000_000
        guard fraction != 0 else { return }
        var width = 9
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        out.append(UInt8(ascii: "."))
        out.appendDecimal(fraction, digits: width)
    }

    /// Appends the string as a JSON string literal; most strings need no escape and are copied whole.
    static func appendQuoted(_ value: String, to out: OutputBuffer) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: $0, to: out) }
    }

    static func appendQuoted(utf8: UnsafeBufferPointer<UInt8>, to out: OutputBuffer) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        var clean = true
        for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            clean = false
            break
        }
        if clean {
            out.append(utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append("\\\"")
            case UInt8(ascii: "\\"): out.append("\\\\")
            case UInt8(ascii: "\n"): out.append("\\n")
            case UInt8(ascii: "\r"): out.append("\\r")
            case UInt8(ascii: "\t"): out.append("\\t")
            case 0..<0x20:
                let hex: StaticString = "0123456789abcdef"
                out.append("\\u00")
                hex.withUTF8Buffer { digits in
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 15)])
                }
            default: out.append(byte)
            }
        }
    }
}
