extension ServerConfig {
    /// etcd's checks before bootstrapping a new member (no WAL yet, `--initial-cluster-state=new`):
    /// the initial cluster names this member, lists exactly its advertised peer URLs, and uses no
    /// URL twice. Messages are etcd's. etcd resolves host names before comparing URLs; swetcd
    /// compares them as written.
    public func verifyBootstrap() throws(ConfigError) {
        try verifyHasLocalMember()
        try verifyAdvertiseMatchesCluster()
        try verifyNoDuplicateURL()
        if initialCluster.isEmpty && discoveryURL.isEmpty {
            throw .invalid("initial cluster unset and no discovery URL found")
        }
    }

    /// etcd's checks before joining an existing cluster (no WAL yet,
    /// `--initial-cluster-state=existing`).
    public func verifyJoinExisting() throws(ConfigError) {
        try verifyHasLocalMember()
        try verifyNoDuplicateURL()
        if !discoveryURL.isEmpty {
            throw .invalid("discovery URL should not be set when joining existing initial cluster")
        }
    }

    private func verifyHasLocalMember() throws(ConfigError) {
        if initialClusterPeerURLs == nil {
            throw .invalid("couldn't find local name \(goQuote(name)) in the initial cluster configuration")
        }
    }

    private func verifyAdvertiseMatchesCluster() throws(ConfigError) {
        let clusterURLs = (initialClusterPeerURLs ?? []).map(\.description).sorted()
        let advertised = initialAdvertisePeerURLs.map(\.description).sorted()
        if clusterURLs == advertised { return }
        let advertisedText = advertised.joined(separator: ",")
        let missingFromAdvertised = clusterURLs.filter { !advertised.contains($0) }
        if !missingFromAdvertised.isEmpty {
            let listed = missingFromAdvertised.map { "\(name)=\($0)" }.joined(separator: ",")
            let resolved = "resolved urls: \(goQuote(advertisedText)) != \(goQuote(clusterURLs.joined(separator: ",")))"
            throw .invalid("--initial-cluster has \(listed) but missing from --initial-advertise-peer-urls=\(advertisedText) (\(resolved))")
        }
        let missingFromCluster = advertised.filter { !clusterURLs.contains($0) }
        let ownEntry = advertised.map { "\(name)=\($0)" }.joined(separator: ",")
        throw .invalid("--initial-advertise-peer-urls has \(missingFromCluster.joined(separator: ",")) but missing from --initial-cluster=\(ownEntry)")
    }

    private func verifyNoDuplicateURL() throws(ConfigError) {
        var seen: Set<String> = []
        for member in initialCluster {
            for url in member.peerURLs where !seen.insert(url.description).inserted {
                let all = initialCluster.flatMap { m in m.peerURLs.map { "\(m.name)=\($0)" } }.sorted()
                throw .invalid("initial cluster \(all.joined(separator: ",")) has duplicate url")
            }
        }
    }
}
