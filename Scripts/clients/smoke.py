"""Shared pieces of the third-party client smoke suites (Scripts/e2e-clients.sh runs them).

Each suite drives one real etcd client library through its own API against one server and prints
one line per check:

    PASS <check>
    FAIL <check> (<why>)
    NOTE <name>=<value>     an observation that must be equal on etcd and on the server under test
                            (the shell compares the NOTE lines of the two runs)

The same suite runs against real etcd 3.4 (the oracle, where every check must pass) and against
swetcd; the assertions are absolute, so any difference between the two servers shows up as a FAIL
on one side or as a NOTE mismatch. Revisions are noted relative to the revision the suite started
at, so a failure early in one suite does not make every later number differ.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
import traceback

# Bounds (seconds). Polls wait for something that must happen; they never decide by sleeping.
LEASE_EXPIRY_SECONDS_MAX = 15.0  # a 2 s lease's key is gone (etcd checks expiry every 500 ms)
EVENT_SECONDS_MAX = 10.0         # a watch event arrives
POLL_INTERVAL_SECONDS = 0.1
ETCDCTL_SECONDS_MAX = 20

# Shortest TTL etcd 3.4 grants with default timing (heartbeat 100 ms, election 1000 ms: 1.5 s
# rounded up), so the expiry tests are as short as they can be on both servers.
LEASE_TTL_SECONDS = 2


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--peer-port", type=int, required=True)
    parser.add_argument("--member-name", required=True)
    parser.add_argument("--etcdctl", default="/usr/bin/etcdctl")
    parser.add_argument("--work", required=True, help="directory for snapshot files")
    return parser.parse_args()


class Check(Exception):
    """A failed expectation; its text is the FAIL line's reason."""


def expect(condition, why):
    if not condition:
        raise Check(why)


def expect_eq(got, want, what):
    if got != want:
        raise Check(f"{what}: expected {want!r}, got {got!r}")


class Report:
    """Prints PASS/FAIL/NOTE lines and remembers whether anything failed."""

    def __init__(self, client):
        self.client = client
        self.failed = 0

    def _line(self, text):
        print(text, flush=True)

    def passed(self, name):
        self._line(f"PASS {name}")

    def fail(self, name, why):
        self.failed += 1
        self._line(f"FAIL {name} ({' '.join(str(why).split())})")

    def note(self, name, value):
        self._line(f"NOTE {name}={json.dumps(value, sort_keys=True, default=repr)}")

    def run(self, name, fn, *args):
        """Runs one synchronous check; any exception is that check's FAIL."""
        try:
            fn(*args)
        except Check as error:
            self.fail(name, error)
            return False
        except Exception as error:  # a client error is a finding too, with its type
            self.fail(name, f"{type(error).__name__}: {error}")
            traceback.print_exc(file=sys.stderr)
            return False
        self.passed(name)
        return True

    async def arun(self, name, fn, *args):
        """Runs one asynchronous check, as run does."""
        try:
            await fn(*args)
        except Check as error:
            self.fail(name, error)
            return False
        except Exception as error:
            self.fail(name, f"{type(error).__name__}: {error}")
            traceback.print_exc(file=sys.stderr)
            return False
        self.passed(name)
        return True

    def exit(self):
        sys.exit(1 if self.failed else 0)


def poll(condition, seconds, what):
    """Calls condition() until it is true, at most `seconds`; raises Check naming `what`."""
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return
        if time.monotonic() >= deadline:
            raise Check(f"{what} not within {seconds:g} s")
        time.sleep(POLL_INTERVAL_SECONDS)


async def apoll(condition, seconds, what):
    """poll for coroutine conditions."""
    deadline = time.monotonic() + seconds
    while True:
        if await condition():
            return
        if time.monotonic() >= deadline:
            raise Check(f"{what} not within {seconds:g} s")
        await asyncio.sleep(POLL_INTERVAL_SECONDS)


def snapshot_status(args, path):
    """`etcdctl snapshot status -w json` of a snapshot file the client wrote, as a dict."""
    result = subprocess.run(
        [args.etcdctl, "snapshot", "status", "-w", "json", path],
        capture_output=True, text=True, timeout=ETCDCTL_SECONDS_MAX,
        env={"ETCDCTL_API": "3", "PATH": "/usr/bin:/bin"})
    expect(result.returncode == 0,
           f"etcdctl snapshot status failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def check_snapshot_file(args, path, revision):
    """The file is a bolt database etcdctl accepts, taken at `revision`."""
    status = snapshot_status(args, path)
    expect_eq(status.get("revision"), revision, "snapshot status revision")
    expect(status.get("totalKey", 0) > 0, f"snapshot status totalKey: {status}")
    expect(status.get("totalSize", 0) > 0, f"snapshot status totalSize: {status}")
    return status


# A value large enough to take many HTTP/2 DATA frames and flow-control window updates each way;
# one over etcd's default --max-request-bytes (1.5 MiB), refused by etcd before it is proposed;
# and one over the gRPC receive limit (max-request-bytes + 512 KiB = 2 MiB), refused by gRPC.
LARGE_VALUE = bytes((i * 7919) % 251 for i in range(1 << 20))
TOO_LARGE_VALUE = b"x" * (7 << 18)  # 1.75 MiB
TOO_LARGE_MESSAGE = "etcdserver: request is too large"
OVER_GRPC_LIMIT_VALUE = b"x" * (2 << 20)
GRPC_LIMIT_BYTES = 2 << 20


def expect_over_grpc_limit(code, message, what):
    """gRPC's RESOURCE_EXHAUSTED for a request message over the server's receive limit."""
    expect_eq(code, 8, f"{what}: code")
    expect(message.startswith("grpc: received message larger than max (")
           and message.endswith(f" vs. {GRPC_LIMIT_BYTES})"), f"{what}: message {message!r}")


def member_urls(args):
    return (f"http://{args.host}:{args.peer_port}", f"http://{args.host}:{args.port}")
