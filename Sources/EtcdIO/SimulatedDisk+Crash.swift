/// Power loss: what the simulated disk holds when the machine comes back.
extension SimulatedDisk {
    /// Replaces the disk with what survives a power loss under `outcome`, then starts a new boot:
    /// every handle opened before is stale, locks are released, live mappings stop following the
    /// files, and scheduled faults and any stop are cleared. Call counts carry on.
    ///
    /// Order of decisions (so a seed replays exactly): directories by inode number, then files by
    /// inode number, each file's unsynced changes oldest first.
    mutating func crash(_ outcome: CrashOutcome) {
        var random = SeededRandom(seed: { if case .seeded(let seed) = outcome { seed } else { 0 } }())
        for id in directories.keys.sorted() where directories[id]!.live != directories[id]!.durable {
            if Self.survives(outcome, &random) { directories[id]!.durable = directories[id]!.live }
        }
        let (reachableDirectories, reachableFiles) = durablyReachable()
        var survivingDirectories: [Int: DirectoryNode] = [:]
        for id in reachableDirectories {
            let durable = directories[id]!.durable
            survivingDirectories[id] = DirectoryNode(live: durable, durable: durable)
        }
        var survivingFiles: [Int: FileNode] = [:]
        for id in reachableFiles.sorted() {
            let node = files[id]!
            var bytes = node.durable
            for change in node.unsynced {
                Self.replay(change, onto: &bytes, outcome: outcome, random: &random)
            }
            survivingFiles[id] = FileNode(contents: bytes, durable: bytes, unsynced: [])
        }
        directories = survivingDirectories
        files = survivingFiles
        mappings = [:]
        handles = [:]
        lockHolders = [:]
        generation += 1
        faults.scheduled = []
        faults.mutationsBeforeStop = nil
        faults.isStopped = false
        faults.hook = nil
    }

    /// Directories and files reachable from the root through durable entries only.
    private func durablyReachable() -> (directories: Set<Int>, files: Set<Int>) {
        var reachableDirectories: Set<Int> = [Self.rootID]
        var reachableFiles: Set<Int> = []
        var pending = [Self.rootID]
        while let id = pending.popLast() {
            for entry in directories[id]!.durable.values {
                switch entry {
                case .file(let fileID): reachableFiles.insert(fileID)
                case .directory(let childID):
                    if reachableDirectories.insert(childID).inserted { pending.append(childID) }
                }
            }
        }
        return (reachableDirectories, reachableFiles)
    }

    private static func survives(_ outcome: CrashOutcome, _ random: inout SeededRandom) -> Bool {
        switch outcome {
        case .loseUnsynced: false
        case .keepUnsynced: true
        case .seeded: random.coin()
        }
    }

    /// Applies what survives of one unsynced change onto the durable bytes.
    private static func replay(_ change: UnsyncedChange, onto bytes: inout [UInt8], outcome: CrashOutcome,
                               random: inout SeededRandom) {
        switch (change, outcome) {
        case (_, .loseUnsynced):
            return
        case (.resize(let size), .keepUnsynced):
            resize(&bytes, to: size)
        case (.write(let offset, let data), .keepUnsynced):
            data.withUnsafeBytes { apply($0, at: offset, to: &bytes) }
        case (.resize(let size), .seeded):
            if random.coin() { resize(&bytes, to: size) }
        case (.write(let offset, let data), .seeded):
            replaySeeded(data, at: offset, onto: &bytes, random: &random)
        }
    }

    /// One unsynced write under a seeded crash: lost, whole, a prefix of its sectors, or torn.
    private static func replaySeeded(_ data: [UInt8], at offset: Int, onto bytes: inout [UInt8],
                                     random: inout SeededRandom) {
        let sectors = sectorPieces(offset: offset, count: data.count)
        let kept: [Range<Int>]
        switch random.below(4) {
        case 0: return
        case 1: kept = sectors
        case 2: kept = Array(sectors.prefix(random.below(sectors.count)))
        default: kept = sectors.filter { _ in random.coin() }
        }
        // The size may reach the write's end even where its data did not (zeros there).
        let end = offset + data.count
        if kept.count < sectors.count, random.coin(), bytes.count < end { resize(&bytes, to: end) }
        data.withUnsafeBytes { source in
            for piece in kept {
                let slice = UnsafeRawBufferPointer(rebasing: source[(piece.lowerBound - offset)..<(piece.upperBound - offset)])
                apply(slice, at: piece.lowerBound, to: &bytes)
            }
        }
    }

    /// The file ranges of `[offset, offset + count)` cut at sector boundaries.
    static func sectorPieces(offset: Int, count: Int) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = offset
        let end = offset + count
        while start < end {
            let sectorEnd = min((start / sectorBytes + 1) * sectorBytes, end)
            pieces.append(start..<sectorEnd)
            start = sectorEnd
        }
        return pieces
    }
}
