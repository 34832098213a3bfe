#!/usr/bin/env bash
# End-to-end test of leases on a 3-member cluster: Scripts/leasecheck (etcd's own client library,
# keep-alives over all three endpoints with clientv3's failover) while the leader is killed, then
# expiry, revoke and restart, each checked on every member.
#
#   Scripts/e2e-lease-cluster.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-lease-cluster.sh /usr/bin/etcd    (proves the script itself: real etcd must pass)
#
# Checks (each prints PASS/FAIL; every verdict is on what a client printed, every wait is a
# bounded poll for an expected line, `timeout` is only a safety net):
#   cluster-bootstrap                    3 members (started like e2e-watch.sh's cluster), one leader
#   leases-survive-leader-kill           `leasecheck keepalive` grants 1,000 leases (TTL 5 s) with a
#                                        key each and keeps them alive; the leader is killed
#                                        (SIGKILL), a new one elected, the member restarted; once
#                                        keep-alive rounds have gone on for 2 TTLs past the restart,
#                                        every lease is alive (TimeToLive > 0 via each member, in
#                                        each member's lease list) and every key present on every
#                                        member (serializable gets after a linearizable barrier)
#   leases-expire-after-keepalive-stops  keep-alives stop for half the leases (each given a second
#                                        key first): their keys leave every member within TTL + 5 s,
#                                        not before the lease can have run out, every key of one
#                                        lease at one revision, the same on every member (watched
#                                        on each); the other half stays
#   revoke-replicated                    `leasecheck revoke` via a follower: a lease with 5 keys;
#                                        on every member the keys are present at R-1 and absent at
#                                        R (R: the revoke's response revision), TimeToLive -1, not
#                                        listed
#   lease-persisted-restart              10 leases granted, a follower killed (SIGKILL), 10 more
#                                        granted while it is down, restarted: its `etcdctl lease
#                                        list` equals the others' and holds all 20
#
# TTL: 5 s. The kill, the election (etcd 3.4: 1-2 s at the default 1 s election timeout) and
# clientv3's reconnect (0.5 s pauses) take a good fraction of it, so a server that loses renewals
# in a failover, or does not extend its leases when a new leader takes over, lets leases lapse.
# The time from the kill to the new leader and the longest pause between keep-alive rounds are
# printed.
#
# Ports: 127.0.0.1:44350-44389 only (44390-44399 belong to Scripts/bench-lease.sh). Member i
# (1..3): 44340+10i client, 44341+10i peer.
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
#
# Environment:
#   LEASE_CLUSTER_LEASES=N       leases kept alive (default 1000)
#   LEASE_CLUSTER_TTL=S          their TTL (default 5)
#   LEASE_CLUSTER_SERVER_ARGS    extra arguments for every server start
#   LEASE_CLUSTER_KEEP=1         keep the work directory; it is always kept when a check failed
#   LEASE_CLUSTER_PENDING        space-separated checks whose capability has not landed in the
#                                server yet: each still runs and prints `PENDING name (why)` instead
#                                of FAIL, is not counted as passed, and turns into a failure the
#                                moment it passes (so the list cannot go stale)
#   LEASE_CLUSTER_ETCDCTL        client (default /usr/bin/etcdctl)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-${SERVER_BIN:-$REPO_ROOT/.build/debug/swetcd}}
ETCDCTL=${LEASE_CLUSTER_ETCDCTL:-/usr/bin/etcdctl}
read -r -a SERVER_ARGS <<<"${LEASE_CLUSTER_SERVER_ARGS:-}"

