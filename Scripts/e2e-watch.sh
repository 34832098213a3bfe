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
#   cluster-bootstrap         3 members, one leader (skipped with WATCH_CLUSTER=0)
#   watchcheck-cluster        `watchcheck run` over the followers and the leader (watch streams
#                             spread over all three), the leader is killed (SIGKILL) midway and
#                             restarted; watchers whose stream broke re-create at their last
#                             revision + 1 on the next member; exit 0
#   cluster-leader-restarted  the killed leader came back healthy
#
# Ports: 127.0.0.1:43300-43399 only. Single member 43300 (client) 43301 (peer); cluster member i
# (1..3) 43300+10i (client), 43301+10i (peer).
#
# Output: `PASS name` / `FAIL name (why)`, `# ...` details, `N passed, M failed` last. Exit status:
# 0 all passed, 1 some failed, 2 the harness could not run.
#
# Environment:
#   WATCH_SEED=N          watchcheck seed (default: from the clock; printed)
#   WATCH_SECONDS=S       watchcheck load length (default 6)
#   WATCH_WATCHERS=N      watchers (default 24); WATCH_WRITES=N (default 3000); WATCH_KEYS=N (default 8)
#   WATCH_COMPACT_EVERY=C (default 300)
#   WATCH_CLUSTER=0       skip the cluster part
#   WATCH_SERVER_ARGS     extra arguments for every server start
#   WATCH_KEEP=1          keep the work directory; it is always kept when a check failed
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
readonly HOST=127.0.0.1
readonly TOKEN=swetcd-e2e-watch

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly READY_POLLS_MAX=300     # x 0.1 s: a server answers `endpoint health`
readonly STOP_POLLS_MAX=150      # x 0.1 s: SIGTERM honoured before SIGKILL
readonly OUTPUT_POLLS_MAX=100    # x 0.1 s: etcdctl printed what is expected
readonly LEADER_POLLS_MAX=100    # x 0.1 s: the cluster agrees on a leader
readonly TOOL_SECONDS_MAX=120    # any one watchcheck run beyond its load
readonly CTL_SECONDS_MAX=30      # safety net for one background etcdctl

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
SUMMARY_PRINTED=""

summary() {
    echo "$PASSED passed, $FAILED failed"
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

pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1 ($2)"; FAILED=$((FAILED + 1)); }
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

# launch I NAME INITIAL_CLUSTER: member I (0 = the single member) on its ports and data dir.
launch() {
    local i=$1 name=$2 initial=$3 port
    for port in "$(client_port "$i")" $(($(client_port "$i") + 1)); do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --name "$name" --data-dir "$WORK/data-$i" \
        --listen-client-urls "http://$(client_addr "$i")" --advertise-client-urls "http://$(client_addr "$i")" \
        --listen-peer-urls "$(peer_url "$i")" --initial-advertise-peer-urls "$(peer_url "$i")" \
        --initial-cluster "$initial" --initial-cluster-token "$TOKEN" --initial-cluster-state new "${SERVER_ARGS[@]}" \
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

launch 0 default "default=$(peer_url 0)"
poll "$READY_POLLS_MAX" alive_and_healthy 0 || die "the server did not start (log: $WORK/server-0.log)"
EP=$(client_addr 0)
c() { ctl --endpoints="$EP" "$@"; }

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
        >"$WORK/$1.txt" 2>"$WORK/$1.err" || WC_STATUS=$?
    grep -e '^load done' -e '^incarnations' -e '^checked' -e '^settle' "$WORK/$1.txt" | sed 's/^/# /' || true
}

verdict_watchcheck() {
    case $WC_STATUS in
        0) pass "$1" ;;
        1) fail "$1" "$(grep -A2 '^VIOLATION' "$WORK/$1.txt" | head -c 3000)" ;;
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
            grep -A2 '^VIOLATION' "$WORK/check-$mutation.txt" | head -4 | sed 's/^/# /'
        else
            fail "watchcheck-catches-$mutation" "the checker's exit status was $status, not 1: $(head -c 1000 "$WORK/check-$mutation.txt")"
        fi
    else
        fail "watchcheck-catches-$mutation" "could not mutate the record: $(cat "$WORK/$mutation.txt" 2>/dev/null)"
    fi
done

stop_pid "${PID[0]}"
unset 'PID[0]'

# ---------------------------------------------------------------------------------------------
# Three members, leader killed mid-run

if [[ ${WATCH_CLUSTER:-1} == 1 ]]; then
    initial="m1=$(peer_url 1),m2=$(peer_url 2),m3=$(peer_url 3)"
    for i in 1 2 3; do launch "$i" "m$i" "$initial"; done
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
            -out "$WORK/cluster.json" >"$WORK/watchcheck-cluster.txt" 2>"$WORK/watchcheck-cluster.err" &
        RUN_PID=$!
        BG_PIDS+=("$RUN_PID")
        started() { grep -q '^run started' "$WORK/watchcheck-cluster.txt"; }
        poll 100 started || true
        sleep "$(awk -v s="$LOAD_SECONDS" 'BEGIN { printf "%.1f", s / 2 }')" # paces the kill; no verdict depends on it
        kill -KILL "${PID[$LEADER]}" 2>/dev/null || true
        wait "${PID[$LEADER]}" 2>/dev/null || true
        info "killed the leader m$LEADER at about ${LOAD_SECONDS}/2 s into the load"
        launch "$LEADER" "m$LEADER" "$initial"
        restarted=0
        poll "$READY_POLLS_MAX" alive_and_healthy "$LEADER" && restarted=1
        WC_STATUS=0
        wait "$RUN_PID" || WC_STATUS=$?
        grep -e '^load done' -e '^incarnations' -e '^checked' -e '^settle' "$WORK/watchcheck-cluster.txt" | sed 's/^/# /' || true
        verdict_watchcheck watchcheck-cluster
        if ((restarted == 1)); then pass cluster-leader-restarted; else fail cluster-leader-restarted "m$LEADER not healthy after restart (log: $WORK/server-$LEADER.log)"; fi
    else
        fail watchcheck-cluster "no leader"
        fail cluster-leader-restarted "no leader"
    fi
fi

summary
((FAILED == 0))
