#!/usr/bin/python3
"""Smoke test of the JSON gateway through a real client library: Debian's python3-etcd3gw (2.0),
which speaks only HTTP/JSON (never gRPC).

    e2e-gateway-etcd3gw.py HOST PORT

Prints `ok NAME` or `not-ok NAME (why)` per step, nothing else on stdout; the caller turns them
into PASS/FAIL lines. Keys live under "e2egw3/" and are removed at the end.

etcd3gw facts this relies on (etcd3gw/client.py, lease.py, lock.py, watch.py):
  - its default api_path is /v3alpha/, which etcd 3.4 does not serve (404); users of 3.4 pass
    api_path="/v3beta/" or "/v3/" to Etcd3Client. Both are exercised here;
  - it never calls /version; every call is a POST with a JSON body;
  - Lease.ttl() and Lease.revoke() use the additional bindings /kv/lease/timetolive and
    /kv/lease/revoke; Lease.refresh() posts one request to /lease/keepalive and reads the
    single {"result":{...}} answer (the stream ends when the request body does);
  - watch reads the response with iter_content(chunk_size=None) and json.loads each chunk: every
    {"result":...} message must arrive as its own HTTP chunk;
  - Lock uses only KV (a create-revision-0 txn with a lease) and Lease, not the Lock service.
"""
import sys
import threading
import time

from etcd3gw.client import Etcd3Client
from etcd3gw import exceptions

WATCH_SECONDS_MAX = 10  # a watch_once that sees nothing fails after this long
PREFIX = "e2egw3/"


