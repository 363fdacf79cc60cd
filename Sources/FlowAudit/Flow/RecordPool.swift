import CPrefetch

/// Flow records in numbered slots, stored in fixed-size chunks: growing never copies (or briefly
/// doubles) what is already stored, and a record is changed in place through its slot number.
/// Freed slots are reused, newest first; a freed record stays in its slot until then. Each
/// record holds its own key (or what identifies it), so a lookup compares keys in the record it
/// lands on; `FlowIndex` maps key hashes to slot numbers.
struct RecordPool<Record> {
    private static var chunkShift: UInt32 { 12 }
    private static var chunkSize: Int { 1 << 12 }

    private var records: [ContiguousArray<Record>] = []
    private var free: [UInt32] = []

    /// Slots handed out so far, live or freed: every slot number is below this.
    var slotCount: UInt32 {
        records.isEmpty ? 0 : UInt32((records.count - 1) * Self.chunkSize + records[records.count - 1].count)
    }

    subscript(slot: UInt32) -> Record {
        @inline(__always) get { records[Int(slot >> Self.chunkShift)][Int(slot & UInt32(Self.chunkSize - 1))] }
        @inline(__always) _modify {
            yield &records[Int(slot >> Self.chunkShift)][Int(slot & UInt32(Self.chunkSize - 1))]
        }
    }

    /// Calls `body` with the record in `slot`, borrowed in place: a record holds a whole
    /// connection generation, and the subscript's getter would copy it.
    @inline(__always)
    func withRecord<Result>(_ slot: UInt32, _ body: (borrowing Record) -> Result) -> Result {
        records[Int(slot >> Self.chunkShift)].withUnsafeBufferPointer {
            body($0[Int(slot & UInt32(Self.chunkSize - 1))])
        }
    }

    /// Starts loading the cache lines of the record in `slot`.
    @inline(__always)
    func prefetch(_ slot: UInt32) {
        let lines = (MemoryLayout<Record>.stride + 63) / 64
        let chunk = Int(slot >> Self.chunkShift)
        guard chunk < records.count else { return }
        records[chunk].withUnsafeBufferPointer { buffer in
            let offset = Int(slot & UInt32(Self.chunkSize - 1))
            guard offset < buffer.count else { return }
            let start = UnsafeRawPointer(buffer.baseAddress! + offset)
            for line in 0..<lines { cprefetch_read(start + line * 64) }
        }
    }

    /// Stores `record` in a free slot and returns the slot number.
    mutating func add(_ record: Record) -> UInt32 {
        if let slot = free.popLast() {
            self[slot] = record
            return slot
        }
        if records.isEmpty || records[records.count - 1].count == Self.chunkSize {
            // The first chunk grows as it fills (a small capture, or a fuzzer's run, never needs
            // 4096 records); later ones are allocated whole.
            var chunk = ContiguousArray<Record>()
            chunk.reserveCapacity(records.isEmpty ? 64 : Self.chunkSize)
            records.append(chunk)
        }
        let slot = slotCount
        records[records.count - 1].append(record)
        return slot
    }

    /// Frees `slot` for reuse.
    mutating func release(_ slot: UInt32) { free.append(slot) }

    /// Slots holding a record (not freed).
    var liveCount: Int { Int(slotCount) - free.count }

    mutating func removeAll() {
        records.removeAll()
        free.removeAll()
    }
}