readonly LEASES=${LEASE_CLUSTER_LEASES:-1000}
readonly TTL=${LEASE_CLUSTER_TTL:-5}
readonly HOST=127.0.0.1
readonly TOKEN=swetcd-e2e-lease-cluster
readonly EXPIRE_SLACK=5s             # beyond the TTL, how long expired keys may linger
readonly PERSIST_LEASES=10           # granted before the restart, and as many while down

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly READY_POLLS_MAX=300         # x 0.1 s: a server answers `endpoint health`
readonly STOP_POLLS_MAX=150          # x 0.1 s: SIGTERM honoured before SIGKILL
readonly LEADER_POLLS_MAX=150        # x 0.1 s: the members agree on a leader
readonly GRANT_POLLS_MAX=1200        # x 0.1 s: leasecheck granted its leases ("ready")
readonly ROUND_POLLS_SLACK=300       # x 0.1 s: beyond 2 TTLs, for the rounds that cover them
readonly RESULT_POLLS_MAX=1200       # x 0.1 s: leasecheck answered a command
readonly LIST_POLLS_MAX=100          # x 0.1 s: lease lists agree
readonly TOOL_SECONDS_MAX=600        # safety net for the whole keepalive run
readonly ONESHOT_SECONDS_MAX=120     # safety net for `leasecheck revoke`

die() { echo "e2e-lease-cluster: $*" >&2; exit 2; }

for tool in "$ETCDCTL" timeout go python3; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
[[ $LEASES =~ ^[0-9]+$ ]] && ((LEASES >= 2)) || die "LEASE_CLUSTER_LEASES must be an integer >= 2"
[[ $TTL =~ ^[0-9]+$ ]] && ((TTL >= 2)) || die "LEASE_CLUSTER_TTL must be an integer >= 2"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-e2e-lease-cluster.XXXXXX")
LC=$WORK/leasecheck
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
    exec 3>&- 2>/dev/null || true
    for pid in "${BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    for name in "${!PID[@]}"; do stop_pid "${PID[$name]}"; done
    if [[ ${LEASE_CLUSTER_KEEP:-0} == 1 || $FAILED != 0 ]]; then echo "e2e-lease-cluster: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build the tool before any server runs, so a build failure is a harness error, not a FAIL.
