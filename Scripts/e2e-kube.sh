#!/usr/bin/env bash
# End-to-end test of the server as Go clients and Kubernetes use it: etcd's own Go client
# (Scripts/clientcheck: clientv3 and clientv3/concurrency) and a kube-apiserver-style storage
# workload with consistency checking (Scripts/kubeload), against real etcd 3.4.23 (the oracle: it
# proves the checkers) and the server under test.
#
#   Scripts/e2e-kube.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#
# Checks (each prints PASS/FAIL/PENDING):
#   oracle-client-<check>   every clientcheck check against a single etcd member
#   client-<check>          the same against a single member of SERVER_BIN: put-get,
#                           put-prev-kv, range-prefix-limit-sort, range-count-keys-only,
#                           range-at-revision, delete-prefix-prev-kv, txn-compare-and-swap,
#                           txn-create-if-absent, large-values-and-limits (1 MiB values, a 6 MiB
#                           range, 1.6 MiB refused as too large, 129 txn ops refused),
#                           watch-from-revision-prev-kv,
#                           watch-progress-notify, keepalive-pings (the connection stays READY
#                           across a client keep-alive ping), lease-grant-keepalive, lease-expiry,
#                           lease-revoke, member-list, status, alarms-defragment-hashkv, compact,
#                           snapshot (checked with
#                           `etcdctl snapshot status`), mutex-contention, election
#   oracle-kubeload-single  kubeload for KUBE_DURATION against that etcd member: no consistency
#                           violation, no RPC error
#   kubeload-single         the same against SERVER_BIN, with -strict-progress (an event delivered
#                           after a progress notification that covered it is a violation; etcd
#                           3.4.23 can send a requested notification ahead of pending events, so
#                           the oracle runs without it)
#   oracle-kubeload-cluster, kubeload-cluster   the same against 3-member clusters, through all
#                           three endpoints
#   kubeload-periodic-progress, oracle-kubeload-periodic-progress   on the single members (started
#                           with --experimental-watch-progress-notify-interval=1s) a watch on an idle
#                           prefix, on its own stream that never requests progress, got >= 3
#                           periodic progress notifications
#   transcript-matches-etcd kubeload -transcript (a seeded sequence of guarded writes, some stale;
#                           paginated lists, counts, old-revision reads, compactions, leases granted,
#                           attached and revoked, range sorts and filters, a watch replaying it all
#                           with prev_kv) writes the same answers on the server as on etcd
#                           (revisions relative to the start, lease IDs as ordinals)
#   transcript-cluster-matches-etcd   the same sequence through the server's 3-member cluster's
#                           three endpoints writes etcd's single member's transcript too
#   kubeload-watch-checked, kubeload-lists-checked, kubeload-leases-checked,
#   kubeload-compaction-checked   the SERVER_BIN single-member run really checked watch-cache
#                           states, paginated lists, lease expiries and compactions (a run that
#                           checked nothing proves nothing)
#
# Ports: 127.0.0.1:46740/46741 (etcd), 46742/46743 (server under test), 46750-46755 (etcd cluster),
# 46760-46765 (server cluster).
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# Runs in about 2.5 minutes (four kubeload runs of KUBE_DURATION plus their drains).
#
# Environment:
#   KUBE_PENDING        space-separated checks not expected to pass yet (PENDING, not FAIL; a
#                       pending check that passes is a FAIL, so the list cannot go stale)
#   KUBE_DURATION       how long each kubeload run loads the server (default 15s; under about 8s
#                       no compaction happens: the compactors need two 3 s intervals)
#   KUBE_ORACLE=0       skip the runs against etcd
#   KUBE_CLUSTER=0      skip the 3-member clusters
#   KUBE_KEEP=1         keep the work directory (kept anyway on failure)
#   KUBE_SERVER_ARGS    extra flags for every SERVER_BIN member
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
ETCD_BIN=/usr/bin/etcd
DURATION=${KUBE_DURATION:-15s}
read -r -a SERVER_ARGS <<<"${KUBE_SERVER_ARGS:-}"

H_NAME=e2e-kube
H_PENDING=${KUBE_PENDING:-}
H_KEEP=${KUBE_KEEP:-0}
# shellcheck source=lib/e2e-harness.sh
source "$SCRIPT_DIR/lib/e2e-harness.sh"

