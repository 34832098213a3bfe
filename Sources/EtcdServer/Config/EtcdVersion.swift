/// Version strings swetcd reports. Clients (etcdctl, clientv3, kube-apiserver) gate features on
/// the server and cluster versions, so swetcd reports the etcd release whose behaviour it
/// reproduces rather than its own version.
public enum EtcdVersion {
    /// The etcd release whose API, flags and formats swetcd implements; reported to clients as the
    /// server version (`StatusResponse.version`, `/version` `etcdserver`).
    public static let etcdCompatibleVersion = "3.4.23"
    /// The cluster version a cluster of swetcd members settles on (`/version` `etcdcluster`);
    /// etcd reports major.minor.0.
    public static let clusterVersion = "3.4.0"
    /// The etcd API version (major.minor) swetcd speaks.
    public static let apiVersion = "3.4"
    /// swetcd's own release.
    public static let swetcdVersion = "0.1.0"

    /// What `swetcd --version` prints, laid out as `etcd --version` is (one `Key: value` line
    /// each). The first line stays etcd's `etcd Version: 3.4.23`, so tools that read the etcd
    /// version from it (upgrade scripts, installers) see the version swetcd is compatible with.
    public static var versionText: String {
        "etcd Version: \(etcdCompatibleVersion)\n"
            + "swetcd Version: \(swetcdVersion)\n"
            + "API Version: \(apiVersion)\n"
            + "Swift OS/Arch: \(osName)/\(archName)\n"
    }

    static var osName: String {
        #if os(Linux)
        return "linux"
        #elseif os(macOS)
        return "darwin"
        #else
        return "unknown"
        #endif
    }

    static var archName: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }
}
