#!/usr/bin/env bash
# End-to-end test of a multi-member cluster: bootstrap, membership changes, leader transfer, leader
# crash, a network partition and a linearizability check across rolling kill -9s. Members are
# started exactly as a user starts etcd (same flags), on loopback only, and driven with etcdctl.
#
#   SERVER_BIN=/usr/bin/etcd Scripts/e2e-cluster.sh   (proves the script itself: real etcd passes)
#   Scripts/e2e-cluster.sh [SERVER_BIN]               (default: .build/debug/swetcd)
#
# Topology: members m1-m3 form the cluster; m4 and m5 join and leave it. Each of m1-m3 has its
# peer listener behind Scripts/peerproxy (one process, one front per peer URL): the member listens
# on a real peer port and advertises the proxy's front (in --initial-advertise-peer-urls and in
# everyone's --initial-cluster), so the proxy can cut it off. Each of m1-m3 also listens on a
# second real peer port with a second front, for `member update`. Ports (41300-41499 is reserved
# for this script), member i in 1..5, base = 41300 + 10*i:
#   base+0 client, base+1 peer front, base+2 real peer, base+3 second front, base+4 second real
#   peer; 41399 the proxy's control port. m4 and m5 advertise their real peer port directly.
#
# Checks, in order, on one cluster (each prints PASS/FAIL):
#   1 bootstrap, put via m1 read back linearizably via m2 and m3 and serializably via each; a
#     watch opened on m3 sees a put made via m1.
#   2 `member list` names, URLs, IDs (etcd derives them from the peer URLs and the cluster token:
#     computed here the same way and compared) and cluster ID, identical from every member;
#     `endpoint status --cluster`: 3 endpoints, one leader, one term.
#   3 `move-leader` to a follower.
#   4 `member add` m4, m4 starts with --initial-cluster-state existing and catches up; `member
#     remove` m4 stops it; the list is back to 3.
#   5 `member add --learner` m5: the learner rejects puts and linearizable gets ("etcdserver: rpc
#     not supported for learner") but serves serializable gets; `member promote` (retried while the
#     learner is not in sync) makes it a voter; removed again.
#   6 `member update` moves a member's peer URL to its second front and back.
#   7 the leader is killed with SIGKILL under a write load: a new leader is elected, every
#     acknowledged write reads back, the restarted member rejoins, `endpoint hashkv` agrees on
#     every member at one revision. The time from kill to the first acknowledged write is printed.
#   8 a follower is partitioned off by the proxy: a linearizable get there fails (never a value),
#     a serializable get there does not see the majority's newer write, the majority keeps
#     writing; after healing, a linearizable get there returns the new value.
#   9 `lincheck record` over all three endpoints while one member at a time is killed and
#     restarted; the history is linearizable and the checker catches an injected stale read.
#  10 a follower is stopped while the others commit more entries than a leader keeps behind its
#     snapshot (5,000): restarted, it can only catch up from a snapshot of the leader's (sent
#     with its backend); `endpoint hashkv` then agrees on every member.
#
# Verdicts (31, always all of them unless bootstrap fails): cluster-bootstrap put-get-linearizable
# get-serializable watch-across-members member-list member-ids cluster-id endpoint-status
# move-leader member-add member-add-catches-up member-remove-stops member-remove-list learner-add
# learner-rejects-rpcs learner-serves-serializable learner-promote learner-remove-stops
# learner-remove-list member-update leader-kill-reelect leader-kill-acked-writes
# leader-kill-rejoin-hashkv partition-majority-writes partition-linearizable-get-fails
# partition-serializable-get-stale partition-heal-catches-up lincheck-recorded
# lincheck-linearizable lincheck-catches-stale snapshot-catch-up
#
# While a member is down its ports are held by a placeholder (see "Port reservations" below).
#
# Output: `PASS name` / `FAIL name (why)` per check, `# ...` lines with details (what the server
# answered, timings), then `N passed, M failed` alone on the last line. Exit status: 0 all passed,
# 1 some failed, 2 the harness could not run.
#
# Environment:
#   SERVER_BIN          the server (or the first argument; default .build/debug/swetcd)
#   CLUSTER_KEEP=1      keep the work directory; it is always kept when a check failed
#   CLUSTER_ETCDCTL     client (default /usr/bin/etcdctl)
#   CLUSTER_SEED=N      the recorder's seed in check 9 (default: from the clock; printed)
#   CLUSTER_SERVER_ARGS extra arguments for every start of every member
#   CLUSTER_PENDING     space-separated checks whose capability has not landed in the server yet
#                       (e.g. watch-across-members before Watch exists): each still runs and prints
#                       `PENDING name (why)` instead of FAIL, is not counted as passed, and turns
#                       into a failure the moment it passes (so the list cannot go stale)
set -euo pipefail
shopt -s extglob

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-${SERVER_BIN:-$REPO_ROOT/.build/debug/swetcd}}
ETCDCTL=${CLUSTER_ETCDCTL:-/usr/bin/etcdctl}
# Every member snapshots every SNAPSHOT_COUNT entries, so check 10 can outrun the 5,000 entries a
# leader keeps behind its snapshot (etcd and swetcd alike) and force a catch-up by snapshot.
readonly SNAPSHOT_COUNT=1000
read -r -a SERVER_ARGS <<<"--snapshot-count=$SNAPSHOT_COUNT ${CLUSTER_SERVER_ARGS:-}"

readonly SEED=${CLUSTER_SEED:-$(($(date +%s%N) % 1000000))}
readonly HOST=127.0.0.1
readonly TOKEN=swetcd-e2e-cluster
readonly CONTROL_ADDR=$HOST:41399
readonly MEMBERS_MAX=5
readonly HOLD_WAIT_SECONDS=70        # a client's TIME_WAIT on one of our ports lasts 60 s

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly POLL_PAUSE_MS=200           # between two polls
readonly POLL_PAUSE=$(printf '%d.%03d' $((POLL_PAUSE_MS / 1000)) $((POLL_PAUSE_MS % 1000)))
readonly POLL_SLACK_MS=5000          # a poll's time limit beyond its pauses
readonly READY_POLLS_MAX=150         # member answers `endpoint health`
readonly STOP_POLLS_MAX=75           # SIGTERM honoured before SIGKILL
readonly CONVERGE_POLLS_MAX=100      # a member catches up, a leader is elected, hashes agree
readonly EXIT_POLLS_MAX=75           # a removed member exits
readonly PROMOTE_POLLS_MAX=75        # the learner is in sync
readonly TOOL_SECONDS_MAX=20         # any one etcdctl run
readonly LOAD_WRITERS=4              # check 7's write load: writers, each ...
readonly LOAD_PUTS_MAX=500           # ...
readonly LOAD_SECONDS_MAX=40         # ... stops by itself after this many puts or seconds
readonly LOAD_ACKS_BEFORE_KILL=20    # acknowledged writes before the leader is killed ...
readonly LOAD_ACKS_AFTER_KILL=20     # ... and after it, before the load is stopped
readonly LOAD_ACK_POLLS_MAX=150
readonly RECORD_SECONDS=18           # check 9: recording length ...
readonly RECORD_CLIENTS=8
readonly RECORD_KEYS=4
readonly RECORD_PACE_SECONDS=2       # ... load before the first kill and after each restart
readonly LINCHECK_SECONDS_MAX=120    # any one lincheck run beyond the recording

