#!/usr/bin/env bash
# Kubernetes-style storage load (a benchmark, not a test): Scripts/kubeload for BENCH_DURATION
# against a fresh single member of real etcd 3.4.23 and of the server, interleaved (etcd, server,
# etcd, server, ...) ROUNDS times in the same sitting, then the same on 3-member clusters.
# Reports, per operation type (create, update, delete, list page, get, get limit 1, count), the
# throughput and p99 of each server (mean over the rounds) and the server/etcd ratio, plus each
# server's peak RSS (VmHWM from /proc/PID/status; the largest member's in a cluster) and CPU time
# per operation (user + system from /proc/PID/stat, all members, over kubeload's operations).
#
#   Scripts/bench-kube.sh [SWETCD_BIN]     (default .build/release/swetcd; etcd is /usr/bin/etcd)
#
# Environment: ROUNDS (default 2), BENCH_DURATION (default 60s), BENCH_CLUSTER=0 skips the
# clusters, BENCH_KEEP=1 keeps the JSON reports (in the printed work directory).
# Ports: 127.0.0.1:46770/46771 (single), 46772-46777 (cluster).
# kubeload still checks everything while it loads; a run with a violation is reported as such and
# still counted.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SWETCD=${1:-$REPO_ROOT/.build/release/swetcd}
ETCD_BIN=/usr/bin/etcd
ROUNDS=${ROUNDS:-2}
DURATION=${BENCH_DURATION:-60s}
[[ -x $SWETCD ]] || { echo "bench-kube: $SWETCD not found (swift build -c release)" >&2; exit 2; }

H_NAME=bench-kube
H_KEEP=${BENCH_KEEP:-0}
# shellcheck source=lib/e2e-harness.sh
source "$SCRIPT_DIR/lib/e2e-harness.sh"
h_init
H_SUMMARY_PRINTED=1 # no PASS/FAIL books here

readonly SINGLE_CLIENT=46770 SINGLE_PEER=46771 CLUSTER_BASE=46772

