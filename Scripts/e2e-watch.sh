#!/usr/bin/env bash
# End-to-end test of Watch: the real etcdctl against one member, then Scripts/watchcheck (etcd's
# own client library over raw Watch streams) against one member and against a 3-member cluster
# whose leader is killed mid-run.
#
#   Scripts/e2e-watch.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-watch.sh /usr/bin/etcd    (proves the script itself: real etcd must pass)
#
# Checks (each prints PASS/FAIL; every verdict is on what the client printed, every wait is a
# bounded poll for an expected line, `timeout` is only a safety net):
#   transcript-core           `watchcheck transcript` on a fresh member (started with
#                             --max-request-bytes 4096 --experimental-watch-progress-notify-interval 1s):
#                             a fixed conversation on one raw Watch stream (history replay in one
#                             response, start 0, filters, client-chosen and duplicate watch_id, empty
#                             range, future start, live events, progress request, cancel, cancel of
#                             an unknown ID, compacted start, start at the compaction revision),
#                             printed with relative revisions and compared byte for byte with the
#                             output etcd 3.4.23 gives (embedded below)
#   transcript-fragment       same, fragment=true: a history and a single-revision delete over
#                             etcd's limit (--max-request-bytes + 512 KiB) come in fragments
#   transcript-progress-notify same, progress_notify=true: an idle watcher gets a progress response
#   ctl-watch-rev-prefix      `etcdctl watch --rev=R --prefix` replays a known history: puts, a
#                             delete, a re-create and a prefix delete (two events, one revision)
#   ctl-watch-prev-kv         the same with --prev-kv
#   ctl-watch-live            `etcdctl watch --rev=<next> --prefix` running before the writes sees them
#   ctl-watch-compacted       after `compact`, a watch from below it prints etcd's cancel
#                             ("watch was canceled (etcdserver: mvcc: required revision has been
#                             compacted)") and exits 5 with "Error: watch is canceled by the server"
#   ctl-watch-compact-rev     a watch from the compaction revision itself: etcd 3.4 shows the put
#                             at it but not the tombstone at it
#   ctl-watch-interactive     `etcdctl watch -i` fed "watch KEY --prefix --rev=R", then "progress"
#                             (prints "progress notify: <current revision>"), then a live put
#   watchcheck-single         `watchcheck run` against the member: exit 0
#   watchcheck-catches-drop   the same record with one received event dropped: exit 1
#   watchcheck-catches-dup    ... with one received event delivered twice: exit 1
#   watchcheck-heavy          `watchcheck run` with 4x the watchers, 600-byte values (a txn stays under
#                             --max-request-bytes 4096), twice as long
#                             (WATCH_HEAVY=0 skips)
#   watch-victims             `watchcheck victims` on a fresh member (43340/43341): 40 raw streams x 50
#                             watchers on one prefix; 20 streams stop reading while 4 writers put
#                             WATCH_VICTIMS_WRITES (default 500) 1 KiB values (~25 MB missed per stalled
#                             stream, far over a server's per-stream queue); every put acknowledged,
#                             server VmRSS growth under 300 MiB at the writes' end and at its peak
#                             while the streams catch up, every watcher (reading ones, then the resumed
#                             stalled ones) has every put exactly once in revision order; exit 0
#                             (WATCH_VICTIMS=0 skips)
#   cluster-bootstrap         3 members, one leader (skipped with WATCH_CLUSTER=0)
#   watchcheck-cluster        `watchcheck run` over the followers and the leader (watch streams
#                             spread over all three), the leader is killed (SIGKILL) midway and
#                             restarted; watchers whose stream broke re-create at their last
#                             revision + 1 on the next member; exit 0
#   cluster-leader-restarted  the killed leader came back healthy
#   watchcheck-snapshot-install every watcher on one follower, writes through the other two; the
#                             follower is frozen (SIGSTOP) until the leader is 7,500 entries on
#                             (past the 5,000 it keeps behind a snapshot; members run with
#                             --snapshot-count 1000), then thawed: it must install the leader's
#                             snapshot (its log says so) under the open streams, and watchcheck
#                             must pass: nothing older than what a watcher already had, no gap
#
# Ports: 127.0.0.1:43300-43399 only. Single member 43300 (client) 43301 (peer); cluster member i
# (1..3) 43300+10i (client), 43301+10i (peer).
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status:
# 0 all passed, 1 some failed, 2 the harness could not run.
#
# Environment:
#   WATCH_SEED=N          watchcheck seed (default: from the clock; printed)
#   WATCH_SECONDS=S       watchcheck load length (default 6)
#   WATCH_WATCHERS=N      watchers (default 24); WATCH_WRITES=N (default 3000); WATCH_KEYS=N (default 8)
#   WATCH_COMPACT_EVERY=C (default 300)
#   WATCH_SLOW_STREAMS=N  watch streams whose reader pauses now and then, so the server must hold
#                         events back (default 0: etcd 3.4.23 itself then fails now and then: a
#                         watcher whose compaction cancel finds its channel full is fed events
#                         instead, etcd-io/etcd#17555, fixed after 3.4.23)
#   WATCH_VALUE_BYTES=N   pad every put's value by N bytes (default 0)
#   WATCH_CLUSTER=0       skip the cluster part
#   WATCH_SERVER_ARGS     extra arguments for every server start
#   WATCH_KEEP=1          keep the work directory; it is always kept when a check failed
#   WATCH_PENDING         space-separated checks whose capability has not landed in the server yet
#                         (e.g. "transcript-fragment transcript-progress-notify"): each still runs and
#                         prints `PENDING name (why)` instead of FAIL, is not counted as passed, and
#                         turns into a failure the moment it passes (so the list cannot go stale)
#   WATCH_ETCDCTL         client (default /usr/bin/etcdctl)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-${SERVER_BIN:-$REPO_ROOT/.build/debug/swetcd}}
ETCDCTL=${WATCH_ETCDCTL:-/usr/bin/etcdctl}
read -r -a SERVER_ARGS <<<"${WATCH_SERVER_ARGS:-}"

