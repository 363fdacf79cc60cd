/// Nanoseconds one endpoint spent in each state it visited, iterated in state order as
/// `(state, nanoseconds)`. Fixed size: a report carries two and allocates for neither.
public struct StateTimes: Sequence, Sendable {
    private var nanoseconds = InlineArray<12, Int64>(repeating: 0)
    private var visited: UInt16 = 0

    public init() {}

    mutating func record(_ state: TCPState, _ spent: Int64) {
        nanoseconds[Int(state.rawValue)] = spent
        visited |= 1 << UInt16(state.rawValue)
    }

    public struct Iterator: IteratorProtocol {
        fileprivate let times: StateTimes
        fileprivate var position = 0

        public mutating func next() -> (TCPState, Int64)? {
            while position < 12 {
                defer { position += 1 }
                if times.visited & 1 << UInt16(position) != 0, let state = TCPState(rawValue: UInt8(position)) {
                    return (state, times.nanoseconds[position])
                }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(times: self) }
}
