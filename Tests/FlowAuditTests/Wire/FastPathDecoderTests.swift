import FlowAuditTestSupport
import Testing

@testable import FlowAudit

/// The common-case decoder must agree with the general one on everything it accepts.
@Suite("Frame decoder fast path")
struct FastPathDecoderTests {
    private func frames() -> [[UInt8]] {
        var frames: [[UInt8]] = []
        for (client, server) in [("10.0.0.1:40000", "10.0.0.2:80"), ("[fd00::1]:40000", "[fd00::2]:443")] {
            for timestamps in [true, false] {
                var s = ConnectionScript(client: client, server: server, timestamps: timestamps)
                s.handshake()
                s.data(.client, 100)
                s.data(.server, 1400)
                s.close(first: .client)
                frames += s.segments.map { FrameBuilder.frame($0.segment) }
            }
        }
        return frames
    }

    @Test func agreesWithTheGeneralPathOnEveryPrefix() {
        var fast = 0
        for frame in frames() {
            for length in 0...frame.count {
                let prefix = Array(frame.prefix(length))
                prefix.withUnsafeBytes { raw in
                    guard let quick = FrameDecoder.decodeCommonEthernetTCP(raw) else { return }
                    fast += 1
                    let general = FrameDecoder.decodeEthernet(ByteView(raw))
                    guard case let .tcp(a, cutA) = quick, case let .tcp(b, cutB) = general else {
                        Issue.record("fast path decoded a frame the general path rejects (\(length) bytes)")
                        return
                    }
                    #expect(a == b && cutA == cutB, "\(length) of \(frame.count) bytes")
                }
            }
        }
        #expect(fast > 0)
    }
}