[[ -n ${HOME:-} || -n ${GOCACHE:-} ]] || export GOCACHE=$WORK/gocache
(cd "$SCRIPT_DIR/leasecheck" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$LC" .) >"$WORK/build.log" 2>&1 ||
    die "cannot build Scripts/leasecheck (needs golang-go golang-etcd-server-dev; see $WORK/build.log)"

is_pending() { [[ " ${LEASE_CLUSTER_PENDING:-} " == *" $1 "* ]]; }
pass() {
    if is_pending "$1"; then
        echo "FAIL $1 (passes now: take it out of LEASE_CLUSTER_PENDING)"; FAILED=$((FAILED + 1))
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
# answer: what etcdctl answered, without the client library's JSON log lines.
answer() { grep -v '^{"level":' | oneline; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

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
client_port() { echo $((44340 + 10 * $1)); }
peer_url() { echo "http://$HOST:$((44341 + 10 * $1))"; }
client_addr() { echo "$HOST:$(client_port "$1")"; }
ALL_EPS="$(client_addr 1),$(client_addr 2),$(client_addr 3)"
INITIAL="m1=$(peer_url 1),m2=$(peer_url 2),m3=$(peer_url 3)"
ctl() { timeout -k 1 20 "$ETCDCTL" --dial-timeout=2s --command-timeout=5s "$@" </dev/null; }
healthy() { ctl --endpoints="$(client_addr "$1")" endpoint health >/dev/null 2>&1; }
alive_and_healthy() { kill -0 "${PID[$1]}" 2>/dev/null && healthy "$1"; }
all_healthy() { alive_and_healthy 1 && alive_and_healthy 2 && alive_and_healthy 3; }

# launch I: member I on its ports and data dir; a restart uses the same command line.
launch() {
    local i=$1 port
    for port in "$(client_port "$i")" $(($(client_port "$i") + 1)); do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --name "m$i" --data-dir "$WORK/data-$i" \
        --listen-client-urls "http://$(client_addr "$i")" --advertise-client-urls "http://$(client_addr "$i")" \
        --listen-peer-urls "$(peer_url "$i")" --initial-advertise-peer-urls "$(peer_url "$i")" \
        --initial-cluster "$INITIAL" --initial-cluster-token "$TOKEN" --initial-cluster-state new "${SERVER_ARGS[@]}" \
        </dev/null >>"$WORK/server-$i.log" 2>&1 &
    PID[$i]=$!
}
crash() {
    kill -KILL "${PID[$1]}" 2>/dev/null || true
    wait "${PID[$1]}" 2>/dev/null || true
}

# leader_among I...: prints the member number the given members all agree is the leader (one of
# them).
leader_among() {
    local eps="" i
    for i in "$@"; do eps+="${eps:+,}$(client_addr "$i")"; done
    ctl --endpoints="$eps" endpoint status -w json 2>/dev/null | python3 -c '
import sys, json
members = [int(m) for m in sys.argv[1:]]
d = json.load(sys.stdin)
leaders = {s["Status"]["leader"] for s in d}
own = [i for i, s in enumerate(d) if s["Status"]["header"]["member_id"] == s["Status"]["leader"]]
if len(d) == len(members) and len(leaders) == 1 and len(own) == 1:
    print(members[own[0]])
else:
    sys.exit(1)' "$@"
}
followers_of() { local i; for i in 1 2 3; do [[ $i == "$1" ]] || echo -n "$i "; done; }

info "server $SERVER_BIN; $LEASES leases, TTL $TTL s"

# ---------------------------------------------------------------------------------------------
# Bootstrap

for i in 1 2 3; do launch "$i"; done
LEADER=""
if poll "$READY_POLLS_MAX" all_healthy && LEADER=$(poll "$LEADER_POLLS_MAX" leader_among 1 2 3); then
    pass cluster-bootstrap
    info "leader m$LEADER"
else
    fail cluster-bootstrap "members healthy: $(for i in 1 2 3; do alive_and_healthy "$i" && echo -n "m$i "; done); no agreed leader"
    for name in leases-survive-leader-kill leases-expire-after-keepalive-stops revoke-replicated lease-persisted-restart; do
        fail "$name" "no cluster"
    done
    summary
    exit 1
fi

# ---------------------------------------------------------------------------------------------
# Keep-alives across a leader kill, then expiry of half of them

KA=$WORK/keepalive.txt
mkfifo "$WORK/keepalive.in"
timeout -k 2 "$TOOL_SECONDS_MAX" "$LC" keepalive -endpoints "$ALL_EPS" -leases "$LEASES" -ttl "$TTL" \
    -slack "$EXPIRE_SLACK" -max-seconds $((TOOL_SECONDS_MAX - 10)) <"$WORK/keepalive.in" >"$KA" 2>"$WORK/keepalive.err" &
KA_PID=$!
BG_PIDS+=("$KA_PID")
exec 3>"$WORK/keepalive.in"
ka_running() { kill -0 "$KA_PID" 2>/dev/null; }
# ka_has PATTERN: leasecheck printed a line matching PATTERN, or has ended.
ka_has() { grep -q -e "$1" "$KA" || ! ka_running; }
ka_line() { grep -e "$1" "$KA" | tail -1; }
# ka_ask COMMAND NAME: sends the command, waits for its result line, prints it.
ka_ask() {
    ka_running && echo "$1 $2" >&3 || true
    poll "$RESULT_POLLS_MAX" ka_has "^result $2 " || true
    ka_line "^result $2 "
}
ka_why() { echo "no result; leasecheck: $(grep -e '^error' -e '^lost' "$KA" | head -5 | oneline) $(head -c 500 "$WORK/keepalive.err")"; }
# rounds_since T: the last round line's time if one ended at or after T seconds of leasecheck's clock.
round_after() { awk -v t="$1" '/^round / { sub("t=", "", $3); if ($3 + 0 >= t) { found = 1 } } END { exit !found }' "$KA" || ! ka_running; }
longest_round_gap() { awk '/^round / { sub("t=", "", $3); if (last != "" && $3 - last > gap) gap = $3 - last; last = $3 } END { printf "%.2f", gap }' "$KA"; }

poll "$GRANT_POLLS_MAX" ka_has '^ready' || true
if ! grep -q '^ready' "$KA"; then
    why="leasecheck not ready: $(grep -e '^error' "$KA" | head -3 | oneline) $(head -c 500 "$WORK/keepalive.err")"
    fail leases-survive-leader-kill "$why"
    fail leases-expire-after-keepalive-stops "$why"
else
    info "$(ka_line '^ready')"
    # The leader as the members see it now (it may have changed since bootstrap).
    LEADER=$(poll "$LEADER_POLLS_MAX" leader_among 1 2 3) || LEADER=""
    if [[ -z $LEADER ]]; then
        fail leases-survive-leader-kill "no agreed leader before the kill"
    else
        read -r -a survivors <<<"$(followers_of "$LEADER")"
        killed_at=$(now_ms)
        crash "$LEADER"
        NEW_LEADER=$(poll "$LEADER_POLLS_MAX" leader_among "${survivors[@]}") || NEW_LEADER=""
        elected_ms=$(($(now_ms) - killed_at))
        info "killed the leader m$LEADER (SIGKILL); new leader: ${NEW_LEADER:+m$NEW_LEADER} after $elected_ms ms (seen by polling)"
        launch "$LEADER"
        restarted=0
        poll "$READY_POLLS_MAX" alive_and_healthy "$LEADER" && restarted=1
        info "m$LEADER restarted, healthy: $( ((restarted == 1)) && echo yes || echo no), $(($(now_ms) - killed_at)) ms after the kill"
        ka_running && echo "mark restarted" >&3 || true
        poll "$RESULT_POLLS_MAX" ka_has '^mark restarted ' || true
        mark=$(ka_line '^mark restarted ' | sed 's/.* t=//')
        covered=0
        if [[ -n $mark ]] && poll $((2 * TTL * 10 + ROUND_POLLS_SLACK)) round_after "$(awk -v m="$mark" -v t="$TTL" 'BEGIN { print m + 2 * t }')" &&
            ka_running; then
            covered=1
        fi
        info "keep-alive rounds: $(grep -c '^round ' "$KA") so far, the longest pause between two $(longest_round_gap) s (TTL $TTL s); restart mark at t=${mark:-?}"
        verdict_line=$(ka_ask verify leader-kill)
        if [[ -z $NEW_LEADER ]]; then
            fail leases-survive-leader-kill "no new leader among m${survivors[0]} m${survivors[1]} after the kill"
        elif ((restarted == 0)); then
            fail leases-survive-leader-kill "m$LEADER not healthy after its restart (log: $WORK/server-$LEADER.log)"
        elif ((covered == 0)); then
            fail leases-survive-leader-kill "keep-alive rounds did not cover 2 TTLs after the restart: $(tail -3 "$KA" | oneline) ${verdict_line:-$(ka_why)}"
        elif [[ $verdict_line == "result leader-kill ok:"* ]]; then
            pass leases-survive-leader-kill
            info "${verdict_line#result leader-kill }"
        else
            fail leases-survive-leader-kill "${verdict_line:-$(ka_why)}; $(grep -c '^lost' "$KA" || true) leases lost by the client"
        fi
    fi
    verdict_line=$(ka_ask stop-half expire)
    if [[ $verdict_line == "result expire ok:"* ]]; then
        pass leases-expire-after-keepalive-stops
        info "${verdict_line#result expire }"
    else
        fail leases-expire-after-keepalive-stops "${verdict_line:-$(ka_why)}"
    fi
fi
ka_running && echo quit >&3 || true
exec 3>&-
ka_status=0
wait "$KA_PID" || ka_status=$?
info "leasecheck keepalive exit status $ka_status"

# Every member up again (the kill above may have left one down when its restart failed).
for i in 1 2 3; do kill -0 "${PID[$i]}" 2>/dev/null || launch "$i"; done
poll "$READY_POLLS_MAX" all_healthy || true
LEADER=$(poll "$LEADER_POLLS_MAX" leader_among 1 2 3) || LEADER=1
read -r -a followers <<<"$(followers_of "$LEADER")"

# ---------------------------------------------------------------------------------------------
# Revoke through a follower

# -via is an index into -endpoints, which lists m1, m2, m3 in order.
status=0
timeout -k 2 "$ONESHOT_SECONDS_MAX" "$LC" revoke -endpoints "$ALL_EPS" -via $((followers[0] - 1)) -keys 5 \
    >"$WORK/revoke.txt" 2>&1 || status=$?
if ((status == 0)) && grep -q '^result revoke ok:' "$WORK/revoke.txt"; then
    pass revoke-replicated
    info "$(sed -n 's/^result revoke ok: //p' "$WORK/revoke.txt")"
else
    fail revoke-replicated "exit status $status: $(head -c 1500 "$WORK/revoke.txt" | oneline)"
fi

# ---------------------------------------------------------------------------------------------
# Leases survive a member's restart, including those granted while it was down

# grant_leases N FILE: grants N leases (TTL 600 s) through the cluster, appends their IDs to FILE.
grant_leases() {
    local n=$1 out=$2 k line
    for ((k = 1; k <= n; k++)); do
        line=$(ctl --endpoints="$ALL_EPS" lease grant 600 2>&1) || { echo "lease grant: $(answer <<<"$line")"; return 1; }
        # "lease 694d7a5a1d0b0c11 granted with TTL(600s)"
        awk '{ print $2 }' <<<"$line" >>"$out"
    done
}
# lease_list I: member I's lease list, one ID a line, sorted.
lease_list() { ctl --endpoints="$(client_addr "$1")" lease list 2>/dev/null | awk 'NR > 1 { print $1 }' | sort; }
lists_agree() {
    local i mine
    mine=$(lease_list "$RESTARTED") || return 1
    for i in 1 2 3; do
        [[ $i == "$RESTARTED" ]] || [[ $(lease_list "$i") == "$mine" ]] || return 1
    done
    [[ -z $(comm -23 <(sort "$WORK/persist.ids") <(echo "$mine")) ]]
}

RESTARTED=${followers[1]}
: >"$WORK/persist.ids"
why=""
if ! why=$(grant_leases "$PERSIST_LEASES" "$WORK/persist.ids"); then
    fail lease-persisted-restart "$why"
else
    crash "$RESTARTED"
    if ! why=$(grant_leases "$PERSIST_LEASES" "$WORK/persist.ids"); then
        launch "$RESTARTED"
        fail lease-persisted-restart "with m$RESTARTED down: $why"
    else
        launch "$RESTARTED"
        if ! poll "$READY_POLLS_MAX" alive_and_healthy "$RESTARTED"; then
            fail lease-persisted-restart "m$RESTARTED not healthy after its restart (log: $WORK/server-$RESTARTED.log)"
        elif poll "$LIST_POLLS_MAX" lists_agree; then
            pass lease-persisted-restart
            info "m$RESTARTED restarted (SIGKILL, $PERSIST_LEASES leases granted while down): its lease list equals the others' ($(lease_list "$RESTARTED" | wc -l) leases, all $((2 * PERSIST_LEASES)) granted among them)"
        else
            lists=""
            for i in 1 2 3; do lists+="m$i: $(lease_list "$i" | wc -l) leases, missing $(comm -23 <(sort "$WORK/persist.ids") <(lease_list "$i") | wc -l) of ours; "; done
            fail lease-persisted-restart "lease lists differ after m$RESTARTED's restart: $lists"
        fi
    fi
fi

summary
((FAILED == 0))
