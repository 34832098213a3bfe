#!/usr/bin/env bash
# TLS and auth (a benchmark, not a test): for each server (etcd /usr/bin/etcd, then swetcd), in turn
# and interleaved ROUNDS times, a fresh single member serving https on its client port (CA and
# server certificate, P-256 with SAN IP:127.0.0.1, made with openssl here; plain http between
# peers), then, all through `tlsbench` (Scripts/tlsbench):
#   (a) put (CLIENTS concurrent, CONNS connections, random keys among 100,000, 256-byte values)
#       and range (one key, linearizable) over TLS without auth;
#   (b) `etcdctl user add root`, `auth enable` (over TLS with --cacert), then the same put and
#       range authenticated as root (simple token: clientv3 authenticates each connection once and
#       sends the token with every request);
#   (c) full TLS handshakes per second (new TCP connection each, ALPN h2, no session resumption).
# Each load prints requests/s, p50/p99 and the server's CPU microseconds per request (utime+stime
# from /proc/PID/stat, read around the timed phase only: connecting and bcrypt are left out).
# One line per measurement, prefixed with the server and round; then the swetcd/etcd ratios of the
# per-server means (rps and handshakes/s: above 1 is swetcd faster; p99 and CPU per request: below
# 1 is swetcd better).
#
#   Scripts/bench-tls-auth.sh [SWETCD_BIN]     (default .build/release/swetcd)
#
# Environment: ROUNDS (default 2, at most 5), TOTAL requests per load (30000), CLIENTS (64),
# CONNS (8), MAX_SECONDS per load (60), HANDSHAKE_SECONDS (5), HANDSHAKE_CONCURRENCY (8).
# Ports: 127.0.0.1:44600-44619, a client/peer pair per member started (none reused in a run).
# Every load is bounded in count and time (tlsbench -total/-max-seconds, and `timeout` as a
# safety net); a server that refuses something gets a "failed" line and the next measurement runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SWETCD=${1:-.build/release/swetcd}
ROUNDS=${ROUNDS:-2}
TOTAL=${TOTAL:-30000}
CLIENTS=${CLIENTS:-64}
CONNS=${CONNS:-8}
MAX_SECONDS=${MAX_SECONDS:-60}
HANDSHAKE_SECONDS=${HANDSHAKE_SECONDS:-5}
HANDSHAKE_CONCURRENCY=${HANDSHAKE_CONCURRENCY:-8}
ETCDCTL=/usr/bin/etcdctl
HOST=127.0.0.1
PORT_BASE=44600
ROUNDS_MAX=5              # two servers x two ports x 5 rounds = the 20 ports 44600-44619
PASSWORD=bench-root-pw
START_POLLS_MAX=100       # x 0.2 s: the member must answer `endpoint health` within 20 s
STOP_POLLS_MAX=150        # x 0.1 s: SIGTERM honoured before SIGKILL
ETCDCTL_SECONDS_MAX=15    # safety net for one etcdctl call
[[ -x $SWETCD ]] || { echo "bench-tls-auth: $SWETCD not found (swift build -c release)" >&2; exit 2; }
((ROUNDS >= 1 && ROUNDS <= ROUNDS_MAX)) || { echo "bench-tls-auth: ROUNDS must be 1..$ROUNDS_MAX" >&2; exit 2; }
for tool in /usr/bin/etcd "$ETCDCTL" openssl timeout go awk; do
    command -v "$tool" >/dev/null || { echo "bench-tls-auth: $tool is missing" >&2; exit 2; }
done
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-bench-tls.XXXXXX")
PKI=$WORK/pki
RESULTS=$WORK/results.txt
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
(cd Scripts/tlsbench && go build -o "$WORK/tlsbench" .)

# The CA and the server certificate (serverAuth and clientAuth: etcd's gRPC gateway dials the
# server with it).
make_certs() {
    mkdir -p "$PKI"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=bench-tls-ca" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -keyout "$PKI/ca.key" -out "$PKI/ca.crt"
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$PKI/server.ext"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=bench-tls-server" \
        -keyout "$PKI/server.key" -out "$PKI/server.csr"
    openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -set_serial 0x1001 \
        -days 2 -extfile "$PKI/server.ext" -out "$PKI/server.crt"
}
make_certs >"$WORK/pki.log" 2>&1 || { echo "bench-tls-auth: openssl failed:" >&2; cat "$WORK/pki.log" >&2; exit 2; }

oneline() { tr '\n' ' ' | head -c 600; }
ctl() { timeout -k 2 "$ETCDCTL_SECONDS_MAX" "$ETCDCTL" --endpoints "https://$EP" --cacert "$PKI/ca.crt" "$@"; }

# record LABEL MEASURE LINE: prints the line, keeps its numbers for the summary.
record() {
    echo "$1 $2: $3"
    echo "${1%-*} $2 $3" >>"$RESULTS"
}

