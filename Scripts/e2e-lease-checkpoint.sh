#!/usr/bin/env bash
# End-to-end test of lease checkpointing (--experimental-enable-lease-checkpoint): a lease that is
# not kept alive must not get its whole TTL back when leadership moves or the member restarts.
#
#   Scripts/e2e-lease-checkpoint.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#
# Every member runs with --experimental-lease-checkpoint-interval 2s (etcd 3.6's flag; etcd 3.4
# fixes the interval at 5 minutes, which is why real etcd cannot be the oracle here: its lessor
# code is, see Sources/EtcdServer/Lease/Lessor.swift). Each member gets one lease of TTL 40 s that
# is never kept alive; the script lets ELAPSED (20 s) pass, then:
#
#   checkpoint-flags-accepted       the members with checkpoint flags logged no "does not
#                                   implement" warning for them
#   persisted-checkpoint-restart    single member, checkpoints persisted: stopped (SIGTERM) and
#                                   restarted, its lease has at most TTL - E + SLACK seconds left
#                                   (E: measured from the grant to the stop), and more than 0
#   unchecked-restart-whole-ttl     the control: a single member without checkpointing, stopped
#                                   and restarted the same way, gives the lease its whole TTL again
#                                   (etcd's behaviour without checkpoints; it proves the check above
#                                   can tell the two apart)
#   checkpoint-leader-kill          3 members, checkpoints not persisted: the leader is killed
#                                   (SIGKILL); the new leader reports at most TTL - E + SLACK
#                                   seconds left, and more than 0
#
# SLACK (8 s) covers one checkpoint interval, the 500 ms cadence of the leader's check, the
# election-timeout extension a new leader grants, and a loaded machine; a server that ignores
# checkpoints reports TTL or more, 28 s above the bound.
#
# Ports: 127.0.0.1:46780-46799 only. Persisting member 46780/46781, control 46782/46783, cluster
# member i (1..3) 46788+2i client, 46789+2i peer.
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
#
# Environment:
#   LEASE_CHECKPOINT_PENDING   space-separated checks known to fail for now: each still runs and
#                              prints `PENDING name (why)`, and turns into a failure the moment it
#                              passes (so the list cannot go stale)
#   LEASE_CHECKPOINT_KEEP=1    keep the work directory; it is always kept when a check failed
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}

readonly HOST=127.0.0.1
readonly TTL=40 ELAPSED=20 SLACK=8
readonly CHECKPOINT_FLAGS=(--experimental-enable-lease-checkpoint --experimental-lease-checkpoint-interval 2s)
readonly PERSIST_CLIENT=46780 PERSIST_PEER=46781 CONTROL_CLIENT=46782 CONTROL_PEER=46783
readonly LEADER_POLLS_MAX=100 # x 0.1 s: the surviving members agree on a new leader

die() { echo "e2e-lease-checkpoint: $*" >&2; exit 2; }
for tool in python3 timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"

