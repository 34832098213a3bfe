#!/usr/bin/env bash
# End-to-end test of the Lease service as a user drives it: the real etcdctl (lease, put --lease,
# txn, lock, elect) against one member, which is restarted on its data directory at the end.
#
#   Scripts/e2e-lease.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-lease.sh /usr/bin/etcd    (proves the script itself: real etcd must pass)
#
# Checks (each prints PASS/FAIL; every verdict is on what etcdctl printed and its exit status;
# every wait is a bounded poll for an expected line or state):
#   lease-grant                   `lease grant 10` prints "lease <16 hex digits> granted with TTL(10s)"
#   lease-grant-min-ttl           `lease grant 1` is raised to etcd's minimum: "... granted with TTL(2s)"
#                                 (1.5 election timeouts of the default 1 s, rounded up)
#   lease-put                     two `put --lease=<id>` print OK; `get -w json` shows the lease on both
#   lease-timetolive              "lease <id> granted with TTL(10s), remaining(<1..10>s)"
#   lease-timetolive-keys         --keys adds ", attached keys([e2e/k1 e2e/k2])" (either order: etcd
#                                 lists them in map order)
#   lease-timetolive-json         -w json: id, ttl, granted-ttl, keys (base64) as etcd's fields
#   lease-list                    "found 2 leases" then both ids, soonest expiry first
#   lease-revoke                  `lease revoke <id>` prints "lease <id> revoked"
#   lease-revoke-deletes-keys     the attached keys are gone (`get --prefix` prints nothing)
#   lease-revoke-watch            a `watch --prefix` started before the revoke prints both DELETEs,
#                                 in key order
#   lease-revoke-one-revision     both deletes carry one mod revision, the revoke's (watch -w json)
#   lease-timetolive-revoked      timetolive of the revoked lease: "lease <id> already expired", exit 0
#   err-put-unknown-lease         put --lease=1234abcd: exit 1, gRPC NotFound,
#                                 "Error: etcdserver: requested lease not found"
#   err-revoke-unknown-lease      exit 1, NotFound, "Error: failed to revoke lease (etcdserver: requested
#                                 lease not found)"
#   err-timetolive-unknown-lease  exit 0, "lease 000000001234abcd already expired" (TTL -1, granted 0)
#   err-keepalive-once-unknown    exit 2, "Error: etcdserver: requested lease not found"
#   err-keepalive-unknown         exit 0, "lease 000000001234abcd expired or revoked." (etcdctl prints the
#                                 same when the keep-alive stream fails: this one guards against a hang
#                                 or a stray error more than it proves the TTL-0 answer)
#   err-put-ignore-lease-no-key   put --ignore-lease on a missing key: exit 1, gRPC InvalidArgument,
#                                 "Error: etcdserver: key not found"
#   err-txn-unknown-lease         a txn whose put names an unknown lease: exit 1, NotFound, nothing written
#   lease-put-ignore-lease        put --ignore-lease keeps the key's lease and changes its value
#   lease-move                    put --lease=B on a key attached to A: A's keys no longer list it, B's do
#   lease-put-detaches            a plain put on a leased key detaches it (lease 0, no longer listed)
#   txn-lease-put                 `txn -i` with "put --lease=<id> k v" in the success ops attaches k
#   lease-keepalive-once          `lease keep-alive --once` prints "lease <id> keepalived with TTL(5)"
#                                 and the remaining TTL goes back up
#   lease-expiry                  TTL 3, one key, no keep-alive: a watch prints the DELETE, the key is
#                                 gone, timetolive says "already expired"
#   lease-expiry-timing           the DELETE is seen no earlier than TTL - 50 ms after the grant was sent
#                                 and no later than TTL + 2 s after it was answered (etcd promises TTL to
#                                 TTL + ~1 s; the extra second keeps a loaded machine from flaking)
#   lease-keepalive               `lease keep-alive` keeps a TTL-3 lease and its key for 3 TTLs, printing
#                                 "lease <id> keepalived with TTL(3)" again and again (>= 4 lines)
#   lease-keepalive-stopped       once that etcdctl is killed, the key goes within TTL + 2 s
#   lock-acquire                  `lock --ttl 3 e2elock` prints its key "e2elock/<lease hex>" (and a
#                                 blank value line); the key carries that lease
#   lock-waits                    a second `lock` registers its waiter key and prints nothing
#   lock-survives-disconnect      right after the holder is killed (SIGKILL) its key is still there
#                                 and the second still waits
#   lock-released-by-ttl          the second acquires once the holder's lease expires (within TTL + 2 s
#                                 of the kill, never before it)
#   lock-exec                     `lock e2elock -- sh -c ...` waits, then runs the command with
#                                 ETCD_LOCK_KEY/ETCD_LOCK_REV set once the holder unlocks (SIGTERM),
#                                 and unlocks after it
#   elect-leader                  `elect e2eelect p1` prints "e2eelect/<lease hex>" and "p1"
#   elect-waits                   a second candidate (p2) prints nothing
#   elect-listen                  `elect -l e2eelect` prints the leader's key and proposal
#   elect-leader-killed           the leader is killed (SIGKILL); its key stays (etcdctl elect's session
#                                 TTL is a fixed 60 s, too long to wait for, so its lease is revoked
#                                 instead, which is what its expiry does); p2 becomes leader only then
#                                 and the listener prints p2
#   elect-resign                  SIGTERM makes p2 resign: exit 0 and its key is gone
#   restart-timetolive            a TTL-60 lease with a key survives SIGTERM + restart on the same
#                                 data dir: "granted with TTL(60s), remaining(<1..60>s), attached keys"
#   restart-list                  `lease list` after the restart shows it
#   restart-key                   the key is still there, still on the lease
#   restart-revoke                revoking it after the restart deletes the key
#
# Ports: 127.0.0.1:44300 (client) and 44301 (peer) only.
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# Runs in 40-60 s (etcd 3.4.23 on a busy 2-core machine), most of it the TTLs it waits out.
#
# Environment:
#   LEASE_SERVER_ARGS     extra arguments for every server start
#   LEASE_KEEP=1          keep the work directory; it is always kept when a check failed
#   LEASE_PENDING         space-separated checks whose capability has not landed in the server yet:
#                         each still runs and prints `PENDING name (why)` instead of FAIL, is not
#                         counted as passed, and turns into a failure the moment it passes (so the
#                         list cannot go stale)
#   LEASE_ETCDCTL         client (default /usr/bin/etcdctl)
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME's decimal point

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-${SERVER_BIN:-$REPO_ROOT/.build/debug/swetcd}}
ETCDCTL=${LEASE_ETCDCTL:-/usr/bin/etcdctl}
read -r -a SERVER_ARGS <<<"${LEASE_SERVER_ARGS:-}"

