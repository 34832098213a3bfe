/// The data of a raft snapshot, in the form etcd 3.4 writes it: the JSON of its v2 store, which
/// holds the cluster's membership (`/0/members/<id>/raftAttributes` and `attributes`) and the
/// cluster version (`/0/version`). swetcd keeps membership in the backend and never reads this
/// back; it writes it so that etcd's tools, and etcd itself, accept a swetcd data directory.
enum V2StoreSnapshot {
    struct Member {
        let id: UInt64
        let peerURLs: [String]
        /// `{"name":…,"clientURLs":[…]}` as published.
        let attributesJSON: String
    }

    static func json(members: [Member], clusterVersion: String) -> [UInt8] {
        var memberNodes: [String] = []
        for member in members {
            let hexID = String(member.id, radix: 16)
            let base = "/0/members/" + hexID
            let raftAttributes = "{\"peerURLs\":[" + member.peerURLs.map(JSONText.string).joined(separator: ",") + "]}"
            let children = "{\"attributes\":" + leaf(base + "/attributes", value: member.attributesJSON, index: 2)
                + ",\"raftAttributes\":" + leaf(base + "/raftAttributes", value: raftAttributes, index: 1) + "}"
            memberNodes.append(JSONText.string(hexID) + ":" + directory(base, children: children, index: 1))
        }
        let members = directory("/0/members", children: "{" + memberNodes.joined(separator: ",") + "}", index: 1)
        let zero = directory("/0", children: "{\"members\":" + members + ",\"version\":"
                                + leaf("/0/version", value: clusterVersion, index: 3) + "}", index: 0)
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
