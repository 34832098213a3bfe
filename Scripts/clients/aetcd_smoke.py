"""Smoke suite for `aetcd` (asyncio on grpcio's aio channel), through its own API.

aetcd's range helpers have no `limit` parameter, so the limit check sends aetcd's own
RangeRequest through the client's own KV stub.
"""

import asyncio
import os

import aetcd
from aetcd import rpc

import smoke

P = b"/aetcd/"  # every key this suite writes


async def suite(args, report):
    client = aetcd.Client(host=args.host, port=args.port, timeout=10)
    await client.connect()
    await client.delete_prefix(P)
    start_rev = (await client.get_prefix(b"/")).header.revision  # header of a range

    def rel(revision):
        return revision - start_rev

    async def put_get():
        response = await client.put(P + b"a", b"1")
        smoke.expect_eq(rel(response.header.revision), 1, "put header.revision (relative)")
        response = await client.put(P + b"a", b"2", prev_kv=True)
        smoke.expect_eq(response.prev_kv.value, b"1", "put prev_kv.value")
        got = await client.get(P + b"a")
        smoke.expect_eq((got.value, got.version), (b"2", 2), "get value and version")
        smoke.expect_eq((rel(got.create_revision), rel(got.mod_revision)), (1, 2),
                        "create and mod revision (relative)")
        smoke.expect_eq(await client.get(P + b"missing"), None, "get of a missing key")

    async def prefix_range():
        for key, value in [(b"r/c", b"3"), (b"r/a", b"1"), (b"r/b", b"2"), (b"r/d", b"4")]:
            await client.put(P + key, value)
        got = await client.get_prefix(P + b"r/", sort_order="descend", sort_target="key")
        smoke.expect_eq([(kv.key, kv.value) for kv in got],
                        [(P + b"r/d", b"4"), (P + b"r/c", b"3"), (P + b"r/b", b"2"),
                         (P + b"r/a", b"1")], "get_prefix descend by key")
        smoke.expect_eq((got.count, got.more), (4, False), "get_prefix count and more")
        got = await client.get_prefix(P + b"r/", sort_order="ascend", sort_target="create")
        smoke.expect_eq([kv.key for kv in got], [P + b"r/c", P + b"r/a", P + b"r/b", P + b"r/d"],
                        "get_prefix ascend by create revision")
        got = await client.get_prefix(P + b"r/", keys_only=True)
        smoke.expect_eq([(kv.key, kv.value) for kv in got],
                        [(P + b"r/a", b""), (P + b"r/b", b""), (P + b"r/c", b""),
                         (P + b"r/d", b"")], "get_prefix keys_only")
        request = rpc.RangeRequest(key=P + b"r/", range_end=P + b"r0", limit=3,
                                   sort_order=rpc.RangeRequest.ASCEND,
                                   sort_target=rpc.RangeRequest.VALUE)
        response = await client.kvstub.Range(request, timeout=10)
        smoke.expect_eq([kv.key for kv in response.kvs], [P + b"r/a", P + b"r/b", P + b"r/c"],
                        "range limit 3 ascend by value: keys")
        smoke.expect_eq((response.more, response.count), (True, 4), "range limit 3: more, count")
        got = await client.get_range(P + b"r/b", P + b"r/d", sort_order="descend")
        smoke.expect_eq([kv.key for kv in got], [P + b"r/c", P + b"r/b"],
                        "get_range [r/b, r/d) descend")

    async def delete():
        response = await client.delete(P + b"r/a", prev_kv=True)
        smoke.expect(response is not None, "delete of an existing key answered None")
        smoke.expect_eq((response.deleted, response.prev_kv.value), (1, b"1"),
                        "delete: deleted and prev_kv")
        smoke.expect_eq(await client.delete(P + b"r/a"), None, "delete of a missing key")
        response = await client.delete_prefix(P + b"r/", prev_kv=True)
        smoke.expect_eq(sorted((kv.key, kv.value) for kv in response),
                        [(P + b"r/b", b"2"), (P + b"r/c", b"3"), (P + b"r/d", b"4")],
                        "delete_prefix prev_kvs")
        smoke.expect_eq(response.deleted, 3, "delete_prefix deleted")
        smoke.expect_eq(len(await client.get_prefix(P + b"r/")), 0, "prefix after delete")

    async def txn():
        t = client.transactions
        await client.put(P + b"t", b"old")
        ok, responses = await client.transaction(
            compare=[t.value(P + b"t") == b"old"],
            success=[t.put(P + b"t", b"new"), t.get(P + b"t")],
            failure=[t.put(P + b"t", b"failure")])
        smoke.expect_eq(ok, True, "CAS on the current value: succeeded")
        smoke.expect_eq([v for v, _ in responses[1]], [b"new"], "CAS success: get")
        ok, responses = await client.transaction(
            compare=[t.value(P + b"t") == b"old"],
            success=[t.put(P + b"t", b"wrong")],
            failure=[t.get(P + b"t"),
                     t.txn(compare=[t.version(P + b"t") == 2],
                           success=[t.put(P + b"nested", b"yes")], failure=[])])
        smoke.expect_eq(ok, False, "CAS on a stale value: succeeded")
        smoke.expect_eq([v for v, _ in responses[0]], [b"new"], "CAS failure: get")
        smoke.expect_eq(responses[1].response_txn.succeeded, True, "nested txn succeeded")
        got = await client.get(P + b"nested")
        smoke.expect(got is not None and got.value == b"yes", f"key put by the nested txn: {got}")
        smoke.expect_eq(got.mod_revision, (await client.get(P + b"t")).mod_revision + 1,
                        "nested txn's revision follows the CAS's")

    async def watch():
        key = P + b"w"
        first = (await client.put(key, b"v1")).header.revision
        await client.put(key, b"v2")
        await client.delete(key)
        watch = await client.watch(key, start_revision=first, prev_kv=True)
        try:
            await client.put(key, b"v3")
            seen = []

            async def collect():
                async for event in watch:
                    # aetcd wraps an absent prev_kv too (as an empty KeyValue): no key, no prev.
                    prev = event.prev_kv.value if event.prev_kv and event.prev_kv.key else None
                    seen.append((event.kind, event.kv.value, prev, rel(event.kv.mod_revision)))
                    if len(seen) == 4:
                        return
            try:
                await asyncio.wait_for(collect(), smoke.EVENT_SECONDS_MAX)
            except asyncio.TimeoutError:
                raise smoke.Check(f"only {len(seen)} of 4 events came: {seen}")
            smoke.expect_eq(seen, [("PUT", b"v1", None, rel(first)),
                                   ("PUT", b"v2", b"v1", rel(first) + 1),
                                   ("DELETE", b"", b"v2", rel(first) + 2),
                                   ("PUT", b"v3", None, rel(first) + 3)],
                            "events (kind, value, prev value, relative mod_revision)")
        finally:
            await watch.cancel()
        # Filtered (NOPUT) from the same revision: only the delete.
        watch = await client.watch(key, start_revision=first, kind=aetcd.rtypes.EventKind.DELETE)
        try:
            async def first_event():
                async for event in watch:
                    return event
            event = await asyncio.wait_for(first_event(), smoke.EVENT_SECONDS_MAX)
            smoke.expect_eq((event.kind, rel(event.kv.mod_revision)), ("DELETE", rel(first) + 2),
                            "first event of a delete-only watch")
        finally:
            await watch.cancel()

    async def lease():
        lease = await client.lease(smoke.LEASE_TTL_SECONDS)
        smoke.expect_eq(lease.ttl, smoke.LEASE_TTL_SECONDS, "granted TTL")
        await client.put(P + b"leased", b"x", lease=lease)
        smoke.expect_eq(list(await lease.keys()), [P + b"leased"], "TimeToLive keys")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + smoke.LEASE_TTL_SECONDS + 1
        while loop.time() < deadline:
            reply = await lease.refresh()
            smoke.expect_eq((reply.ID, reply.TTL), (lease.id, smoke.LEASE_TTL_SECONDS),
                            "keepalive reply")
            await asyncio.sleep(0.5)
        got = await client.get(P + b"leased")
        smoke.expect(got is not None, "key gone although the lease was kept alive")

        async def gone():
            return await client.get(P + b"leased") is None
        await smoke.apoll(gone, smoke.LEASE_EXPIRY_SECONDS_MAX, "leased key deleted after expiry")
        smoke.expect_eq(await lease.remaining_ttl(), -1, "TimeToLive TTL of an expired lease")
        smoke.expect_eq(len(await client.get_prefix(P + b"leased")), 0, "no key left")

    async def lock():
        holder = client.lock(P + b"lock", ttl=10)
        smoke.expect_eq(await holder.acquire(timeout=5), True, "first acquire")
        other = client.lock(P + b"lock", ttl=10)
        smoke.expect_eq(await other.acquire(timeout=1), False, "second acquire while held")
        # The waiter watches for the holder's delete: release while it waits.
        waiting = asyncio.ensure_future(other.acquire(timeout=10))
        await asyncio.sleep(0.2)
        smoke.expect_eq(await holder.release(), True, "release")
        smoke.expect_eq(await asyncio.wait_for(waiting, 15), True, "waiter acquires on release")
        smoke.expect_eq(await other.is_acquired(), True, "is_acquired")
        await other.release()

    async def members():
        got = [(m.name, list(m.peer_urls), list(m.client_urls)) async for m in client.members()]
        peer, client_url = smoke.member_urls(args)
        smoke.expect_eq(got, [(args.member_name, [peer], [client_url])], "member list")

    async def status():
        status = await client.status()
        smoke.expect(status.version.startswith("3.4."), f"version {status.version!r}")
        smoke.expect(status.leader is not None and status.leader.name == args.member_name,
                     f"leader {status.leader}")
        smoke.expect(status.db_size > 0 and status.raft_index > 0 and status.raft_term > 0,
                     f"db_size {status.db_size} raft {status.raft_index}/{status.raft_term}")

    async def snapshot():
        revision = (await client.get_prefix(b"/")).header.revision
        path = os.path.join(args.work, "aetcd.snapshot.db")
        with open(path, "wb") as file:
            await client.snapshot(file)
        status = smoke.check_snapshot_file(args, path, revision)
        report.note("aetcd.snapshot.totalKey", status["totalKey"])

    async def concurrent():
        # Many requests in flight at once on the one HTTP/2 connection (one stream each).
        count = 200
        puts = await asyncio.gather(*(client.put(P + b"m/%03d" % i, b"%d" % i)
                                      for i in range(count)))
        revisions = sorted(rel(p.header.revision) for p in puts)
        smoke.expect_eq(revisions, list(range(revisions[0], revisions[0] + count)),
                        "each concurrent put got its own revision, with no gaps")
        gets = await asyncio.gather(*(client.get(P + b"m/%03d" % i) for i in range(count)))
        smoke.expect_eq([g.value for g in gets], [b"%d" % i for i in range(count)],
                        "concurrent gets")
        deleted = await client.delete_prefix(P + b"m/")
        smoke.expect_eq(deleted.deleted, count, "delete_prefix of the concurrent keys")

    async def large_value():
        await client.put(P + b"large", smoke.LARGE_VALUE)
        got = await client.get(P + b"large")
        smoke.expect(got is not None and got.value == smoke.LARGE_VALUE, "1 MiB value round trip")
        try:
            await client.put(P + b"too-large", smoke.TOO_LARGE_VALUE)
            raise smoke.Check("a 1.75 MiB put succeeded")
        except aetcd.InvalidArgumentError as error:
            smoke.expect_eq(str(error), smoke.TOO_LARGE_MESSAGE, "1.75 MiB put: message")
        try:
            await client.put(P + b"too-large", smoke.OVER_GRPC_LIMIT_VALUE)
            raise smoke.Check("a 2 MiB put succeeded")
        except aetcd.ClientError as error:
            cause = error.__cause__
            smoke.expect(cause is not None, f"2 MiB put: {error!r} without its gRPC error")
            smoke.expect_over_grpc_limit(cause.code().value[0], cause.details(), "2 MiB put")
        await client.delete(P + b"large")

    async def errors():
        t = client.transactions
        cases = [
            ("txn putting one key twice",
             client.transaction(compare=[], success=[t.put(P + b"d", b"1"), t.put(P + b"d", b"2")],
                                failure=[]),
             aetcd.InvalidArgumentError, "etcdserver: duplicate key given in txn request"),
            ("put of an empty key", client.put(b"", b"x"),
             aetcd.InvalidArgumentError, "etcdserver: key is not provided"),
            ("put on an unknown lease", client.put(P + b"x", b"x", lease=0x5eed),
             aetcd.ClientError, "etcdserver: requested lease not found"),
        ]
        for what, call, error_type, message in cases:
            try:
                await call
                raise smoke.Check(f"{what} succeeded")
            except smoke.Check:
                raise
            except aetcd.ClientError as error:
                smoke.expect_eq((type(error).__name__, str(error)),
                                (error_type.__name__, message), what)
        lease = await client.lease(30)
        try:
            await client.lease(30, lease_id=lease.id)
            raise smoke.Check("granting an existing lease ID succeeded")
        except aetcd.DuplicateLeaseError:
            pass
        await lease.revoke()
        # Watching from a compacted revision ends the watch with the compact revision.
        old = (await client.put(P + b"c", b"1")).header.revision
        kept = (await client.put(P + b"c", b"2")).header.revision
        await client.compact(kept)
        watch = await client.watch(P + b"c", start_revision=old)
        try:
            async def first():
                async for event in watch:
                    return event
            await asyncio.wait_for(first(), smoke.EVENT_SECONDS_MAX)
            raise smoke.Check("watch from a compacted revision delivered an event")
        except aetcd.RevisionCompactedError as error:
            smoke.expect_eq(rel(error.compacted_revision), rel(kept),
                            "compacted_revision (relative)")
        except asyncio.TimeoutError:
            raise smoke.Check("watch from a compacted revision: no answer")

    for name, fn in [("put-get", put_get), ("prefix-range", prefix_range), ("delete", delete),
                     ("txn", txn), ("watch", watch), ("lease", lease), ("lock", lock),
                     ("member-list", members), ("status", status), ("snapshot", snapshot),
                     ("concurrent", concurrent), ("large-value", large_value),
                     ("errors", errors)]:
        await report.arun(name, fn)
    report.note("aetcd.revisions", rel((await client.get_prefix(b"/")).header.revision))
    await client.close()


def main():
    args = smoke.parse_args()
    report = smoke.Report("aetcd")
    asyncio.run(suite(args, report))
    report.exit()


if __name__ == "__main__":
    main()
