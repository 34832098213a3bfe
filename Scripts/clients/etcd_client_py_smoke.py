"""Smoke suite for `etcd-client-py`: Python bindings (PyO3) over the Rust `etcd-client` crate, so
tonic/hyper HTTP/2 on tokio, through the bindings' own API.

The bindings expose less than the crate: no sort or limit on ranges, no start revision or prev_kv
on watches, no member list, status or snapshot, and lease_grant answers nothing (not the ID). So
this suite checks what they do expose, and reaches leases through the lock helper: with_lock(ttl)
grants a lease and locks through etcd's v3lock Lock RPC with it, and
the lock key names the lease (<name>/<lease ID in hex>). Keepalive is the bindings'
lease_keep_alive on that lease. Expiry is a lock holder killed with SIGKILL (a child process,
--hold-lock), whose lock must pass to a waiter when its lease lapses.
"""

import asyncio
import os
import signal
import subprocess
import sys

import etcd_client as ec

import smoke

P = b"/ecp/"  # every key this suite writes
HOLDER_SECONDS_MAX = 30  # the child holding a lock prints its key


def endpoints(args):
    return [f"http://{args.host}:{args.port}"]


async def hold_lock(args, name):
    """Child mode: hold `name` under a kept-alive lease until killed."""
    client = ec.Client(endpoints(args))
    async with client.with_lock(ec.EtcdLockOption(lock_name=name, ttl=smoke.LEASE_TTL_SECONDS,
                                                  timeout=10.0)) as comm:
        keys = await comm.keys_prefix(name + b"/")
        print("HELD " + " ".join(k.decode() for k in keys), flush=True)
        await asyncio.sleep(HOLDER_SECONDS_MAX * 10)


