// The watch core: etcd's Watch service (etcdserver/api/v3rpc/watch.go) and watchable store
// (mvcc/watchable_store.go, watcher_group.go, watcher.go) as pure state, one instance per event
// loop. Nothing here reads the store, a clock or a socket; the loop does, and feeds the results in.
//
// Who calls what (all on the event loop that owns the Watch streams, never elsewhere):
//
// - A `Watch` call opens: `WatchStreamState(key:now:progressInterval:)`, the interval drawn once
//   per stream as etcd does (configured interval plus up to a tenth of jitter).
// - Each decoded `WatchRequest`: `stream.handle(_:registry:header:authorize:)`; send the returned
//   responses in order. Creates, cancels and progress requests all change the loop's single
//   `WatcherRegistry`.
// - The apply thread hands the loop a batch (its events in revision order and its last revision):
//   `registry.match(events, through: revision)`. Each returned `WatchDelivery` becomes responses
//   through `WatchStreamState.responses(for:header:fragmentBytes:prevKV:)` on its stream; the
//   `prevKV` closure reads the store (read lock) at the given revision.
// - After queuing output, a stream whose buffer passed its limit: `registry.streamBlocked(key)`;
//   once drained below its low mark: `registry.streamUnblocked(key)` (send what it returns).
//   Output is never refused, so a buffer may pass its limit by one batch's responses.
// - While `registry.hasUnsynced`: `registry.nextHistoryRead()`, read the `key` bucket records of
//   its revision window and the compacted revision under one store read lock, then
//   `registry.applyHistory(read, records:compactedRevision:)` and send its deliveries. Reading
//   later than asking is allowed (watchers that moved meanwhile are skipped).
// - The stream's timer (`stream.progressDeadline`): `stream.progressTimer(now:registry:header:)`.
// - A snapshot replaced the store: `registry.restore(currentRevision:)`, and drop batches that
//   predate it.
// - The stream or its connection ends: `registry.removeStream(key)`.
//
// Phases of a watcher, and why nothing is lost: see `WatcherRegistry`.
