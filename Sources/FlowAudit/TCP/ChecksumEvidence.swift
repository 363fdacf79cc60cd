/// What the peers' reactions say about segments with a bad TCP checksum (docs/domain.md §6): on the
/// capturing host, outgoing segments are captured before the NIC fills in the checksum
/// (offload), so they look bad and their peer answers them normally; a segment really damaged is
/// dropped by its receiver (RFC 9293 §3.1) and its sender sends it again.
extension ConnectionGeneration {
    /// Bad-checksum segments their receiver evidently dropped: a SYN retried with nothing
    /// answering it first, a FIN sent again that its peer had not acknowledged — from a side none
    /// of whose bad-checksum segments was answered (one that was shows offload).
    var droppedForChecksum: [DiscardedSegment] {
        let offloading = checksumOffloadSides
        return evidence.badChecksums.filter { item in
            let sender = item.moment.sender, time = item.moment.moment.time
            guard !offloading.contains(sender) else { return false }
            if item.flags.control == .syn {
                let answered = evidence.firstSYNACK.map { !($0.time < time) } ?? false
                return !answered && evidence.synRetransmissions.contains { time < $0.time }
            }
            if item.flags.contains(.fin) {
                return evidence.finRetransmissions.contains { $0.sender == sender && time < $0.moment.time }
            }
            return false
        }
    }

    /// Sides whose bad-checksum segments their peer answered as if whole (the first copy, not a
    /// retransmission): checksum offload on that side's host (the capturing one).
    var checksumOffloadSides: [Side] {
        var sides: [Side] = []
        for item in evidence.badChecksums where !sides.contains(item.moment.sender) {
            let sender = item.moment.sender, time = item.moment.moment.time
            let answered: Bool
            if item.flags.control == .synACK {
                answered = evidence.handshakeACK != nil && !evidence.synACKRetransmissions.contains { time < $0.time }
            } else if item.flags.control == .syn {
                answered = evidence.firstSYNACK != nil && !evidence.synRetransmissions.contains { time < $0.time }
            } else if item.flags.contains(.fin), let fin = self[sender].finSequence {
                answered =
                    (self[sender.peer].highestAcknowledgment.map { !($0 < fin + 1) } ?? false)
                    && !evidence.finRetransmissions.contains { $0.sender == sender && time < $0.moment.time }
            } else {
                answered = false
            }
            if answered { sides.append(sender) }
        }
        return sides
    }
}
