import FlowAudit

/// One frame of a capture file, decoded: its headers as plain values, never its bytes.
package struct DecodedCaptureFrame: Sendable {
    /// 1-based, as Wireshark numbers frames (filtered-out frames keep their numbers).
    package var number: UInt64
    package var time: Timestamp
    /// The length the packet had on the wire.
    package var wireLength: Int
    package var decoded: DecodedFrame
    /// A TCP segment's flow lookup, computed on the reading thread: the analysing thread
    /// prefetches by its hash a few frames ahead and does not hash again.
    package var lookup: FlowLookup?
    /// What the capture clock made of the header's time (`time` is the time to analyse it at).
    package var clock: ClockNote = .inOrder
}

/// Reads and decodes a capture file on a thread of its own while the caller's thread analyses
/// what it decoded, so libpcap's read path and the header decoding (about a quarter of the work
/// on a large capture) run beside the flow analysis. Frames arrive in file order, a batch at a
/// time; the decoder still reads libpcap's buffer in place.
package struct DecodingReader<Source: FrameSource> {
    let reader: Source

    package init(_ reader: Source) { self.reader = reader }

    /// Calls `body` with every frame in order on the calling thread; `prefetch` gets the lookup
    /// hashes of TCP frames a few places ahead (see `FlowAuditor.prefetch`). Returns the damage
    /// that ended reading early (truncated or corrupt file), or nil at a clean end.
    package func forEachDecodedFrame(
        prefetch: ((_ lookupHash: UInt64, _ near: Bool) -> Void)? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil,
        _ body: (DecodedCaptureFrame) -> Void
    ) -> String? {
        let reader = reader, linkType = reader.linkType
        /// Decodes each frame and places it in time (see `CaptureClock`), holding back a frame
        /// whose time jumped until the next one says whether it was an outlier.
        func read(into sink: (DecodedCaptureFrame) -> Void) -> String? {
            var clock = CaptureClock()
            var held: DecodedCaptureFrame?
            func release(_ placement: CaptureClock.Placement) {
                guard var frame = held else { return }
                held = nil
                frame.time = placement.time
                frame.clock = placement.note
                sink(frame)
            }
            let damage = reader.forEachFrame(shouldStop: shouldStop) { captured in
                let number = captured.number, time = captured.time, wireLength = captured.wireLength
                var decoded = FrameDecoder.decode(captured.bytes, linkType: captured.linkType ?? linkType)
                var lookup: FlowLookup?
                if time == nil {
                    decoded = .undecodable(.timestampOutOfRange(seconds: captured.headerSeconds))
                } else if case let .tcp(segment, _) = decoded {
                    lookup = FlowLookup(segment)
                }
                let (settled, placement) = clock.next(time)
                if let settled { release(settled) }
                guard let placement else {
                    held = DecodedCaptureFrame(
                        number: number,
                        time: time!,
                        wireLength: wireLength,
                        decoded: decoded,
                        lookup: lookup
                    )
                    return
                }
                // Built in place (no copy on the way to the hand-off): this runs once per frame.
                sink(
                    DecodedCaptureFrame(
                        number: number,
                        time: placement.time,
                        wireLength: wireLength,
                        decoded: decoded,
                        lookup: lookup,
                        clock: placement.note
                    )
                )
            }
            if let last = clock.finish() { release(last) }
            return damage
        }
        let handoff = BatchHandoff<DecodedCaptureFrame>(batchSize: 2048, depth: 16)
        let outcome = Outcome()
        guard
            let thread = BackgroundThread({
                outcome.damage = read { handoff.append($0) }
                handoff.finish()
            })
        else {
            return read(into: body)
        }
        if let prefetch {
            handoff.consume(
                peekDistance: Self.prefetchDistance,
                peek: { frame, near in
                    if let lookup = frame.lookup { prefetch(lookup.hash, near) }
                }
            ) { body($0) }
        } else {
            handoff.consume { body($0) }
        }
        thread.join()
        return outcome.damage
    }

    /// Frames between a record's prefetch and its use (the index entry's comes twice as far
    /// ahead). On the large benchmark capture 8 beat 4 and 16.
    static var prefetchDistance: Int { 8 }

    /// Written by the reading thread before its last batch, read after it.
    private final class Outcome: @unchecked Sendable {
        var damage: String?
    }
}
