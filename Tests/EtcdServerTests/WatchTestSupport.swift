import EtcdProto
@testable import MVCC
@testable import EtcdServer

/// Shorthands for the Watch tests.
let watchHeaderTemplate = ResponseHeader(clusterId: 0x1000, memberId: 0x2000, revision: 0, raftTerm: 7)

func watchHeader(_ revision: Int64) -> ResponseHeader {
    var header = watchHeaderTemplate
    header.revision = revision
    return header
}

func streamKey(_ n: Int32, connection: UInt64 = 1) -> WatchStreamKey {
    WatchStreamKey(connection: connection, stream: n)
}

func createRequest(_ key: String, _ rangeEnd: String = "", start: Int64 = 0, id: Int64 = 0,
                   prevKV: Bool = false, fragment: Bool = false, progressNotify: Bool = false,
                   filters: [WatchCreateRequest.FilterType] = []) -> WatchRequest {
    WatchRequest(requestUnion: .createRequest(WatchCreateRequest(
        key: b(key), rangeEnd: b(rangeEnd), startRevision: start, progressNotify: progressNotify,
        filters: filters, prevKv: prevKV, watchId: id, fragment: fragment)))
}

func cancelRequest(_ id: Int64) -> WatchRequest {
    WatchRequest(requestUnion: .cancelRequest(WatchCancelRequest(watchId: id)))
}

let progressRequest = WatchRequest(requestUnion: .progressRequest(WatchProgressRequest()))

func putEvent(_ key: String, _ value: String = "v", revision: Int64, created: Int64? = nil, version: Int64 = 1) -> Event {
    Event(type: .put, kv: KeyValue(key: b(key), createRevision: created ?? revision, modRevision: revision,
                                   version: version, value: b(value)))
}

func deleteEvent(_ key: String, revision: Int64) -> Event {
    Event(type: .delete, kv: KeyValue(key: b(key), modRevision: revision))
}

/// Every record of `store`'s `key` bucket with a main revision in `from...through`, as the
/// server's history read returns them.
func historyRecords(_ store: KVStore, from: Int64, through: Int64) -> [WatchHistoryRecord] {
    var records: [WatchHistoryRecord] = []
    store.storage.forEachRecord { revision, kv, isTombstone in
        if revision.main >= from && revision.main <= through {
            records.append(WatchHistoryRecord(revision: revision, kv: kv, isTombstone: isTombstone))
        }
    }
    return records
}

/// Runs history reads until no watcher is unsynced; returns what they delivered.
func syncAll(_ registry: inout WatcherRegistry, _ store: KVStore) -> [WatchDelivery] {
    var out: [WatchDelivery] = []
    while let read = registry.nextHistoryRead() {
        out += registry.applyHistory(read, records: historyRecords(store, from: read.fromRevision, through: read.throughRevision),
                                     compactedRevision: store.compactedRevision)
    }
    return out
}
