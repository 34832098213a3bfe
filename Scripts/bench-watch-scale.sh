#!/usr/bin/env bash
# Watch at scale (a benchmark, not a test): for each server, in turn and interleaved ROUNDS times,
# a fresh single member on 127.0.0.1:43400 (peer 43401); etcdbench put-64c without watchers; then
# `watchcheck hold` opens 10,000 watchers on distinct keys plus 100 on the prefix the puts write
# (every put reaches those 100), over 100 streams; memory per watcher from VmRSS before and after;
# put-64c again with the watchers. Prints one line per measurement.
#
#   Scripts/bench-watch-scale.sh [SWETCD_BIN]     (default .build/release/swetcd; etcd is /usr/bin/etcd)
#
# Environment: ROUNDS (default 2), WATCHERS (10000), PREFIX_WATCHERS (100), STREAMS (100),
# ETCDBENCH_BIN (default: built from ../shared/etcdbench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SWETCD=${1:-.build/release/swetcd}
ROUNDS=${ROUNDS:-2}
WATCHERS=${WATCHERS:-10000}
PREFIX_WATCHERS=${PREFIX_WATCHERS:-100}
STREAMS=${STREAMS:-100}
HOST=127.0.0.1
CLIENT_PORT=43400
PEER_PORT=43401
WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-watch-scale.XXXXXX")
SERVER_PID=""
HOLD_PID=""
cleanup() {
    [[ -z $HOLD_PID ]] || { kill "$HOLD_PID" 2>/dev/null || true; wait "$HOLD_PID" 2>/dev/null || true; }
    [[ -z $SERVER_PID ]] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
    rm -rf "$WORK"
}
trap cleanup EXIT

export GO111MODULE=off GOPATH=/usr/share/gocode
(cd Scripts/watchcheck && go build -o "$WORK/watchcheck" .)
EB=${ETCDBENCH_BIN:-}
if [[ -z $EB ]]; then
    EB=$WORK/etcdbench
    (cd ../shared/etcdbench && go build -o "$EB" .)
fi

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; }
put64() {
    "$EB" put --endpoints "$HOST:$CLIENT_PORT" --clients 64 --conns 8 --total 30000 --val-size 256 \
        --key-space-size 100000 --prefix p/ --max-seconds 60 --label "$1" |
        python3 -c 'import sys, json; d = json.loads(sys.stdin.read()); print("rps %.0f p99 %.1f ms errors %d" % (d["rps"], d["p99_ms"], d["errors"]))'
}

measure() {
    local label=$1 bin=$2 before with
    "$bin" --name scale --data-dir "$WORK/$label.data" \
        --listen-client-urls "http://$HOST:$CLIENT_PORT" --advertise-client-urls "http://$HOST:$CLIENT_PORT" \
        --listen-peer-urls "http://$HOST:$PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$PEER_PORT" \
        --initial-cluster "scale=http://$HOST:$PEER_PORT" >"$WORK/$label.log" 2>&1 &
    SERVER_PID=$!
    "$EB" wait --endpoints "$HOST:$CLIENT_PORT" >/dev/null
    echo "$label put-64c without watchers: $(put64 "$label-without")"
    before=$(rss_kib)
    mkfifo "$WORK/hold.in"
    "$WORK/watchcheck" hold -endpoint "$HOST:$CLIENT_PORT" -watchers "$WATCHERS" -prefix-watchers "$PREFIX_WATCHERS" \
        -streams "$STREAMS" <"$WORK/hold.in" >"$WORK/hold.out" 2>&1 &
    HOLD_PID=$!
    exec 7>"$WORK/hold.in"
    for _ in $(seq 1500); do grep -q -e ready -e created "$WORK/hold.out" && break; sleep 0.1; done
    grep -q ready "$WORK/hold.out" || { echo "$label: watchers not created: $(cat "$WORK/hold.out")"; exit 1; }
    with=$(rss_kib)
    echo "$label RSS: $before KiB before, $with KiB with $((WATCHERS + PREFIX_WATCHERS)) watchers: $(((with - before) * 1024 / (WATCHERS + PREFIX_WATCHERS))) bytes per watcher"
    echo "$label put-64c with watchers ($PREFIX_WATCHERS of them see every put): $(put64 "$label-with")"
    echo "$label peak RSS: $(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status") KiB"
    exec 7>&-
    wait "$HOLD_PID" || true
    HOLD_PID=""
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    rm -rf "$WORK/$label.data" "$WORK/hold.in"
}

for ((round = 1; round <= ROUNDS; round++)); do
    measure "etcd-$round" /usr/bin/etcd
    measure "swetcd-$round" "$SWETCD"
done
