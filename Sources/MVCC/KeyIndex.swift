/// The history of one key: every revision at which it was written, grouped into generations.
///
/// A generation is one life of the key: it starts with the put that creates the key and, unless
/// it is the current life, ends with the tombstone that deleted it. A tombstone is recorded as a
/// revision of its own (the last one of its generation) and opens a new, empty generation.
/// The index stores only revisions; the values live in the backend under those revisions.
///
/// Worked example — on key "foo": put at 1, put at 2, delete at 3, put at 4, delete at 5:
///
///     generations (oldest first):
///       {1.0, 2.0, 3.0(tombstone)}   created 1.0, version 3 counts the tombstone
///       {4.0, 5.0(tombstone)}        created 4.0
///       {}                           the key does not exist now
///
/// `get(atRevision:)` finds the generation alive at that revision: at 2 it answers 2.0 (created
/// 1.0, version 2); at 3 or 5 the key is deleted (nil); at 4 it answers 4.0 (version 1).
///
/// Compaction at revision `r` drops every revision `<= r` except the newest such one, because a
/// read at `r` or later still needs it; if that newest one is a tombstone it goes too (a deleted
/// key needs no value), and so do generations that become empty:
///
///     compact(2): {2.0, 3.0(t)} {4.0, 5.0(t)} {}   2.0 still answers reads at 2
///     compact(4): {4.0, 5.0(t)} {}                 the first life ended at 3 <= 4: gone
///     compact(5): {}                               both lives ended by 5: the key is removed
///
/// The revisions `compact` keeps are reported in `available`, so the backend can delete every
/// other revision `<= r`.
///
/// Invariants: every generation but the last is non-empty and ends with a tombstone; revisions
/// strictly increase across all generations; `modified` is the newest revision.
struct KeyIndex: Sendable {
    /// One life of the key.
    struct Generation: Sendable, Equatable {
        /// The number of revisions ever appended to this generation, including compacted ones and
        /// a closing tombstone: the `version` of the key at the newest revision.
        var version: Int64 = 0
        /// The revision of the put that created this life.
        var created = Revision(main: 0)
        /// Revisions in increasing order; the last one is a tombstone unless this is the current life.
        var revisions: [Revision] = []

        var isEmpty: Bool { revisions.isEmpty }

        /// The index of the newest revision whose main revision is `<= atRevision`, or nil.
        func newestIndex(atOrBelow atRevision: Int64) -> Int? {
            revisions.lastIndex { $0.main <= atRevision }
        }
    }

    let key: [UInt8]
    /// The newest revision appended (put or tombstone).
    private(set) var modified = Revision(main: 0)
    private(set) var generations: [Generation] = []

    init(key: [UInt8]) {
        self.key = key
    }

    /// True when the key has no revisions left at all (only compaction gets it there): the tree
    /// index drops such entries.
    var isEmpty: Bool { generations.count == 1 && generations[0].isEmpty }

    /// Records a put at `revision`, which must be newer than every revision recorded before.
    mutating func put(_ revision: Revision) {
        precondition(revision > modified, "keyIndex put \(revision) not after \(modified)")
        if generations.isEmpty { generations.append(Generation()) }
        let last = generations.count - 1
        if generations[last].isEmpty { generations[last].created = revision }
        generations[last].revisions.append(revision)
        generations[last].version += 1
        modified = revision
    }

    /// Rebuilds a key from the backend's newest record of it (restoring after a restart: older
    /// revisions are no longer needed by the index for reads at or after `modified`).
    mutating func restore(created: Revision, modified: Revision, version: Int64) {
        precondition(generations.isEmpty, "restore of a keyIndex that has generations")
        self.modified = modified
        generations.append(Generation(version: version, created: created, revisions: [modified]))
    }

    /// Records a delete at `revision` and starts a new, empty generation.
    /// Returns false (recording nothing) when the key is already deleted.
    mutating func tombstone(_ revision: Revision) -> Bool {
        precondition(!isEmpty, "tombstone on an empty keyIndex")
        guard let current = generations.last, !current.isEmpty else { return false }
        put(revision)
        generations.append(Generation())
        return true
    }