# load LABEL MEASURE OP [AUTH ARGS...]
load() {
    local label=$1 measure=$2 op=$3 out
    shift 3
    out=$(timeout -k 5 $((MAX_SECONDS + 60)) "$WORK/tlsbench" load -endpoint "https://$EP" -cacert "$PKI/ca.crt" \
        -op "$op" -clients "$CLIENTS" -conns "$CONNS" -total "$TOTAL" -max-seconds "$MAX_SECONDS" \
        -val-size 256 -key-space 100000 -server-pid "$SERVER_PID" "$@" 2>&1) || true
    if [[ $out == op=*rps=* ]]; then record "$label" "$measure" "$out"; else echo "$label $measure: failed: $(oneline <<<"$out")"; fi
}

measure() {
    local label=$1 bin=$2 slot=$3 client_port peer_port out
    client_port=$((PORT_BASE + 2 * slot))
    peer_port=$((client_port + 1))
    EP=$HOST:$client_port
    "$bin" --name bench --data-dir "$WORK/$label.data" \
        --listen-client-urls "https://$EP" --advertise-client-urls "https://$EP" \
        --cert-file "$PKI/server.crt" --key-file "$PKI/server.key" \
        --listen-peer-urls "http://$HOST:$peer_port" --initial-advertise-peer-urls "http://$HOST:$peer_port" \
        --initial-cluster "bench=http://$HOST:$peer_port" >"$WORK/$label.log" 2>&1 &
    SERVER_PID=$!
    local ready=""
    for _ in $(seq "$START_POLLS_MAX"); do
        if ctl --command-timeout=1s endpoint health >/dev/null 2>&1; then ready=1; break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.2
    done
    if [[ -z $ready ]]; then
        echo "$label: the server did not start: $(tail -n 5 "$WORK/$label.log" | oneline)"
        stop_server
        return 0
    fi

    load "$label" "put-${CLIENTS}c" put
    load "$label" "range-${CLIENTS}c" range
    if out=$({ ctl user add "root:$PASSWORD" && ctl auth enable; } 2>&1); then
        load "$label" "auth-put-${CLIENTS}c" put -user root -password "$PASSWORD"
        load "$label" "auth-range-${CLIENTS}c" range -user root -password "$PASSWORD"
    else
        echo "$label auth: failed: $(oneline <<<"$out")"
    fi
    out=$(timeout -k 5 $((HANDSHAKE_SECONDS + 30)) "$WORK/tlsbench" handshakes -endpoint "$EP" -cacert "$PKI/ca.crt" \
        -seconds "$HANDSHAKE_SECONDS" -concurrency "$HANDSHAKE_CONCURRENCY" -server-pid "$SERVER_PID" 2>&1) || true
    if [[ $out == handshakes/s=* ]]; then record "$label" handshakes "$out"; else echo "$label handshakes: failed: $(oneline <<<"$out")"; fi
    stop_server
    rm -rf "$WORK/$label.data"
}

# The means per server and measure, then swetcd/etcd for each number.
summary() {
    [[ -s $RESULTS ]] || { echo "summary: no measurements"; return 0; }
    echo "# swetcd/etcd (means over the rounds; rps and handshakes/s above 1 = swetcd faster; p99 and cpu below 1 = swetcd better)"
    awk '
        {
            server = $1; m = $2
            if (!(m in seen)) { seen[m] = 1; order[++n] = m }
            for (i = 3; i <= NF; i++) {
                split($i, kv, "=")
                k = kv[1]
                if (k != "rps" && k != "handshakes/s" && k != "p99_ms" && k != "cpu_us_per_req" && k != "cpu_us_per_handshake") continue
                sum[server, m, k] += kv[2]; cnt[server, m, k]++
                if (!((m, k) in key_seen)) { key_seen[m, k] = 1; keys[m] = keys[m] " " k }
            }
        }
        END {
            for (j = 1; j <= n; j++) {
                m = order[j]; line = m ":"
                nk = split(keys[m], ks, " ")
                for (q = 1; q <= nk; q++) {
                    k = ks[q]
                    if (cnt["etcd", m, k] == 0 || cnt["swetcd", m, k] == 0) { line = line sprintf(" %s n/a", k); continue }
                    e = sum["etcd", m, k] / cnt["etcd", m, k]; s = sum["swetcd", m, k] / cnt["swetcd", m, k]
                    if (e == 0) { line = line sprintf(" %s %.4g/0", k, s); continue }
                    line = line sprintf(" %s %.2f (%.4g vs %.4g)", k, s / e, s, e)
                }
                print line
            }
        }' "$RESULTS"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); swetcd $SWETCD; etcd /usr/bin/etcd; $TOTAL requests x $CLIENTS clients / $CONNS conns per load"
slot=0
for ((round = 1; round <= ROUNDS; round++)); do
    measure "etcd-$round" /usr/bin/etcd "$slot"; slot=$((slot + 1))
    measure "swetcd-$round" "$SWETCD" "$slot"; slot=$((slot + 1))
done
summary
