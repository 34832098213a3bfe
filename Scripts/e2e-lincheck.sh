#!/usr/bin/env bash
# Linearizability smoke test of one etcd-v3 server across a kill -9. The client side is the Go tool
# Scripts/lincheck (etcd's own clientv3), built into the work directory.
#
#   Scripts/e2e-lincheck.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-lincheck.sh /usr/bin/etcd    (proves the script itself: real etcd must pass)
#
# One member on loopback (ports 26379/26380). `lincheck record` runs LINCHECK_CLIENTS concurrent
# clients for LINCHECK_SECONDS doing a seeded mix of put, linearizable get and compare-and-swap
# txns on LINCHECK_KEYS keys; a third of the way in, the server is killed with SIGKILL (by PID)
# and restarted on the same data dir. Operations that errored meanwhile are recorded as unknown
# outcomes. Checks:
#
#   lincheck-recorded       the recording ran through the kill and has operations that completed
#                           after the restart (so the restart is inside the checked history)
#   lincheck-linearizable   `lincheck check` finds a linearization of every key's history and the
#                           revision checks pass (exit 0)
#   lincheck-catches-stale  the same history with one completed get rewritten to return its key's
#                           previous value (`lincheck mutate -stale`) is flagged (exit 1): the
#                           checker is not vacuous on this very history
#
# Output: `PASS name` / `FAIL name (why)` per check, `# ...` lines with details (seed, counts,
# timings, the checker's explanation of the stale read), then `N passed, M failed` alone on the
# last line. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
#
# Environment:
#   LINCHECK_SEED=N       the recorder's seed (default: from the clock; printed)
#   LINCHECK_SECONDS=S    recording length (default 5); the kill comes at about S/3, leaving two
#                         thirds for the restart and the clients' reconnects (grpc backs off 1 s,
#                         then 1.6x)
#   LINCHECK_CLIENTS=N    concurrent clients (default 8)
#   LINCHECK_KEYS=N       keys (default 4)
#   LINCHECK_SERVER_ARGS  extra arguments for every start of the server
#   LINCHECK_KEEP=1       keep the work directory; it is always kept when a check failed
#   LINCHECK_ETCDCTL      client for health checks (default /usr/bin/etcdctl)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
ETCDCTL=${LINCHECK_ETCDCTL:-/usr/bin/etcdctl}
read -r -a SERVER_ARGS <<<"${LINCHECK_SERVER_ARGS:-}"

readonly SEED=${LINCHECK_SEED:-$(($(date +%s%N) % 1000000))}
readonly SECONDS_RECORDED=${LINCHECK_SECONDS:-5}
readonly CLIENTS=${LINCHECK_CLIENTS:-8}
readonly KEYS=${LINCHECK_KEYS:-4}
readonly HOST=127.0.0.1
# Loopback only; 26379-26380 is reserved for this script.
readonly CLIENT_PORT=26379
readonly PEER_PORT=26380
readonly CLIENT_ADDR="$HOST:$CLIENT_PORT"

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly READY_TRIES_MAX=300      # x 0.1 s: server answers `endpoint health`
readonly STOP_TRIES_MAX=150       # x 0.1 s: SIGTERM honoured before SIGKILL
readonly RECORD_START_TRIES_MAX=100 # x 0.1 s: the recorder has connected
readonly TOOL_SECONDS_MAX=120     # any one lincheck run beyond the recording itself

die() { echo "e2e-lincheck: $*" >&2; exit 2; }

for tool in "$ETCDCTL" timeout go; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
[[ $SECONDS_RECORDED =~ ^[0-9]+$ ]] && ((SECONDS_RECORDED >= 2)) || die "LINCHECK_SECONDS must be an integer >= 2"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-lincheck.XXXXXX")
DATA=$WORK/data
LC=$WORK/lincheck
HISTORY=$WORK/history.jsonl
SERVER_PID=""
RECORD_PID=""
PASSED=0
FAILED=0
SUMMARY_PRINTED=""

summary() {
    echo "$PASSED passed, $FAILED failed"
    SUMMARY_PRINTED=1
}