def main(host, port):
    results = []

    def step(name, fn):
        try:
            outcome = fn()
        except Exception as error:  # any exception is a failed step, reported with its text
            outcome = "%s: %s" % (type(error).__name__, str(error)[:300])
        if outcome is True:
            print("ok %s" % name)
        else:
            print("not-ok %s (%s)" % (name, outcome))
        sys.stdout.flush()
        results.append(outcome is True)

    def expect(got, want):
        return True if got == want else "expected %r, got %r" % (want, got)

    for api_path in ("/v3/", "/v3beta/"):
        client = Etcd3Client(host=host, port=port, api_path=api_path, timeout=10)
        tag = api_path.strip("/")
        k = PREFIX + tag + "/"
        step("%s-put-get" % tag, lambda: expect((client.put(k + "a", "1"), client.get(k + "a")), (True, [b"1"])))
        step("%s-get-missing" % tag, lambda: expect(client.get(k + "none"), []))

    client = Etcd3Client(host=host, port=port, api_path="/v3/", timeout=10)
    k = PREFIX + "kv/"

    def get_prefix():
        client.put(k + "b", "2")
        client.put(k + "c", "3")
        got = [(v, m["key"]) for v, m in client.get_prefix(k, sort_order="descend", sort_target="key")]
        return expect(got, [(b"3", (k + "c").encode()), (b"2", (k + "b").encode())])
    step("get-prefix", get_prefix)

    def get_metadata():
        [(value, meta)] = client.get(k + "b", metadata=True)
        ok = value == b"2" and int(meta["version"]) == 1 and int(meta["mod_revision"]) >= int(meta["create_revision"]) > 0
        return True if ok else "unexpected metadata %r" % meta
    step("get-metadata", get_metadata)
    step("delete", lambda: expect((client.delete(k + "b"), client.get(k + "b")), (True, [])))
    step("delete-missing", lambda: expect(client.delete(k + "b"), False))  # "deleted" omitted when 0
    step("create", lambda: expect((client.create(k + "new", "x"), client.get(k + "new")), (True, [b"x"])))
    step("create-exists", lambda: expect((client.create(k + "new", "y"), client.get(k + "new")), (False, [b"x"])))
    step("replace", lambda: expect((client.replace(k + "new", "x", "z"), client.get(k + "new")), (True, [b"z"])))
    step("replace-mismatch", lambda: expect((client.replace(k + "new", "x", "w"), client.get(k + "new")), (False, [b"z"])))

    def lease_cycle():
        lease = client.lease(ttl=60)
        if lease.id <= 0:
            return "lease id %r" % lease.id
        client.put(k + "leased", "v", lease=lease)
        keys = lease.keys()
        if keys != [(k + "leased").encode()]:
            return "lease keys %r" % keys
        ttl = lease.ttl()
        if not 0 < ttl <= 60:
            return "ttl %r" % ttl
        refreshed = lease.refresh()
        if refreshed != 60:
            return "refresh gave %r" % refreshed
        lease.revoke()
        if client.get(k + "leased") != []:
            return "key survived the revoke"
        return expect(lease.ttl(), -1)
    step("lease-grant-put-refresh-revoke", lease_cycle)

    def watch_once():
        # watch_once posts the watch and waits; the put is made once the watch request is out. The
        # gateway may take a moment to create the watch, so the put is repeated (bounded) until the
        # watcher reports an event.
        done = threading.Event()

        def writer():
            for i in range(20):
                if done.wait(0.25):
                    return
                client.put(k + "watched", "w%d" % i)
        t = threading.Thread(target=writer, daemon=True)
        t.start()
        try:
            event = client.watch_once(k + "watched", timeout=WATCH_SECONDS_MAX)
        finally:
            done.set()
            t.join(WATCH_SECONDS_MAX)
        kv = event.get("kv", {})
        ok = kv.get("key") == (k + "watched").encode() and kv.get("value", b"").startswith(b"w") and "type" not in event
        return True if ok else "event %r" % event
    step("watch-once", watch_once)

    def watch_timeout():
        try:
            client.watch_once(k + "quiet", timeout=1)
        except exceptions.WatchTimedOut:
            return True
        return "an event on a key nobody wrote"
    step("watch-once-timeout", watch_timeout)

    def watch_delete():
        client.put(k + "gone", "v")
        events, cancel = client.watch(k + "gone")
        got = []

        def reader():
            for event in events:
                got.append(event)
                break
        t = threading.Thread(target=reader, daemon=True)
        t.start()
        deadline = time.monotonic() + WATCH_SECONDS_MAX
        client.delete(k + "gone")
        while not got and time.monotonic() < deadline:
            t.join(0.1)
            if not got and client.get(k + "gone") == []:
                # the watch may have been created after the delete; a fresh put + delete retries
                client.put(k + "gone", "v")
                client.delete(k + "gone")
        cancel()
        if not got:
            return "no event within %d s" % WATCH_SECONDS_MAX
        event = got[0]
        ok = event.get("type") == "DELETE" and event["kv"]["key"] == (k + "gone").encode()
        return True if ok else "event %r" % event
    step("watch-delete", watch_delete)

    def lock():
        first = client.lock("e2egw3-lock", ttl=30)
        second = client.lock("e2egw3-lock", ttl=30)
        if not first.acquire():
            return "first acquire failed"
        if second.acquire():
            return "second acquired a held lock"
        if not first.is_acquired():
            return "holder does not see itself as holder"
        if first.refresh() != 30:
            return "refresh did not report TTL 30"
        if not first.release():
            return "release failed"
        if not second.acquire():
            return "second could not acquire after release"
        ok = second.release()
        second.lease.revoke()
        first.lease.revoke()
        return True if ok else "second release failed"
    step("lock", lock)

    def status():
        s = client.status()
        want = {"header", "version", "dbSize", "leader", "raftIndex", "raftTerm"}
        missing = want - set(s)
        return True if not missing else "status lacks %s: %r" % (sorted(missing), s)
    step("status", status)

    def members():
        m = client.members()
        ok = len(m) == 1 and m[0].get("name") and m[0].get("clientURLs") and int(m[0]["ID"]) > 0
        return True if ok else "members %r" % m
    step("members", members)

    def cleanup():
        client.delete_prefix(PREFIX)
        return expect(client.get_prefix(PREFIX), [])
    step("delete-prefix", cleanup)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
