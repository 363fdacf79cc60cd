/// Flow records and their keys (or what identifies them) in numbered slots, stored in fixed-size chunks: growing never
/// copies (or briefly doubles) what is already stored, and a record is changed in place through
/// its slot number. Freed slots are reused, newest first; a freed record stays in its slot until
/// then. `FlowIndex` maps keys to slot numbers.
struct RecordPool<Record, Key> {
    private static var chunkShift: UInt32 { 12 }
    private static var chunkSize: Int { 1 << 12 }

    private var records: [ContiguousArray<Record>] = []
    private var keys: [ContiguousArray<Key>] = []
    private var free: [UInt32] = []

    /// Slots handed out so far, live or freed: every slot number is below this.
    var slotCount: UInt32 { records.isEmpty ? 0 : UInt32((records.count - 1) * Self.chunkSize + records[records.count - 1].count) }

    subscript(slot: UInt32) -> Record {
        @inline(__always) get { records[Int(slot >> Self.chunkShift)][Int(slot & UInt32(Self.chunkSize - 1))] }
        @inline(__always) _modify { yield &records[Int(slot >> Self.chunkShift)][Int(slot & UInt32(Self.chunkSize - 1))] }
    }

    @inline(__always)
    func key(at slot: UInt32) -> Key {
        keys[Int(slot >> Self.chunkShift)][Int(slot & UInt32(Self.chunkSize - 1))]
    }

    /// Stores `record` under `key` in a free slot and returns the slot number.
    mutating func add(_ record: Record, key: Key) -> UInt32 {
        if let slot = free.popLast() {
            self[slot] = record
            keys[Int(slot >> Self.chunkShift)][Int(slot & UInt32(Self.chunkSize - 1))] = key
            return slot
        }
        if records.isEmpty || records[records.count - 1].count == Self.chunkSize {
            var chunk = ContiguousArray<Record>()
            chunk.reserveCapacity(Self.chunkSize)
            records.append(chunk)
            var keyChunk = ContiguousArray<Key>()
            keyChunk.reserveCapacity(Self.chunkSize)
            keys.append(keyChunk)
        }
        let slot = slotCount
        records[records.count - 1].append(record)
        keys[keys.count - 1].append(key)
        return slot
    }

    /// Frees `slot` for reuse.
    mutating func release(_ slot: UInt32) { free.append(slot) }

    mutating func removeAll() {
        records.removeAll()
        keys.removeAll()
        free.removeAll()
    }
}