readonly SEED=${WATCH_SEED:-$(($(date +%s%N) % 1000000))}
readonly LOAD_SECONDS=${WATCH_SECONDS:-6}
readonly WATCHERS=${WATCH_WATCHERS:-24}
readonly WRITES=${WATCH_WRITES:-3000}
readonly KEYS=${WATCH_KEYS:-8}
readonly COMPACT_EVERY=${WATCH_COMPACT_EVERY:-300}
readonly SLOW_STREAMS=${WATCH_SLOW_STREAMS:-0}
readonly VALUE_BYTES=${WATCH_VALUE_BYTES:-0}
readonly HOST=127.0.0.1
readonly TOKEN=swetcd-e2e-watch
readonly FRAGMENT_BYTES=4096

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly READY_POLLS_MAX=300     # x 0.1 s: a server answers `endpoint health`
readonly STOP_POLLS_MAX=150      # x 0.1 s: SIGTERM honoured before SIGKILL
readonly OUTPUT_POLLS_MAX=100    # x 0.1 s: etcdctl printed what is expected
readonly LEADER_POLLS_MAX=100    # x 0.1 s: the cluster agrees on a leader
readonly TOOL_SECONDS_MAX=120    # any one watchcheck run beyond its load
readonly CTL_SECONDS_MAX=30      # safety net for one background etcdctl
readonly CLUSTER_SNAPSHOT_COUNT=1000
# The leader snapshots every 1,000 entries and keeps 5,000 behind its last snapshot: a follower
# that missed 7,500 has surely fallen off the log (6,000 was not always enough).
readonly SNAPSHOT_CATCHUP_ENTRIES=7500
readonly SNAPSHOT_WRITES=11000         # the load goes on after the thaw
readonly SNAPSHOT_LOAD_SECONDS_MAX=90
readonly SNAPSHOT_POLLS_MAX=900        # x 0.1 s: the leader moves SNAPSHOT_CATCHUP_ENTRIES on

die() { echo "e2e-watch: $*" >&2; exit 2; }

for tool in "$ETCDCTL" timeout go python3; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
[[ $LOAD_SECONDS =~ ^[0-9]+$ ]] && ((LOAD_SECONDS >= 2)) || die "WATCH_SECONDS must be an integer >= 2"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-e2e-watch.XXXXXX")
WC=$WORK/watchcheck
declare -A PID=()
BG_PIDS=()
PASSED=0
FAILED=0
PENDING_COUNT=0
SUMMARY_PRINTED=""

summary() {
    echo "$PASSED passed, $FAILED failed, $PENDING_COUNT pending"
    SUMMARY_PRINTED=1
}

