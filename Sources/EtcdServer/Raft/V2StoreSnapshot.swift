/// The data of a raft snapshot, in the form etcd 3.4 writes it: the JSON of its v2 store, which
/// holds the cluster's membership (`/0/members/<id>/raftAttributes` and `attributes`, removed
/// IDs under `/0/removed_members`) and the cluster version (`/0/version`). A member restarting
/// from the snapshot, or receiving it from the leader, rebuilds its membership from it
/// (`ClusterMembership.init(v2StoreSnapshot:)`); etcd's tools and etcd itself read it too.
enum V2StoreSnapshot {
    static func json(membership: ClusterMembership) -> [UInt8] {
        var memberNodes: [String] = []
        for member in membership.members {
            let hexID = String(member.id.rawValue, radix: 16)
            let base = "/0/members/" + hexID
            var children = "{"
            if member.isStarted {
                children += "\"attributes\":" + leaf(base + "/attributes", value: member.attributesJSON, index: 2) + ","
            }
            children += "\"raftAttributes\":" + leaf(base + "/raftAttributes", value: member.raftAttributesJSON, index: 1) + "}"
            memberNodes.append(JSONText.string(hexID) + ":" + directory(base, children: children, index: 1))
        }
        let removedNodes = membership.removed.sorted().map { id in
            let hexID = String(id.rawValue, radix: 16)
            return JSONText.string(hexID) + ":" + leaf("/0/removed_members/" + hexID, value: "", index: 1)
        }
        var zeroChildren = "{\"members\":" + directory("/0/members", children: "{" + memberNodes.joined(separator: ",") + "}", index: 1)
        if !removedNodes.isEmpty {
            zeroChildren += ",\"removed_members\":"
                + directory("/0/removed_members", children: "{" + removedNodes.joined(separator: ",") + "}", index: 1)
        }
        if let version = membership.version {
            zeroChildren += ",\"version\":" + leaf("/0/version", value: version, index: 3)
        }
        let zero = directory("/0", children: zeroChildren + "}", index: 0)
        let root = directory("/", children: "{\"0\":" + zero + ",\"1\":" + directory("/1", children: "{}", index: 0) + "}", index: 0)
        return Array(("{\"Root\":" + root + "}").utf8)
    }

    private static func directory(_ path: String, children: String, index: Int) -> String {
        node(path, value: "", index: index) + ",\"Children\":" + children + "}"
    }

    private static func leaf(_ path: String, value: String, index: Int) -> String {
        node(path, value: value, index: index) + ",\"Children\":null}"
    }

    private static func node(_ path: String, value: String, index: Int) -> String {
        "{\"Path\":" + JSONText.string(path) + ",\"CreatedIndex\":\(index),\"ModifiedIndex\":\(index)"
            + ",\"ExpireTime\":\"0001-01-01T00:00:00Z\",\"Value\":" + JSONText.string(value)
    }
}