async def suite(args, report):
    client = ec.Client(endpoints(args))
    async with client.connect() as comm:
        await comm.delete_prefix(P)

        async def put_get():
            await comm.put(P + b"a", b"1")
            await comm.put(P + b"a", b"2")
            smoke.expect_eq(await comm.get(P + b"a"), b"2", "get after two puts")
            smoke.expect_eq(await comm.get(P + b"missing"), None, "get of a missing key")
            await comm.put(P + b"bin", bytes(range(256)))
            smoke.expect_eq(await comm.get(P + b"bin"), bytes(range(256)), "binary value")

        async def large_value():
            await comm.put(P + b"large", smoke.LARGE_VALUE)
            smoke.expect(await comm.get(P + b"large") == smoke.LARGE_VALUE,
                         "1 MiB value round trip")
            try:
                await comm.put(P + b"too-large", smoke.TOO_LARGE_VALUE)
                raise smoke.Check("a 1.75 MiB put succeeded")
            except ec.GRPCStatusError as error:
                detail = error.args[0] if error.args else {}
                smoke.expect_eq((detail.get("code"), detail.get("message")),
                                (3, smoke.TOO_LARGE_MESSAGE), "1.75 MiB put: status")
            try:
                await comm.put(P + b"too-large", smoke.OVER_GRPC_LIMIT_VALUE)
                raise smoke.Check("a 2 MiB put succeeded")
            except ec.GRPCStatusError as error:
                detail = error.args[0] if error.args else {}
                smoke.expect_over_grpc_limit(detail.get("code"), detail.get("message", ""),
                                             "2 MiB put")
            await comm.delete(P + b"large")

        async def prefix_range():
            for key, value in [(b"r/c", b"3"), (b"r/a", b"1"), (b"r/b", b"2"), (b"r/a/x", b"5")]:
                await comm.put(P + key, value)
            got = await comm.get_prefix(P + b"r/")
            smoke.expect_eq(got, [(P + b"r/a", b"1"), (P + b"r/a/x", b"5"), (P + b"r/b", b"2"),
                                  (P + b"r/c", b"3")], "get_prefix (in key order)")
            smoke.expect_eq(await comm.keys_prefix(P + b"r/a"), [P + b"r/a", P + b"r/a/x"],
                            "keys_prefix")
            smoke.expect_eq(await comm.get_prefix(P + b"none/"), [], "empty prefix")

        async def delete():
            await comm.delete(P + b"r/b")
            smoke.expect_eq(await comm.get(P + b"r/b"), None, "get after delete")
            await comm.delete(P + b"r/b")  # deleting a missing key is no error
            await comm.delete_prefix(P + b"r/a")
            smoke.expect_eq(await comm.get_prefix(P + b"r/"), [(P + b"r/c", b"3")],
                            "after delete_prefix r/a")

        async def txn():
            await comm.put(P + b"t", b"old")
            cas = lambda expected, new: ec.Txn().when(  # noqa: E731
                [ec.Compare.value(P + b"t", ec.CompareOp.EQUAL, expected)]).and_then(
                [ec.TxnOp.put(P + b"t", new)]).or_else([ec.TxnOp.put(P + b"lost", expected)])
            smoke.expect_eq((await comm.txn(cas(b"old", b"new"))).succeeded(), True,
                            "CAS on the current value")
            smoke.expect_eq((await comm.txn(cas(b"old", b"wrong"))).succeeded(), False,
                            "CAS on a stale value")
            smoke.expect_eq(await comm.get(P + b"t"), b"new", "value after the CASes")
            smoke.expect_eq(await comm.get(P + b"lost"), b"old", "failure branch ran")
            response = await comm.txn(ec.Txn().when(
                [ec.Compare.version(P + b"t", ec.CompareOp.GREATER, 1),
                 ec.Compare.create_revision(P + b"nope", ec.CompareOp.EQUAL, 0),
                 ec.Compare.value(P + b"r/", ec.CompareOp.NOT_EQUAL, b"zz").with_prefix()]
            ).and_then([ec.TxnOp.delete(P + b"lost")]))
            smoke.expect_eq(response.succeeded(), True, "version > 1, create == 0, prefix value")
            smoke.expect_eq(await comm.get(P + b"lost"), None, "success branch's delete")

        async def watch():
            ready = ec.CondVar()
            seen = []

            async def collect():
                async for event in comm.watch_prefix(P + b"w/", ready_event=ready):
                    seen.append((str(event.event).rsplit(".", 1)[-1], bytes(event.key),
                                 bytes(event.value), event.prev_value))
                    if len(seen) == 3:
                        return
            task = asyncio.ensure_future(collect())
            await asyncio.wait_for(ready.wait(), smoke.EVENT_SECONDS_MAX)
            async with client.connect() as writer:
                await writer.put(P + b"w/1", b"v1")
                await writer.put(P + b"w/1", b"v2")
                await writer.delete(P + b"w/1")
            try:
                await asyncio.wait_for(task, smoke.EVENT_SECONDS_MAX)
            except asyncio.TimeoutError:
                raise smoke.Check(f"only {len(seen)} of 3 events came: {seen}")
            smoke.expect_eq(seen, [("PUT", P + b"w/1", b"v1", None),
                                   ("PUT", P + b"w/1", b"v2", None),
                                   ("DELETE", P + b"w/1", b"", None)],
                            "events (type, key, value, prev value)")

        async def lock_rpc():
            # Lock with no lease: etcd's lock service holds it under a session lease of its own.
            await comm.lock(P + b"plain")
            keys = await comm.keys_prefix(P + b"plain/")
            smoke.expect_eq(len(keys), 1, f"lock keys {keys}")
            await comm.unlock(keys[0])
            smoke.expect_eq(await comm.keys_prefix(P + b"plain/"), [], "lock key after unlock")

        async def lease_keepalive():
            name = P + b"kept"
            option = ec.EtcdLockOption(lock_name=name, ttl=smoke.LEASE_TTL_SECONDS, timeout=10.0)
            async with client.with_lock(option) as held:
                keys = await held.keys_prefix(name + b"/")
                smoke.expect_eq(len(keys), 1, f"lock keys {keys}")
                lease_id = int(keys[0].rsplit(b"/", 1)[1], 16)
                # with_lock's own keepalive task is aborted as soon as the lock is acquired
                # (etcd-client-py 0.5.1), so this keeps the lease alive itself, for longer than
                # its TTL: the lock must still be held.
                loop = asyncio.get_running_loop()
                deadline = loop.time() + smoke.LEASE_TTL_SECONDS + 1
                while loop.time() < deadline:
                    await held.lease_keep_alive(lease_id)
                    await held.lease_time_to_live(lease_id)
                    await asyncio.sleep(0.5)
                smoke.expect_eq(await held.keys_prefix(name + b"/"), keys,
                                "lock key after TTL + 1 s of keepalives")
                # A second locker times out while it is held.
                try:
                    async with client.with_lock(ec.EtcdLockOption(lock_name=name, timeout=1.0)):
                        raise smoke.Check("second with_lock acquired a held lock")
                except smoke.Check:
                    raise
                except Exception as error:  # etcd_client.LockError, which the module hides
                    smoke.expect_eq(type(error).__name__, "LockError", f"error {error!r}")
            smoke.expect_eq(await comm.keys_prefix(name + b"/"), [],
                            "lock key after with_lock exits (lease revoked)")
            try:
                await comm.lease_revoke(lease_id)
                raise smoke.Check("revoking the revoked lease again succeeded")
            except ec.GRPCStatusError as error:
                detail = error.args[0] if error.args else {}
                smoke.expect_eq((detail.get("code"), detail.get("message")),
                                (5, "etcdserver: requested lease not found"),
                                "revoke of a revoked lease: status")

        async def lease_expiry():
            name = P + b"crash"
            child = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), "--hold-lock", name.decode(),
                 *sys.argv[1:]], stdout=subprocess.PIPE, text=True)
            try:
                line = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline),
                                              HOLDER_SECONDS_MAX)
                smoke.expect(line.startswith("HELD "), f"holder printed {line!r}")
                held = line.split()[1].encode()
                smoke.expect_eq(await comm.keys_prefix(name + b"/"), [held], "holder's key")
                child.send_signal(signal.SIGKILL)
                option = ec.EtcdLockOption(lock_name=name, timeout=smoke.LEASE_EXPIRY_SECONDS_MAX)
                async with client.with_lock(option) as waiter:
                    keys = await waiter.keys_prefix(name + b"/")
                    smoke.expect(held not in keys and len(keys) == 1,
                                 f"after the holder's lease lapsed: keys {keys}, holder {held}")
                smoke.expect_eq(await comm.get(held), None, "killed holder's key")
            finally:
                if child.poll() is None:
                    child.kill()
                child.wait()

        for name, fn in [("put-get", put_get), ("large-value", large_value),
                         ("prefix-range", prefix_range), ("delete", delete), ("txn", txn), ("watch", watch),
                         ("lock-rpc", lock_rpc), ("lease-keepalive", lease_keepalive),
                         ("lease-expiry", lease_expiry)]:
            await report.arun(name, fn)
        report.note("etcd-client-py.keys", [k.decode("latin-1")
                                            for k in await comm.keys_prefix(P)])


def main():
    if "--hold-lock" in sys.argv:
        index = sys.argv.index("--hold-lock")
        name = sys.argv[index + 1].encode()
        del sys.argv[index:index + 2]
        asyncio.run(hold_lock(smoke.parse_args(), name))
        return
    args = smoke.parse_args()
    report = smoke.Report("etcd-client-py")
    asyncio.run(suite(args, report))
    report.exit()


if __name__ == "__main__":
    main()
