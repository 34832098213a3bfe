# Shared helpers for the end-to-end scripts: start members, wait for them, stop them, and keep the
# PASS/FAIL/PENDING books. Sourced, never run. (The older e2e-*.sh scripts carry their own copies;
# new scripts use this one.)
#
# The sourcing script sets, before calling anything here:
#   H_NAME        short name for messages and the work directory ("e2e-gateway")
#   H_PENDING     space-separated check names that are expected to fail for now (its
#                 <NAME>_PENDING variable): they print PENDING instead of FAIL, and FAIL the moment
#                 they pass, so the list cannot go stale
#   H_KEEP        1 keeps the work directory even when everything passed
#   H_ETCDCTL     etcdctl used for health checks (default /usr/bin/etcdctl)
# and then calls h_init, which creates $WORK and installs the EXIT trap.
#
# Ports: each script owns a fixed loopback range inside 22379-29399 or 41300-46799, the ranges
# .ci/run keeps out of the kernel's ephemeral pool (a client's source port would otherwise take
# one now and then, and a server's bind then fails); a new script takes a free range there.
#
# Output conventions: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details,
# `N passed, M failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness
# could not run (h_die).

readonly H_HOST=127.0.0.1
readonly H_READY_POLLS_MAX=300 # x 0.1 s: a member answers `endpoint health`
readonly H_STOP_POLLS_MAX=150  # x 0.1 s: SIGTERM honoured before SIGKILL
readonly H_CTL_SECONDS_MAX=20  # safety net for one etcdctl

H_PIDS=()     # every process started through this file, stopped by the EXIT trap
H_BG_PIDS=()  # background clients (curl -N, watchers): killed outright by the EXIT trap
PASSED=0
FAILED=0
PENDING_COUNT=0
H_SUMMARY_PRINTED=""

h_die() { echo "${H_NAME}: $*" >&2; exit 2; }
info() { echo "# $*"; }

h_summary() {
    echo "$PASSED passed, $FAILED failed, $PENDING_COUNT pending"
    H_SUMMARY_PRINTED=1
}

h_is_pending() { [[ " ${H_PENDING:-} " == *" $1 "* ]]; }
pass() {
    if h_is_pending "$1"; then
        echo "FAIL $1 (passes now: take it out of the pending list)"; FAILED=$((FAILED + 1))
    else
        echo "PASS $1"; PASSED=$((PASSED + 1))
    fi
}
fail() {
    if h_is_pending "$1"; then
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

# h_poll N COMMAND...: run COMMAND up to N times, 0.1 s apart, until it succeeds.
h_poll() {
    local n=$1 try
    shift
    for ((try = 1; try <= n; try++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

h_port_is_open() { (exec 3<>"/dev/tcp/$H_HOST/$1") 2>/dev/null; }

# h_forget PID: drops PID from H_PIDS and H_BG_PIDS once it has been reaped, so the EXIT trap
# never signals a number the system may have handed to someone else's process since.
h_forget() {
    local pid kept=()
    for pid in "${H_PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    H_PIDS=("${kept[@]}")
    kept=()
    for pid in "${H_BG_PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    H_BG_PIDS=("${kept[@]}")
}

# h_stop_pid PID: SIGTERM, a bounded wait, then SIGKILL. Only ever given PIDs this script started.
h_stop_pid() {
    local pid=$1 try
    h_forget "$pid"
    kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    for ((try = 1; try <= H_STOP_POLLS_MAX; try++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# h_start_member BINARY NAME DATA_DIR CLIENT_PORT PEER_PORT INITIAL_CLUSTER LOG [EXTRA_FLAG...]:
# starts one member in the background on 127.0.0.1 (INITIAL_CLUSTER empty: a single-member
# cluster of itself); its PID is in H_STARTED_PID and on H_PIDS. Refuses ports already in use, so a
# stray server from an earlier run is never tested by mistake.
h_start_member() {
    local bin=$1 name=$2 data=$3 client=$4 peer=$5 cluster=$6 log=$7 port
    shift 7
    for port in "$client" "$peer"; do
        ! h_port_is_open "$port" || h_die "port $port is already in use"
    done
    [[ -n $cluster ]] || cluster="$name=http://$H_HOST:$peer"
    "$bin" --name "$name" --data-dir "$data" \
        --listen-client-urls "http://$H_HOST:$client" --advertise-client-urls "http://$H_HOST:$client" \
        --listen-peer-urls "http://$H_HOST:$peer" --initial-advertise-peer-urls "http://$H_HOST:$peer" \
        --initial-cluster "$cluster" --initial-cluster-token "$H_NAME" --initial-cluster-state new \
        "$@" </dev/null >>"$log" 2>&1 &
    H_STARTED_PID=$!
    H_PIDS+=("$H_STARTED_PID")
}

h_ctl() {
    local port=$1
    shift
    timeout -k 1 "$H_CTL_SECONDS_MAX" "${H_ETCDCTL:-/usr/bin/etcdctl}" --endpoints="$H_HOST:$port" \
        --dial-timeout=2s --command-timeout=5s "$@" </dev/null
}
h_healthy() { kill -0 "$1" 2>/dev/null && h_ctl "$2" endpoint health >/dev/null 2>&1; }
# h_wait_healthy PID CLIENT_PORT: polls `etcdctl endpoint health` (bounded) while PID lives.
h_wait_healthy() { h_poll "$H_READY_POLLS_MAX" h_healthy "$1" "$2"; }

# h_leader_among CLIENT_PORT...: prints the position (1-based, in the order given) of the member
# that all the given members agree leads; fails while they disagree or one does not answer.
h_leader_among() {
    local eps="" port
    for port in "$@"; do eps+="${eps:+,}$H_HOST:$port"; done
    timeout -k 1 "$H_CTL_SECONDS_MAX" "${H_ETCDCTL:-/usr/bin/etcdctl}" --endpoints="$eps" --dial-timeout=2s \
        --command-timeout=5s endpoint status -w json </dev/null 2>/dev/null | python3 -c '
import sys, json
d = json.load(sys.stdin)
leaders = {s["Status"]["leader"] for s in d}
own = [i for i, s in enumerate(d) if s["Status"]["header"]["member_id"] == s["Status"]["leader"]]
if len(d) == int(sys.argv[1]) and len(leaders) == 1 and len(own) == 1:
    print(own[0] + 1)
else:
    sys.exit(1)' "$#"
}

h_cleanup() {
    local status=$? pid
    if [[ -z $H_SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status; see $WORK)"
        h_summary
    fi
    for pid in "${H_BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    for pid in "${H_PIDS[@]}"; do h_stop_pid "$pid"; done
    if [[ $status == 2 ]]; then
        # The work directory is gone with the machine in CI: show why a server did not come up.
        local log
        while read -r log; do
            echo "${H_NAME}: last lines of ${log#"$WORK"/}:" >&2
            tail -n 2 "$log" | cut -c 1-400 | sed 's/^/    /' >&2
        done < <(find "$WORK" -name '*.log' -size +0 2>/dev/null | sort | head -n 8)
    fi
    if [[ ${H_KEEP:-0} == 1 || $FAILED != 0 || $status == 2 ]]; then echo "${H_NAME}: kept $WORK" >&2; else rm -rf "$WORK"; fi
}

h_init() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-${H_NAME}.XXXXXX")
    trap h_cleanup EXIT
    trap 'exit 130' INT TERM
    # Stray ETCD_* / ETCDCTL_* variables would reconfigure the members and etcdctl.
    local variable
    while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)
}