H_NAME=e2e-lease-checkpoint
H_PENDING=${LEASE_CHECKPOINT_PENDING:-}
H_KEEP=${LEASE_CHECKPOINT_KEEP:-0}
# shellcheck source=lib/e2e-harness.sh
source "$SCRIPT_DIR/lib/e2e-harness.sh"
h_init
oneline() { tr '\n' '|' | head -c 1500; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
cluster_client() { echo $((46788 + 2 * $1)); }
cluster_peer() { echo $((46789 + 2 * $1)); }

# grant PORT: a lease of TTL seconds; prints its ID (hex, as etcdctl prints it).
grant() { h_ctl "$1" lease grant "$TTL" | awk '/^lease .* granted/ { print $2 }'; }
# remaining PORT ID: the seconds etcdctl's timetolive reports left (-1 when gone or unreadable).
remaining() {
    h_ctl "$1" lease timetolive "$2" 2>/dev/null | sed -n 's/.*remaining(\(-\{0,1\}[0-9]*\)s).*/\1/p' | grep . || echo -1
}
# within_bound R E: 0 < R <= TTL - E + SLACK (E in whole seconds).
within_bound() { (($1 > 0 && $1 <= TTL - $2 + SLACK)); }

# --- start everything: two single members, one 3-member cluster ---------------------------------
mkdir -p "$WORK/persist" "$WORK/control"
h_start_member "$SERVER_BIN" default "$WORK/persist/data" "$PERSIST_CLIENT" "$PERSIST_PEER" "" "$WORK/persist/server.log" \
    "${CHECKPOINT_FLAGS[@]}" --experimental-enable-lease-checkpoint-persist
PERSIST_PID=$H_STARTED_PID
h_start_member "$SERVER_BIN" default "$WORK/control/data" "$CONTROL_CLIENT" "$CONTROL_PEER" "" "$WORK/control/server.log"
CONTROL_PID=$H_STARTED_PID
initial=""
for i in 1 2 3; do initial+="${initial:+,}m$i=http://$HOST:$(cluster_peer "$i")"; done
declare -A MEMBER_PID=()
for i in 1 2 3; do
    mkdir -p "$WORK/m$i"
    h_start_member "$SERVER_BIN" "m$i" "$WORK/m$i/data" "$(cluster_client "$i")" "$(cluster_peer "$i")" "$initial" \
        "$WORK/m$i/server.log" "${CHECKPOINT_FLAGS[@]}"
    MEMBER_PID[$i]=$H_STARTED_PID
done
h_wait_healthy "$PERSIST_PID" "$PERSIST_CLIENT" || die "the persisting member did not start (log: $WORK/persist/server.log)"
h_wait_healthy "$CONTROL_PID" "$CONTROL_CLIENT" || die "the control member did not start (log: $WORK/control/server.log)"
for i in 1 2 3; do
    h_wait_healthy "${MEMBER_PID[$i]}" "$(cluster_client "$i")" || die "m$i did not start (log: $WORK/m$i/server.log)"
done
info "server $SERVER_BIN; TTL $TTL s, checkpoint interval 2 s, $ELAPSED s before the stop/kill, slack $SLACK s"

# leader_among I...: the member number (1..3) the listed members agree leads.
leader_among() {
    local ports=() position i
    for i in "$@"; do ports+=("$(cluster_client "$i")"); done
    position=$(h_leader_among "${ports[@]}") || return 1
    echo "${@:position:1}"
}
LEADER=$(h_poll "$LEADER_POLLS_MAX" leader_among 1 2 3) || die "the cluster agreed on no leader"

if grep -h "does not implement --experimental-.*lease-checkpoint" "$WORK/persist/server.log" "$WORK/m1/server.log" >"$WORK/warned.txt"; then
    fail checkpoint-flags-accepted "$(oneline <"$WORK/warned.txt")"
else
    pass checkpoint-flags-accepted
fi

PERSIST_LEASE=$(grant "$PERSIST_CLIENT")
CONTROL_LEASE=$(grant "$CONTROL_CLIENT")
CLUSTER_LEASE=$(grant "$(cluster_client "$LEADER")")
GRANTED_MS=$(now_ms)
[[ -n $PERSIST_LEASE && -n $CONTROL_LEASE && -n $CLUSTER_LEASE ]] ||
    die "a grant failed: persist '$PERSIST_LEASE' control '$CONTROL_LEASE' cluster '$CLUSTER_LEASE'"

# Let the leases run down (this only paces the scenario: each verdict uses the time measured).
elapsed_enough() { (($(now_ms) - GRANTED_MS >= ELAPSED * 1000)); }
h_poll $((ELAPSED * 10 + 50)) elapsed_enough || true

# --- the single members: stop, restart, read what is left ----------------------------------------
STOPPED_MS=$(now_ms)
h_stop_pid "$PERSIST_PID"
h_stop_pid "$CONTROL_PID"
E=$(((STOPPED_MS - GRANTED_MS) / 1000))
h_start_member "$SERVER_BIN" default "$WORK/persist/data" "$PERSIST_CLIENT" "$PERSIST_PEER" "" "$WORK/persist/server.log" \
    "${CHECKPOINT_FLAGS[@]}" --experimental-enable-lease-checkpoint-persist
PERSIST_PID=$H_STARTED_PID
h_start_member "$SERVER_BIN" default "$WORK/control/data" "$CONTROL_CLIENT" "$CONTROL_PEER" "" "$WORK/control/server.log"
CONTROL_PID=$H_STARTED_PID
if h_wait_healthy "$PERSIST_PID" "$PERSIST_CLIENT"; then
    left=$(remaining "$PERSIST_CLIENT" "$PERSIST_LEASE")
    info "persisting member: stopped ${E} s after the grant; after the restart $left s left (bound $((TTL - E + SLACK)))"
    verdict persisted-checkpoint-restart "$left s left after a stop ${E} s into a ${TTL} s lease (bound $((TTL - E + SLACK)))" \
        within_bound "$left" "$E"
else
    fail persisted-checkpoint-restart "no restart (log: $WORK/persist/server.log)"
fi
if h_wait_healthy "$CONTROL_PID" "$CONTROL_CLIENT"; then
    left=$(remaining "$CONTROL_CLIENT" "$CONTROL_LEASE")
    info "control member: after the restart $left s left"
    whole_ttl() { (($1 >= TTL - 1)); }
    verdict unchecked-restart-whole-ttl "$left s left, not the whole TTL: the scenario cannot tell checkpoints from none" \
        whole_ttl "$left"
else
    fail unchecked-restart-whole-ttl "no restart (log: $WORK/control/server.log)"
fi

# --- the cluster: kill the leader, ask the new one ---------------------------------------------
KILLED_MS=$(now_ms)
kill -KILL "${MEMBER_PID[$LEADER]}" 2>/dev/null || true
wait "${MEMBER_PID[$LEADER]}" 2>/dev/null || true
h_forget "${MEMBER_PID[$LEADER]}"
E=$(((KILLED_MS - GRANTED_MS) / 1000))
survivors=()
for i in 1 2 3; do [[ $i == "$LEADER" ]] || survivors+=("$i"); done
if NEW_LEADER=$(h_poll "$LEADER_POLLS_MAX" leader_among "${survivors[@]}"); then
    left=$(remaining "$(cluster_client "$NEW_LEADER")" "$CLUSTER_LEASE")
    info "cluster: m$LEADER killed ${E} s after the grant; new leader m$NEW_LEADER reports $left s left (bound $((TTL - E + SLACK)))"
    verdict checkpoint-leader-kill "$left s left on the new leader m$NEW_LEADER, ${E} s into a ${TTL} s lease (bound $((TTL - E + SLACK)))" \
        within_bound "$left" "$E"
else
    fail checkpoint-leader-kill "no new leader among m${survivors[0]} m${survivors[1]} after the kill"
fi

h_summary
((FAILED == 0))
