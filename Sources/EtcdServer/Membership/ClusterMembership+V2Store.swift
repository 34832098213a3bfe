import EtcdBasics

extension ClusterMembership {
    /// The membership recorded in a raft snapshot's data, the JSON of etcd's v2 store (what etcd
    /// 3.4 restores membership from: `membersFromStore` and `clusterVersionFromStore`). Members
    /// are the directories under `/0/members`, each with a `raftAttributes` value and, once the
    /// member has published, an `attributes` value; removed IDs are the keys under
    /// `/0/removed_members`; the version is `/0/version`. Absent directories mean none.
    ///
    /// Why it matters: the backend holds the membership as of its consistent index, but raft
    /// replays every conf change after the snapshot, some of which the backend already holds.
    /// Replaying them against the snapshot's membership (as etcd does against its v2 store)
    /// validates each exactly as it was validated the first time.
    ///
    /// Throws when the document is not a v2 store, or a member entry is malformed (etcd panics).
    init(v2StoreSnapshot data: [UInt8], clusterID: ClusterID) throws(JSONDecodeError) {
        let root = try V2Node(JSONValue(parsing: data), field: "Root")
        let zero = try root.child("0")
        var membersByID: [MemberID: ClusterMember] = [:]   // a repeated key: the last wins, as in Go's map
        for (key, node) in try zero?.child("members")?.children() ?? [] {
            let member = try Self.member(key: key, node: node)
            membersByID[member.id] = member
        }
        let members = Array(membersByID.values)
        var removed: Set<MemberID> = []
        for (key, _) in try zero?.child("removed_members")?.children() ?? [] {
            removed.insert(try Self.memberID(key))
        }
        let version = try zero?.child("version")?.value()
        if let both = members.first(where: { removed.contains($0.id) }) {
            throw JSONDecodeError(offset: 0, reason: "member \(both.id) is both present and removed")
        }
        self.init(clusterID: clusterID, members: members, removed: removed, version: version)
    }

    /// etcd's `nodeToMember`.
    private static func member(key: String, node: V2Node) throws(JSONDecodeError) -> ClusterMember {
        let id = try memberID(key)
        var raftAttributes: String?
        var attributes: String?
        for (name, child) in try node.children() {
            switch name {
            case "raftAttributes": raftAttributes = try child.value()
            case "attributes": attributes = try child.value()
            default: throw JSONDecodeError(offset: 0, reason: "unknown key \(name) under member \(key)")
            }
        }
        guard let raftAttributes else { throw JSONDecodeError(offset: 0, reason: "member \(key) has no raftAttributes") }
        let raft = try JSONObjectReader(parsing: Array(raftAttributes.utf8))
        var member = ClusterMember(id: id, peerURLs: try raft.strings("peerURLs"), isLearner: try raft.bool("isLearner"))
        if let attributes {
            let published = try JSONObjectReader(parsing: Array(attributes.utf8))
            member.name = try published.string("name")
            member.clientURLs = try published.strings("clientURLs")
        }
        return member
    }

    private static func memberID(_ key: String) throws(JSONDecodeError) -> MemberID {
        guard !key.isEmpty, !key.hasPrefix("+"), !key.hasPrefix("-"), let raw = UInt64(key, radix: 16) else {
            throw JSONDecodeError(offset: 0, reason: "\(key.debugDescription) is not a member ID")
        }
        return MemberID(raw)
    }
}

/// A node of the v2 store's JSON: `{"Path":…,"Value":…,"Children":{name: node…}|null,…}`.
private struct V2Node {
    let fields: [JSONField]

    init(_ document: JSONValue, field: String) throws(JSONDecodeError) {
        guard case .object(let top) = document, let node = top.last(where: { $0.key == field })?.value else {
            throw JSONDecodeError(offset: 0, reason: "not a v2 store: no \(field)")
        }
        try self.init(node)
    }

    init(_ value: JSONValue) throws(JSONDecodeError) {
        guard case .object(let fields) = value else { throw JSONDecodeError(offset: 0, reason: "v2 store node is not an object") }
        self.fields = fields
    }

    private func field(_ name: String) -> JSONValue? { fields.last { $0.key == name }?.value }

    /// The children by name, in document order (none for a leaf).
    func children() throws(JSONDecodeError) -> [(String, V2Node)] {
        guard let children = field("Children") else { return [] }
        switch children {
        case .null: return []
        case .object(let entries):
            var nodes: [(String, V2Node)] = []
            for entry in entries { nodes.append((entry.key, try V2Node(entry.value))) }
            return nodes
        default: throw JSONDecodeError(offset: 0, reason: "v2 store Children is not an object")
        }
    }

    func child(_ name: String) throws(JSONDecodeError) -> V2Node? {
        try children().last { $0.0 == name }?.1
    }

    func value() throws(JSONDecodeError) -> String {
        guard case .string(let value)? = field("Value") else { throw JSONDecodeError(offset: 0, reason: "v2 store node has no Value") }
        return value
    }
}
