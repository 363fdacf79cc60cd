/// A segment as the observer saw it: the decoded segment, which side of its flow sent it, and
/// the capture frame (number and time) it came in. What every replay rule takes.
public struct ObservedSegment: Sendable {
    public var segment: TCPSegment
    public var sender: Side
    public var frame: UInt64
    public var time: Timestamp

    @inline(__always)
    public init(_ segment: TCPSegment, from sender: Side, frame: UInt64, time: Timestamp) {
        self.segment = segment
        self.sender = sender
        self.frame = frame
        self.time = time
    }
}
