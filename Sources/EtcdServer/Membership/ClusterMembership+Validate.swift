import EtcdBasics

extension ClusterMembership {
    /// Checks that a committed conf change still makes sense against the membership it lands
    /// on (etcd's `ValidateConfigurationChange`): proposals race, so two adds of the same peer
    /// URL, or a remove of a member removed meanwhile, can both be committed.
    ///
    /// Checks, in etcd's order: a removed ID is refused for every kind of change; then
    /// - add: the ID must be new, no existing member may hold any of its peer URLs, and a
    ///   learner must not bring the learners above `learnersMax`;
    /// - promote: the member must exist and be a learner;
    /// - remove: the member must exist;
    /// - update: the member must exist and no *other* member may hold any of the new peer URLs.
    func validate(_ change: MembershipConfChange) throws(MembershipError) {
        let id = change.memberID
        guard !removed.contains(id) else { throw .idRemoved }
        switch change {
        case .add(let member):
            guard membersByID[id] == nil else { throw .idExists }
            try checkPeerURLsFree(member.peerURLs, ignoring: nil)
            if member.isLearner && learnerCount + 1 > Self.learnersMax { throw .tooManyLearners }
        case .promote:
            guard let member = membersByID[id] else { throw .idNotFound }
            guard member.isLearner else { throw .memberNotLearner }
        case .remove:
            guard membersByID[id] != nil else { throw .idNotFound }
        case .update(_, let peerURLs, _):
            guard membersByID[id] != nil else { throw .idNotFound }
            try checkPeerURLsFree(peerURLs, ignoring: id)
        }
    }

    private func checkPeerURLsFree(_ urls: [String], ignoring ignored: MemberID?) throws(MembershipError) {
        var taken: Set<String> = []
        for member in membersByID.values where member.id != ignored { taken.formUnion(member.peerURLs) }
        if urls.contains(where: taken.contains) { throw .peerURLExists }
    }
}
