import Foundation
import Testing

/// `tcpflow-audit ladder` on real captures: the states after each segment, and the segments the
/// replay judged lost, not accepted, retransmitted or of the previous generation drawn apart.
@Suite("Ladder diagrams")
struct LadderTests {
    static func capture(_ name: String) -> String {
        CorpusLocation.captures.appendingPathComponent("real/\(name).pcap").path
    }

    /// The drawn line of `frame`.
    static func line(_ output: String, frame: UInt64) throws -> String {
        try #require(
            output.split(separator: "\n").map(String.init).first {
                $0.split(separator: " ").first == Substring(String(frame))
            }
        )
    }

    @Test func lostFinalACKIsDrawnLostAndTheFINRetransmitted() throws {
        let ladder = try CommandLineTests.run(["ladder", Self.capture("lost-final-ack"), "1"])
        #expect(ladder.status == 0 && ladder.stderr.isEmpty)
        let out = ladder.stdout
        #expect(out.hasPrefix("flow 1.1  10.77.0.1:"))
        #expect(!out.contains("\u{1B}["), "no colour in a pipe")
        let handshake = try Self.line(out, frame: 2)
        #expect(handshake.contains("ESTABLISHED") && handshake.contains("<") && handshake.contains("S. seq=0 ack=1"))
        #expect(handshake.hasSuffix("SYN-RECEIVED"))
        let finalACK = try Self.line(out, frame: 10)
        // The server never got it: it stays in LAST-ACK (the replay's revision, drawn where it applies).
        #expect(finalACK.contains("X  LAST-ACK") && finalACK.contains("[1] lost after the capture point"))
        let again = try Self.line(out, frame: 11)
        #expect(again.contains("TIME-WAIT") && again.contains("<====") && again.contains("LAST-ACK"))
        #expect(again.hasSuffix("retransmission"))
        #expect(out.contains("[1] WARNING lost-final-ack, frames 8,9,10,11,12"))
    }

    @Test func aLostHandshakeACKLeavesTheServerInSYNReceived() throws {
        let out = try CommandLineTests.run(["ladder", Self.capture("lost-handshake-ack"), "1"]).stdout
        let ack = try Self.line(out, frame: 3)
        #expect(ack.contains("X  SYN-RECEIVED") && ack.contains("the server sent its SYN-ACK again (frame 4)"))
        #expect(try Self.line(out, frame: 5).hasSuffix("ESTABLISHED"))
    }

    @Test func anOverturnedRSTIsNotAcceptedAndMovesNoState() throws {
        let out = try CommandLineTests.run(["ladder", Self.capture("rst-injected-in-window"), "1"]).stdout
        let reset = try Self.line(out, frame: 8)
        #expect(reset.contains("X---- R seq=") && reset.contains("not accepted: RST taken back"))
        #expect(reset.components(separatedBy: "ESTABLISHED").count == 3, "both stay ESTABLISHED: \(reset)")
    }

    @Test func theReuseDanceBelongsToThePreviousGeneration() throws {
        let out = try CommandLineTests.run(["ladder", Self.capture("syn-reuse-last-ack"), "1.2"]).stdout
        #expect(out.hasPrefix("flow 1.2 "))
        #expect(try Self.line(out, frame: 12).contains("the previous generation's ACK"))
        #expect(try Self.line(out, frame: 13).contains("RST for the previous generation's ACK"))
        #expect(try Self.line(out, frame: 15).contains("SYN-RECEIVED"))
        #expect(
            try CommandLineTests.run(["ladder", Self.capture("syn-reuse-last-ack"), "1.1"]).stdout.hasPrefix(
                "flow 1.1 "
            )
        )
    }

    @Test func colourOnlyWhenAskedAndClearErrors() throws {
        let coloured = try CommandLineTests.run(["ladder", "--color", "always", Self.capture("lost-final-ack"), "1"])
        #expect(coloured.stdout.contains("\u{1B}[31m"))
        let missing = try CommandLineTests.run(["ladder", Self.capture("lost-final-ack"), "7"])
        #expect(missing.status == 2 && missing.stderr.contains("no flow 7: the capture has 1 flow"))
        let malformed = try CommandLineTests.run(["ladder", Self.capture("lost-final-ack"), "one"])
        #expect(malformed.status == 2 && malformed.stderr.contains("FLOW must be a flow number"))
        let limited = try CommandLineTests.run(["ladder", "--limit", "3", Self.capture("lost-final-ack"), "1"])
        #expect(limited.stdout.contains("… and 9 more segments of this generation, not drawn"))
    }
}