readonly HOST=127.0.0.1
readonly CLIENT_PORT=44300
readonly PEER_PORT=44301
readonly TOKEN=swetcd-e2e-lease
readonly UNKNOWN=1234abcd                # a lease ID no server hands out in this run
readonly UNKNOWN_PADDED=000000001234abcd # as etcdctl prints it (%016x)

# TTLs, in seconds.
readonly SHORT_TTL=3     # expiry, keep-alive and lock sessions
readonly MIN_TTL=2       # etcd's minimum with the default --election-timeout 1000 (ceil(1.5 s))
readonly RESTART_TTL=60  # outlives a restart
readonly SLACK_SECONDS=2 # allowed lateness of an expiry beyond its TTL (etcd: up to ~1 s)
readonly EARLY_US=50000  # allowed earliness of an expiry (clock reads around a process start)

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly READY_POLLS_MAX=300  # x 0.1 s: the server answers `endpoint health`
readonly STOP_POLLS_MAX=150   # x 0.1 s: SIGTERM honoured before SIGKILL
readonly OUTPUT_POLLS_MAX=100 # x 0.1 s: a background etcdctl printed what is expected
readonly CTL_SECONDS_MAX=20   # safety net for one foreground etcdctl

die() { echo "e2e-lease: $*" >&2; exit 2; }

for tool in "$ETCDCTL" timeout python3 mkfifo; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 (EPOCHREALTIME)"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-e2e-lease.XXXXXX")
SERVER_PID=""
BG_PIDS=()
PASSED=0
FAILED=0
PENDING_COUNT=0
SUMMARY_PRINTED=""
STARTED_US=""

summary() {
    echo "$PASSED passed, $FAILED failed, $PENDING_COUNT pending"
    SUMMARY_PRINTED=1
}

