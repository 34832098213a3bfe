import EtcdBasics

/// Series labelled by peer (etcd's `To` / `From` labels: the member ID in hex), for at most
/// `peersMax` peers. A peer takes a slot the first time it is counted, with one compare-and-swap;
/// afterwards finding it is a scan of atomic loads, so counting never locks or allocates.
/// Slots are never given back: a removed member's series stay, as client_golang's do.
struct PeerSlots: Sendable {
    /// More members than any sane cluster has (etcd recommends 3 to 7); beyond it a peer is not
    /// counted rather than growing the registry.
    static let peersMax = 64

    /// The member ID holding each slot; 0 while free (no member has ID 0).
    private let owners = AtomicCounters(count: peersMax)

    /// The slot of `peer`, claiming a free one if needed; nil when all are taken by others.
    func slot(of peer: MemberID) -> Int? {
        let id = peer.rawValue
        guard id != 0 else { return nil }
        for index in 0..<Self.peersMax {
            let owner = owners.load(at: index)
            if owner == id { return index }
            if owner == 0 {
                let (exchanged, original) = owners.compareExchange(expected: 0, desired: id, at: index)
                if exchanged || original == id { return index }
            }
        }
        return nil
    }

    /// The peers holding slots, with their slots, in slot order.
    var claimed: [(peer: MemberID, slot: Int)] {
        (0..<Self.peersMax).compactMap { index in
            let owner = owners.load(at: index)
            return owner == 0 ? nil : (MemberID(owner), index)
        }
    }
}

/// A counter per peer (bytes sent to / received from each).
final class PeerCounterFamily: Sendable {
    private let slots = PeerSlots()
    private let totals = AtomicCounters(count: PeerSlots.peersMax)

    init() {}

    func add(_ amount: UInt64, for peer: MemberID) {
        guard let slot = slots.slot(of: peer) else { return }
        totals.add(amount, at: slot)
    }

    /// Each counted peer and its total, in slot order.
    var values: [(peer: MemberID, value: UInt64)] {
        slots.claimed.map { ($0.peer, totals.load(at: $0.slot)) }
    }
}

/// A histogram per peer (round-trip times).
final class PeerHistogramFamily: Sendable {
    private let slots = PeerSlots()
    private let histograms: [Histogram]

    init(upperBounds: [Double]) {
        histograms = (0..<PeerSlots.peersMax).map { _ in Histogram(upperBounds: upperBounds) }
    }

    func observe(_ value: Double, for peer: MemberID) {
        guard let slot = slots.slot(of: peer) else { return }
        histograms[slot].observe(value)
    }

    /// Each observed peer and its histogram, in slot order.
    var values: [(peer: MemberID, histogram: Histogram)] {
        slots.claimed.map { ($0.peer, histograms[$0.slot]) }
    }
}