    /// What a read at `atRevision` sees of this key: the revision of its value, the revision
    /// that created it, and its version; nil when the key did not exist at `atRevision`.
    func get(atRevision: Int64) -> (modified: Revision, created: Revision, version: Int64)? {
        precondition(!isEmpty, "get on an empty keyIndex")
        guard let gi = generationIndex(at: atRevision) else { return nil }
        let g = generations[gi]
        guard let n = g.newestIndex(atOrBelow: atRevision) else { return nil }
        return (g.revisions[n], g.created, g.version - Int64(g.revisions.count - n - 1))
    }

    /// All revisions with main revision `>= revision`, oldest first, keeping only the last change
    /// of each main revision (a transaction's earlier changes to the key are not visible outside
    /// it). Watchers catching up use this.
    func since(_ revision: Int64) -> [Revision] {
        precondition(!isEmpty, "since on an empty keyIndex")
        let since = Revision(main: revision)
        // Start at the newest generation created before `since`: older ones hold no newer revision.
        var gi = generations.count - 1
        while gi > 0 {
            let g = generations[gi]
            if !g.isEmpty && since > g.created { break }
            gi -= 1
        }
        var result: [Revision] = []
        var lastMain: Int64 = 0
        for g in generations[gi...] {
            for r in g.revisions where r >= since {
                if r.main == lastMain {
                    result[result.count - 1] = r
                } else {
                    result.append(r)
                    lastMain = r.main
                }
            }
        }
        return result
    }

    /// Drops the revisions a read at `atRevision` or later can no longer need (see the type's
    /// comment) and adds the ones still holding a value at `atRevision` to `available`.
    /// The caller removes the key from the tree when it becomes `isEmpty`.
    mutating func compact(atRevision: Int64, available: inout Set<Revision>) {
        precondition(!isEmpty, "compact on an empty keyIndex")
        var (gi, ri) = findCompactionPoint(atRevision: atRevision, available: &available)
        if !generations[gi].isEmpty {
            if let ri { generations[gi].revisions.removeFirst(ri) }
            // A lone revision left in a finished generation is its tombstone: nothing to keep.
            if generations[gi].revisions.count == 1 && gi != generations.count - 1 {
                available.remove(generations[gi].revisions[0])
                gi += 1
            }
        }
        generations.removeFirst(gi)
    }

    /// Adds to `available` the revisions `compact(atRevision:available:)` would keep, changing nothing.
    func keep(atRevision: Int64, available: inout Set<Revision>) {
        if isEmpty { return }
        let (gi, ri) = findCompactionPoint(atRevision: atRevision, available: &available)
        let g = generations[gi]
        if !g.isEmpty, let ri, ri == g.revisions.count - 1, gi != generations.count - 1 {
            available.remove(g.revisions[ri])
        }
    }

    /// The first generation that was still alive after `atRevision` (or the current one), and in
    /// it the newest revision `<= atRevision`, which is added to `available`.
    private func findCompactionPoint(atRevision: Int64, available: inout Set<Revision>) -> (Int, Int?) {
        var gi = 0
        while gi < generations.count - 1, generations[gi].revisions[generations[gi].revisions.count - 1].main <= atRevision {
            gi += 1
        }
        let ri = generations[gi].newestIndex(atOrBelow: atRevision)
        if let ri { available.insert(generations[gi].revisions[ri]) }
        return (gi, ri)
    }

    /// The generation a read at `revision` falls in, or nil when the key was deleted (or not yet
    /// created) at `revision`.
    private func generationIndex(at revision: Int64) -> Int? {
        let last = generations.count - 1
        var gi = last
        while gi >= 0 {
            let g = generations[gi]
            if g.isEmpty {
                gi -= 1
                continue
            }
            if gi != last && g.revisions[g.revisions.count - 1].main <= revision { return nil }
            if g.revisions[0].main <= revision { return gi }
            gi -= 1
        }
        return nil
    }
}
