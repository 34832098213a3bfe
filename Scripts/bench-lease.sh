#!/usr/bin/env bash
# Leases (a benchmark, not a test): for each server, in turn and interleaved ROUNDS times, a fresh
# single member on 127.0.0.1:44390 (peer 44391), then
#   (a) etcdbench lease-keepalive with 1,000 leases, as ../shared/etcdbench/run-anchor.sh
#       runs it (16 clients on one connection, each on its own long-lived LeaseKeepAlive stream,
#       50,000 keep-alives): keep-alives/s and p99;
#   (c) the expiry wave (`leasecheck wave`): a put load at PUT_RATE/s alone for 3 s, then 10,000
#       leases (TTL 5 s) granted with one key each and left to expire; the time from the last
#       lease's TTL end until a count-only get on their prefix returns 0, and the put latency
#       p50/p99 before the grants versus during the wave (etcd 3.4 revokes at most 1,000 expired
#       leases a second, so its wave lasts about 10 s);
#   (b) VmRSS before and after `leasecheck grant` of 100,000 leases (TTL 600 s, 64 concurrent):
#       bytes per lease. (Measured last, so the wave does not run beside 100,000 live leases.)
# Prints one line per measurement, prefixed with the server and round.
#
#   Scripts/bench-lease.sh [SWETCD_BIN]     (default .build/release/swetcd; etcd is /usr/bin/etcd)
#
# Environment: ROUNDS (default 2), KEEPALIVE_LEASES (1000), GRANT_LEASES (100000), WAVE_LEASES
# (10000), WAVE_TTL (5), PUT_RATE (100), ETCDBENCH_BIN (default: built from ETCDBENCH_DIR, default
# ../shared/etcdbench, or ../../shared/etcdbench from a worktree).
# Every load is bounded in count and time (etcdbench --max-seconds, leasecheck -max-seconds, and
# `timeout` as a safety net); a server that rejects an RPC gets a "failed" line and the next
# measurement runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SWETCD=${1:-.build/release/swetcd}
ROUNDS=${ROUNDS:-2}
KEEPALIVE_LEASES=${KEEPALIVE_LEASES:-1000}
GRANT_LEASES=${GRANT_LEASES:-100000}
WAVE_LEASES=${WAVE_LEASES:-10000}
WAVE_TTL=${WAVE_TTL:-5}
PUT_RATE=${PUT_RATE:-100}
HOST=127.0.0.1
CLIENT_PORT=44390
PEER_PORT=44391
EP=$HOST:$CLIENT_PORT
CAP_SECONDS=60            # etcdbench's cap on its timed phase
GRANT_SECONDS_MAX=300     # leasecheck grant stops granting after this
WAVE_SECONDS_MAX=120      # the wave must be over this long after the last TTL end
STOP_POLLS_MAX=150        # x 0.1 s: SIGTERM honoured before SIGKILL
[[ -x $SWETCD ]] || { echo "bench-lease: $SWETCD not found (swift build -c release)" >&2; exit 2; }
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-bench-lease.XXXXXX")
SERVER_PID=""
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq "$STOP_POLLS_MAX"); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

export GO111MODULE=off GOPATH=/usr/share/gocode
[[ -n ${HOME:-} || -n ${GOCACHE:-} ]] || export GOCACHE=$WORK/gocache
(cd Scripts/leasecheck && go build -o "$WORK/leasecheck" .)
EB=${ETCDBENCH_BIN:-}
if [[ -z $EB ]]; then
    EB=$WORK/etcdbench
    # ../shared from the main checkout, ../../shared from a worktree under wt/.
    source_dir=${ETCDBENCH_DIR:-../shared/etcdbench}
    [[ -d $source_dir || -n ${ETCDBENCH_DIR:-} ]] || source_dir=../../shared/etcdbench
    (cd "$source_dir" && go build -o "$EB" .)
fi

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; }
oneline() { tr '\n' ' ' | head -c 600; }

keepalive() {
    local label=$1 out=$WORK/keepalive.json
    timeout -k 5 $((CAP_SECONDS + 120)) "$EB" lease-keepalive --endpoints "$EP" --leases "$KEEPALIVE_LEASES" --ttl 60 \
        --clients 16 --conns 1 --total 50000 --max-seconds "$CAP_SECONDS" --server-pid "$SERVER_PID" --label "$label" \
        >"$out" 2>"$out.err" || true
    if [[ -s $out ]]; then
        python3 -c 'import sys, json; d = json.load(open(sys.argv[1])); print("%.0f keep-alives/s, p50 %.2f ms p99 %.2f ms, errors %d%s" % (d["rps"], d["p50_ms"], d["p99_ms"], d["errors"], ", hit the cap" if d.get("timed_out") else ""))' "$out"
    else
        echo "failed: $(oneline <"$out.err")"
    fi
}

measure() {
    local label=$1 bin=$2 before after line
    "$bin" --name lease --data-dir "$WORK/$label.data" \
        --listen-client-urls "http://$EP" --advertise-client-urls "http://$EP" \
        --listen-peer-urls "http://$HOST:$PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$PEER_PORT" \
        --initial-cluster "lease=http://$HOST:$PEER_PORT" >"$WORK/$label.log" 2>&1 &
    SERVER_PID=$!
    "$EB" wait --endpoints "$EP" >/dev/null || { echo "$label: the server did not start (see its log)"; stop_server; return 0; }
    echo "$label lease-keepalive ($KEEPALIVE_LEASES leases, 16 clients, 1 conn): $(keepalive "$label")"

    timeout -k 5 $((WAVE_SECONDS_MAX + 4 * WAVE_TTL + 180)) "$WORK/leasecheck" wave -endpoint "$EP" -n "$WAVE_LEASES" \
        -ttl "$WAVE_TTL" -put-rate "$PUT_RATE" -max-seconds "$WAVE_SECONDS_MAX" >"$WORK/wave.txt" 2>&1 || true
    while read -r line; do echo "$label wave: $line"; done <"$WORK/wave.txt"

    before=$(rss_kib)
    timeout -k 5 $((GRANT_SECONDS_MAX + 60)) "$WORK/leasecheck" grant -endpoint "$EP" -n "$GRANT_LEASES" -ttl 600 \
        -concurrency 64 -max-seconds "$GRANT_SECONDS_MAX" >"$WORK/grant.txt" 2>&1 || true
    after=$(rss_kib)
    echo "$label grant: $(oneline <"$WORK/grant.txt")"
    echo "$label RSS: $before KiB before, $after KiB after granting $GRANT_LEASES leases: $(((after - before) * 1024 / GRANT_LEASES)) bytes per lease (if all were granted)"
    echo "$label peak RSS: $(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status") KiB"
    stop_server
    rm -rf "$WORK/$label.data"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); swetcd $SWETCD; etcd /usr/bin/etcd"
for ((round = 1; round <= ROUNDS; round++)); do
    measure "etcd-$round" /usr/bin/etcd
    measure "swetcd-$round" "$SWETCD"
done
