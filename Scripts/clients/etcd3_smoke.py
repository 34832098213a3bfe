"""Smoke suite for the `etcd3` Python client (0.12, grpcio's C-core HTTP/2), through its own API.

Run by Scripts/e2e-clients.sh with PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python: etcd3 0.12's
generated _pb2 modules predate protobuf 4 and load only with the pure-Python runtime.
etcd3 accepts `limit` in its range helpers but never sets it on the request, so the limit check
sends the client's RangeRequest through the client's own KV stub.
"""

import os
import queue
import tempfile

import etcd3
import grpc
from etcd3 import etcdrpc
from etcd3 import exceptions as etcd3_exceptions

import smoke

P = b"/etcd3/"  # every key this suite writes


def main():
    args = smoke.parse_args()
    report = smoke.Report("etcd3")
    client = etcd3.client(host=args.host, port=args.port, timeout=10)
    client.delete_prefix(P)  # a rerun against the same server starts from nothing too
    start_rev = client.get_response(b"/").header.revision

    def rel(revision):
        return revision - start_rev

    def put_get():
        response = client.put(P + b"a", b"1")
        expect_rev = start_rev + 1
        smoke.expect_eq(response.header.revision, expect_rev, "put header.revision")
        response = client.put(P + b"a", b"2", prev_kv=True)
        smoke.expect_eq(response.prev_kv.value, b"1", "put prev_kv.value")
        value, meta = client.get(P + b"a")
        smoke.expect_eq(value, b"2", "get value")
        smoke.expect_eq(meta.version, 2, "get version")
        smoke.expect_eq(rel(meta.create_revision), 1, "create_revision (relative)")
        smoke.expect_eq(rel(meta.mod_revision), 2, "mod_revision (relative)")
        smoke.expect_eq(client.get(P + b"missing"), (None, None), "get of a missing key")

    def prefix_range():
        for key, value in [(b"r/c", b"3"), (b"r/a", b"1"), (b"r/b", b"2"), (b"r/d", b"4")]:
            client.put(P + key, value)
        got = [(m.key, v) for v, m in client.get_prefix(P + b"r/", sort_order="descend")]
        smoke.expect_eq(got, [(P + b"r/d", b"4"), (P + b"r/c", b"3"), (P + b"r/b", b"2"),
                              (P + b"r/a", b"1")], "get_prefix descend by key")
        got = [m.key for v, m in client.get_prefix(P + b"r/", sort_order="ascend",
                                                   sort_target="mod")]
        smoke.expect_eq(got, [P + b"r/c", P + b"r/a", P + b"r/b", P + b"r/d"],
                        "get_prefix ascend by mod revision")
        got = [m.key for v, m in client.get_prefix(P + b"r/", keys_only=True)]
        smoke.expect_eq(got, [P + b"r/a", P + b"r/b", P + b"r/c", P + b"r/d"],
                        "get_prefix keys_only (default order is by key)")
        # limit: etcd3 drops it, so the request goes through the client's own stub.
        request = etcdrpc.RangeRequest(key=P + b"r/", range_end=P + b"r0", limit=2,
                                       sort_order=etcdrpc.RangeRequest.DESCEND,
                                       sort_target=etcdrpc.RangeRequest.VALUE)
        response = client.kvstub.Range(request, 10)
        smoke.expect_eq([kv.key for kv in response.kvs], [P + b"r/d", P + b"r/c"],
                        "range limit 2 descend by value: keys")
        smoke.expect_eq(response.more, True, "range limit 2: more")
        smoke.expect_eq(response.count, 4, "range limit 2: count")
        got = [m.key for v, m in client.get_range(P + b"r/b", P + b"r/d")]
        smoke.expect_eq(got, [P + b"r/b", P + b"r/c"], "get_range [r/b, r/d)")

    def delete():
        smoke.expect_eq(client.delete(P + b"r/a"), True, "delete of an existing key")
        smoke.expect_eq(client.delete(P + b"r/a"), False, "delete of a missing key")
        response = client.delete(P + b"r/b", prev_kv=True, return_response=True)
        smoke.expect_eq([(kv.key, kv.value) for kv in response.prev_kvs],
                        [(P + b"r/b", b"2")], "delete prev_kvs")
        response = client.delete_prefix(P + b"r/")
        smoke.expect_eq(response.deleted, 2, "delete_prefix deleted")
        smoke.expect_eq(list(client.get_prefix(P + b"r/")), [], "prefix after delete_prefix")

    def txn():
        client.put(P + b"t", b"old")
        ok, responses = client.transaction(
            compare=[client.transactions.value(P + b"t") == b"old"],
            success=[client.transactions.put(P + b"t", b"new"),
                     client.transactions.get(P + b"t")],
            failure=[client.transactions.put(P + b"t", b"failure")])
        smoke.expect_eq(ok, True, "CAS on the current value: succeeded")
        smoke.expect_eq(len(responses), 2, "CAS success: responses")
        smoke.expect_eq([v for v, m in responses[1]], [b"new"], "CAS success: get in the txn")
        ok, responses = client.transaction(
            compare=[client.transactions.value(P + b"t") == b"old",
                     client.transactions.version(P + b"t") > 0],
            success=[client.transactions.put(P + b"t", b"wrong")],
            failure=[client.transactions.get(P + b"t"),
                     client.transactions.delete(P + b"nothing")])
        smoke.expect_eq(ok, False, "CAS on a stale value: succeeded")
        smoke.expect_eq([v for v, m in responses[0]], [b"new"], "CAS failure: get")
        smoke.expect_eq(responses[1].response_delete_range.deleted, 0, "CAS failure: delete")
        value, meta = client.get(P + b"t")
        smoke.expect_eq((value, meta.version), (b"new", 2), "value and version after the CAS")
        ok, _ = client.transaction(compare=[client.transactions.create(P + b"absent") == 0],
                                   success=[client.transactions.put(P + b"absent", b"x")],
                                   failure=[])
        smoke.expect_eq(ok, True, "create_revision == 0 on an absent key")
        ok, _ = client.transaction(compare=[client.transactions.mod(P + b"t") < 1],
                                   success=[], failure=[])
        smoke.expect_eq(ok, False, "mod_revision < 1 on a present key")

    def watch():
        key = P + b"w"
        first = client.put(key, b"v1").header.revision
        client.put(key, b"v2")
        client.delete(key)
        events = queue.Queue()
        watch_id = client.add_watch_callback(key, events.put, start_revision=first,
                                             prev_kv=True)
        try:
            client.put(key, b"v3")
            seen = []
            while len(seen) < 4:
                try:
                    response = events.get(timeout=smoke.EVENT_SECONDS_MAX)
                except queue.Empty:
                    raise smoke.Check(f"only {len(seen)} of 4 events came: {seen}")
                if isinstance(response, Exception):
                    raise smoke.Check(f"watch error: {response!r}")
                for event in response.events:
                    raw = event._event  # etcd3's Event maps prev_* names onto prev_kv
                    prev = raw.prev_kv.value if raw.HasField("prev_kv") else None
                    seen.append((type(event).__name__, event.value, prev,
                                 rel(event.mod_revision)))
            smoke.expect_eq(seen, [("PutEvent", b"v1", None, rel(first)),
                                   ("PutEvent", b"v2", b"v1", rel(first) + 1),
                                   ("DeleteEvent", b"", b"v2", rel(first) + 2),
                                   ("PutEvent", b"v3", None, rel(first) + 3)],
                            "events (type, value, prev value, relative mod_revision)")
        finally:
            client.cancel_watch(watch_id)

    def lease():
        lease = client.lease(smoke.LEASE_TTL_SECONDS)
        smoke.expect_eq(lease.ttl, smoke.LEASE_TTL_SECONDS, "granted TTL")
        client.put(P + b"leased", b"x", lease=lease)
        smoke.expect_eq(list(lease.keys), [P + b"leased"], "TimeToLive keys")
        smoke.expect_eq(lease.granted_ttl, smoke.LEASE_TTL_SECONDS, "TimeToLive grantedTTL")
        # Keep it alive for longer than its TTL: the key must still be there.
        deadline = smoke.time.monotonic() + smoke.LEASE_TTL_SECONDS + 1
        while smoke.time.monotonic() < deadline:
            responses = lease.refresh()
            smoke.expect_eq([(r.ID, r.TTL) for r in responses],
                            [(lease.id, smoke.LEASE_TTL_SECONDS)], "keepalive responses")
            smoke.time.sleep(0.5)
        smoke.expect(client.get(P + b"leased")[0] == b"x",
                     "key gone although the lease was kept alive")
        smoke.expect(lease.remaining_ttl > 0, "remaining TTL after keepalives")
        # Then let it lapse.
        smoke.poll(lambda: client.get(P + b"leased") == (None, None),
                   smoke.LEASE_EXPIRY_SECONDS_MAX, "leased key deleted after expiry")
        smoke.expect_eq(lease.remaining_ttl, -1, "TimeToLive TTL of an expired lease")
        revoked = client.lease(30)
        revoked.revoke()
        smoke.expect_eq(revoked.remaining_ttl, -1, "TimeToLive TTL of a revoked lease")

    def lock():
        holder = client.lock("etcd3-lock", ttl=10)
        smoke.expect_eq(holder.acquire(timeout=5), True, "first acquire")
        smoke.expect_eq(holder.is_acquired(), True, "is_acquired")
        other = client.lock("etcd3-lock", ttl=10)
        smoke.expect_eq(other.acquire(timeout=1), False, "second acquire while held")
        smoke.expect_eq(holder.release(), True, "release")
        smoke.expect_eq(other.acquire(timeout=5), True, "second acquire after release")
        other.release()

    def members():
        got = [(m.name, list(m.peer_urls), list(m.client_urls)) for m in client.members]
        peer, client_url = smoke.member_urls(args)
        smoke.expect_eq(got, [(args.member_name, [peer], [client_url])], "member list")

    def status():
        status = client.status()
        header = client.get_response(b"/").header
        smoke.expect_eq(header.member_id, status.leader.id if status.leader else None,
                        "response header member_id is the leader's member ID")
        smoke.expect(status.version.startswith("3.4."), f"version {status.version!r}")
        smoke.expect(status.leader is not None and status.leader.name == args.member_name,
                     f"leader {status.leader}")
        smoke.expect(status.db_size > 0, f"db_size {status.db_size}")
        smoke.expect(status.raft_index > 0 and status.raft_term > 0,
                     f"raft index {status.raft_index} term {status.raft_term}")

    def snapshot():
        revision = client.get_response(b"/").header.revision
        path = os.path.join(args.work, "etcd3.snapshot.db")
        with open(path, "wb") as file:
            client.snapshot(file)
        status = smoke.check_snapshot_file(args, path, revision)
        report.note("etcd3.snapshot.totalKey", status["totalKey"])

    def large_value():
        client.put(P + b"large", smoke.LARGE_VALUE)
        smoke.expect(client.get(P + b"large")[0] == smoke.LARGE_VALUE, "1 MiB value round trip")
        try:
            client.put(P + b"too-large", smoke.TOO_LARGE_VALUE)
            raise smoke.Check("a 1.75 MiB put succeeded")
        except grpc.RpcError as error:
            smoke.expect_eq((error.code(), error.details()),
                            (grpc.StatusCode.INVALID_ARGUMENT, smoke.TOO_LARGE_MESSAGE),
                            "1.75 MiB put: status")
        try:
            client.put(P + b"too-large", smoke.OVER_GRPC_LIMIT_VALUE)
            raise smoke.Check("a 2 MiB put succeeded")
        except grpc.RpcError as error:
            smoke.expect_over_grpc_limit(error.code().value[0], error.details(), "2 MiB put")
        client.delete(P + b"large")

    def compaction():
        key = P + b"c"
        old = client.put(key, b"1").header.revision
        kept = client.put(key, b"2").header.revision
        client.compact(kept)
        try:
            client.kvstub.Range(etcdrpc.RangeRequest(key=key, revision=old), 10)
            raise smoke.Check("range at a compacted revision answered")
        except grpc.RpcError as error:
            smoke.expect_eq((error.code(), error.details()),
                            (grpc.StatusCode.OUT_OF_RANGE,
                             "etcdserver: mvcc: required revision has been compacted"),
                            "range at a compacted revision: status")
        response = client.kvstub.Range(etcdrpc.RangeRequest(key=key, revision=kept), 10)
        smoke.expect_eq([kv.value for kv in response.kvs], [b"2"], "range at the compaction")
        for revision, details in [(old, "etcdserver: mvcc: required revision has been compacted"),
                                  (kept + 100, "etcdserver: mvcc: required revision is a future revision")]:
            try:
                client.compact(revision)
                raise smoke.Check(f"compact({rel(revision)} relative) succeeded")
            except grpc.RpcError as error:
                smoke.expect_eq((error.code(), error.details()),
                                (grpc.StatusCode.OUT_OF_RANGE, details), "compact: status")
        # A watch from below the compaction is cancelled with the compact revision.
        events = queue.Queue()
        try:
            watch_id = client.add_watch_callback(key, events.put, start_revision=old)
        except etcd3_exceptions.RevisionCompactedError as error:
            got = error.compacted_revision
        else:
            try:
                got = events.get(timeout=smoke.EVENT_SECONDS_MAX)
            except queue.Empty:
                raise smoke.Check("no answer to a watch from a compacted revision")
            finally:
                client.cancel_watch(watch_id)
            smoke.expect(isinstance(got, etcd3_exceptions.RevisionCompactedError),
                         f"watch from a compacted revision delivered {got!r}")
            got = got.compacted_revision
        smoke.expect_eq(rel(got), rel(kept), "watch compact_revision (relative)")

    for name, fn in [("put-get", put_get), ("prefix-range", prefix_range), ("delete", delete),
                     ("txn", txn), ("watch", watch), ("lease", lease), ("lock", lock),
                     ("member-list", members), ("status", status), ("snapshot", snapshot),
                     ("large-value", large_value), ("compaction", compaction)]:
        report.run(name, fn)
    report.note("etcd3.revisions", rel(client.get_response(b"/").header.revision))
    client.close()
    report.exit()


if __name__ == "__main__":
    main()
