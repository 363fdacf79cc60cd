/// Evidence that arrives after a generation was judged and reduced to its summary, within 2MSL:
/// the passive closer's FIN sent again (its final ACK was lost after all, RFC 9293 §3.6), or data
/// from the old sequence space (a delayed duplicate, RFC 9293 §3.4.1). Each kind is reported at
/// most once per generation.
enum LateEvidence {
    static func judge(_ seen: ObservedSegment, against summary: inout GenerationSummary) -> Finding? {
        let segment = seen.segment, sender = seen.sender, frame = seen.frame, time = seen.time
        let client = summary.client
        func states(_ senderState: TCPState, peer: TCPState) -> (TCPState, TCPState) {
            sender == client ? (senderState, peer) : (peer, senderState)
        }
        if segment.flags.contains(.fin), !segment.flags.contains(.rst), sender == summary.passiveCloser,
            let fin = summary.finSequence(of: sender),
            segment.sequence + UInt32(truncatingIfNeeded: segment.payloadLength) == fin,
            !summary.reportedLateLostFinalACK
        {
            summary.reportedLateLostFinalACK = true
            let (clientState, serverState) = states(.lastAck, peer: summary.finalStates[sender.peer])
            let role = sender == client ? "client" : "server", peerRole = sender == client ? "server" : "client"
            var text: Explanation =
                "The \(role) (passive closer) sent its FIN again from LAST-ACK \(duration: time.since(summary.endedAt)) after the close: "
            text +=
                summary.finalACKFrame.map {
                    "the \(peerRole)'s final ACK (frame \($0)) was seen here but did not reach the \(role)."
                }
                ?? "no final ACK from the \(peerRole) reached it."
            let frames = [summary.activeFINFrame, summary.passiveFINFrame, summary.finalACKFrame, frame].compactMap {
                $0
            }
            return Finding(
                .lostFinalACK,
                .warning,
                frames: frames,
                firstTime: summary.endedAt,
                lastTime: time,
                clientState: clientState,
                serverState: serverState,
                text
            )
        }
        if segment.payloadLength > 0, !segment.flags.contains(.syn), let next = summary.nextSequence(of: sender),
            !(next < segment.sequenceEnd), summary.contains(segment.sequence, sentBy: sender),
            !summary.reportedLateStaleSegment
        {
            summary.reportedLateStaleSegment = true
            let role = sender == client ? "client" : "server"
            return Finding(
                .staleSegment,
                .warning,
                frames: [frame],
                firstTime: time,
                lastTime: time,
                clientState: summary.finalStates[client],
                serverState: summary.finalStates[client.peer],
                "A segment from the \(role) with data of the closed connection (sequence \(segment.sequence)) arrived \(duration: time.since(summary.endedAt)) after the close, within 2MSL: a delayed duplicate."
            )
        }
        return nil
    }
}
