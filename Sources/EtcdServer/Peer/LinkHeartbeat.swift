// rafthttp's link-layer heartbeat: keeps idle streams from hitting the peers' read timeouts.

import Raft

extension Message {
    /// The message etcd writes on an idle stream every `ConnReadTimeout / 3` (about 1.7 s): a
    /// MsgHeartbeat with neither From nor To, which raft itself never sends, so receivers can tell
    /// it apart and drop it before raft sees it.
    public static var linkHeartbeat: Message { Message(type: .heartbeat) }

    /// Whether this is a link-layer heartbeat (not for raft; to be discarded on receipt).
    public var isLinkHeartbeat: Bool { type == .heartbeat && from == noneNodeID && to == noneNodeID }
}