(cd "$SCRIPT_DIR/kubeload" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$WORK/kubeload" .) ||
    h_die "go build of Scripts/kubeload failed"

hwm_kib() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
# cpu_ticks PID: user + system CPU time so far, in clock ticks (fields 14 and 15 of /proc/PID/stat;
# the command name, field 2, has no spaces for these binaries).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# bench_one SERVER_NAME BINARY TOPOLOGY ROUND: one fresh member or cluster, one kubeload run.
bench_one() {
    local name=$1 bin=$2 topology=$3 round=$4 dir pids=() endpoints="" cluster="" m peak=0 hwm status=0 ticks=0
    dir=$WORK/$topology-$name-$round
    mkdir -p "$dir"
    if [[ $topology == single ]]; then
        h_start_member "$bin" m0 "$dir/m0" "$SINGLE_CLIENT" "$SINGLE_PEER" "" "$dir/m0.log"
        pids=("$H_STARTED_PID")
        endpoints=$H_HOST:$SINGLE_CLIENT
    else
        for m in 0 1 2; do cluster+="${cluster:+,}m$m=http://$H_HOST:$((CLUSTER_BASE + 2 * m + 1))"; done
        for m in 0 1 2; do
            h_start_member "$bin" "m$m" "$dir/m$m" "$((CLUSTER_BASE + 2 * m))" "$((CLUSTER_BASE + 2 * m + 1))" "$cluster" "$dir/m$m.log"
            pids+=("$H_STARTED_PID")
            endpoints+="${endpoints:+,}$H_HOST:$((CLUSTER_BASE + 2 * m))"
        done
    fi
    local ports=()
    IFS=, read -r -a ports <<<"$endpoints"
    for m in "${!pids[@]}"; do
        h_wait_healthy "${pids[m]}" "${ports[m]##*:}" || h_die "$name member $m did not become healthy (see $dir)"
    done
    "$WORK/kubeload" -endpoints "$endpoints" -duration "$DURATION" -json "$dir/report.json" >"$dir/kubeload.out" 2>"$dir/kubeload.err" || status=$?
    for m in "${pids[@]}"; do
        hwm=$(hwm_kib "$m")
        ((hwm > peak)) && peak=$hwm
        ticks=$((ticks + $(cpu_ticks "$m")))
    done
    echo "$ticks" >"$dir/cpu_ticks"
    for m in "${pids[@]}"; do h_stop_pid "$m"; done
    echo "$peak" >"$dir/hwm_kib"
    echo "$status" >"$dir/status"
    echo "# $topology $name round $round: kubeload exit $status, peak RSS $((peak / 1024)) MiB, $(grep -c . "$dir/kubeload.err" || true) stderr lines"
}

topologies=(single)
[[ ${BENCH_CLUSTER:-1} == 0 ]] || topologies+=(cluster)
for topology in "${topologies[@]}"; do
    for ((round = 1; round <= ROUNDS; round++)); do
        bench_one etcd "$ETCD_BIN" "$topology" "$round"
        bench_one swetcd "$SWETCD" "$topology" "$round"
    done
done

python3 - "$WORK" "$ROUNDS" "${topologies[@]}" <<'EOF'
import json, os, sys
work, rounds, topologies = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
ticks_per_second = os.sysconf("SC_CLK_TCK")
ops = ["create", "update", "delete", "list-page", "get", "get-limit1", "count"]
def mean(xs): return sum(xs) / len(xs) if xs else float("nan")
def ratio(a, b): return a / b if b else float("nan")
for topology in topologies:
    data = {}
    for server in ("etcd", "swetcd"):
        reports, hwm, statuses, cpu = [], [], [], []
        for r in range(1, rounds + 1):
            d = os.path.join(work, f"{topology}-{server}-{r}")
            try:
                reports.append(json.load(open(os.path.join(d, "report.json"))))
            except (OSError, ValueError):
                pass
            hwm.append(int(open(os.path.join(d, "hwm_kib")).read()))
            try:
                ops_done = sum(o["count"] for o in reports[-1]["ops"].values())
                cpu.append(int(open(os.path.join(d, "cpu_ticks")).read()) / ticks_per_second / ops_done * 1e6)
            except (OSError, ValueError, IndexError, ZeroDivisionError, KeyError):
                pass
            statuses.append(open(os.path.join(d, "status")).read().strip())
        data[server] = (reports, hwm, statuses, cpu)
    print(f"== {topology}: {rounds} rounds each, kubeload exit statuses etcd {data['etcd'][2]}, swetcd {data['swetcd'][2]}")
    print(f"{'op':12} {'etcd/s':>9} {'swetcd/s':>9} {'ratio':>6} {'etcd p99':>9} {'sw p99':>9} {'ratio':>6}   (p99 in ms; ratio = swetcd/etcd)")
    for op in ops:
        tp = {s: mean([r["ops"][op]["per_second"] for r in data[s][0] if op in r["ops"]]) for s in data}
        p99 = {s: mean([r["ops"][op]["p99_ms"] for r in data[s][0] if op in r["ops"]]) for s in data}
        print(f"{op:12} {tp['etcd']:9.1f} {tp['swetcd']:9.1f} {ratio(tp['swetcd'], tp['etcd']):6.2f} "
              f"{p99['etcd']:9.2f} {p99['swetcd']:9.2f} {ratio(p99['swetcd'], p99['etcd']):6.2f}")
    he, hs = max(data["etcd"][1]) / 1024, max(data["swetcd"][1]) / 1024
    print(f"{'peak RSS':12} etcd {he:.1f} MiB, swetcd {hs:.1f} MiB, ratio {ratio(hs, he):.2f} (largest member, worst round)")
    ce, cs = mean(data["etcd"][3]), mean(data["swetcd"][3])
    print(f"{'server CPU':12} etcd {ce:.1f} µs/op, swetcd {cs:.1f} µs/op, ratio {ratio(cs, ce):.2f} (all members, user + system, per kubeload operation)")
EOF
