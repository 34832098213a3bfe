#!/usr/bin/env bash
# End-to-end smoke suites for three real third-party etcd client libraries, each run unchanged
# against real etcd 3.4.23 (side A, the oracle: every check must pass there) and against the
# server under test (side B), single members started side by side:
#   etcd3           (Python, grpcio C-core HTTP/2)       Scripts/clients/etcd3_smoke.py
#   aetcd           (Python asyncio, grpcio aio)         Scripts/clients/aetcd_smoke.py
#   etcd-client-py  (Rust etcd-client: tonic/hyper)      Scripts/clients/etcd_client_py_smoke.py
# Each suite checks, through the library's own API where it has one: put/get, prefix ranges with
# sort and limit, delete and delete prefix, txn compare-and-swap (both branches), watch from a
# revision with prev_kv, lease grant/keepalive/expiry, locks, member list, status, and snapshot
# (the file checked with `etcdctl snapshot status`); etcd3 also compaction (ranges, compacts and
# watches below it: codes and messages), aetcd also error statuses (duplicate txn key, empty key,
# unknown lease, duplicate lease ID, watch from a compacted revision). What each library lacks is
# said at the top of its suite.
#
#   Scripts/e2e-clients.sh [SERVER_BIN]           (default: .build/debug/swetcd)
#   CLIENTS_ORACLE_ONLY=1 Scripts/e2e-clients.sh  (side B is a second real etcd: proves the suites)
#
# Checks: <client>-<check>@etcd and <client>-<check>@<server> for every check a suite prints,
# <client>-ran@<side> (the suite finished, in time, with no failure it did not name), and
# <client>-notes (the NOTE lines, observations such as relative revisions and a snapshot's key
# count, are equal on both sides). A FAIL on the etcd side means the suite itself is wrong.
#
# The libraries live in a virtualenv made with /usr/bin/python3 -m venv (Debian's python3-venv)
# under ${XDG_CACHE_HOME:-$HOME/.cache}/swetcd-clients/venv, installed from PyPI with the exact
# pins in Scripts/clients/requirements.txt and reused while that file is unchanged.
#
# Ports: 127.0.0.1:46700/46701 (etcd), 46710/46711 (server under test).
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# Each suite's output (and its stderr, with tracebacks) is in the work directory, kept on failure.
#
# Environment:
#   CLIENTS_ORACLE_ONLY=1  side B is a second /usr/bin/etcd instead of SERVER_BIN
#   CLIENTS_PENDING        space-separated checks not expected to pass yet (PENDING, not FAIL; a
#                          pending check that passes is a FAIL, so the list cannot go stale)
#   CLIENTS_KEEP=1         keep the work directory
#   CLIENTS_VENV           the virtualenv to use or create (default above)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
CLIENTS_DIR=$SCRIPT_DIR/clients
ETCD_BIN=/usr/bin/etcd
ETCDCTL=/usr/bin/etcdctl
SYSTEM_PYTHON=/usr/bin/python3
VENV=${CLIENTS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/swetcd-clients/venv}
REQUIREMENTS=$CLIENTS_DIR/requirements.txt
if [[ ${CLIENTS_ORACLE_ONLY:-0} == 1 ]]; then
    SERVER_BIN=$ETCD_BIN
    B_NAME=etcd2
else
    SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
    B_NAME=swetcd
fi
A_NAME=etcd

H_NAME=e2e-clients
H_PENDING=${CLIENTS_PENDING:-}
H_KEEP=${CLIENTS_KEEP:-0}
H_ETCDCTL=$ETCDCTL
# shellcheck source=lib/e2e-harness.sh
source "$SCRIPT_DIR/lib/e2e-harness.sh"

readonly A_CLIENT=46700 A_PEER=46701
readonly B_CLIENT=46710 B_PEER=46711
readonly MEMBER=clients          # both sides' member name, so member lists compare
readonly SUITE_SECONDS_MAX=180   # one suite against one server (they take seconds)
readonly PIP_SECONDS_MAX=900     # installing the pinned libraries from PyPI the first time
readonly CLIENTS=(etcd3 aetcd etcd-client-py)

suite_file() { echo "$CLIENTS_DIR/${1//-/_}_smoke.py"; }

for tool in "$ETCD_BIN" "$ETCDCTL" "$SYSTEM_PYTHON" timeout cmp; do
    command -v "$tool" >/dev/null 2>&1 || h_die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || h_die "server not found or not executable: $SERVER_BIN (build it first: swift build)"

