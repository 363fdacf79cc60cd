/// Records keyed by flow, stored in a pool behind a small index: the hash table's buckets (and
/// its spare capacity) hold 4-byte slot numbers, not whole records, and a record is changed in
/// place through its slot. Freed slots are reused; a freed record stays in its slot until then.
/// (Storage is not optional on purpose: yielding `&slots[i]!` copies the record in and out.)
struct FlowPool<Record> {
    private var index: [FlowKey: UInt32] = [:]
    private var slots = ContiguousArray<Record>()
    private var free: [UInt32] = []

    func slot(of key: FlowKey) -> UInt32? { index[key] }

    subscript(slot: UInt32) -> Record {
        get { slots[Int(slot)] }
        _modify { yield &slots[Int(slot)] }
    }

    mutating func insert(_ record: Record, for key: FlowKey) {
        if let slot = free.popLast() {
            slots[Int(slot)] = record
            index[key] = slot
        } else {
            index[key] = UInt32(slots.count)
            slots.append(record)
        }
    }

    @discardableResult
    mutating func remove(_ key: FlowKey, slot: UInt32) -> Record {
        index[key] = nil
        free.append(slot)
        return slots[Int(slot)]
    }

    /// Keys and slots of the records that satisfy `include`, ordered by `order`.
    func select(where include: (Record) -> Bool, orderedBy order: (Record) -> UInt64) -> [(key: FlowKey, slot: UInt32)] {
        index.filter { include(slots[Int($0.value)]) }
            .map { (key: $0.key, slot: $0.value) }
            .sorted { order(slots[Int($0.slot)]) < order(slots[Int($1.slot)]) }
    }

    mutating func removeAll() {
        index.removeAll()
        slots.removeAll()
        free.removeAll()
    }
}
