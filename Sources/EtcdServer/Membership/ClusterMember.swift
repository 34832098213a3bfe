import EtcdBasics

/// One member of the cluster, as etcd's `membership.Member` holds it: its raft attributes
/// (peer URLs, learner or voter; changed only through conf changes) and its attributes (name,
/// client URLs; published by the member itself once it starts).
struct ClusterMember: Equatable, Sendable {
    var id: MemberID
    /// Empty until the member has started and published its attributes.
    var name: String
    /// Where peers reach it. Every member etcd creates has at least one.
    var peerURLs: [String]
    var clientURLs: [String]
    /// A learner receives the log but neither votes nor counts toward quorum.
    var isLearner: Bool

    init(id: MemberID, name: String = "", peerURLs: [String], clientURLs: [String] = [], isLearner: Bool = false) {
        self.id = id
        self.name = name
        self.peerURLs = peerURLs
        self.clientURLs = clientURLs
        self.isLearner = isLearner
    }

    /// Whether the member has published its name (etcd's `IsStarted`): the strict
    /// reconfiguration checks count only started members as able to form a quorum.
    var isStarted: Bool { !name.isEmpty }
}

// MARK: - etcd's JSON encodings

extension ClusterMember {
    /// `membership.Member` as Go's `encoding/json` writes it: the value under the member's hex
    /// ID in the backend's `members` bucket, and the context of the conf change that adds it.
    ///
    /// Field order and omission follow the Go struct: `id` (a number), then the embedded raft
    /// attributes `peerURLs` (always; `null` when empty, as Go writes a nil slice) and
    /// `isLearner` (only when true), then the embedded attributes `name` and `clientURLs` (each
    /// only when non-empty). Example: `{"id":3586763634946427052,"peerURLs":["http://10.0.0.2:2380"],"isLearner":true}`.
    var json: String {
        "{\"id\":\(id.rawValue)," + raftAttributesFields + attributesFields(leadingComma: true) + "}"
    }

    /// `membership.RaftAttributes` on its own (the v2 store's `/0/members/<id>/raftAttributes`).
    var raftAttributesJSON: String { "{" + raftAttributesFields + "}" }

    /// `membership.Attributes` on its own: what a member publishes about itself on start (the v2
    /// store's `/0/members/<id>/attributes`); `{}` when both fields are empty.
    var attributesJSON: String { "{" + attributesFields(leadingComma: false) + "}" }

    private var raftAttributesFields: String {
        let urls = peerURLs.isEmpty ? "null" : JSONText.array(peerURLs)
        return "\"peerURLs\":" + urls + (isLearner ? ",\"isLearner\":true" : "")
    }

    private func attributesFields(leadingComma: Bool) -> String {
        var fields: [String] = []
        if !name.isEmpty { fields.append("\"name\":" + JSONText.string(name)) }
        if !clientURLs.isEmpty { fields.append("\"clientURLs\":" + JSONText.array(clientURLs)) }
        guard !fields.isEmpty else { return "" }
        return (leadingComma ? "," : "") + fields.joined(separator: ",")
    }

    /// Decodes a `membership.Member` document (a `members` bucket value, a conf change
    /// context) as Go's `json.Unmarshal` would: see `JSONObjectReader` for the field rules.
    init(decodingJSON bytes: [UInt8]) throws(JSONDecodeError) {
        try self.init(JSONObjectReader(parsing: bytes))
    }

    init(_ object: JSONObjectReader) throws(JSONDecodeError) {
        self.init(id: MemberID(try object.uint64("id")), name: try object.string("name"),
                  peerURLs: try object.strings("peerURLs"), clientURLs: try object.strings("clientURLs"),
                  isLearner: try object.bool("isLearner"))
    }
}
