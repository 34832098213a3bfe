import CShim
import EtcdBasics

/// How etcd names members and clusters: IDs are the first 8 bytes (big-endian) of a SHA-1
/// digest, so every member computes the same IDs from the same `--initial-cluster` and
/// `--initial-cluster-token` without talking to the others.
///
/// Worked example (checked against etcd 3.4.23): `--name default`, peer URL
/// `http://localhost:2380`, token `etcd-cluster` gives member `8e9e05c52164694d` and cluster
/// `cdf818194e3a8c32`.
public enum MemberIdentity {
    /// etcd's `membership.NewMember` for a member of the initial cluster (no timestamp): SHA-1 of
    /// the peer URLs sorted and concatenated without separator, then the cluster token.
    /// Members added later by `member add` also hash the Unix time, passed as `unixTime`.
    public static func memberID(peerURLs: [EtcdURL], clusterToken: String, unixTime: Int64? = nil) -> MemberID {
        memberID(peerURLStrings: peerURLs.map(\.description), clusterToken: clusterToken, unixTime: unixTime)
    }

    /// `memberID` for URLs already in etcd's canonical spelling.
    public static func memberID(peerURLStrings: [String], clusterToken: String, unixTime: Int64? = nil) -> MemberID {
        var bytes: [UInt8] = []
        for url in peerURLStrings.sorted() { bytes += Array(url.utf8) }
        bytes += Array(clusterToken.utf8)
        if let unixTime { bytes += Array(String(unixTime).utf8) }
        return MemberID(firstEightBytes(sha1(bytes)))
    }

    /// etcd's `RaftCluster.genID`: SHA-1 of the member IDs, sorted ascending, each as 8
    /// big-endian bytes.
    public static func clusterID(memberIDs: [MemberID]) -> ClusterID {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(memberIDs.count * 8)
        for id in memberIDs.sorted() {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: id.rawValue >> UInt64(shift))) }
        }
        return ClusterID(firstEightBytes(sha1(bytes)))
    }

    /// The IDs of every member of `--initial-cluster` and of the cluster they form, as etcd
    /// computes them when bootstrapping (`NewClusterFromURLsMap`).
    public static func initialCluster(_ members: [InitialClusterMember], clusterToken: String)
        -> (members: [(name: String, id: MemberID)], cluster: ClusterID) {
        let ids = members.map { (name: $0.name, id: memberID(peerURLs: $0.peerURLs, clusterToken: clusterToken)) }
        return (ids, clusterID(memberIDs: ids.map(\.id)))
    }

    static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 20)
        bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                swetcd_sha1(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest
    }

    private static func firstEightBytes(_ digest: [UInt8]) -> UInt64 {
        precondition(digest.count >= 8, "SHA-1 digest is 20 bytes")
        return digest[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