readonly A_CLIENT=46740 A_PEER=46741 B_CLIENT=46742 B_PEER=46743
readonly A_CLUSTER_BASE=46750 B_CLUSTER_BASE=46760
readonly TRANSCRIPT_SEED=20240611 TRANSCRIPT_OPS=1000
# Compaction every 3 s so a short run compacts several times; leases of 3 s renewed for 1 s.
# Single members send periodic progress notifications every second (kube clusters often set it).
readonly PERIODIC_PROGRESS_FLAG=(--experimental-watch-progress-notify-interval=1s)
readonly KUBELOAD_FLAGS=(-duration "$DURATION" -compact-interval 3s -event-ttl 3 -lease-reuse 1s)

[[ -x $SERVER_BIN ]] || h_die "no server binary at $SERVER_BIN"
[[ -x $ETCD_BIN ]] || h_die "no etcd at $ETCD_BIN"
command -v go >/dev/null || h_die "no go toolchain"
h_init

info "building clientcheck and kubeload (GOPATH mode, Debian's etcd client)"
for tool in clientcheck kubeload; do
    (cd "$SCRIPT_DIR/$tool" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$WORK/$tool" .) \
        >"$WORK/build-$tool.log" 2>&1 || h_die "go build of Scripts/$tool failed: $(cat "$WORK/build-$tool.log")"
done

# start_single BINARY SIDE CLIENT PEER [FLAGS...]: one member, waited for.
start_single() {
    local bin=$1 side=$2 client=$3 peer=$4
    shift 4
    mkdir -p "$WORK/$side"
    h_start_member "$bin" "$side" "$WORK/$side/data" "$client" "$peer" "" "$WORK/$side/server.log" "$@"
    h_wait_healthy "$H_STARTED_PID" "$client" || h_die "$side ($bin) did not become healthy on $client (see $WORK/$side/server.log)"
}

# start_cluster BINARY SIDE BASE_PORT [FLAGS...]: three members on BASE..BASE+5; sets ENDPOINTS.
start_cluster() {
    local bin=$1 side=$2 base=$3 m cluster="" pids=()
    shift 3
    mkdir -p "$WORK/$side"
    for m in 0 1 2; do cluster+="${cluster:+,}$side$m=http://$H_HOST:$((base + 2 * m + 1))"; done
    ENDPOINTS=""
    for m in 0 1 2; do
        h_start_member "$bin" "$side$m" "$WORK/$side/m$m" "$((base + 2 * m))" "$((base + 2 * m + 1))" "$cluster" "$WORK/$side/m$m.log" "$@"
        pids+=("$H_STARTED_PID")
        ENDPOINTS+="${ENDPOINTS:+,}$H_HOST:$((base + 2 * m))"
    done
    for m in 0 1 2; do
        h_wait_healthy "${pids[m]}" "$((base + 2 * m))" || h_die "$side member $m did not become healthy (see $WORK/$side/m$m.log)"
    done
}

# clientcheck_verdicts PREFIX ENDPOINT SIDE: one verdict per clientcheck check.
clientcheck_verdicts() {
    local prefix=$1 endpoint=$2 side=$3 out=$WORK/$3/clientcheck.out line name
    "$WORK/clientcheck" -endpoint "$endpoint" -work "$WORK/$side" >"$out" 2>&1 || true
    local seen=0
    while IFS= read -r line; do
        case $line in
        "ok "*) pass "$prefix${line#ok }"; seen=$((seen + 1)) ;;
        "FAIL "*)
            name=${line#FAIL }
            fail "$prefix${name%%:*}" "${name#*: }"; seen=$((seen + 1)) ;;
        esac
    done <"$out"
    [[ $seen -gt 0 ]] || fail "${prefix}run" "clientcheck printed no verdicts: $(tail -3 "$out")"
}

# kubeload_verdict NAME SIDE ENDPOINTS [FLAGS...]: one kubeload run; the table goes to the log.
kubeload_verdict() {
    local name=$1 side=$2 endpoints=$3 status=0
    shift 3
    info "kubeload $name: ${KUBELOAD_FLAGS[*]} $* against $endpoints"
    "$WORK/kubeload" -endpoints "$endpoints" -json "$WORK/$side/kubeload.json" "${KUBELOAD_FLAGS[@]}" "$@" \
        >"$WORK/$side/kubeload.out" 2>"$WORK/$side/kubeload.err" || status=$?
    sed 's/^/#   /' "$WORK/$side/kubeload.out" | grep -E '^#   (op|create|update|delete|list-page|get|count|kubeload)' || true
    case $status in
    0) pass "$name" ;;
    1) fail "$name" "consistency violation: $(head -c 600 "$WORK/$side/kubeload.err")" ;;
    *) fail "$name" "exit $status: $(tail -c 600 "$WORK/$side/kubeload.out") $(tail -c 300 "$WORK/$side/kubeload.err")" ;;
    esac
}

