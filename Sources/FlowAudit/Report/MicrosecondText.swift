/// Seconds with exactly six decimals, cut to the microsecond: how Zeek writes its `time` and
/// `interval` columns (`1300475167.096535`, `0.000723`) and how a ladder writes its times.
enum MicrosecondText {
    static func seconds(_ nanoseconds: Int64) -> String {
        let out = OutputBuffer(capacity: 24)
        if nanoseconds < 0 { out.append(UInt8(ascii: "-")) }
        let micro = nanoseconds.magnitude / 1000
        out.appendDecimal(micro / 1_000_000)
        out.append(UInt8(ascii: "."))
        out.appendDecimal(micro % 1_000_000, digits: 6)
        return out.string
    }
}
