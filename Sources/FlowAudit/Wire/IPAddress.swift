/// An IPv4 or IPv6 address held in two words, so flow keys hash and compare without allocating.
/// IPv4 addresses live in the low 32 bits of `low` with `high` zero and `isIPv6` false.
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    public var isIPv6: Bool

    /// The address folded into one word, so a hashed collection (per-host tables of the
    /// whole-capture view) feeds the hasher once rather than once per field.
    @inlinable var folded: UInt64 {
        low &* 0x9E37_79B9_7F4A_7C15 ^ high &* 0xC2B2_AE3D_27D4_EB4F ^ (isIPv6 ? 0x1656_67B1_9E37_79F9 : 0)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(folded) }

    @inlinable public init(ipv4: UInt32) {
        high = 0
        low = UInt64(ipv4)
        isIPv6 = false
    }

    @inlinable public init(ipv6High: UInt64, low: UInt64) {
        high = ipv6High
        self.low = low
        isIPv6 = true
    }

    /// Parses dotted-quad IPv4 or RFC 4291 text IPv6 (`::` compression allowed).
    public init?(_ text: String) {
        if text.contains(":") {
            var halves = [Substring(text)]
            if let gap = text.firstRange(of: "::") {
                halves = [text[..<gap.lowerBound], text[gap.upperBound...]]
                guard !halves[1].contains("::") else { return nil }
            }
            func groups(_ part: Substring) -> [UInt16]? {
                if part.isEmpty { return [] }
                var out: [UInt16] = []
                for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                    guard let value = UInt16(piece, radix: 16) else { return nil }
                    out.append(value)
                }
                return out
            }
            guard let head = groups(halves[0]) else { return nil }
            var all = head
            if halves.count == 2 {
                guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
                all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
            }
            guard all.count == 8 else { return nil }
            let words = all.map(UInt64.init)
            self.init(
                ipv6High: words[0] << 48 | words[1] << 32 | words[2] << 16 | words[3],
                low: words[4] << 48 | words[5] << 32 | words[6] << 16 | words[7]
            )
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var value: UInt32 = 0
            for part in parts {
                guard let octet = UInt8(part) else { return nil }
                value = value << 8 | UInt32(octet)
            }
            self.init(ipv4: value)
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.isIPv6 ? 1 : 0, lhs.high, lhs.low) < (rhs.isIPv6 ? 1 : 0, rhs.high, rhs.low)
    }

    /// Dotted quad, or RFC 5952 canonical IPv6 text (longest run of zero groups compressed).
    public var description: String {
        let text = OutputBuffer(capacity: 64)
        appendText(to: text)
        return text.string
    }

    /// Appends `description`'s text as UTF-8 (reports write addresses straight into their output).
    func appendText(to out: OutputBuffer) {
        guard isIPv6 else {
            let v = UInt32(truncatingIfNeeded: low)
            for shift in stride(from: UInt32(24), through: 0, by: -8) {
                out.appendDecimal(UInt64(v >> shift & 0xFF))
                if shift != 0 { out.append(UInt8(ascii: ".")) }
            }
            return
        }
        func group(_ index: Int) -> UInt16 {
            UInt16(truncatingIfNeeded: (index < 4 ? high : low) >> (UInt64(3 - index % 4) * 16))
        }
        // RFC 5952 §4.2: the longest run of two or more zero groups (the first, on a tie) becomes "::".
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8 && group(index) == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength && index - runStart >= 2 {
                    bestStart = runStart
                    bestLength = index - runStart
                }
                runStart = -1
            }
        }
        var index = 0
        while index < 8 {
            if index == bestStart {
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: ":"))
                index += bestLength
                continue
            }
            if index > 0 && index != bestStart + bestLength { out.append(UInt8(ascii: ":")) }
            appendHex(group(index), to: out)
            index += 1
        }
    }

    private func appendHex(_ value: UInt16, to out: OutputBuffer) {
        var started = false
        for shift in stride(from: 12, through: 0, by: -4) {
            let digit = UInt8(truncatingIfNeeded: value >> UInt16(shift)) & 0xF
            guard started || digit != 0 || shift == 0 else { continue }
            started = true
            out.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }
}

/// An address and port, printed as `addr:port` or `[addr]:port` for IPv6 (RFC 5952 §6).
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(address.folded ^ UInt64(port) &* 0x85EB_CA77_C2B2_AE63)
    }

    public var description: String {
        let text = OutputBuffer(capacity: 64)
        appendText(to: text)
        return text.string
    }

    func appendText(to out: OutputBuffer) {
        if address.isIPv6 { out.append(UInt8(ascii: "[")) }
        address.appendText(to: out)
        if address.isIPv6 { out.append(UInt8(ascii: "]")) }
        out.append(UInt8(ascii: ":"))
        out.appendDecimal(UInt64(port))
    }
}
