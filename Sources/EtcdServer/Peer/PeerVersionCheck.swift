// rafthttp's version handshake: every peer request names the sender's version and the oldest
// cluster version it can run in; the receiver refuses senders it cannot share a cluster with.

/// etcd 3.4's `checkVersionCompatibility`, on major.minor only.
public enum PeerVersionCheck {
    /// What a missing X-Server-Version / X-Min-Cluster-Version means: an etcd 2.0 sender.
    public static let absentVersion = "2.0.0"

    /// Whether a sender announcing `serverVersion` and `minClusterVersion` (header values, nil if
    /// absent) may talk to this member (`PeerHeader.localServerVersion` /
    /// `localMinClusterVersion`).
    ///
    /// Incompatible when the sender is older than our minimum cluster version, or requires a
    /// cluster newer than we are. A header that is not a semantic version is refused too (etcd's
    /// `semver.Must` panics in the handler, which drops the connection without an answer).
    public static func isCompatible(serverVersion: String?, minClusterVersion: String?) -> Bool {
        guard let remote = majorMinor(serverVersion ?? absentVersion),
              let remoteMinCluster = majorMinor(minClusterVersion ?? absentVersion),
              let local = majorMinor(PeerHeader.localServerVersion),
              let localMinCluster = majorMinor(PeerHeader.localMinClusterVersion)
        else { return false }
        if remote < localMinCluster { return false }
        if remoteMinCluster > local { return false }
        return true
    }

    /// (major, minor) of "major.minor.patch[-pre][+build]"; nil if it is not such a version.
    static func majorMinor(_ version: String) -> (Int, Int)? {
        var core = Substring(version)
        if let plus = core.firstIndex(of: "+") { core = core[..<plus] }
        if let dash = core.firstIndex(of: "-") { core = core[..<dash] }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), part.utf8.count <= 9,
                  let number = Int(part) else { return nil }
            numbers.append(number)
        }
        return (numbers[0], numbers[1])
    }
}