cleanup() {
    local status=$?
    if [[ -z $SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status; see $WORK)"
        summary
    fi
    [[ -z $RECORD_PID ]] || { kill "$RECORD_PID" 2>/dev/null || true; wait "$RECORD_PID" 2>/dev/null || true; }
    stop_server
    if [[ ${LINCHECK_KEEP:-0} == 1 || $FAILED != 0 ]]; then echo "e2e-lincheck: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build the tool before any server runs, so a build failure is a harness error, not a FAIL.
[[ -n ${HOME:-} || -n ${GOCACHE:-} ]] || export GOCACHE=$WORK/gocache
(cd "$SCRIPT_DIR/lincheck" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$LC" .) >"$WORK/build.log" 2>&1 ||
    die "cannot build Scripts/lincheck (needs golang-go golang-etcd-server-dev; see $WORK/build.log)"

pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1 ($2)"; FAILED=$((FAILED + 1)); }
info() { echo "# $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
lc() { timeout -k 2 "$TOOL_SECONDS_MAX" "$LC" "$@"; }

port_is_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

healthy() {
    timeout -k 1 5 "$ETCDCTL" --endpoints="$CLIENT_ADDR" --dial-timeout=1s --command-timeout=2s endpoint health </dev/null >/dev/null 2>&1
}

# start_server: the server on $DATA, in the background (a restart uses the same command line, as a
# service manager would); 1 if it does not become healthy.
start_server() {
    local client="http://$CLIENT_ADDR" peer="http://$HOST:$PEER_PORT" port try
    for port in "$CLIENT_PORT" "$PEER_PORT"; do ! port_is_open "$port" || die "port $port is already in use"; done
    "$SERVER_BIN" --name default --data-dir "$DATA" \
        --listen-client-urls "$client" --advertise-client-urls "$client" \
        --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
        --initial-cluster "default=$peer" --initial-cluster-state new "${SERVER_ARGS[@]}" \
        </dev/null >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for ((try = 1; try <= READY_TRIES_MAX; try++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        healthy && return 0
        sleep 0.1
    done
    return 1
}

stop_server() {
    local try
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for ((try = 1; try <= STOP_TRIES_MAX; try++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

crash_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

info "server $SERVER_BIN; seed $SEED (LINCHECK_SEED=$SEED repeats the choices); $CLIENTS clients, $KEYS keys, ${SECONDS_RECORDED} s"
start_server || die "server did not start (log: $WORK/server.log)"

# ---------------------------------------------------------------------------------------------
# Record across a kill -9 and restart

started=$(now_ms)
: >"$WORK/record.txt"
timeout -k 2 $((SECONDS_RECORDED + TOOL_SECONDS_MAX)) "$LC" record -endpoints "$CLIENT_ADDR" \
    -clients "$CLIENTS" -keys "$KEYS" -seconds "$SECONDS_RECORDED" -seed "$SEED" -out "$HISTORY" \
    >"$WORK/record.txt" 2>"$WORK/record.err" &
RECORD_PID=$!
for ((try = 1; try <= RECORD_START_TRIES_MAX; try++)); do
    grep -q '^record started' "$WORK/record.txt" && break
    kill -0 "$RECORD_PID" 2>/dev/null || break
    sleep 0.1
done
grep -q '^record started' "$WORK/record.txt" || die "the recorder did not start: $(cat "$WORK/record.err")"
sleep "$(awk -v s="$SECONDS_RECORDED" 'BEGIN { printf "%.1f", s / 3 }')"
recording_at_kill=0
kill -0 "$RECORD_PID" 2>/dev/null && recording_at_kill=1
kill_ms=$(($(now_ms) - started))
crash_server
restarted=0
start_server && restarted=1
restart_ms=$(($(now_ms) - started))
record_status=0
wait "$RECORD_PID" || record_status=$?
RECORD_PID=""
info "kill -9 at ${kill_ms} ms into the recording, healthy again at ${restart_ms} ms; $(grep '^recorded' "$WORK/record.txt" || echo 'no summary')"

# ---------------------------------------------------------------------------------------------
# Checks

if ((record_status != 0)); then
    fail lincheck-recorded "the recorder exited with status $record_status: $(head -c 1000 "$WORK/record.err")"
elif ((recording_at_kill == 0)); then
    fail lincheck-recorded "the recording had ended before the kill"
elif ((restarted == 0)); then
    fail lincheck-recorded "the server did not restart after kill -9 (log: $WORK/server.log)"
else
    # Operations that completed after the restart: returned later than the restart (recorder
    # clock starts slightly after ours, so this undercounts, never overcounts).
    after=$(awk -v t="$restart_ms" -F'"return":' 'NF > 1 { split($2, a, /[,}]/); if (a[1] / 1e6 > t) n++ } END { print n + 0 }' "$HISTORY")
    if ((after > 0)); then
        pass lincheck-recorded
        info "$after operations completed after the restart"
    else
        fail lincheck-recorded "no operation completed after the restart at ${restart_ms} ms"
    fi
fi

check_started=$(now_ms)
check_status=0
lc check "$HISTORY" >"$WORK/check.txt" 2>&1 || check_status=$?
info "check took $(($(now_ms) - check_started)) ms: $(tail -1 "$WORK/check.txt")"
case $check_status in
    0) pass lincheck-linearizable ;;
    1) fail lincheck-linearizable "$(head -c 3000 "$WORK/check.txt")" ;;
    *) fail lincheck-linearizable "checker exit status $check_status: $(head -c 1000 "$WORK/check.txt")" ;;
esac

if lc mutate -stale -in "$HISTORY" -out "$WORK/stale.jsonl" -seed "$SEED" >"$WORK/mutate.txt" 2>&1; then
    sed 's/^/# /' "$WORK/mutate.txt"
    stale_status=0
    lc check "$WORK/stale.jsonl" >"$WORK/check-stale.txt" 2>&1 || stale_status=$?
    if ((stale_status == 1)); then
        pass lincheck-catches-stale
        grep -v '^key .*: [0-9]* ops, [0-9]* search steps' "$WORK/check-stale.txt" | head -30 | sed 's/^/# /'
    else
        fail lincheck-catches-stale "the checker's exit status was $stale_status, not 1: $(head -c 1000 "$WORK/check-stale.txt")"
    fi
else
    fail lincheck-catches-stale "could not inject a stale read: $(cat "$WORK/mutate.txt")"
fi

stop_server
summary
((FAILED == 0))
