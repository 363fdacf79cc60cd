/// Builds one JSON object as text, keys in insertion order, so JSON Lines output is byte-for-byte
/// deterministic. Only what the reports need: strings, integers, numbers, booleans, arrays, objects.
struct JSONObject {
    private var text = "{"
    private var empty = true

    private mutating func key(_ name: String) {
        if !empty { text += "," }
        empty = false
        text += JSONObject.quoted(name) + ":"
    }

    mutating func add(_ name: String, _ value: String) { key(name); text += JSONObject.quoted(value) }
    mutating func add<T: BinaryInteger>(_ name: String, _ value: T) { key(name); text += String(value) }
    mutating func add(_ name: String, _ value: Bool) { key(name); text += value ? "true" : "false" }
    mutating func add(_ name: String, seconds nanoseconds: Int64) { key(name); text += JSONObject.seconds(nanoseconds) }
    mutating func add<T: BinaryInteger>(_ name: String, _ values: [T]) {
        key(name)
        text += "[" + values.map { String($0) }.joined(separator: ",") + "]"
    }
    mutating func add(_ name: String, object: JSONObject) { key(name); text += object.rendered }

    var rendered: String { text + "}" }

    /// Seconds with nanosecond precision and no trailing zeros: `0.000123`, `60`.
    static func seconds(_ nanoseconds: Int64) -> String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / 1_000_000_000, fraction = magnitude % 1_000_000_000
        guard fraction != 0 else { return sign + String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }

    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