stop_pid() {
    local pid=$1 try
    kill -TERM "$pid" 2>/dev/null || return 0
    kill -CONT "$pid" 2>/dev/null || true # a frozen member must see the TERM
    for ((try = 1; try <= STOP_POLLS_MAX; try++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$? pid name
    if [[ -z $SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status; see $WORK)"
        summary
    fi
    for pid in "${BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    for name in "${!PID[@]}"; do stop_pid "${PID[$name]}"; done
    if [[ ${WATCH_KEEP:-0} == 1 || $FAILED != 0 ]]; then echo "e2e-watch: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build the tool before any server runs, so a build failure is a harness error, not a FAIL.
[[ -n ${HOME:-} || -n ${GOCACHE:-} ]] || export GOCACHE=$WORK/gocache
(cd "$SCRIPT_DIR/watchcheck" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$WC" .) >"$WORK/build.log" 2>&1 ||
    die "cannot build Scripts/watchcheck (needs golang-go golang-etcd-server-dev; see $WORK/build.log)"

is_pending() { [[ " ${WATCH_PENDING:-} " == *" $1 "* ]]; }
pass() {
    if is_pending "$1"; then
        echo "FAIL $1 (passes now: take it out of WATCH_PENDING)"; FAILED=$((FAILED + 1))
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
oneline() { tr '\n' '|' | head -c 1500; }

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

port_is_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
client_port() { echo $((43300 + 10 * $1)); }
peer_url() { echo "http://$HOST:$((43301 + 10 * $1))"; }
client_addr() { echo "$HOST:$(client_port "$1")"; }
ctl() { timeout -k 1 20 "$ETCDCTL" --dial-timeout=2s --command-timeout=5s "$@" </dev/null; }
healthy() { ctl --endpoints="$(client_addr "$1")" endpoint health >/dev/null 2>&1; }
alive_and_healthy() { kill -0 "${PID[$1]}" 2>/dev/null && healthy "$1"; }

# launch I NAME INITIAL_CLUSTER [ARGS...]: member I (0 = the single member) on its ports and data dir.
launch() {
    local i=$1 name=$2 initial=$3 port
    shift 3
    for port in "$(client_port "$i")" $(($(client_port "$i") + 1)); do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --name "$name" --data-dir "$WORK/data-$i" \
        --listen-client-urls "http://$(client_addr "$i")" --advertise-client-urls "http://$(client_addr "$i")" \
        --listen-peer-urls "$(peer_url "$i")" --initial-advertise-peer-urls "$(peer_url "$i")" \
        --initial-cluster "$initial" --initial-cluster-token "$TOKEN" --initial-cluster-state new "$@" "${SERVER_ARGS[@]}" \
        </dev/null >>"$WORK/server-$i.log" 2>&1 &
    PID[$i]=$!
}

# output_is FILE EXPECTED: the file's content is exactly EXPECTED (a trailing newline aside).
output_is() { [[ $(cat "$1") == "$(printf '%s' "$2")" ]]; }
# wait_output FILE EXPECTED: bounded wait until FILE holds EXPECTED, or holds more bytes than it.
output_done() { output_is "$1" "$2" || (($(wc -c <"$1") > ${#2} + 2)); }
wait_output() { poll "$OUTPUT_POLLS_MAX" output_done "$1" "$2" || true; }

# bg_ctl OUT ERR ARGS...: etcdctl in the background (safety-net timeout), pid in BG.
bg_ctl() {
    local out=$1 err=$2
    shift 2
    timeout -k 1 "$CTL_SECONDS_MAX" "$ETCDCTL" --dial-timeout=2s "$@" </dev/null >"$out" 2>"$err" &
    BG=$!
    BG_PIDS+=("$BG")
}
end_bg() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# verdict_output NAME FILE EXPECTED: PASS if FILE is EXPECTED, else FAIL with both.
verdict_output() {
    if output_is "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "expected: $(printf '%s' "$3" | oneline) got: $(oneline <"$2") stderr: $(oneline <"$2.err" 2>/dev/null)"
    fi
}

revision_of() { python3 -c 'import sys, json; print(json.load(sys.stdin)["header"]["revision"])'; }

info "server $SERVER_BIN; seed $SEED (WATCH_SEED=$SEED repeats the watchcheck choices)"

# ---------------------------------------------------------------------------------------------
# One member: etcdctl

# Fragments (etcd's limit: --max-request-bytes + 512 KiB) and progress notifications (every
# interval) are reachable in seconds only with these two flags.
SINGLE_ARGS=(--max-request-bytes "$FRAGMENT_BYTES" --experimental-watch-progress-notify-interval 1s)
launch 0 default "default=$(peer_url 0)" "${SINGLE_ARGS[@]}"
poll "$READY_POLLS_MAX" alive_and_healthy 0 || die "the server did not start (log: $WORK/server-0.log)"
EP=$(client_addr 0)
c() { ctl --endpoints="$EP" "$@"; }

# The transcript etcd 3.4.23 gives (`watchcheck transcript`, fresh member started as below).
transcript_core() { cat <<'EOF'
put a=1 (+1)
put b=2 (+2)
txn: put a=3, delete b, put c=4 (+3)
delete a (+4)
create prefix "" from +1 with prev_kv (history in one response)
  id=0 header=+4 created
  id=0 header=+4
    PUT a="1" create=+1 mod=+1 ver=1 lease=0
    PUT b="2" create=+2 mod=+2 ver=1 lease=0
    PUT a="3" create=+1 mod=+3 ver=2 lease=0 prev: a="1" create=+1 mod=+1 ver=1 lease=0
    DELETE b="" create=0 mod=+3 ver=0 lease=0 prev: b="2" create=+2 mod=+2 ver=1 lease=0
    PUT c="4" create=+3 mod=+3 ver=1 lease=0
    DELETE a="" create=0 mod=+4 ver=0 lease=0 prev: a="3" create=+1 mod=+3 ver=2 lease=0
create key c from now
  id=1 header=+4 created
create range [a, c) from +2, NOPUT
  id=2 header=+4 created
  id=2 header=+4
    DELETE b="" create=0 mod=+3 ver=0 lease=0
    DELETE a="" create=0 mod=+4 ver=0 lease=0
create from-key b from +3 with watch_id 7, NODELETE
  id=7 header=+4 created
  id=7 header=+4
    PUT c="4" create=+3 mod=+3 ver=1 lease=0
create with watch_id 7 again (duplicate)
  id=-1 header=+4 created canceled reason="mvcc: duplicate watch ID provided on the WatchStream"
create with an empty range [c, a)
  id=-1 header=+4 created canceled reason="mvcc: watcher range is empty"
create key c from a future revision +6
  id=3 header=+4 created
put c=5 (+5): prefix, key c, from-key see it
  id=0 header=+5
    PUT c="5" create=+3 mod=+5 ver=2 lease=0 prev: c="4" create=+3 mod=+3 ver=1 lease=0
  id=1 header=+5
    PUT c="5" create=+3 mod=+5 ver=2 lease=0
  id=7 header=+5
    PUT c="5" create=+3 mod=+5 ver=2 lease=0
txn: put b=6, delete c (+6): prefix, key c, from-key (put only), future +6
  id=0 header=+6
    PUT b="6" create=+6 mod=+6 ver=1 lease=0
    DELETE c="" create=0 mod=+6 ver=0 lease=0 prev: c="5" create=+3 mod=+5 ver=2 lease=0
  id=1 header=+6
    DELETE c="" create=0 mod=+6 ver=0 lease=0
  id=3 header=+6
    DELETE c="" create=0 mod=+6 ver=0 lease=0
  id=7 header=+6
    PUT b="6" create=+6 mod=+6 ver=1 lease=0
progress request
  id=-1 header=+6
cancel watch 1 (key c)
  id=1 header=+6 canceled
cancel watch 42 (does not exist), then a progress request
  id=-1 header=+6
compact at +5 (error: <nil>)
create prefix from +4 (below the compaction)
  id=4 header=+6 created
  id=4 header=0 canceled compact_revision=+5
create prefix from +5 (the compaction revision) with prev_kv
  id=5 header=+6 created
  id=5 header=+6
    PUT c="5" create=+3 mod=+5 ver=2 lease=0
    PUT b="6" create=+6 mod=+6 ver=1 lease=0
    DELETE c="" create=0 mod=+6 ver=0 lease=0 prev: c="5" create=+3 mod=+5 ver=2 lease=0
progress request
  id=-1 header=+6
EOF
}
transcript_fragment() { cat <<'EOF'
new stream
put f/0000 .. f/0344, 3072 bytes each (+7 .. +351; twice the fragment limit in all)
create prefix f/ from +7 with fragment (history over the limit: fragments)
  id=0 header=+351 created
  id=0 header=+351 fragment events=170 (first and last shown)
    PUT f/0000="a x 3072" create=+7 mod=+7 ver=1 lease=0
    PUT f/0169="n x 3072" create=+176 mod=+176 ver=1 lease=0
  id=0 header=+351 fragment events=170 (first and last shown)
    PUT f/0170="o x 3072" create=+177 mod=+177 ver=1 lease=0
    PUT f/0339="b x 3072" create=+346 mod=+346 ver=1 lease=0
  id=0 header=+351
    PUT f/0340="c x 3072" create=+347 mod=+347 ver=1 lease=0
    PUT f/0341="d x 3072" create=+348 mod=+348 ver=1 lease=0
    PUT f/0342="e x 3072" create=+349 mod=+349 ver=1 lease=0
    PUT f/0343="f x 3072" create=+350 mod=+350 ver=1 lease=0
    PUT f/0344="g x 3072" create=+351 mod=+351 ver=1 lease=0
create prefix f/ from now with fragment and prev_kv
  id=1 header=+351 created
delete prefix f/ (+352): one revision, over the limit with prev_kv: fragments for the second watch only
  id=0 header=+352 events=345 (first and last shown)
    DELETE f/0000="" create=0 mod=+352 ver=0 lease=0
    DELETE f/0344="" create=0 mod=+352 ver=0 lease=0
  id=1 header=+352 fragment events=169 (first and last shown)
    DELETE f/0000="" create=0 mod=+352 ver=0 lease=0 prev: f/0000="a x 3072" create=+7 mod=+7 ver=1 lease=0
    DELETE f/0168="" create=0 mod=+352 ver=0 lease=0 prev: f/0168="m x 3072" create=+175 mod=+175 ver=1 lease=0
  id=1 header=+352 fragment events=169 (first and last shown)
    DELETE f/0169="" create=0 mod=+352 ver=0 lease=0 prev: f/0169="n x 3072" create=+176 mod=+176 ver=1 lease=0
    DELETE f/0337="" create=0 mod=+352 ver=0 lease=0 prev: f/0337="z x 3072" create=+344 mod=+344 ver=1 lease=0
  id=1 header=+352
    DELETE f/0338="" create=0 mod=+352 ver=0 lease=0 prev: f/0338="a x 3072" create=+345 mod=+345 ver=1 lease=0
    DELETE f/0339="" create=0 mod=+352 ver=0 lease=0 prev: f/0339="b x 3072" create=+346 mod=+346 ver=1 lease=0
    DELETE f/0340="" create=0 mod=+352 ver=0 lease=0 prev: f/0340="c x 3072" create=+347 mod=+347 ver=1 lease=0
    DELETE f/0341="" create=0 mod=+352 ver=0 lease=0 prev: f/0341="d x 3072" create=+348 mod=+348 ver=1 lease=0
    DELETE f/0342="" create=0 mod=+352 ver=0 lease=0 prev: f/0342="e x 3072" create=+349 mod=+349 ver=1 lease=0
    DELETE f/0343="" create=0 mod=+352 ver=0 lease=0 prev: f/0343="f x 3072" create=+350 mod=+350 ver=1 lease=0
    DELETE f/0344="" create=0 mod=+352 ver=0 lease=0 prev: f/0344="g x 3072" create=+351 mod=+351 ver=1 lease=0
create prefix f/ from +7 without fragment (one response over the limit)
  id=2 header=+352 created
  id=2 header=+352 events=690 (first and last shown)
    PUT f/0000="a x 3072" create=+7 mod=+7 ver=1 lease=0
    DELETE f/0344="" create=0 mod=+352 ver=0 lease=0
cancel watches 0, 1, 2
  id=0 header=+352 canceled
  id=1 header=+352 canceled
  id=2 header=+352 canceled
EOF
}
transcript_progress() { cat <<'EOF'
create key p with progress_notify (idle: a progress notification comes)
  id=9 header=+352 created
  id=9 header=+352
cancel it
  id=9 header=+352 canceled
close
  (stream still open)
EOF
}

# ---------------------------------------------------------------------------------------------
# One member, fresh: the fixed Watch conversation, compared with etcd 3.4.23's byte for byte.
# (Fresh, because fragment boundaries depend on the encoded size of the revisions.)

timeout -k 2 "$TOOL_SECONDS_MAX" "$WC" transcript -endpoint "$EP" -prefix t/ -fragment-bytes "$FRAGMENT_BYTES" -progress-notify \
    >"$WORK/transcript.txt" 2>&1 || true
section() { awk -v from="$2" -v to="$3" '$0 == from { on = 1 } $0 == to { on = 0 } on' "$1"; }
transcript_verdict() {
    local name=$1 from=$2 to=$3 want=$4
    section "$WORK/transcript.txt" "$from" "$to" >"$WORK/$name.txt"
    if [[ $(cat "$WORK/$name.txt") == "$want" ]]; then
        pass "$name"
    else
        fail "$name" "differs from etcd 3.4.23; diff (< etcd, > server):
$(diff <(printf '%s\n' "$want") "$WORK/$name.txt" | head -40)"
    fi
}
transcript_verdict transcript-core "put a=1 (+1)" "new stream" "$(transcript_core)"
transcript_verdict transcript-fragment "new stream" "create key p with progress_notify (idle: a progress notification comes)" "$(transcript_fragment)"
transcript_verdict transcript-progress-notify "create key p with progress_notify (idle: a progress notification comes)" "(end)" "$(transcript_progress)"

R1=$(c put e2e/a 1 -w json | revision_of)
c put e2e/b 2 >/dev/null
c del e2e/a >/dev/null
c put e2e/a 3 >/dev/null
RLAST=$(c del --prefix e2e/ -w json | revision_of)
info "history under e2e/: revisions $R1..$RLAST"

expected=$'PUT\ne2e/a\n1\nPUT\ne2e/b\n2\nDELETE\ne2e/a\n\nPUT\ne2e/a\n3\nDELETE\ne2e/a\n\nDELETE\ne2e/b\n'
bg_ctl "$WORK/rev.out" "$WORK/rev.out.err" --endpoints="$EP" watch --rev="$R1" --prefix e2e/
wait_output "$WORK/rev.out" "$expected"
end_bg "$BG"
verdict_output ctl-watch-rev-prefix "$WORK/rev.out" "$expected"

expected=$'PUT\ne2e/a\n1\nPUT\ne2e/b\n2\nDELETE\ne2e/a\n1\ne2e/a\n\nPUT\ne2e/a\n3\nDELETE\ne2e/a\n3\ne2e/a\n\nDELETE\ne2e/b\n2\ne2e/b\n'
bg_ctl "$WORK/prev.out" "$WORK/prev.out.err" --endpoints="$EP" watch --rev="$R1" --prefix --prev-kv e2e/
wait_output "$WORK/prev.out" "$expected"
end_bg "$BG"
verdict_output ctl-watch-prev-kv "$WORK/prev.out" "$expected"

NEXT=$(($(c get e2e/none -w json | revision_of) + 1))
bg_ctl "$WORK/live.out" "$WORK/live.out.err" --endpoints="$EP" watch --rev="$NEXT" --prefix --prev-kv e2elive/
c put e2elive/x one >/dev/null
c put e2elive/x two >/dev/null
c del e2elive/x >/dev/null
expected=$'PUT\ne2elive/x\none\nPUT\ne2elive/x\none\ne2elive/x\ntwo\nDELETE\ne2elive/x\ntwo\ne2elive/x\n'
wait_output "$WORK/live.out" "$expected"
end_bg "$BG"
verdict_output ctl-watch-live "$WORK/live.out" "$expected"

# Compact at the re-create of e2e/a (R1+3): from below it the watch is cancelled; from it, the
# put at R1+3 survives and so does the prefix delete after it.
c compact $((R1 + 3)) >/dev/null
status=0
timeout -k 1 "$CTL_SECONDS_MAX" "$ETCDCTL" --endpoints="$EP" --dial-timeout=2s watch --rev="$R1" --prefix e2e/ </dev/null \
    >"$WORK/compacted.out" 2>"$WORK/compacted.err" || status=$?
expected_err=$'watch was canceled (etcdserver: mvcc: required revision has been compacted)\nError: watch is canceled by the server'
if [[ $status == 5 && -z $(cat "$WORK/compacted.out") && $(cat "$WORK/compacted.err") == "$expected_err" ]]; then
    pass ctl-watch-compacted
else
    fail ctl-watch-compacted "expected exit 5, no output, stderr $(printf '%s' "$expected_err" | oneline); got exit $status, output $(oneline <"$WORK/compacted.out"), stderr $(oneline <"$WORK/compacted.err")"
fi

expected=$'PUT\ne2e/a\n3\nDELETE\ne2e/a\n\nDELETE\ne2e/b\n'
bg_ctl "$WORK/atc.out" "$WORK/atc.out.err" --endpoints="$EP" watch --rev=$((R1 + 3)) --prefix e2e/
wait_output "$WORK/atc.out" "$expected"
end_bg "$BG"
verdict_output ctl-watch-compact-rev "$WORK/atc.out" "$expected"

# Interactive: commands come through a FIFO; each is sent once the previous output is complete.
I1=$(c put e2ei/a 1 -w json | revision_of)
c put e2ei/b 2 >/dev/null
mkfifo "$WORK/commands"
timeout -k 1 "$CTL_SECONDS_MAX" "$ETCDCTL" --endpoints="$EP" --dial-timeout=2s watch -i \
    <"$WORK/commands" >"$WORK/interactive.out" 2>"$WORK/interactive.out.err" &
IPID=$!
BG_PIDS+=("$IPID")
exec 3>"$WORK/commands"
echo "watch e2ei/ --prefix --rev=$I1" >&3
expected=$'PUT\ne2ei/a\n1\nPUT\ne2ei/b\n2'
wait_output "$WORK/interactive.out" "$expected"
CURRENT=$(c get e2e/none -w json | revision_of)
echo "progress" >&3
expected+=$'\nprogress notify: '"$CURRENT"
wait_output "$WORK/interactive.out" "$expected"
c put e2ei/c 3 >/dev/null
expected+=$'\nPUT\ne2ei/c\n3'
wait_output "$WORK/interactive.out" "$expected"
exec 3>&-
wait "$IPID" 2>/dev/null || true
verdict_output ctl-watch-interactive "$WORK/interactive.out" "$expected"

# ---------------------------------------------------------------------------------------------
# One member: watchcheck

# run_watchcheck NAME ENDPOINTS RECORD: runs watchcheck; sets WC_STATUS.
run_watchcheck() {
    WC_STATUS=0
    timeout -k 2 $((LOAD_SECONDS + TOOL_SECONDS_MAX)) "$WC" run -endpoints "$2" -watchers "$WATCHERS" -keys "$KEYS" \
        -writes "$WRITES" -seconds "$LOAD_SECONDS" -seed "$SEED" -compact-every "$COMPACT_EVERY" -out "$3" \
        -slow-streams "$SLOW_STREAMS" -value-bytes "$VALUE_BYTES" \
        >"$WORK/$1.txt" 2>"$WORK/$1.err" || WC_STATUS=$?
    grep -a -e '^load done' -e '^incarnations' -e '^checked' -e '^settle' -e '^NOTE' -e '^latency' "$WORK/$1.txt" | sed 's/^/# /' || true
}

verdict_watchcheck() {
    case $WC_STATUS in
        0) pass "$1" ;;
        1) fail "$1" "$(grep -a -A2 '^VIOLATION' "$WORK/$1.txt" | head -c 3000)" ;;
        *) fail "$1" "watchcheck exit status $WC_STATUS: $(head -c 1000 "$WORK/$1.err")" ;;
    esac
}

run_watchcheck watchcheck-single "$EP" "$WORK/single.json"
verdict_watchcheck watchcheck-single

for mutation in drop dup; do
    if [[ -s $WORK/single.json ]] && "$WC" mutate "-$mutation" -in "$WORK/single.json" -out "$WORK/$mutation.json" -seed "$SEED" >"$WORK/$mutation.txt" 2>&1; then
        sed 's/^/# /' "$WORK/$mutation.txt"
        status=0
        "$WC" check "$WORK/$mutation.json" >"$WORK/check-$mutation.txt" 2>&1 || status=$?
        if ((status == 1)); then
            pass "watchcheck-catches-$mutation"
            grep -a -A2 '^VIOLATION' "$WORK/check-$mutation.txt" | head -4 | sed 's/^/# /'
        else
            fail "watchcheck-catches-$mutation" "the checker's exit status was $status, not 1: $(head -c 1000 "$WORK/check-$mutation.txt")"
        fi
    else
        fail "watchcheck-catches-$mutation" "could not mutate the record: $(cat "$WORK/$mutation.txt" 2>/dev/null)"
    fi
done

# Heavier: 4x the watchers, 600-byte values, as fast as the writers go. (etcd 3.4.23 answers
# creates and cancels within tens of ms here; a server whose watch side lags its writes shows it
# as start-0 watches beginning before revisions already acknowledged.)
if [[ ${WATCH_HEAVY:-1} == 1 ]]; then
    WC_STATUS=0
    timeout -k 2 $((2 * LOAD_SECONDS + TOOL_SECONDS_MAX)) "$WC" run -endpoints "$EP" -watchers $((WATCHERS * 4)) -keys "$KEYS" \
        -writes $((WRITES * 10)) -seconds $((2 * LOAD_SECONDS)) -seed $((SEED + 2)) -compact-every $((COMPACT_EVERY * 3)) \
        -value-bytes 600 -slow-streams "$SLOW_STREAMS" -out "$WORK/heavy.json" \
        >"$WORK/watchcheck-heavy.txt" 2>"$WORK/watchcheck-heavy.err" || WC_STATUS=$?
    grep -a -e '^load done' -e '^incarnations' -e '^checked' -e '^settle' -e '^NOTE' -e '^latency' "$WORK/watchcheck-heavy.txt" | sed 's/^/# /' || true
    verdict_watchcheck watchcheck-heavy
fi

stop_pid "${PID[0]}"
unset 'PID[0]'

# ---------------------------------------------------------------------------------------------
# One fresh member (member index 4: 43340/43341, so its memory figures are this check's alone):
# slow readers among 2000 watchers

if [[ ${WATCH_VICTIMS:-1} == 1 ]]; then
    victims_writes=${WATCH_VICTIMS_WRITES:-500}
    victims_seconds=30 # the writes' bound (500 puts take a few seconds)
    victims_settle=60  # reading streams, then the resumed stalled ones, then the barrier put: each
    launch 4 victims "victims=$(peer_url 4)"
    if poll "$READY_POLLS_MAX" alive_and_healthy 4; then
        WC_STATUS=0
        timeout -k 2 $((victims_seconds + 3 * victims_settle + TOOL_SECONDS_MAX)) "$WC" victims -endpoint "$(client_addr 4)" \
            -server-pid "${PID[4]}" -streams 40 -per-stream 50 -stalled 20 -writes "$victims_writes" -value-bytes 1024 \
            -writers 4 -seconds "$victims_seconds" -settle "$victims_settle" -rss-growth-max-mib 300 -seed "$SEED" \
            >"$WORK/watch-victims.txt" 2>"$WORK/watch-victims.err" || WC_STATUS=$?
        grep -v -e '^VIOLATION' -e '^\.\.\. and' "$WORK/watch-victims.txt" | sed 's/^/# /' || true
        verdict_watchcheck watch-victims
    else
        fail watch-victims "the member did not start (log: $WORK/server-4.log)"
    fi
    stop_pid "${PID[4]}"
    unset 'PID[4]'
fi

# ---------------------------------------------------------------------------------------------
# Three members, leader killed mid-run

if [[ ${WATCH_CLUSTER:-1} == 1 ]]; then
    initial="m1=$(peer_url 1),m2=$(peer_url 2),m3=$(peer_url 3)"
    # Every member snapshots every CLUSTER_SNAPSHOT_COUNT entries, so a follower away for more
    # than the 5,000 entries a leader keeps behind its snapshot must catch up from one.
    CLUSTER_ARGS=(--snapshot-count "$CLUSTER_SNAPSHOT_COUNT")
    for i in 1 2 3; do launch "$i" "m$i" "$initial" "${CLUSTER_ARGS[@]}"; done
    all_healthy() { alive_and_healthy 1 && alive_and_healthy 2 && alive_and_healthy 3; }
    # leader_index: prints the member number all three agree is the leader.
    leader_index() {
        ctl --endpoints="$(client_addr 1),$(client_addr 2),$(client_addr 3)" endpoint status -w json 2>/dev/null | python3 -c '
import sys, json
d = json.load(sys.stdin)
leaders = {s["Status"]["leader"] for s in d}
own = [i for i, s in enumerate(d) if s["Status"]["header"]["member_id"] == s["Status"]["leader"]]
if len(d) == 3 and len(leaders) == 1 and len(own) == 1:
    print(own[0] + 1)
else:
    sys.exit(1)'
    }
    LEADER=""
    if poll "$READY_POLLS_MAX" all_healthy && LEADER=$(poll "$LEADER_POLLS_MAX" leader_index); then
        pass cluster-bootstrap
        info "leader m$LEADER"
    else
        fail cluster-bootstrap "members healthy: $(for i in 1 2 3; do alive_and_healthy "$i" && echo -n "m$i "; done); no agreed leader"
    fi
    if [[ -n $LEADER ]]; then
        eps=""
        for i in 1 2 3; do [[ $i == "$LEADER" ]] || eps+="$(client_addr "$i"),"; done
        eps+=$(client_addr "$LEADER") # streams on slots 2, 5, ... start on the leader
        timeout -k 2 $((LOAD_SECONDS + TOOL_SECONDS_MAX)) "$WC" run -endpoints "$eps" -watchers "$WATCHERS" -keys "$KEYS" \
            -writes $((WRITES * 100)) -seconds "$LOAD_SECONDS" -seed $((SEED + 1)) -compact-every "$COMPACT_EVERY" \
            -slow-streams "$SLOW_STREAMS" -value-bytes "$VALUE_BYTES" \
            -out "$WORK/cluster.json" >"$WORK/watchcheck-cluster.txt" 2>"$WORK/watchcheck-cluster.err" &
        RUN_PID=$!
        BG_PIDS+=("$RUN_PID")
        started() { grep -q '^run started' "$WORK/watchcheck-cluster.txt"; }
        poll 100 started || true
        sleep "$(awk -v s="$LOAD_SECONDS" 'BEGIN { printf "%.1f", s / 2 }')" # paces the kill; no verdict depends on it
        kill -KILL "${PID[$LEADER]}" 2>/dev/null || true
        wait "${PID[$LEADER]}" 2>/dev/null || true
        info "killed the leader m$LEADER at about ${LOAD_SECONDS}/2 s into the load"
        launch "$LEADER" "m$LEADER" "$initial" "${CLUSTER_ARGS[@]}"
        restarted=0
        poll "$READY_POLLS_MAX" alive_and_healthy "$LEADER" && restarted=1
        WC_STATUS=0
        wait "$RUN_PID" || WC_STATUS=$?
        grep -a -e '^load done' -e '^incarnations' -e '^checked' -e '^settle' -e '^NOTE' -e '^latency' "$WORK/watchcheck-cluster.txt" | sed 's/^/# /' || true
        verdict_watchcheck watchcheck-cluster
        if ((restarted == 1)); then pass cluster-leader-restarted; else fail cluster-leader-restarted "m$LEADER not healthy after restart (log: $WORK/server-$LEADER.log)"; fi
    else
        fail watchcheck-cluster "no leader"
        fail cluster-leader-restarted "no leader"
    fi

    # A follower frozen (SIGSTOP, its watch streams left open) while the others move on past the
    # leader's log, then thawed: it installs the leader's snapshot under its open streams. Every
    # watcher is on it; the writes go to the other two.
    raft_index_of() {
        ctl --endpoints="$(client_addr "$1")" endpoint status -w json 2>/dev/null |
            python3 -c 'import sys, json; print(json.load(sys.stdin)[0]["Status"]["raftIndex"])' 2>/dev/null || echo 0
    }
    applied_snapshots() { grep -c -e 'applied snapshot' -e 'finished applying incoming snapshot' "$WORK/server-$1.log" || true; }
    LEADER=""
    if poll "$READY_POLLS_MAX" all_healthy && LEADER=$(poll "$LEADER_POLLS_MAX" leader_index); then
        AWAY=$((LEADER % 3 + 1))
        eps=""
        for i in 1 2 3; do [[ $i == "$AWAY" ]] || eps+="${eps:+,}$(client_addr "$i")"; done
        installs_before=$(applied_snapshots "$AWAY")
        timeout -k 2 $((SNAPSHOT_LOAD_SECONDS_MAX + TOOL_SECONDS_MAX)) "$WC" run -endpoints "$(client_addr "$AWAY")" \
            -write-endpoints "$eps" -watchers "$WATCHERS" -keys "$KEYS" -writers 32 -writes "$SNAPSHOT_WRITES" \
            -seconds "$SNAPSHOT_LOAD_SECONDS_MAX" -seed $((SEED + 3)) -compact-every "$COMPACT_EVERY" \
            -value-bytes "$VALUE_BYTES" -out "$WORK/snapshot.json" \
            >"$WORK/watchcheck-snapshot-install.txt" 2>"$WORK/watchcheck-snapshot-install.err" &
        RUN_PID=$!
        BG_PIDS+=("$RUN_PID")
        started() { grep -q '^run started' "$WORK/watchcheck-snapshot-install.txt" 2>/dev/null; }
        poll 100 started || true
        start_index=$(raft_index_of "$LEADER")
        kill -STOP "${PID[$AWAY]}"
        behind() { (($(raft_index_of "$LEADER") >= start_index + SNAPSHOT_CATCHUP_ENTRIES)); }
        away_long_enough=0
        poll "$SNAPSHOT_POLLS_MAX" behind && away_long_enough=1
        info "froze m$AWAY (a follower) for $(($(raft_index_of "$LEADER") - start_index)) entries"
        kill -CONT "${PID[$AWAY]}"
        WC_STATUS=0
        wait "$RUN_PID" || WC_STATUS=$?
        grep -a -e '^load done' -e '^incarnations' -e '^checked' -e '^settle' -e '^NOTE' -e '^latency' "$WORK/watchcheck-snapshot-install.txt" | sed 's/^/# /' || true
        installs=$(($(applied_snapshots "$AWAY") - installs_before))
        if ((away_long_enough == 0)); then
            fail watchcheck-snapshot-install "the load did not move the leader $SNAPSHOT_CATCHUP_ENTRIES entries on while m$AWAY was frozen"
        elif ((installs < 1)); then
            fail watchcheck-snapshot-install "m$AWAY caught up without installing a snapshot (log: $WORK/server-$AWAY.log)"
        else
            info "m$AWAY installed $installs snapshot(s) under its open watch streams"
            verdict_watchcheck watchcheck-snapshot-install
        fi
    else
        fail watchcheck-snapshot-install "no leader"
    fi
fi

summary
((FAILED == 0))
