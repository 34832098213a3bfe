/// A deterministic random source (SplitMix64): the only randomness in the simulated disk, so a
/// test's outcome is a function of its seed. Not for anything outside tests and simulation.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `0..<bound`. `bound` must be positive.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "random bound \(bound)")
        return Int(next() % UInt64(bound))
    }

    mutating func coin() -> Bool {
        next() & 1 == 1
    }
}