# The virtualenv: made once, reinstalled when requirements.txt changes (its copy in the venv is
# the stamp). pip runs only then, so a cached venv costs nothing.
prepare_venv() {
    local stamp=$VENV/swetcd-requirements.txt started
    if [[ -x $VENV/bin/python && -f $stamp ]] && cmp -s "$stamp" "$REQUIREMENTS"; then
        return 0
    fi
    started=$SECONDS
    info "installing the client libraries into $VENV (first time: about a minute)"
    if [[ ! -x $VENV/bin/python ]]; then
        mkdir -p "$(dirname "$VENV")"
        "$SYSTEM_PYTHON" -m venv "$VENV" ||
            h_die "could not create $VENV (Debian: apt-get install python3-venv; Scripts/install-deps.sh --with-tests)"
    fi
    rm -f "$stamp"
    timeout -k 5 "$PIP_SECONDS_MAX" "$VENV/bin/python" -m pip install --disable-pip-version-check \
        --no-input -q -r "$REQUIREMENTS" </dev/null ||
        h_die "pip install -r $REQUIREMENTS into $VENV failed"
    cp "$REQUIREMENTS" "$stamp"
    info "installed in $((SECONDS - started)) s"
}
prepare_venv
PY=$VENV/bin/python

h_init
mkdir -p "$WORK/a" "$WORK/b"
info "A = $A_NAME ($ETCD_BIN) on $A_CLIENT, B = $B_NAME ($SERVER_BIN) on $B_CLIENT"

h_start_member "$ETCD_BIN" "$MEMBER" "$WORK/a/data" "$A_CLIENT" "$A_PEER" "" "$WORK/a/server.log"
A_PID=$H_STARTED_PID
h_start_member "$SERVER_BIN" "$MEMBER" "$WORK/b/data" "$B_CLIENT" "$B_PEER" "" "$WORK/b/server.log"
B_PID=$H_STARTED_PID
h_wait_healthy "$A_PID" "$A_CLIENT" || h_die "etcd did not become healthy (log: $WORK/a/server.log)"
h_wait_healthy "$B_PID" "$B_CLIENT" || h_die "$B_NAME did not become healthy (log: $WORK/b/server.log)"

# run_suite SIDE CLIENT: one suite against one side; its PASS/FAIL lines become checks named
# <client>-<check>@<side name>, its NOTE lines go to $WORK/SIDE/CLIENT.notes.
run_suite() {
    local side=$1 client=$2 port peer side_name out status=0 verdict name rest failed=0
    if [[ $side == a ]]; then port=$A_CLIENT peer=$A_PEER side_name=$A_NAME; else port=$B_CLIENT peer=$B_PEER side_name=$B_NAME; fi
    out=$WORK/$side/$client
    mkdir -p "$out.work"
    (cd "$CLIENTS_DIR" && PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python PYTHONDONTWRITEBYTECODE=1 \
        timeout -k 5 "$SUITE_SECONDS_MAX" "$PY" "$(suite_file "$client")" --host "$H_HOST" \
        --port "$port" --peer-port "$peer" --member-name "$MEMBER" --etcdctl "$ETCDCTL" \
        --work "$out.work" </dev/null >"$out.out" 2>"$out.err") || status=$?
    : >"$out.notes"
    while read -r verdict name rest; do
        case $verdict in
            PASS) pass "$client-$name@$side_name" ;;
            FAIL)
                failed=1
                rest=${rest#(}
                rest=${rest%)}
                [[ $side == b ]] || rest="$rest; on the oracle: the suite is wrong"
                fail "$client-$name@$side_name" "$rest"
                ;;
            NOTE) echo "$name" >>"$out.notes" ;;
            *) info "$client@$side_name: $verdict $name $rest" ;;
        esac
    done <"$out.out"
    if [[ $status == 124 || $status == 137 ]]; then
        fail "$client-ran@$side_name" "did not finish within $SUITE_SECONDS_MAX s; see $out.err"
    elif [[ $status != 0 && $failed == 0 ]]; then
        fail "$client-ran@$side_name" "exit status $status with no FAIL line: $(tail -1 "$out.err")"
    else
        pass "$client-ran@$side_name"
    fi
}

for client in "${CLIENTS[@]}"; do
    run_suite a "$client"
    run_suite b "$client"
    if cmp -s "$WORK/a/$client.notes" "$WORK/b/$client.notes"; then
        pass "$client-notes"
    else
        fail "$client-notes" "observations differ, $A_NAME vs $B_NAME: $(diff "$WORK/a/$client.notes" "$WORK/b/$client.notes" | grep '^[<>]' | tr '\n' ' ')"
    fi
done

h_summary
[[ $FAILED == 0 ]]