# transcript SIDE ENDPOINT: kubeload's deterministic sequence (same seed on both sides).
transcript() {
    "$WORK/kubeload" -endpoints "$2" -seed "$TRANSCRIPT_SEED" -transcript-ops "$TRANSCRIPT_OPS" \
        -prefix /e2e-kube-transcript/ -transcript "$WORK/$1/transcript.txt" >"$WORK/$1/transcript.log" 2>&1 ||
        : >>"$WORK/$1/transcript.txt" # a failed run leaves a short transcript: the comparison names it
}

# compare_transcript NAME SIDE: SIDE's transcript is etcd's (side a).
compare_transcript() {
    if cmp -s "$WORK/a/transcript.txt" "$WORK/$2/transcript.txt"; then
        pass "$1"
    else
        fail "$1" "first difference (etcd <, server >): $(diff "$WORK/a/transcript.txt" "$WORK/$2/transcript.txt" | grep -m 2 '^[<>]' | cut -c1-300 | tr '\n' ' ')"
    fi
}

# checked NAME SIDE CHECK MIN: the JSON report counts at least MIN of CHECK.
checked() {
    local name=$1 side=$2 check=$3 min=$4 n
    n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["checks"].get(sys.argv[2], 0))' \
        "$WORK/$side/kubeload.json" "$check" 2>/dev/null || echo 0)
    if ((n >= min)); then pass "$name"; else fail "$name" "$check: $n, want >= $min"; fi
}

if [[ ${KUBE_ORACLE:-1} != 0 ]]; then
    start_single "$ETCD_BIN" a "$A_CLIENT" "$A_PEER" "${PERIODIC_PROGRESS_FLAG[@]}"
    clientcheck_verdicts oracle-client- "$H_HOST:$A_CLIENT" a
    kubeload_verdict oracle-kubeload-single a "$H_HOST:$A_CLIENT" -periodic-progress 1s
    checked oracle-kubeload-periodic-progress a idle-watch-progress 3
    transcript a "$H_HOST:$A_CLIENT"
    h_stop_pid "${H_PIDS[0]}"
fi

start_single "$SERVER_BIN" b "$B_CLIENT" "$B_PEER" "${PERIODIC_PROGRESS_FLAG[@]}" "${SERVER_ARGS[@]}"
B_PID=$H_STARTED_PID
clientcheck_verdicts client- "$H_HOST:$B_CLIENT" b
kubeload_verdict kubeload-single b "$H_HOST:$B_CLIENT" -strict-progress -periodic-progress 1s
checked kubeload-periodic-progress b idle-watch-progress 3
checked kubeload-watch-checked b watch-cache-progress 10
checked kubeload-lists-checked b pagination 5
checked kubeload-leases-checked b lease-expired 3
checked kubeload-compaction-checked b compaction 1
if [[ ${KUBE_ORACLE:-1} != 0 ]]; then
    transcript b "$H_HOST:$B_CLIENT"
    compare_transcript transcript-matches-etcd b
fi
h_stop_pid "$B_PID"

if [[ ${KUBE_CLUSTER:-1} != 0 ]]; then
    if [[ ${KUBE_ORACLE:-1} != 0 ]]; then
        start_cluster "$ETCD_BIN" ac "$A_CLUSTER_BASE"
        kubeload_verdict oracle-kubeload-cluster ac "$ENDPOINTS"
        for pid in "${H_PIDS[@]}"; do h_stop_pid "$pid"; done
    fi
    start_cluster "$SERVER_BIN" bc "$B_CLUSTER_BASE" "${SERVER_ARGS[@]}"
    kubeload_verdict kubeload-cluster bc "$ENDPOINTS" -strict-progress
    if [[ ${KUBE_ORACLE:-1} != 0 ]]; then
        transcript bc "$ENDPOINTS"
        compare_transcript transcript-cluster-matches-etcd bc
    fi
    for pid in "${H_PIDS[@]}"; do h_stop_pid "$pid"; done
fi

h_summary
[[ $FAILED == 0 ]]