stop_pid() {
    local pid=$1 try
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((try = 1; try <= STOP_POLLS_MAX; try++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$? pid
    if [[ -z $SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status; see $WORK)"
        summary
    fi
    for pid in "${BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    [[ -z $SERVER_PID ]] || stop_pid "$SERVER_PID"
    if [[ ${LEASE_KEEP:-0} == 1 || $FAILED != 0 ]]; then echo "e2e-lease: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

is_pending() { [[ " ${LEASE_PENDING:-} " == *" $1 "* ]]; }
pass() {
    if is_pending "$1"; then
        echo "FAIL $1 (passes now: take it out of LEASE_PENDING)"; FAILED=$((FAILED + 1))
    else
        echo "PASS $1"; PASSED=$((PASSED + 1))
    fi
}
fail() {
    if is_pending "$1"; then
        echo "PENDING $1 ($2)"; PENDING_COUNT=$((PENDING_COUNT + 1))
    else
        echo "FAIL $1 ($2)"; FAILED=$((FAILED + 1))
    fi
}
# verdict NAME WHY COMMAND...: PASS if COMMAND succeeds, else FAIL with WHY.
verdict() {
    local name=$1 why=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}
info() { echo "# $*"; }
oneline() { tr '\n' '|' | head -c 1500; }

# now_us VAR: the wall clock in microseconds, into VAR (no subshell, so no fork delay).
now_us() { local t=$EPOCHREALTIME; printf -v "$1" '%s' "${t/./}"; }
ms_between() { echo $((($2 - $1) / 1000)); }

# poll N COMMAND...: run COMMAND up to N times, 0.1 s apart, until it succeeds.
poll() {
    local n=$1 try
    shift
    for ((try = 1; try <= n; try++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}
# poll_until DEADLINE_US COMMAND...: run COMMAND every 0.05 s until it succeeds or the clock passes
# DEADLINE_US (the timing checks bound their waits by the clock, not by a count).
poll_until() {
    local deadline=$1 now
    shift
    while :; do
        "$@" && return 0
        now_us now
        ((now < deadline)) || return 1
        sleep 0.05
    done
}

port_is_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
readonly EP=$HOST:$CLIENT_PORT
ctl() { timeout -k 1 "$CTL_SECONDS_MAX" "$ETCDCTL" --endpoints="$EP" --dial-timeout=2s --command-timeout=5s "$@" </dev/null; }
healthy() { ctl endpoint health >/dev/null 2>&1; }
alive_and_healthy() { kill -0 "$SERVER_PID" 2>/dev/null && healthy; }

launch() {
    local port
    for port in "$CLIENT_PORT" "$PEER_PORT"; do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --name default --data-dir "$WORK/data" \
        --listen-client-urls "http://$EP" --advertise-client-urls "http://$EP" \
        --listen-peer-urls "http://$HOST:$PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$PEER_PORT" \
        --initial-cluster "default=http://$HOST:$PEER_PORT" --initial-cluster-token "$TOKEN" --initial-cluster-state new \
        "${SERVER_ARGS[@]}" </dev/null >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
}

# run NAME ARGS...: etcdctl in the foreground; stdout in $WORK/NAME.out, stderr in NAME.err, exit
# status in RC.
run() {
    local name=$1
    shift
    RC=0
    ctl "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
}
# run_in NAME INPUT ARGS...: the same with INPUT on stdin.
run_in() {
    local name=$1 input=$2
    shift 2
    RC=0
    printf '%s' "$input" | timeout -k 1 "$CTL_SECONDS_MAX" "$ETCDCTL" --endpoints="$EP" --dial-timeout=2s --command-timeout=5s "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
}
out_of() { cat "$WORK/$1.out"; }
# err_of NAME: stderr with the client library's JSON log lines reduced to "log LEVEL: MSG: ERROR",
# their time stamps and client IDs being different on every run.
err_of() {
    python3 -c '
import json, sys
for line in sys.stdin:
    line = line.rstrip("\n")
    try:
        entry = json.loads(line)
    except ValueError:
        print(line)
        continue
    if isinstance(entry, dict) and "level" in entry:
        print("log %s: %s: %s" % (entry.get("level"), entry.get("msg"), entry.get("error")))
    else:
        print(line)' <"$WORK/$1.err"
}
got() { echo "exit $RC, stdout: $(out_of "$1" | oneline), stderr: $(err_of "$1" | oneline)"; }
# expect NAME CHECK RC STDOUT STDERR: the last `run NAME` exited RC and printed exactly STDOUT and
# STDERR (normalized by err_of).
expect() {
    local name=$1 check=$2 rc=$3 out=$4 err=$5
    if [[ $RC == "$rc" && $(out_of "$name") == "$out" && $(err_of "$name") == "$err" ]]; then
        pass "$check"
    else
        fail "$check" "expected exit $rc, stdout: $(printf '%s' "$out" | oneline), stderr: $(printf '%s' "$err" | oneline); got $(got "$name")"
    fi
}
retry_log() { echo "log warn: retrying of unary invoker failed: rpc error: code = $1 desc = $2"; }

# grant NAME TTL: `lease grant TTL`; LEASE is the granted ID when etcdctl printed "lease <id> granted
# with TTL(<n>s)", else empty; GRANTED_TTL is <n>.
grant() {
    run "$1" lease grant "$2"
    LEASE="" GRANTED_TTL=""
    if [[ $RC == 0 && $(out_of "$1") =~ ^lease\ ([0-9a-f]{16})\ granted\ with\ TTL\(([0-9]+)s\)$ ]]; then
        LEASE=${BASH_REMATCH[1]} GRANTED_TTL=${BASH_REMATCH[2]}
    fi
}
decimal() { echo $((16#$1)); }

# json NAME EXPRESSION: evaluates a Python EXPRESSION over `d`, the JSON etcdctl printed for NAME;
# prints nothing when the output is not JSON.
json() {
    python3 -c '
import base64, json, sys
def b64(s): return base64.b64decode(s).decode()
try:
    d = json.loads(open(sys.argv[1]).read())
except ValueError:
    sys.exit(0)
try:
    print(eval(sys.argv[2]))
except Exception as e:
    print("error: %r" % e)' "$WORK/$1.out" "$2"
}
revision_now() { run revision get e2e-no-such-key -w json; json revision 'd["header"]["revision"]'; }
# key_lease KEY: "<value> <lease hex>" of KEY ("<value> 0" without a lease), or "none".
key_lease() {
    run key-lease get "$1" -w json
    json key-lease '"%s %x" % (b64(d["kvs"][0]["value"]), d["kvs"][0].get("lease", 0)) if d.get("kvs") else "none"'
}
# keys_of LEASE: the keys `lease timetolive --keys -w json` lists, sorted, space-separated.
keys_of() {
    run keys-of lease timetolive --keys "$1" -w json
    json keys-of '" ".join(sorted(b64(k) for k in (d.get("keys") or [])))'
}
count_prefix() { run count get --prefix "$1" --keys-only -w json; json count 'len(d.get("kvs") or [])'; }

# Background etcdctl: started directly (its PID is etcdctl's own, so a SIGKILL reaches it), every
# one ended by its PID in the cleanup trap.
# bg NAME ARGS...: output in $WORK/NAME.out, stderr in NAME.err; PID in BG.
bg() {
    local name=$1
    shift
    : >"$WORK/$name.out" # there before the first poll looks
    "$ETCDCTL" --endpoints="$EP" --dial-timeout=2s "$@" </dev/null >"$WORK/$name.out" 2>"$WORK/$name.err" &
    BG=$!
    BG_PIDS+=("$BG")
}
# bg_stamped NAME ARGS...: the same, with every output line prefixed by the microsecond it was read
# at (through a FIFO into a bash reader, so no buffering delays it); text_of strips the stamps.
bg_stamped() {
    local name=$1
    shift
    mkfifo "$WORK/$name.fifo"
    : >"$WORK/$name.out" # the reader opens it only once etcdctl opens the FIFO
    (
        while IFS= read -r line; do
            t=$EPOCHREALTIME
            printf '%s %s\n' "${t/./}" "$line"
        done
    ) <"$WORK/$name.fifo" >"$WORK/$name.out" &
    BG_PIDS+=("$!")
    "$ETCDCTL" --endpoints="$EP" --dial-timeout=2s "$@" </dev/null >"$WORK/$name.fifo" 2>"$WORK/$name.err" &
    BG=$!
    BG_PIDS+=("$BG")
}
text_of() { cut -d' ' -f2- "$WORK/$1.out"; }
lines_of() { wc -l <"$WORK/$1.out"; }
# stamp_of NAME N: the stamp of output line N.
stamp_of() { sed -n "${2}p" "$WORK/$1.out" | cut -d' ' -f1; }
alive() { kill -0 "$1" 2>/dev/null; }
# has_lines NAME N PID: the output has at least N lines, or the process ended.
has_lines() { (($(lines_of "$1") >= $2)) || ! alive "$3"; }
end_bg() { kill -TERM "$1" 2>/dev/null || true; BG_STATUS=0; wait "$1" 2>/dev/null || BG_STATUS=$?; }

# ---------------------------------------------------------------------------------------------
now_us STARTED_US
info "server $SERVER_BIN; client $ETCDCTL"
launch
poll "$READY_POLLS_MAX" alive_and_healthy || die "the server did not start (log: $WORK/server.log)"

# ---------------------------------------------------------------------------------------------
# Grant, attach, inspect, list, revoke

grant grant-a 10
A=$LEASE
verdict lease-grant "expected \"lease <16 hex digits> granted with TTL(10s)\"; got $(got grant-a)" \
    test -n "$A" -a "$GRANTED_TTL" = 10

grant grant-b 20
B=$LEASE

grant grant-min 1
verdict lease-grant-min-ttl "expected \"lease <id> granted with TTL(${MIN_TTL}s)\"; got $(got grant-min)" \
    test -n "$LEASE" -a "$GRANTED_TTL" = "$MIN_TTL"
[[ -z $LEASE ]] || run revoke-min lease revoke "$LEASE"

run put-k1 put --lease="$A" e2e/k1 v1
put_k1="$(got put-k1)"
run put-k2 put --lease="$A" e2e/k2 v2
put_k2="$(got put-k2)"
run get-leased get --prefix e2e/ -w json
leases_on_keys=$(json get-leased '" ".join("%s=%x" % (b64(kv["key"]), kv.get("lease", 0)) for kv in d.get("kvs", []))')
verdict lease-put "expected OK twice and e2e/k1=$A e2e/k2=$A; got put: $put_k1; $put_k2; keys: $leases_on_keys" \
    test "$put_k1|$put_k2|$leases_on_keys" = "exit 0, stdout: OK|, stderr: |exit 0, stdout: OK|, stderr: |e2e/k1=$A e2e/k2=$A"

ttl_line='^lease '"$A"' granted with TTL\(10s\), remaining\(([0-9]+)s\)'
run ttl-a lease timetolive "$A"
if [[ $RC == 0 && $(out_of ttl-a) =~ ${ttl_line}$ ]] && ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= 10)); then
    pass lease-timetolive
else
    fail lease-timetolive "expected \"lease $A granted with TTL(10s), remaining(<1..10>s)\"; got $(got ttl-a)"
fi
run ttl-keys-a lease timetolive --keys "$A"
ttl_keys_line=${ttl_line}', attached keys\(\[(e2e/k1 e2e/k2|e2e/k2 e2e/k1)\]\)$'
if [[ $RC == 0 && $(out_of ttl-keys-a) =~ $ttl_keys_line ]] &&
    ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= 10)); then
    pass lease-timetolive-keys
else
    fail lease-timetolive-keys "expected \"lease $A granted with TTL(10s), remaining(<1..10>s), attached keys([e2e/k1 e2e/k2])\"; got $(got ttl-keys-a)"
fi
run ttl-json-a lease timetolive --keys "$A" -w json
fields=$(json ttl-json-a '"id=%d granted-ttl=%d ttl-in-range=%s keys=%s revision=%s" % (d["id"], d["granted-ttl"], 1 <= d["ttl"] <= 10, sorted(b64(k) for k in d["keys"]), d["revision"] > 0)')
expected_fields="id=$(decimal "${A:-0}") granted-ttl=10 ttl-in-range=True keys=['e2e/k1', 'e2e/k2'] revision=True"
verdict lease-timetolive-json "expected $expected_fields; got $fields (output $(out_of ttl-json-a))" test "$fields" = "$expected_fields"

run list-1 lease list
expect list-1 lease-list 0 "found 2 leases
$A
$B" ""

keys_before=$(count_prefix e2e/)
REVOKE_FROM=$(($(revision_now) + 1))
bg watch-revoke watch --prefix --rev="$REVOKE_FROM" e2e/
WATCH_REVOKE=$BG
bg watch-revoke-json watch --prefix --rev="$REVOKE_FROM" -w json e2e/
WATCH_REVOKE_JSON=$BG
run revoke-a lease revoke "$A"
expect revoke-a lease-revoke 0 "lease $A revoked" ""
run get-revoked get --prefix e2e/
verdict lease-revoke-deletes-keys "expected 2 keys under e2e/ before the revoke, none (and no output) after; got $keys_before before, $(got get-revoked) after" \
    test "$keys_before|$(got get-revoked)" = "2|exit 0, stdout: , stderr: "
revoke_events_done() { has_lines watch-revoke 6 "$WATCH_REVOKE" && grep -q '"mod_revision"' "$WORK/watch-revoke-json.out"; }
poll "$OUTPUT_POLLS_MAX" revoke_events_done || true
expected=$'DELETE\ne2e/k1\n\nDELETE\ne2e/k2' # and a blank line, which $(...) strips
verdict lease-revoke-watch "expected $(printf '%s' "$expected" | oneline); got $(oneline <"$WORK/watch-revoke.out") stderr $(err_of watch-revoke | oneline)" \
    test "$(cat "$WORK/watch-revoke.out")" = "$expected"
end_bg "$WATCH_REVOKE"
end_bg "$WATCH_REVOKE_JSON"
# -w json prints one WatchResponse per line; gather every event.
events=$(python3 -c '
import base64, json, sys
out = []
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    for e in r.get("Events") or []:
        out.append("%s %s@%d" % ("DELETE" if e.get("type") == 1 else "PUT", base64.b64decode(e["kv"]["key"]).decode(), e["kv"].get("mod_revision", 0)))
print(", ".join(out))' "$WORK/watch-revoke-json.out")
after_revoke=$(revision_now)
verdict lease-revoke-one-revision "expected DELETE e2e/k1@$REVOKE_FROM, DELETE e2e/k2@$REVOKE_FROM and revision $REVOKE_FROM after; got $events and revision $after_revoke" \
    test "$events|$after_revoke" = "DELETE e2e/k1@$REVOKE_FROM, DELETE e2e/k2@$REVOKE_FROM|$REVOKE_FROM"

run ttl-revoked lease timetolive "$A"
expect ttl-revoked lease-timetolive-revoked 0 "lease $A already expired" ""
[[ -z $B ]] || run revoke-b lease revoke "$B"

# ---------------------------------------------------------------------------------------------
# Errors

run put-unknown put --lease="$UNKNOWN" e2eerr/k v
expect put-unknown err-put-unknown-lease 1 "" "$(retry_log NotFound "etcdserver: requested lease not found")
Error: etcdserver: requested lease not found"

run revoke-unknown lease revoke "$UNKNOWN"
expect revoke-unknown err-revoke-unknown-lease 1 "" "$(retry_log NotFound "etcdserver: requested lease not found")
Error: failed to revoke lease (etcdserver: requested lease not found)"

run ttl-unknown lease timetolive "$UNKNOWN"
ttl_unknown="$(got ttl-unknown)"
run ttl-unknown-json lease timetolive "$UNKNOWN" -w json
fields=$(json ttl-unknown-json '"id=%d ttl=%d granted-ttl=%d" % (d["id"], d["ttl"], d.get("granted-ttl", 0))')
verdict err-timetolive-unknown-lease "expected exit 0, stdout \"lease $UNKNOWN_PADDED already expired\", json id=$(decimal $UNKNOWN) ttl=-1 granted-ttl=0; got $ttl_unknown; json $fields" \
    test "$ttl_unknown|$fields" = "exit 0, stdout: lease $UNKNOWN_PADDED already expired|, stderr: |id=$(decimal $UNKNOWN) ttl=-1 granted-ttl=0"

run keepalive-once-unknown lease keep-alive --once "$UNKNOWN"
expect keepalive-once-unknown err-keepalive-once-unknown 2 "" "Error: etcdserver: requested lease not found"

run keepalive-unknown lease keep-alive "$UNKNOWN"
expect keepalive-unknown err-keepalive-unknown 0 "lease $UNKNOWN_PADDED expired or revoked." ""

run put-ignore-missing put --ignore-lease e2eerr/missing v
expect put-ignore-missing err-put-ignore-lease-no-key 1 "" "$(retry_log InvalidArgument "etcdserver: key not found")
Error: etcdserver: key not found"

# txn's stdin: compares (none), a blank line, the success ops, a blank line, the failure ops (none).
run_in txn-unknown $'\nput --lease='"$UNKNOWN"$' e2eerr/txn v\n\n\n' txn
txn_unknown="$(got txn-unknown)"
run get-txn-unknown get e2eerr/txn
verdict err-txn-unknown-lease "expected exit 1, no stdout, stderr $(retry_log NotFound "etcdserver: requested lease not found")|Error: etcdserver: requested lease not found, then e2eerr/txn absent; got $txn_unknown; get: $(got get-txn-unknown)" \
    test "$txn_unknown|$(got get-txn-unknown)" = "exit 1, stdout: , stderr: $(retry_log NotFound "etcdserver: requested lease not found")|Error: etcdserver: requested lease not found||exit 0, stdout: , stderr: "

# ---------------------------------------------------------------------------------------------
# Moving keys between leases; a lease put in a txn

grant grant-c 30
C=$LEASE
grant grant-d 30
D=$LEASE
run put-c put --lease="$C" e2emv/k v1
run put-ignore put --ignore-lease e2emv/k v2
put_ignore="$(got put-ignore)"
state="$(key_lease e2emv/k); C: $(keys_of "$C")"
verdict lease-put-ignore-lease "expected OK, then e2emv/k = v2 on $C and $C listing it; got $put_ignore; $state" \
    test "$put_ignore|$state" = "exit 0, stdout: OK|, stderr: |v2 $C; C: e2emv/k"

run put-d put --lease="$D" e2emv/k v3
put_d="$(got put-d)"
state="$(key_lease e2emv/k); C: $(keys_of "$C"); D: $(keys_of "$D")"
verdict lease-move "expected e2emv/k = v3 on $D, C listing nothing, D listing e2emv/k; got $put_d; $state" \
    test "$put_d|$state" = "exit 0, stdout: OK|, stderr: |v3 $D; C: ; D: e2emv/k"

before="$(key_lease e2emv/k)"
run put-plain put e2emv/k v4
put_plain="$(got put-plain)"
state="$(key_lease e2emv/k); D: $(keys_of "$D")"
verdict lease-put-detaches "expected e2emv/k = v3 on $D before, then OK, e2emv/k = v4 on lease 0 and D listing nothing; got $before; $put_plain; $state" \
    test -n "$D" -a "$before|$put_plain|$state" = "v3 $D|exit 0, stdout: OK|, stderr: |v4 0; D: "

run_in txn-lease $'\nput --lease='"$C"$' e2emv/t tv\n\n\n' txn -i
txn_out="$(got txn-lease)"
state="$(key_lease e2emv/t); C: $(keys_of "$C")"
expected_txn="exit 0, stdout: compares:|success requests (get, put, del):|failure requests (get, put, del):|SUCCESS||OK|, stderr: "
verdict txn-lease-put "expected $expected_txn, then e2emv/t = tv on $C; got $txn_out; $state" \
    test "$txn_out|$state" = "$expected_txn|tv $C; C: e2emv/t"
for lease in "$C" "$D"; do [[ -z $lease ]] || run revoke-cd lease revoke "$lease"; done

# ---------------------------------------------------------------------------------------------
# keep-alive --once: wait until the remaining TTL has dropped, renew, see it back up.

grant grant-once 5
ONCE=$LEASE
remaining_of() {
    run remaining lease timetolive "$1" -w json
    json remaining 'd["ttl"]'
}
remaining_dropped() { local r; r=$(remaining_of "$ONCE"); [[ $r =~ ^-?[0-9]+$ ]] && ((r <= 2)); }
before=""
[[ -z $ONCE ]] || { poll 60 remaining_dropped || true; before=$(remaining_of "$ONCE"); }
run keepalive-once lease keep-alive --once "$ONCE"
once_out="$(got keepalive-once)"
after=$(remaining_of "$ONCE")
if [[ $once_out == "exit 0, stdout: lease $ONCE keepalived with TTL(5)|, stderr: " && $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ ]] &&
    ((before <= 2 && after >= 3)); then
    pass lease-keepalive-once
else
    fail lease-keepalive-once "expected \"lease $ONCE keepalived with TTL(5)\" and the remaining TTL from <= 2 back to >= 3; got $once_out; remaining $before -> $after"
fi
[[ -z $ONCE ]] || run revoke-once lease revoke "$ONCE"

# ---------------------------------------------------------------------------------------------
# Expiry without keep-alive. etcd deletes an expired lease's keys between TTL and about TTL + 1 s
# after the grant (its lessor looks for expired leases every 500 ms, then the revoke goes through
# raft). The lower bound is strict (TTL - 50 ms from before the grant was sent: an expiry before
# TTL is a bug); the upper bound is TTL + 2 s from the grant's answer, a second more than etcd
# needs, so that a loaded machine does not flake.

now_us t_before_grant
grant grant-exp "$SHORT_TTL"
now_us t_after_grant
EXP=$LEASE
exp_rev=""
if [[ -n $EXP ]]; then
    run put-exp put --lease="$EXP" e2eexp/k v -w json
    exp_rev=$(json put-exp 'd["header"]["revision"]')
fi
if [[ $exp_rev =~ ^[0-9]+$ ]]; then
    # From the put's revision, so the watch sees the put even if it starts late, and cannot miss the delete.
    bg_stamped watch-exp watch --rev="$exp_rev" e2eexp/k
    WATCH_EXP=$BG
    deleted_seen() { grep -q ' DELETE$' "$WORK/watch-exp.out" || ! alive "$WATCH_EXP"; }
    poll_until $((t_after_grant + (SHORT_TTL + SLACK_SECONDS + 3) * 1000000)) deleted_seen || true
    poll 10 has_lines watch-exp 6 "$WATCH_EXP" || true # the DELETE's key and value lines
    end_bg "$WATCH_EXP"
    run get-exp get e2eexp/k
    get_exp="$(got get-exp)"
    run ttl-exp lease timetolive "$EXP"
    ttl_exp="$(got ttl-exp)"
    watched=$(text_of watch-exp | oneline)
    verdict lease-expiry "expected the watch to print PUT|e2eexp/k|v|DELETE|e2eexp/k||, the key gone, \"lease $EXP already expired\"; got watch $watched; get: $get_exp; timetolive: $ttl_exp" \
        test "$watched|$get_exp|$ttl_exp" = "PUT|e2eexp/k|v|DELETE|e2eexp/k|||exit 0, stdout: , stderr: |exit 0, stdout: lease $EXP already expired|, stderr: "
    t_delete=$(grep ' DELETE$' "$WORK/watch-exp.out" | head -1 | cut -d' ' -f1 || true)
    if [[ -n $t_delete ]]; then
        early=$((t_delete - t_before_grant)) late=$((t_delete - t_after_grant))
        info "expiry: DELETE seen $((early / 1000)) ms after the grant was sent, $((late / 1000)) ms after it was answered (TTL ${SHORT_TTL}s)"
        verdict lease-expiry-timing "DELETE seen $((early / 1000)) ms after the grant was sent, $((late / 1000)) ms after its answer; allowed: >= $((SHORT_TTL * 1000 - EARLY_US / 1000)) ms and <= $(((SHORT_TTL + SLACK_SECONDS) * 1000)) ms" \
            test "$early" -ge $((SHORT_TTL * 1000000 - EARLY_US)) -a "$late" -le $(((SHORT_TTL + SLACK_SECONDS) * 1000000))
    else
        fail lease-expiry-timing "no DELETE seen"
    fi
else
    fail lease-expiry "no lease or no put ($(got grant-exp))"
    fail lease-expiry-timing "no lease or no put"
fi

# ---------------------------------------------------------------------------------------------
# keep-alive: etcdctl renews every TTL/3 (1 s here) and prints every answer.

grant grant-ka "$SHORT_TTL"
KA=$LEASE
ka_put=""
[[ -z $KA ]] || { run put-ka put --lease="$KA" e2eka/k v; ka_put=$RC; }
if [[ $ka_put == 0 ]]; then
    now_us t_ka
    bg keepalive lease keep-alive "$KA"
    KEEPALIVE=$BG
    ka_line="lease $KA keepalived with TTL($SHORT_TTL)"
    # Three TTLs have passed with at least 4 renewals, or the keep-alive gave up.
    three_ttls_kept() {
        local now
        now_us now
        ! alive "$KEEPALIVE" || grep -qv -x -F "$ka_line" "$WORK/keepalive.out" ||
            { (($(wc -l <"$WORK/keepalive.out") >= 4)) && ((now - t_ka >= 3 * SHORT_TTL * 1000000)); }
    }
    poll_until $((t_ka + (3 * SHORT_TTL + 5) * 1000000)) three_ttls_kept || true
    now_us t_check
    run get-ka get e2eka/k
    renewals=$(grep -c -x -F "$ka_line" "$WORK/keepalive.out" || true)
    others=$(grep -v -x -F "$ka_line" "$WORK/keepalive.out" | oneline || true)
    info "keep-alive: $renewals renewals in $(ms_between "$t_ka" "$t_check") ms"
    verdict lease-keepalive "expected >= 4 lines \"$ka_line\" and nothing else over $((3 * SHORT_TTL)) s, then e2eka/k still there; got $renewals such lines, others: $others; after $(ms_between "$t_ka" "$t_check") ms get: $(got get-ka)" \
        test "$renewals" -ge 4 -a -z "$others" -a "$(ms_between "$t_ka" "$t_check")" -ge $((3 * SHORT_TTL * 1000)) -a "$(got get-ka)" = "exit 0, stdout: e2eka/k|v|, stderr: "

    kill -KILL "$KEEPALIVE" 2>/dev/null || true
    wait "$KEEPALIVE" 2>/dev/null || true
    now_us t_kill
    ka_gone() { run get-ka-gone get e2eka/k; [[ $RC == 0 && -z $(out_of get-ka-gone) ]]; }
    gone=0
    poll_until $((t_kill + (SHORT_TTL + SLACK_SECONDS) * 1000000)) ka_gone && gone=1
    now_us t_gone
    info "keep-alive stopped: key gone after $(ms_between "$t_kill" "$t_gone") ms"
    verdict lease-keepalive-stopped "e2eka/k still there $(ms_between "$t_kill" "$t_gone") ms after the keep-alive was killed: $(got get-ka-gone)" \
        test "$gone" = 1
else
    fail lease-keepalive "no lease or no put ($(got grant-ka))"
    fail lease-keepalive-stopped "no lease or no put"
fi

# ---------------------------------------------------------------------------------------------
# etcdctl lock: a session lease (--ttl), a key "<name>/<lease hex>" per contender; the lowest
# create revision holds the lock.

bg_stamped lock-1 lock --ttl "$SHORT_TTL" e2elock
LOCK_1=$BG
poll "$OUTPUT_POLLS_MAX" has_lines lock-1 2 "$LOCK_1" || true
holder_key=""
if [[ $(text_of lock-1) =~ ^(e2elock/([0-9a-f]+))$ && $(lines_of lock-1) == 2 ]]; then # key, blank value
    holder_key=${BASH_REMATCH[1]}
    holder_lease=${BASH_REMATCH[2]}
fi
run lock-keys get --prefix e2elock/ -w json
lock_keys=$(json lock-keys '" ".join("%s@%x" % (b64(kv["key"]), kv.get("lease", 0)) for kv in d.get("kvs", []))')
verdict lock-acquire "expected \"e2elock/<lease hex>\" and a blank line, the key on that lease; got $(text_of lock-1 | oneline) stderr $(err_of lock-1 | oneline); keys: $lock_keys" \
    test -n "$holder_key" -a "$lock_keys" = "$holder_key@${holder_lease:-}"

bg_stamped lock-2 lock --ttl "$SHORT_TTL" e2elock
LOCK_2=$BG
waiting() { [[ $(count_prefix "$1") == "$2" ]] || ! alive "$3"; }
poll "$OUTPUT_POLLS_MAX" waiting e2elock/ 2 "$LOCK_2" || true
verdict lock-waits "expected 2 keys under e2elock/ and no output from the second; got $(count_prefix e2elock/) keys, output $(text_of lock-2 | oneline) stderr $(err_of lock-2 | oneline)" \
    test "$(count_prefix e2elock/)" = 2 -a "$(lines_of lock-2)" = 0

kill -KILL "$LOCK_1" 2>/dev/null || true
wait "$LOCK_1" 2>/dev/null || true
now_us t_lock_kill
run lock-after-kill get --prefix e2elock/ --keys-only
after_kill=$(out_of lock-after-kill | grep -c -x -F "${holder_key:-none}" || true)
verdict lock-survives-disconnect "expected the killed holder's key $holder_key still there and the second still waiting; got keys $(out_of lock-after-kill | oneline), second printed $(text_of lock-2 | oneline)" \
    test -n "$holder_key" -a "$after_kill" = 1 -a "$(lines_of lock-2)" = 0
lock2_acquired() { has_lines lock-2 1 "$LOCK_2"; }
poll_until $((t_lock_kill + (SHORT_TTL + SLACK_SECONDS) * 1000000)) lock2_acquired || true
poll 10 has_lines lock-2 2 "$LOCK_2" || true
second_key=""
[[ $(text_of lock-2) =~ ^(e2elock/[0-9a-f]+)$ && $(lines_of lock-2) == 2 ]] && second_key=${BASH_REMATCH[1]}
t_second=$(stamp_of lock-2 1)
delay=$([[ -n $t_second ]] && ms_between "$t_lock_kill" "$t_second" || echo none)
in_time=0
[[ $delay =~ ^[0-9]+$ ]] && ((delay <= (SHORT_TTL + SLACK_SECONDS) * 1000)) && in_time=1
info "lock: the second acquired $delay ms after the holder was killed (session TTL ${SHORT_TTL}s)"
verdict lock-released-by-ttl "expected the second to print its own e2elock/<hex> after the kill and within $((SHORT_TTL + SLACK_SECONDS)) s; got $(text_of lock-2 | oneline) stderr $(err_of lock-2 | oneline) after $delay ms" \
    test -n "$second_key" -a "$second_key" != "$holder_key" -a "$in_time" = 1

bg lock-exec lock e2elock -- sh -c 'echo "held $ETCD_LOCK_KEY $ETCD_LOCK_REV"'
LOCK_EXEC=$BG
poll "$OUTPUT_POLLS_MAX" waiting e2elock/ 2 "$LOCK_EXEC" || true
exec_waited=$(cat "$WORK/lock-exec.out")
end_bg "$LOCK_2" # SIGTERM: etcdctl lock unlocks and exits 0
lock2_status=$BG_STATUS
poll "$OUTPUT_POLLS_MAX" has_lines lock-exec 1 "$LOCK_EXEC" || true
poll "$OUTPUT_POLLS_MAX" eval '! alive "$LOCK_EXEC"' || true
end_bg "$LOCK_EXEC"
exec_status=$BG_STATUS
exec_out=$(cat "$WORK/lock-exec.out")
run lock-left get --prefix e2elock/
if [[ -z $exec_waited && $lock2_status == 0 && $exec_status == 0 && $exec_out =~ ^held\ e2elock/[0-9a-f]+\ [0-9]+$ &&
    "$(got lock-left)" == "exit 0, stdout: , stderr: " ]]; then
    pass lock-exec
else
    fail lock-exec "expected no output while waiting, the holder's exit 0 on SIGTERM, then \"held e2elock/<hex> <revision>\", exit 0, no e2elock/ keys left; got while waiting: $(printf '%s' "$exec_waited" | oneline), holder exit $lock2_status, exec exit $exec_status, output $(printf '%s' "$exec_out" | oneline), stderr $(err_of lock-exec | oneline), keys: $(got lock-left)"
fi

# ---------------------------------------------------------------------------------------------
# etcdctl elect: like lock, but the value is the proposal and the session TTL is a fixed 60 s.

bg_stamped elect-1 elect e2eelect p1
ELECT_1=$BG
poll "$OUTPUT_POLLS_MAX" has_lines elect-1 2 "$ELECT_1" || true
leader_key="" leader_lease=""
if [[ $(text_of elect-1) =~ ^(e2eelect/([0-9a-f]+))$'\n'p1$ ]]; then
    leader_key=${BASH_REMATCH[1]} leader_lease=${BASH_REMATCH[2]}
fi
verdict elect-leader "expected \"e2eelect/<lease hex>\" then \"p1\"; got $(text_of elect-1 | oneline) stderr $(err_of elect-1 | oneline)" \
    test -n "$leader_key"

bg_stamped elect-2 elect e2eelect p2
ELECT_2=$BG
poll "$OUTPUT_POLLS_MAX" waiting e2eelect/ 2 "$ELECT_2" || true
verdict elect-waits "expected 2 keys under e2eelect/ and no output from p2; got $(count_prefix e2eelect/) keys, output $(text_of elect-2 | oneline) stderr $(err_of elect-2 | oneline)" \
    test "$(count_prefix e2eelect/)" = 2 -a "$(lines_of elect-2)" = 0

bg elect-listen elect -l e2eelect
ELECT_L=$BG
listen_has() { [[ $(grep -c . "$WORK/elect-listen.out") -ge $1 ]] || ! alive "$ELECT_L"; }
poll "$OUTPUT_POLLS_MAX" listen_has 2 || true
verdict elect-listen "expected $leader_key|p1; got $(oneline <"$WORK/elect-listen.out") stderr $(err_of elect-listen | oneline)" \
    test -n "$leader_key" -a "$(cat "$WORK/elect-listen.out")" = "$leader_key"$'\n'"p1"

kill -KILL "$ELECT_1" 2>/dev/null || true
wait "$ELECT_1" 2>/dev/null || true
run elect-after-kill get --prefix e2eelect/ --keys-only
still_there=$(out_of elect-after-kill | grep -c -x -F "${leader_key:-none}" || true)
p2_before=$(lines_of elect-2)
session_ttl=""
if [[ -n $leader_lease ]]; then
    run elect-session lease timetolive "$leader_lease"
    [[ $(out_of elect-session) =~ granted\ with\ TTL\(([0-9]+)s\) ]] && session_ttl=${BASH_REMATCH[1]}
    info "elect: the killed leader's session lease: $(out_of elect-session)"
fi
now_us t_elect_revoke
elect_revoke="not run (no leader)"
[[ -z $leader_lease ]] || { run elect-revoke lease revoke "$leader_lease"; elect_revoke="$(got elect-revoke)"; }
poll "$OUTPUT_POLLS_MAX" has_lines elect-2 2 "$ELECT_2" || true
poll "$OUTPUT_POLLS_MAX" listen_has 4 || true
new_key=""
[[ $(text_of elect-2) =~ ^(e2eelect/[0-9a-f]+)$'\n'p2$ ]] && new_key=${BASH_REMATCH[1]}
t_p2=$(stamp_of elect-2 1)
verdict elect-leader-killed "expected after the kill: the leader's key still there, p2 silent, its session lease TTL 60; after revoking that lease: p2 prints e2eelect/<hex>|p2 and the listener adds it; got key still there: $still_there, p2 lines before: $p2_before, session TTL: $session_ttl, revoke: $elect_revoke, p2: $(text_of elect-2 | oneline) (stamp ${t_p2:-none} vs revoke $t_elect_revoke), listener: $(oneline <"$WORK/elect-listen.out")" \
    test -n "$leader_key" -a "$still_there" = 1 -a "$p2_before" = 0 -a "$session_ttl" = 60 -a -n "$new_key" -a "${t_p2:-0}" -ge "$t_elect_revoke" \
    -a "$(cat "$WORK/elect-listen.out")" = "$leader_key"$'\n'"p1"$'\n'"$new_key"$'\n'"p2"

end_bg "$ELECT_2" # SIGTERM: etcdctl elect resigns and exits 0
p2_status=$BG_STATUS
end_bg "$ELECT_L"
run elect-left get --prefix e2eelect/
verdict elect-resign "expected exit 0 and no e2eelect/ keys left; got exit $p2_status, stderr $(err_of elect-2 | oneline), keys: $(got elect-left)" \
    test "$p2_status" = 0 -a "$(got elect-left)" = "exit 0, stdout: , stderr: "

# ---------------------------------------------------------------------------------------------
# Restart on the same data dir

grant grant-restart "$RESTART_TTL"
RS=$LEASE
[[ -z $RS ]] || run put-restart put --lease="$RS" e2ers/k v
stop_pid "$SERVER_PID"
SERVER_PID=""
launch
poll "$READY_POLLS_MAX" alive_and_healthy || die "the server did not restart (log: $WORK/server.log)"
if [[ -n $RS ]]; then
    run ttl-restart lease timetolive --keys "$RS"
    if [[ $RC == 0 && $(out_of ttl-restart) =~ ^lease\ $RS\ granted\ with\ TTL\(${RESTART_TTL}s\),\ remaining\(([0-9]+)s\),\ attached\ keys\(\[e2ers/k\]\)$ ]] &&
        ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= RESTART_TTL)); then
        pass restart-timetolive
    else
        fail restart-timetolive "expected \"lease $RS granted with TTL(${RESTART_TTL}s), remaining(<1..$RESTART_TTL>s), attached keys([e2ers/k])\"; got $(got ttl-restart)"
    fi
    run list-restart lease list
    listed=$(out_of list-restart | grep -c -x -F "$RS" || true)
    ids=$(out_of list-restart | grep -c -x -E '[0-9a-f]{16}' || true)
    verdict restart-list "expected \"found N leases\" with $RS among the N ids; got $(got list-restart)" \
        test "$RC" = 0 -a "$listed" = 1 -a "$(out_of list-restart | head -1)" = "found $ids leases"
    state=$(key_lease e2ers/k)
    verdict restart-key "expected e2ers/k = v on $RS; got $state" test "$state" = "v $RS"
    run revoke-restart lease revoke "$RS"
    revoke_out="$(got revoke-restart)"
    run get-restart get e2ers/k
    verdict restart-revoke "expected \"lease $RS revoked\" and e2ers/k gone; got $revoke_out; get: $(got get-restart)" \
        test "$revoke_out|$(got get-restart)" = "exit 0, stdout: lease $RS revoked|, stderr: |exit 0, stdout: , stderr: "
else
    for check in restart-timetolive restart-list restart-key restart-revoke; do fail "$check" "no lease ($(got grant-restart))"; done
fi

now_us finished_us
info "runtime $(ms_between "$STARTED_US" "$finished_us") ms"
summary
((FAILED == 0))