KEEP_WORK=${CLUSTER_KEEP:-0}
die() { echo "e2e-cluster: $*" >&2; KEEP_WORK=1; exit 2; }

for tool in "$ETCDCTL" timeout go python3; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build; or SERVER_BIN=/usr/bin/etcd)"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-cluster.XXXXXX")
PROXY=$WORK/peerproxy
LC=$WORK/lincheck
PROXY_PID=""
LOAD_PID=""
RECORD_PID=""
WATCH_PID=""
PASSED=0
FAILED=0
PENDING_COUNT=0
SUMMARY_PRINTED=""
ABORTED_AT=""
declare -a PID=() STATE=() ICLUSTER=() ADV=() ID=()
declare -A HOLD_PID=()

summary() {
    echo "$PASSED passed, $FAILED failed, $PENDING_COUNT pending"
    SUMMARY_PRINTED=1
}

set -E
trap 'ABORTED_AT="line $LINENO: $BASH_COMMAND"' ERR

cleanup() {
    local status=$? i pid
    if [[ -z $SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status at ${ABORTED_AT:-unknown}; see $WORK)"
        summary
    fi
    # The load's writers stop at the stop file (each within one bounded put).
    [[ -z $LOAD_PID ]] || { touch "$WORK/load.stop"; wait "$LOAD_PID" 2>/dev/null || true; }
    for pid in "$RECORD_PID" "$WATCH_PID"; do
        [[ -z $pid ]] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
    done
    for ((i = 1; i <= MEMBERS_MAX; i++)); do stop_member "$i"; done
    for name in "${!HOLD_PID[@]}"; do release "$name"; done
    [[ -z $PROXY_PID ]] || { kill "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true; }
    if [[ $KEEP_WORK == 1 || $FAILED != 0 ]]; then echo "e2e-cluster: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build the tools before any server runs, so a build failure is a harness error, not a FAIL.
[[ -n ${HOME:-} || -n ${GOCACHE:-} ]] || export GOCACHE=$WORK/gocache
for tool in peerproxy lincheck; do
    (cd "$SCRIPT_DIR/$tool" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$WORK/$tool" .) >"$WORK/build-$tool.log" 2>&1 ||
        die "cannot build Scripts/$tool (needs golang-go golang-etcd-server-dev; see $WORK/build-$tool.log)"
done

is_pending() { [[ " ${CLUSTER_PENDING:-} " == *" $1 "* ]]; }
pass() {
    if is_pending "$1"; then
        echo "FAIL $1 (passes now: take it out of CLUSTER_PENDING)"; FAILED=$((FAILED + 1))
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
info() { echo "# $*"; }
# fail_all WHY NAME...: a check that could not get far enough fails all of its verdicts.
fail_all() {
    local why=$1 name
    shift
    for name in "$@"; do fail "$name" "$why"; done
}
# verdict NAME WHY-IF-FAILED COMMAND...: PASS when the command succeeds.
verdict() {
    local name=$1 why=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# poll N COMMAND...: 0 as soon as the command succeeds, 1 after N failed tries or once N pauses
# plus POLL_SLACK_MS have passed (a try that hangs until its own timeout uses up the budget).
poll() {
    local tries=$1 try deadline
    shift
    deadline=$(($(now_ms) + tries * POLL_PAUSE_MS + POLL_SLACK_MS))
    for ((try = 1; try <= tries; try++)); do
        "$@" && return 0
        (($(now_ms) < deadline)) || return 1
        sleep "$POLL_PAUSE"
    done
    return 1
}
# One line of output, for messages.
oneline() { tr '\n' ' ' | sed 's/  */ /g; s/ $//' | head -c 600; }
# answer: what etcdctl answered, without the client library's JSON log lines (its last "Error:"
# line when there is one).
answer() {
    local text
    text=$(cat)
    if grep -q '^Error: ' <<<"$text"; then grep '^Error: ' <<<"$text" | tail -1; else grep -v '^{"level":' <<<"$text" | oneline; fi
}

# ctl ARGS...: etcdctl with bounded dial and command times (ARGS may override them).
ctl() { timeout -k 1 "$TOOL_SECONDS_MAX" "$ETCDCTL" --dial-timeout=2s --command-timeout=5s "$@" </dev/null; }
# py CODE [ARGS...]: runs python with the JSON document on stdin as `d`.
py() { python3 -c "import sys, json
d = json.load(sys.stdin)
$1" "${@:2}"; }

# ---------------------------------------------------------------------------------------------
# Members

base() { echo $((41300 + 10 * $1)); }
client_addr() { echo "$HOST:$(base "$1")"; }
front_url() { echo "http://$HOST:$(($(base "$1") + 1))"; }
second_front_url() { echo "http://$HOST:$(($(base "$1") + 3))"; }
# The first three members, whose peer ports are behind the proxy.
ALL_EPS="$(client_addr 1),$(client_addr 2),$(client_addr 3)"
for ((i = 1; i <= 3; i++)); do ADV[i]=$(front_url "$i"); done
for ((i = 4; i <= MEMBERS_MAX; i++)); do ADV[i]="http://$HOST:$(($(base "$i") + 2))"; done
INITIAL_CLUSTER="m1=${ADV[1]},m2=${ADV[2]},m3=${ADV[3]}"

# Port reservations. Our ports lie inside Linux's ephemeral range (32768-60999), and every client
# connection from 127.0.0.1 takes an ephemeral source port, which a client-side TIME_WAIT then
# keeps for 60 s: a member restarted after some seconds down (check 7) could find its port taken
# ("bind: address already in use"). So while a member is down its ports are held by a placeholder
# that binds them without listening (connections are refused, as with no process at all; the
# kernel never hands out a bound port as an ephemeral one). Taking them first waits out any
# TIME_WAIT (bounded), so leftovers of an earlier run are not a failure either.
cat >"$WORK/hold.py" <<'EOF'
import signal, socket, sys, time
wait, host, ports = float(sys.argv[1]), sys.argv[2], [int(p) for p in sys.argv[3:]]
deadline, held = time.time() + wait, []
for port in ports:
    while True:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
            held.append(s)
            break
        except OSError as e:
            s.close()
            if time.time() > deadline:
                print("busy %d: %s" % (port, e), flush=True)
                sys.exit(1)
            time.sleep(0.2)
print("held", flush=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
signal.pause()
EOF
# hold NAME PORT...: the ports are bound by a placeholder until `release NAME`.
hold() {
    local name=$1
    shift
    python3 "$WORK/hold.py" "$HOLD_WAIT_SECONDS" "$HOST" "$@" >"$WORK/hold-$name.txt" 2>&1 &
    HOLD_PID[$name]=$!
}
# holding NAME: waits until the placeholder holds its ports; a harness error if it cannot.
hold_done() { grep -q -e '^held' -e '^busy' "$WORK/hold-$1.txt" || ! kill -0 "${HOLD_PID[$1]}" 2>/dev/null; }
holding() {
    poll $((HOLD_WAIT_SECONDS * 1000 / POLL_PAUSE_MS)) hold_done "$1" || true
    grep -q '^held' "$WORK/hold-$1.txt" ||
        die "cannot reserve the ports of $1: $(cat "$WORK/hold-$1.txt") $(ss -tanp 2>/dev/null | grep -F ":41[34]" | head -5 | tr '\n' ';')"
}
release() {
    [[ -n ${HOLD_PID[$1]:-} ]] || return 0
    kill "${HOLD_PID[$1]}" 2>/dev/null || true
    wait "${HOLD_PID[$1]}" 2>/dev/null || true
    HOLD_PID[$1]=""
}
member_ports() {
    local b
    b=$(base "$1")
    if (($1 <= 3)); then echo "$b $((b + 2)) $((b + 4))"; else echo "$b $((b + 2))"; fi
}

# launch I: starts member mI in the background from STATE[I] and ICLUSTER[I]. A restart uses the
# same command line, as a service manager would.
launch() {
    local i=$1 b client peers
    b=$(base "$i")
    release "m$i"
    client="http://$(client_addr "$i")"
    peers="http://$HOST:$((b + 2))"
    ((i > 3)) || peers="$peers,http://$HOST:$((b + 4))"
    "$SERVER_BIN" --name "m$i" --data-dir "$WORK/m$i.data" \
        --listen-client-urls "$client" --advertise-client-urls "$client" \
        --listen-peer-urls "$peers" --initial-advertise-peer-urls "${ADV[i]}" \
        --initial-cluster "${ICLUSTER[i]}" --initial-cluster-token "$TOKEN" \
        --initial-cluster-state "${STATE[i]}" "${SERVER_ARGS[@]}" \
        </dev/null >>"$WORK/m$i.log" 2>&1 &
    PID[i]=$!
    echo "=== started pid ${PID[i]} at $(date +%T.%N)" >>"$WORK/m$i.log"
}

alive() { [[ -n ${PID[$1]:-} ]] && kill -0 "${PID[$1]}" 2>/dev/null; }
healthy() { ctl --endpoints="$(client_addr "$1")" --command-timeout=2s endpoint health >/dev/null 2>&1; }
alive_and_healthy() { alive "$1" && healthy "$1"; }
wait_healthy() { poll "$READY_POLLS_MAX" alive_and_healthy "$1"; }

stop_member() {
    local i=$1
    [[ -n ${PID[i]:-} ]] || return 0
    kill -TERM "${PID[i]}" 2>/dev/null || true
    poll "$STOP_POLLS_MAX" eval "! kill -0 ${PID[i]} 2>/dev/null" || true
    kill -KILL "${PID[i]}" 2>/dev/null || true
    wait "${PID[i]}" 2>/dev/null || true
    PID[i]=""
}

crash_member() {
    local i=$1
    [[ -n ${PID[i]:-} ]] || return 0
    kill -KILL "${PID[i]}" 2>/dev/null || true
    wait "${PID[i]}" 2>/dev/null || true
    PID[i]=""
}

# index_of HEX-ID: the member number with that ID, or nothing.
index_of() {
    local i
    for ((i = 1; i <= MEMBERS_MAX; i++)); do [[ ${ID[i]:-} != "$1" ]] || { echo "$i"; return 0; }; done
}

# status_summary ENDPOINTS: prints "LEADER TERM ANSWERS LEADERS" from `endpoint status`: the leader
# every answering endpoint names (or "split"), their raft term (or "split"), how many answered and
# how many of them say they are the leader.
status_summary() {
    ctl --endpoints="$1" --command-timeout=2s endpoint status -w json 2>/dev/null | py '
leaders = {s["Status"]["leader"] for s in d}
terms = {s["Status"]["raftTerm"] for s in d}
own = sum(1 for s in d if s["Status"]["header"]["member_id"] == s["Status"]["leader"])
print("%s %s %d %d" % ("%x" % leaders.pop() if len(leaders) == 1 else "split",
                       terms.pop() if len(terms) == 1 else "split", len(d), own))' 2>/dev/null || true
}

# leader_among ENDPOINTS COUNT: prints the leader's member number if COUNT endpoints answer and
# agree on one leader that is among them; 1 otherwise.
leader_among() {
    local summary leader term answers own i
    summary=$(status_summary "$1")
    read -r leader term answers own <<<"${summary:-x x 0 0}"
    [[ $answers == "$2" && $own == 1 && $leader != split ]] || return 1
    i=$(index_of "$leader")
    [[ -n $i ]] || return 1
    echo "$i"
}

# The proxy: fronts for m1-m3's advertised and second peer URLs.
proxy_ctl() { timeout -k 1 5 python3 -c "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen('http://$CONTROL_ADDR' + sys.argv[1], timeout=3).read().decode())" "$1"; }
start_proxy() {
    local args=() i b
    release proxy
    for ((i = 1; i <= 3; i++)); do
        b=$(base "$i")
        args+=(-front "$HOST:$((b + 1))=$HOST:$((b + 2))" -front "$HOST:$((b + 3))=$HOST:$((b + 4))")
    done
    "$PROXY" -control "$CONTROL_ADDR" "${args[@]}" >"$WORK/proxy.log" 2>&1 &
    PROXY_PID=$!
    proxy_ready() { grep -q '^peerproxy ready' "$WORK/proxy.log" || ! kill -0 "$PROXY_PID" 2>/dev/null; }
    poll 50 proxy_ready || true
    grep -q '^peerproxy ready' "$WORK/proxy.log" || die "the peer proxy did not start: $(cat "$WORK/proxy.log")"
}
# isolate I: cuts member mI off from every other member: both of its fronts drop everything, and
# every front drops connections mI opened.
isolate() {
    local b
    b=$(base "$1")
    proxy_ctl "/block?front=$HOST:$((b + 1))" >/dev/null &&
        proxy_ctl "/block?front=$HOST:$((b + 3))" >/dev/null &&
        proxy_ctl "/block?from=${ID[$1]}" >/dev/null
}
heal() { proxy_ctl /heal >/dev/null; }

# ---------------------------------------------------------------------------------------------
# 1. Bootstrap, reads and a watch across members

info "server $SERVER_BIN; work directory $WORK"
proxy_ports="${CONTROL_ADDR##*:}"
for ((i = 1; i <= 3; i++)); do proxy_ports="$proxy_ports $(($(base "$i") + 1)) $(($(base "$i") + 3))"; done
# shellcheck disable=SC2086
hold proxy $proxy_ports
# shellcheck disable=SC2046
for ((i = 1; i <= MEMBERS_MAX; i++)); do hold "m$i" $(member_ports "$i"); done
for name in proxy m1 m2 m3 m4 m5; do holding "$name"; done
start_proxy
for ((i = 1; i <= 3; i++)); do
    STATE[i]=new
    ICLUSTER[i]=$INITIAL_CLUSTER
    launch "$i"
done
bootstrapped=1
for ((i = 1; i <= 3; i++)); do wait_healthy "$i" || bootstrapped=0; done
if ((bootstrapped == 0)); then
    fail cluster-bootstrap "not every member became healthy (logs: $WORK/m*.log)"
    summary
    exit 1
fi
pass cluster-bootstrap

# Member IDs (hex, as etcd prints them) from m1's member list.
members_json=$(ctl --endpoints="$(client_addr 1)" member list -w json 2>"$WORK/err.txt" || true)
for ((i = 1; i <= 3; i++)); do
    ID[i]=$(py "print(''.join('%x' % m['ID'] for m in d['members'] if m.get('name') == 'm$i'))" <<<"$members_json" 2>/dev/null || true)
    if [[ -z ${ID[i]} ]]; then
        fail member-list "member list via m1 has no m$i (the rest needs the IDs): $members_json $(answer <"$WORK/err.txt")"
        summary
        exit 1
    fi
done
info "member IDs: m1 ${ID[1]}, m2 ${ID[2]}, m3 ${ID[3]}"

out=$(ctl --endpoints="$(client_addr 1)" put c1/key v1 2>&1) || true
ok=1
why=""
[[ $out == OK ]] || { ok=0; why="put via m1 answered: $(oneline <<<"$out")"; }
for i in 2 3; do
    got=$(ctl --endpoints="$(client_addr "$i")" get c1/key --print-value-only 2>&1) || true
    [[ $got == v1 ]] || { ok=0; why="$why; linearizable get via m$i answered: $(oneline <<<"$got")"; }
done
if ((ok)); then pass put-get-linearizable; else fail put-get-linearizable "$why"; fi

# A serializable get may run ahead of the apply on a follower for a moment; poll, bounded.
serializable_is() { [[ $(ctl --endpoints="$(client_addr "$1")" get "$2" --consistency=s --print-value-only 2>/dev/null) == "$3" ]]; }
ok=1
for i in 1 2 3; do poll "$CONVERGE_POLLS_MAX" serializable_is "$i" c1/key v1 || ok=0; done
verdict get-serializable "a serializable get did not return v1 on every member" test $ok = 1

rev=$(ctl --endpoints="$(client_addr 1)" get c1/key -w json 2>/dev/null | py 'print(d["header"]["revision"])' 2>/dev/null || echo 0)
# Run directly under timeout (not in a subshell), so killing WATCH_PID ends etcdctl too.
timeout -k 1 "$TOOL_SECONDS_MAX" "$ETCDCTL" --endpoints="$(client_addr 3)" watch c1/watched --rev=$((rev + 1)) </dev/null >"$WORK/watch.txt" 2>&1 &
WATCH_PID=$!
watch_out=$(ctl --endpoints="$(client_addr 1)" put c1/watched seen-on-m3 2>&1) || true
watch_saw() { grep -qx seen-on-m3 "$WORK/watch.txt"; }
if poll "$CONVERGE_POLLS_MAX" watch_saw; then
    pass watch-across-members
else
    fail watch-across-members "watch on m3 from revision $((rev + 1)) printed: $(oneline <"$WORK/watch.txt"); put via m1: $watch_out"
fi
kill "$WATCH_PID" 2>/dev/null || true
wait "$WATCH_PID" 2>/dev/null || true
WATCH_PID=""

# ---------------------------------------------------------------------------------------------
# 2. Member list, IDs, endpoint status

# expected_ids: "ID1 ID2 ID3 CLUSTER-ID" in hex, derived as etcd derives them: a member's ID is
# the first 8 bytes (big-endian) of SHA-1 over its sorted peer URLs concatenated with the cluster
# token; the cluster ID the same over the sorted member IDs as 8-byte big-endian numbers.
expected_ids() {
    python3 - "$TOKEN" "${ADV[1]}" "${ADV[2]}" "${ADV[3]}" <<'EOF'
import hashlib, struct, sys
token, urls = sys.argv[1], sys.argv[2:]
ids = [struct.unpack(">Q", hashlib.sha1((u + token).encode()).digest()[:8])[0] for u in urls]
cid = struct.unpack(">Q", hashlib.sha1(b"".join(struct.pack(">Q", i) for i in sorted(ids))).digest()[:8])[0]
print(" ".join("%x" % i for i in ids + [cid]))
EOF
}
read -r want1 want2 want3 want_cluster <<<"$(expected_ids)"

# member_view I: "CLUSTER-ID|name=id,started,peer,client;..." as member I answers, sorted by name.
member_view() {
    ctl --endpoints="$(client_addr "$1")" member list -w json 2>/dev/null | py '
rows = sorted("%s=%x,%s,%s,%s,%s" % (m.get("name", ""), m["ID"], "started" if m.get("clientURLs") else "unstarted",
              " ".join(m.get("peerURLs", [])), " ".join(m.get("clientURLs", [])), "learner" if m.get("isLearner") else "voter")
              for m in d["members"])
print("%x|%s" % (d["header"]["cluster_id"], ";".join(rows)))' 2>/dev/null || true
}
view=()
for i in 1 2 3; do view[i]=$(member_view "$i"); done
want_rows="m1=$want1,started,${ADV[1]},http://$(client_addr 1),voter;m2=$want2,started,${ADV[2]},http://$(client_addr 2),voter;m3=$want3,started,${ADV[3]},http://$(client_addr 3),voter"
info "member list via m1: ${view[1]}"
rows_of() { echo "${1#*|}"; }
cluster_of() { echo "${1%%|*}"; }
ok=1
for i in 1 2 3; do
    names=$(rows_of "${view[i]}" | tr ';' '\n' | sed 's/=[^,]*,/,/' | tr '\n' ';')
    want_names=$(tr ';' '\n' <<<"$want_rows" | sed 's/=[^,]*,/,/' | tr '\n' ';')
    [[ $names == "$want_names" ]] || ok=0
done
verdict member-list "want 3 started voters $want_rows (IDs aside); got: m1 ${view[1]} / m2 ${view[2]} / m3 ${view[3]}" test $ok = 1
ok=1
for i in 1 2 3; do [[ $(rows_of "${view[i]}") == "$want_rows" ]] || ok=0; done
verdict member-ids "IDs differ from etcd's derivation from peer URLs + token (want m1 $want1, m2 $want2, m3 $want3) or between members: ${view[*]}" test $ok = 1
ok=1
for i in 1 2 3; do [[ $(cluster_of "${view[i]}") == "$want_cluster" ]] || ok=0; done
verdict cluster-id "want $want_cluster from every member; got $(cluster_of "${view[1]}") $(cluster_of "${view[2]}") $(cluster_of "${view[3]}")" test $ok = 1

status_cluster() {
    ctl --endpoints="$(client_addr 1)" endpoint status --cluster -w json 2>/dev/null | py '
eps = sorted(s["Endpoint"] for s in d)
leaders = {s["Status"]["leader"] for s in d}
own = sum(1 for s in d if s["Status"]["header"]["member_id"] == s["Status"]["leader"])
terms = {s["Status"]["raftTerm"] for s in d}
print("%s leaders=%d self-leaders=%d terms=%s" % (",".join(eps), len(leaders), own, ",".join(map(str, sorted(terms)))))' 2>/dev/null || true
}
want_status="http://$(client_addr 1),http://$(client_addr 2),http://$(client_addr 3) leaders=1 self-leaders=1 terms="
# Right after bootstrap a member may not have heard of the first leader yet: poll, bounded.
status_ok() { got_status=$(status_cluster); [[ $got_status == "$want_status"+([0-9]) ]]; }
if poll "$CONVERGE_POLLS_MAX" status_ok; then
    pass endpoint-status
else
    fail endpoint-status "want '$want_status<one term>'; got '$got_status'; etcdctl: $(ctl --endpoints="$(client_addr 1)" endpoint status --cluster 2>&1 | grep -v '^{"level":' | oneline)"
fi
info "endpoint status --cluster: $got_status"

# ---------------------------------------------------------------------------------------------
# 3. move-leader

leader=$(poll "$CONVERGE_POLLS_MAX" leader_among "$ALL_EPS" 3 || true)
if [[ -z $leader ]]; then
    fail move-leader "no agreed leader among m1-m3: $(status_summary "$ALL_EPS")"
else
    target=$((leader % 3 + 1))
    out=$(ctl --endpoints="$(client_addr "$leader")" move-leader "${ID[target]}" 2>&1) || true
    info "move-leader m$leader -> m$target: $(answer <<<"$out")"
    leader_is() { [[ $(leader_among "$ALL_EPS" 3) == "$1" ]]; }
    if poll "$CONVERGE_POLLS_MAX" leader_is "$target"; then
        pass move-leader
    else
        fail move-leader "m$target did not become leader; status: $(status_summary "$ALL_EPS"); etcdctl: $(oneline <<<"$out")"
    fi
fi

# ---------------------------------------------------------------------------------------------
# 4. member add / join / remove

# member_count: "TOTAL STARTED LEARNERS" from the member list (via m1-m3).
member_count() {
    ctl --endpoints="$ALL_EPS" member list -w json 2>/dev/null | py '
ms = d["members"]
print(len(ms), sum(1 for m in ms if m.get("clientURLs")), sum(1 for m in ms if m.get("isLearner")))' 2>/dev/null || true
}
# id_from_add OUTPUT: the new member's hex ID from `member add`'s "Member <id> added to cluster".
id_from_add() { sed -n 's/^Member  *\([0-9a-f]*\) added to cluster.*/\1/p' <<<"$1" | head -1; }
cluster_from_add() { sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p' <<<"$1" | head -1; }
count_is() { [[ $(member_count) == "$1" ]]; }
exited() { ! alive "$1"; }

# join I NAME [--learner]: `member add` then start; sets ADD_OUT; 1 on failure (with why in ADD_WHY).
join() {
    local i=$1
    shift
    # etcd refuses (--strict-reconfig-check) until every started member has been connected to
    # the leader for a while: retry that answer, bounded.
    add() {
        ADD_OUT=$(ctl --endpoints="$ALL_EPS" member add "m$i" --peer-urls="${ADV[i]}" "$@" 2>&1) && return 0
        ! grep -q 'unhealthy cluster' <<<"$ADD_OUT" || ADD_REFUSALS=$((ADD_REFUSALS + 1))
        ! grep -q 'unhealthy cluster' <<<"$ADD_OUT"
    }
    ADD_REFUSALS=0
    poll "$CONVERGE_POLLS_MAX" add "$@" || true
    ((ADD_REFUSALS == 0)) || info "member add m$i was refused $ADD_REFUSALS times with 'etcdserver: unhealthy cluster' first"
    ID[i]=$(id_from_add "$ADD_OUT")
    ICLUSTER[i]=$(cluster_from_add "$ADD_OUT")
    STATE[i]=existing
    if [[ -z ${ID[i]} || -z ${ICLUSTER[i]} ]]; then
        ADD_WHY="member add answered: $(answer <<<"$ADD_OUT")"
        return 1
    fi
    info "member add m$i $*: ID ${ID[i]}, ETCD_INITIAL_CLUSTER=${ICLUSTER[i]}"
    launch "$i"
}

# leave I NAME: `member remove`, then the member must exit (or at least stop serving) and the
# list be back to three; verdicts NAME-stops and NAME-list.
leave() {
    local i=$1 name=$2 out
    out=$(ctl --endpoints="$ALL_EPS" member remove "${ID[i]}" 2>&1) || true
    info "member remove m$i: $(answer <<<"$out")"
    if poll "$EXIT_POLLS_MAX" exited "$i"; then
        wait "${PID[i]}" 2>/dev/null && status=0 || status=$?
        PID[i]=""
        pass "$name-stops"
        info "m$i exited with status $status; it said: $(grep -m1 'permanently removed' "$WORK/m$i.log" | oneline)"
    elif ! healthy "$i"; then
        pass "$name-stops"
        info "m$i still runs but no longer serves (etcd exits)"
    else
        fail "$name-stops" "m$i still runs and answers endpoint health after its removal"
    fi
    stop_member "$i"
    if poll "$CONVERGE_POLLS_MAX" count_is "3 3 0"; then
        pass "$name-list"
    else
        fail "$name-list" "member list is not back to 3 started voters: $(member_count) (total started learners)"
    fi
}

m4_keys_ok() { [[ $(ctl --endpoints="$(client_addr 4)" get c4/ --prefix --consistency=s --print-value-only 2>/dev/null | tr '\n' ' ') == "a b c " ]]; }
for k in a b c; do ctl --endpoints="$ALL_EPS" put "c4/$k" "$k" >/dev/null 2>&1 || true; done
if join 4; then
    pass member-add
    if poll "$READY_POLLS_MAX" m4_keys_ok; then
        pass member-add-catches-up
    else
        fail member-add-catches-up "m4 did not serve the keys written before it joined; serializable get answered: $(ctl --endpoints="$(client_addr 4)" get c4/ --prefix --consistency=s 2>&1 | oneline)"
    fi
    poll "$CONVERGE_POLLS_MAX" count_is "4 4 0" || info "member list did not show m4 started: $(member_count)"
    leave 4 member-remove
else
    fail_all "$ADD_WHY" member-add member-add-catches-up member-remove-stops member-remove-list
fi

# ---------------------------------------------------------------------------------------------
# 5. A learner

learner_listed() { [[ $(member_count) == "4 4 1" ]]; }
m5_serializable() { serializable_is 5 c5/key before-learner; }
ctl --endpoints="$ALL_EPS" put c5/key before-learner >/dev/null 2>&1 || true
if join 5 --learner; then
    if poll "$READY_POLLS_MAX" learner_listed; then pass learner-add; else fail learner-add "member list: $(member_count) (want 4 total, 4 started, 1 learner)"; fi
    # What a learner answers (etcd 3.4: only Status and serializable Range are served).
    put_out=$(ctl --endpoints="$(client_addr 5)" --command-timeout=3s put c5/key via-learner 2>&1) && put_status=0 || put_status=$?
    get_out=$(ctl --endpoints="$(client_addr 5)" --command-timeout=3s get c5/key 2>&1) && get_status=0 || get_status=$?
    info "learner put answered (exit $put_status): $(answer <<<"$put_out")"
    info "learner linearizable get answered (exit $get_status): $(answer <<<"$get_out")"
    if ((put_status != 0 && get_status != 0)) && grep -q 'rpc not supported for learner' <<<"$put_out" &&
        grep -q 'rpc not supported for learner' <<<"$get_out"; then
        pass learner-rejects-rpcs
    else
        fail learner-rejects-rpcs "want both to fail with 'etcdserver: rpc not supported for learner'"
    fi
    if poll "$READY_POLLS_MAX" m5_serializable; then
        pass learner-serves-serializable
    else
        fail learner-serves-serializable "serializable get on the learner: $(ctl --endpoints="$(client_addr 5)" get c5/key --consistency=s 2>&1 | oneline)"
    fi
    promote_out=""
    promote() {
        promote_out=$(ctl --endpoints="$ALL_EPS" member promote "${ID[5]}" 2>&1) && return 0
        promote_refusals+=$(answer <<<"$promote_out")$'\n'
        return 1
    }
    promote_refusals=""
    voter_listed() { [[ $(member_count) == "4 4 0" ]]; }
    if poll "$PROMOTE_POLLS_MAX" promote && poll "$CONVERGE_POLLS_MAX" voter_listed; then
        pass learner-promote
    else
        fail learner-promote "member promote: $(oneline <<<"$promote_out"); member list $(member_count)"
    fi
    info "member promote: $(answer <<<"$promote_out"); refused before: $(grep . <<<"$promote_refusals" | sort | uniq -c | oneline)"
    leave 5 learner-remove
else
    fail_all "$ADD_WHY" learner-add learner-rejects-rpcs learner-serves-serializable learner-promote learner-remove-stops learner-remove-list
fi

# ---------------------------------------------------------------------------------------------
# 6. member update

# peer_urls_of I: member I's peer URLs as the cluster lists them.
peer_urls_of() {
    ctl --endpoints="$ALL_EPS" member list -w json 2>/dev/null | py "
print(' '.join(' '.join(m.get('peerURLs', [])) for m in d['members'] if '%x' % m['ID'] == '${ID[$1]}'))" 2>/dev/null || true
}
peer_urls_are() { [[ $(peer_urls_of "$1") == "$2" ]]; }
upd=3
out=$(ctl --endpoints="$ALL_EPS" member update "${ID[upd]}" --peer-urls="$(second_front_url "$upd")" 2>&1) || true
info "member update m$upd to $(second_front_url "$upd"): $(oneline <<<"$out")"
moved=0
poll "$CONVERGE_POLLS_MAX" peer_urls_are "$upd" "$(second_front_url "$upd")" && moved=1
# The cluster still works with the new URL: a write through m3 reads back through m1.
works_out=$(ctl --endpoints="$(client_addr "$upd")" put c6/key after-update 2>&1) || true
works=0
[[ $works_out == OK && $(ctl --endpoints="$(client_addr 1)" get c6/key --print-value-only 2>/dev/null) == after-update ]] && works=1
out=$(ctl --endpoints="$ALL_EPS" member update "${ID[upd]}" --peer-urls="${ADV[upd]}" 2>&1) || true
back=0
poll "$CONVERGE_POLLS_MAX" peer_urls_are "$upd" "${ADV[upd]}" && back=1
if ((moved && works && back)); then
    pass member-update
else
    fail member-update "moved $moved (listed: $(peer_urls_of "$upd")), cluster works $works ($works_out), moved back $back"
fi

# ---------------------------------------------------------------------------------------------
# 7. kill -9 the leader under a write load

# load_loop WRITER OUT STOP: numbered puts over all endpoints, one etcdctl each, until the stop
# file appears or LOAD_PUTS_MAX / LOAD_SECONDS_MAX; one line per put: "ack|err KEY START_MS
# END_MS" (lines are short, so the writers' appends do not interleave).
load_loop() {
    local w=$1 out=$2 stop=$3 n start deadline
    deadline=$(($(now_ms) + LOAD_SECONDS_MAX * 1000))
    for ((n = 1; n <= LOAD_PUTS_MAX; n++)); do
        [[ ! -e $stop ]] && (($(now_ms) < deadline)) || break
        start=$(now_ms)
        if ctl --endpoints="$ALL_EPS" --command-timeout=2s put "c7/$w-$n" "v$w-$n" >/dev/null 2>&1; then
            echo "ack c7/$w-$n $start $(now_ms)" >>"$out"
        else
            echo "err c7/$w-$n $start $(now_ms)" >>"$out"
        fi
    done
}
# load: LOAD_WRITERS loops at once, so one put stuck on the killed member does not stop the load.
load() {
    local w
    for ((w = 1; w <= LOAD_WRITERS; w++)); do load_loop "$w" "$@" & done
    wait
}
acks_since() { awk -v t="$1" '$1 == "ack" && $4 > t' "$WORK/load.txt" | wc -l; }
acks_at_least() { (($(acks_since "$1") >= $2)); }

leader=$(poll "$CONVERGE_POLLS_MAX" leader_among "$ALL_EPS" 3 || true)
if [[ -z $leader ]]; then
    fail_all "no agreed leader before the kill: $(status_summary "$ALL_EPS")" leader-kill-reelect leader-kill-acked-writes leader-kill-rejoin-hashkv
else
    : >"$WORK/load.txt"
    rm -f "$WORK/load.stop"
    load "$WORK/load.txt" "$WORK/load.stop" &
    LOAD_PID=$!
    poll "$LOAD_ACK_POLLS_MAX" acks_at_least 0 "$LOAD_ACKS_BEFORE_KILL" || true
    kill_ms=$(now_ms)
    crash_member "$leader"
    # shellcheck disable=SC2046
    hold "m$leader" $(member_ports "$leader")
    info "killed leader m$leader (kill -9) after $(acks_since 0) acknowledged puts"
    survivors=""
    for ((i = 1; i <= 3; i++)); do ((i == leader)) || survivors="$survivors${survivors:+,}$(client_addr "$i")"; done
    new_leader=$(poll "$CONVERGE_POLLS_MAX" leader_among "$survivors" 2 || true)
    elected_ms=$(now_ms)
    if [[ -n $new_leader ]]; then
        pass leader-kill-reelect
        info "m$new_leader leads; $((elected_ms - kill_ms)) ms from the kill until seen elected"
    else
        fail leader-kill-reelect "survivors agree on no leader: $(status_summary "$survivors")"
    fi
    poll "$LOAD_ACK_POLLS_MAX" acks_at_least "$kill_ms" "$LOAD_ACKS_AFTER_KILL" || true
    touch "$WORK/load.stop"
    wait "$LOAD_PID" || true
    LOAD_PID=""
    # Puts started after the kill: nothing commits until a new leader is elected.
    first=$(awk -v t="$kill_ms" '$1 == "ack" && $3 >= t { d = $4 - t; if (min == "" || d < min) min = d } END { print min }' "$WORK/load.txt")
    info "load: $(grep -c '^ack' "$WORK/load.txt") acknowledged, $(grep -c '^err' "$WORK/load.txt") failed puts; first acknowledged write ${first:-never} ms after the kill"
    # Every acknowledged put reads back (linearizably, via the survivors).
    ctl --endpoints="$survivors" get c7/ --prefix -w json >"$WORK/c7.json" 2>"$WORK/c7.err" || true
    missing=$(py '
import base64
have = {base64.b64decode(kv["key"]).decode(): base64.b64decode(kv["value"]).decode() for kv in d.get("kvs", [])}
acked = [l.split()[1] for l in open(sys.argv[1]) if l.startswith("ack ")]
bad = [k for k in acked if have.get(k) != "v" + k.split("/")[1]]
print(len(acked), " ".join(bad[:10]) if bad else "")' "$WORK/load.txt" <"$WORK/c7.json" 2>&1 || echo "0 unreadable: $(cat "$WORK/c7.err")")
    read -r acked missing_keys <<<"$missing"
    if ((acked >= LOAD_ACKS_BEFORE_KILL)) && [[ -z $missing_keys ]]; then
        pass leader-kill-acked-writes
    else
        fail leader-kill-acked-writes "$acked acknowledged; missing or wrong: ${missing_keys:-none}"
    fi
    # The killed member restarts from its data dir and converges.
    launch "$leader"
    rejoined=0
    wait_healthy "$leader" && rejoined=1
    hashkv_line() {
        hashkv=$(ctl --endpoints="$ALL_EPS" endpoint hashkv -w json 2>/dev/null | py '
print(len(d), " ".join(sorted("%d:%d" % (e["HashKV"]["header"]["revision"], e["HashKV"]["hash"]) for e in d)))' 2>/dev/null || true)
        read -r n a b c <<<"${hashkv:-0}"
        [[ $n == 3 && $a == "$b" && $b == "$c" ]]
    }
    if ((rejoined)) && poll "$CONVERGE_POLLS_MAX" hashkv_line; then
        pass leader-kill-rejoin-hashkv
        info "hashkv (revision:hash) on m1-m3: $hashkv"
    else
        fail leader-kill-rejoin-hashkv "restarted m$leader healthy: $rejoined; hashkv (revision:hash): ${hashkv:-none}"
    fi
fi

# ---------------------------------------------------------------------------------------------
# 8. A partitioned follower

leader=$(poll "$CONVERGE_POLLS_MAX" leader_among "$ALL_EPS" 3 || true)
if [[ -z $leader ]]; then
    fail_all "no agreed leader before the partition: $(status_summary "$ALL_EPS")" partition-linearizable-get-fails \
        partition-serializable-get-stale partition-majority-writes partition-heal-catches-up
else
    iso=$((leader % 3 + 1))
    majority=""
    for ((i = 1; i <= 3; i++)); do ((i == iso)) || majority="$majority${majority:+,}$(client_addr "$i")"; done
    ctl --endpoints="$ALL_EPS" put c8/key old >/dev/null 2>&1 || true
    poll "$CONVERGE_POLLS_MAX" serializable_is "$iso" c8/key old || info "m$iso did not have c8/key=old before the partition"
    isolate "$iso" || info "the proxy refused to isolate m$iso: $(proxy_ctl /status 2>&1 | oneline)"
    info "isolated follower m$iso (leader m$leader): $(proxy_ctl /status | oneline)"
    writes=0
    for n in 1 2 3 4 5; do
        [[ $(ctl --endpoints="$majority" put "c8/more$n" "$n" 2>&1) == OK ]] && writes=$((writes + 1))
    done
    new_out=$(ctl --endpoints="$majority" put c8/key new 2>&1) || true
    [[ $new_out == OK ]] && writes=$((writes + 1))
    verdict partition-majority-writes "only $writes of 6 puts via the majority succeeded (last: $(oneline <<<"$new_out"))" test $writes = 6
    lin_out=$(ctl --endpoints="$(client_addr "$iso")" --command-timeout=3s get c8/key 2>&1) && lin_status=0 || lin_status=$?
    info "linearizable get on the isolated member answered (exit $lin_status): $(answer <<<"$lin_out")"
    if ((lin_status != 0)) && ! grep -qx -e new -e old <<<"$lin_out"; then
        pass partition-linearizable-get-fails
    else
        fail partition-linearizable-get-fails "want an error, never a value"
    fi
    ser_out=$(ctl --endpoints="$(client_addr "$iso")" --command-timeout=3s get c8/key --consistency=s --print-value-only 2>&1) && ser_status=0 || ser_status=$?
    info "serializable get on the isolated member answered (exit $ser_status): $(answer <<<"$ser_out")"
    verdict partition-serializable-get-stale "the isolated member returned the majority's newer value" eval '! grep -qx new <<<"$ser_out"'
    heal
    heal_ms=$(now_ms)
    linearizable_is() { [[ $(ctl --endpoints="$(client_addr "$1")" --command-timeout=2s get "$2" --print-value-only 2>/dev/null) == "$3" ]]; }
    if poll "$CONVERGE_POLLS_MAX" linearizable_is "$iso" c8/key new; then
        pass partition-heal-catches-up
        info "m$iso answered the new value linearizably $(($(now_ms) - heal_ms)) ms after healing"
    else
        fail partition-heal-catches-up "m$iso after healing: $(ctl --endpoints="$(client_addr "$iso")" get c8/key 2>&1 | oneline)"
    fi
fi

# ---------------------------------------------------------------------------------------------
# 9. Linearizability across rolling kill -9s

all_healthy() { alive_and_healthy 1 && alive_and_healthy 2 && alive_and_healthy 3; }
poll "$READY_POLLS_MAX" all_healthy || info "not every member was healthy before the recording"
HISTORY=$WORK/history.jsonl
: >"$WORK/record.txt"
timeout -k 2 $((RECORD_SECONDS + LINCHECK_SECONDS_MAX)) "$LC" record -endpoints "$ALL_EPS" \
    -clients "$RECORD_CLIENTS" -keys "$RECORD_KEYS" -seconds "$RECORD_SECONDS" -seed "$SEED" -out "$HISTORY" \
    >"$WORK/record.txt" 2>"$WORK/record.err" &
RECORD_PID=$!
record_started() { grep -q '^record started' "$WORK/record.txt" || ! kill -0 "$RECORD_PID" 2>/dev/null; }
poll 50 record_started || true
grep -q '^record started' "$WORK/record.txt" || die "the recorder did not start: $(cat "$WORK/record.err")"
record_t0=$(now_ms)
kills=""
restarted_all=1
for round in 1 2; do
    sleep "$RECORD_PACE_SECONDS"
    # Round 1 kills the leader, round 2 a follower.
    leader=$(leader_among "$ALL_EPS" 3 || true)
    [[ -n $leader ]] || leader=1
    if ((round == 1)); then
        victim=$leader
    else
        for c in 3 2 1; do ((c == leader || c == victim)) || next=$c; done
        victim=$next
    fi
    kill -0 "$RECORD_PID" 2>/dev/null || break
    crash_member "$victim"
    kills="$kills m$victim@$(($(now_ms) - record_t0))ms"
    launch "$victim"
    wait_healthy "$victim" || restarted_all=0
    kills="$kills(healthy@$(($(now_ms) - record_t0))ms)"
done
recording_after=0
sleep "$RECORD_PACE_SECONDS"
kill -0 "$RECORD_PID" 2>/dev/null && recording_after=1
record_status=0
wait "$RECORD_PID" || record_status=$?
RECORD_PID=""
info "seed $SEED; kills:$kills; $(grep '^recorded' "$WORK/record.txt" || echo 'no summary')"
if ((record_status != 0)); then
    fail lincheck-recorded "the recorder exited with status $record_status: $(head -c 1000 "$WORK/record.err")"
elif [[ $(wc -w <<<"$kills") != 2 || $recording_after == 0 ]]; then
    fail lincheck-recorded "the recording did not span both kills and restarts (kills:$kills)"
elif ((restarted_all == 0)); then
    fail lincheck-recorded "a killed member did not come back (logs: $WORK/m*.log)"
else
    pass lincheck-recorded
fi
check_status=0
timeout -k 2 "$LINCHECK_SECONDS_MAX" "$LC" check "$HISTORY" >"$WORK/check.txt" 2>&1 || check_status=$?
info "check: $(tail -1 "$WORK/check.txt")"
case $check_status in
    0) pass lincheck-linearizable ;;
    1) fail lincheck-linearizable "$(head -c 3000 "$WORK/check.txt")" ;;
    *) fail lincheck-linearizable "checker exit status $check_status: $(head -c 1000 "$WORK/check.txt")" ;;
esac
if timeout -k 2 "$LINCHECK_SECONDS_MAX" "$LC" mutate -stale -in "$HISTORY" -out "$WORK/stale.jsonl" -seed "$SEED" >"$WORK/mutate.txt" 2>&1; then
    stale_status=0
    timeout -k 2 "$LINCHECK_SECONDS_MAX" "$LC" check "$WORK/stale.jsonl" >"$WORK/check-stale.txt" 2>&1 || stale_status=$?
    verdict lincheck-catches-stale "the checker's exit status on a history with a stale read was $stale_status, not 1" test "$stale_status" = 1
else
    fail lincheck-catches-stale "could not inject a stale read: $(cat "$WORK/mutate.txt")"
fi

# ---------------------------------------------------------------------------------------------
# 10. A member away for longer than the leader keeps its log catches up from a snapshot

readonly CATCHUP_ENTRIES=5600          # past the 5,000 entries kept behind a snapshot
readonly CATCHUP_ROUNDS_MAX=12         # load rounds of CATCHUP_ROUND_SECONDS at most
readonly CATCHUP_ROUND_SECONDS=5
hashkv_line() {
    hashkv=$(ctl --endpoints="$ALL_EPS" endpoint hashkv -w json 2>/dev/null | py '
print(len(d), " ".join(sorted("%d:%d" % (e["HashKV"]["header"]["revision"], e["HashKV"]["hash"]) for e in d)))' 2>/dev/null || true)
    read -r n a b c <<<"${hashkv:-0}"
    [[ $n == 3 && $a == "$b" && $b == "$c" ]]
}
raft_index_of() {
    ctl --endpoints="$(client_addr "$1")" --command-timeout=2s endpoint status -w json 2>/dev/null |
        py 'print(d[0]["Status"]["raftIndex"])' 2>/dev/null || echo 0
}
poll "$READY_POLLS_MAX" all_healthy || info "not every member was healthy before check 10"
leader=$(poll "$CONVERGE_POLLS_MAX" leader_among "$ALL_EPS" 3 || true)
if [[ -z $leader ]]; then
    fail snapshot-catch-up "no agreed leader before stopping a follower: $(status_summary "$ALL_EPS")"
else
    away=$((leader % 3 + 1))
    stayed=""
    for ((i = 1; i <= 3; i++)); do ((i == away)) || stayed="$stayed${stayed:+,}$(client_addr "$i")"; done
    start_index=$(raft_index_of "$leader")
    crash_member "$away"
    # shellcheck disable=SC2046
    hold "m$away" $(member_ports "$away")
    rounds=0
    while (($(raft_index_of "$leader") < start_index + CATCHUP_ENTRIES && rounds < CATCHUP_ROUNDS_MAX)); do
        timeout -k 2 $((CATCHUP_ROUND_SECONDS + 20)) "$LC" record -endpoints "$stayed" -clients 64 -keys 256 \
            -seconds "$CATCHUP_ROUND_SECONDS" -seed "$((SEED + rounds))" -prefix "c10/$rounds/" \
            -out "$WORK/catchup-$rounds.jsonl" >/dev/null 2>&1 || true
        rounds=$((rounds + 1))
    done
    advanced=$(($(raft_index_of "$leader") - start_index))
    info "m$away was away for $advanced raft entries ($rounds load rounds)"
    launch "$away"
    back=0
    wait_healthy "$away" && back=1
    if ((advanced >= CATCHUP_ENTRIES && back)) && poll "$CONVERGE_POLLS_MAX" hashkv_line; then
        pass snapshot-catch-up
        info "hashkv (revision:hash) on m1-m3: $hashkv; m$away's log mentions a snapshot $(grep -ci 'snapshot' "$WORK/m$away.log") times"
    else
        fail snapshot-catch-up "advanced $advanced entries (want $CATCHUP_ENTRIES), restarted m$away healthy: $back; hashkv: ${hashkv:-none}"
    fi
fi

for ((i = 1; i <= MEMBERS_MAX; i++)); do stop_member "$i"; done
summary
((FAILED == 0))
