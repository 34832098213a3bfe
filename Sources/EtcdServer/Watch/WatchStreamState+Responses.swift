import EtcdBasics
import EtcdProto
import ProtoWire

extension WatchStreamState {
    /// The responses etcd's `sendLoop` sends for one registry delivery.
    ///
    /// - events: header revision is the delivery's; with `prev_kv`, every event except a key's
    ///   creation gets `prevKV(key, modRevision - 1)` (etcd reads the key at the revision before
    ///   the event; nil leaves it unset, as etcd does when that read fails); with `fragment`, a
    ///   response of `fragmentBytes` or more is split (`fragments(of:maxBytes:)`).
    /// - progress: an empty response with the watcher's ID (or -1) and the revision.
    /// - compacted: canceled with `compact_revision` and header revision 0 — etcd fills the
    ///   header from the internal response's `Revision`, which `chooseAll` leaves unset.
    public static func responses(
        for delivery: WatchDelivery, header: ResponseHeader, fragmentBytes: Int = WatchLimits.standard.fragmentBytes,
        prevKV: (_ key: [UInt8], _ revision: Int64) -> KeyValue?
    ) -> [WatchResponse] {
        var response = WatchResponse(header: Self.header(header, delivery.revision), watchId: delivery.watchID)
        switch delivery.content {
        case .progress:
            return [response]
        case .compacted(let compactRevision):
            response.compactRevision = compactRevision
            response.canceled = true
            return [response]
        case .events(var events):
            if delivery.wantsPrevKV {
                for i in events.indices where !isCreation(events[i]) {
                    guard let kv = events[i].kv else { continue }
                    events[i].prevKv = prevKV(kv.key, kv.modRevision - 1)
                }
            }
            response.events = events
            return delivery.allowsFragment ? fragments(of: response, maxBytes: fragmentBytes) : [response]
        }
    }

    /// etcd's `isCreateEvent`: a put that started the key's life has no previous value.
    static func isCreation(_ event: Event) -> Bool {
        event.type == .put && event.kv.map { $0.createRevision == $0.modRevision } ?? false
    }

    /// Splits `response` as etcd's `sendFragments` does: untouched when its encoded size is under
    /// `maxBytes` or it holds fewer than two events; else consecutive pieces, each with as many
    /// events as fit under `maxBytes` (at least one, so a single large event still goes), all
    /// with `fragment` set except the last.
    public static func fragments(of response: WatchResponse, maxBytes: Int) -> [WatchResponse] {
        if response.encodedSize < maxBytes || response.events.count < 2 { return [response] }
        var template = response
        template.events = []
        template.fragment = true
        let emptySize = template.encodedSize
        var pieces: [WatchResponse] = []
        var index = 0
        while index < response.events.count {
            var piece = template
            var size = emptySize
            while index < response.events.count {
                let eventSize = ProtoSize.message(field: 11, response.events[index])
                // etcd appends, measures, and takes the event back out if the piece reached
                // the limit with more than one event in it.
                if !piece.events.isEmpty && size + eventSize >= maxBytes { break }
                piece.events.append(response.events[index])
                size += eventSize
                index += 1
            }
            if index == response.events.count { piece.fragment = false }
            pieces.append(piece)
        }
        return pieces
    }
}
