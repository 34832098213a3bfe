#!/usr/bin/env bash
# End-to-end test of the HTTP/1.1 side of the client port: /health, /version, /metrics and etcd's
# JSON gateway (grpc-gateway, POST /v3/...). Real etcd 3.4.23 (side A, the oracle) and the server
# under test (side B) are started single-member, side by side, and get the SAME requests in the
# same order, so revisions match and are compared too. Every check compares B's answer with A's
# field by field (Scripts/lib/jsoncompare.py): status, Content-Type, and the JSON body, where only
# values that legitimately differ between two clusters are free (cluster_id, member_id, raft_term,
# auto-assigned lease IDs, tokens, sizes, URLs, versions).
#
#   Scripts/e2e-gateway.sh [SERVER_BIN]          (default: .build/debug/swetcd)
#   GATEWAY_ORACLE_ONLY=1 Scripts/e2e-gateway.sh  (side B is a second real etcd: proves the script)
#
# Before anything starts, Scripts/lib/jsoncompare.py --self-test proves the comparison catches a
# changed revision, an emitted default, an int64 as a number, a status, a Content-Type.
#
# Checks (each prints PASS/FAIL):
#   health, health-post-405, metrics-url-metrics, metrics-url-health, metrics-url-no-gateway
#   (--listen-metrics-urls), access-cors-listed-origin, access-cors-other-origin,
#   access-host-refused, access-host-listed, access-no-gateway (--cors, --host-whitelist,
#   --enable-grpc-gateway=false on a second pair of members), health-nospace-503,
#   health-nospace-excluded, health-nospace-reason (past --quota-backend-bytes on that pair),
#   version-shape, not-found-404, gateway-not-found-404,
#   v3alpha-not-served, gateway-get-405
#   kv-put, kv-put-prev-kv, kv-range-single, kv-range-missing, kv-range-prefix, kv-range-limit,
#   kv-range-count-only, kv-range-keys-only, kv-range-sort-by-name, kv-range-sort-by-number,
#   kv-range-past-revision, kv-range-future-revision-400, kv-put-empty-key-400,
#   kv-range-empty-body-400, json-truncated-400, json-unknown-field-ignored, json-wrong-type-400,
#   json-bad-enum-400, kv-put-binary, kv-range-binary, json-base64-urlsafe-400,
#   json-base64-unpadded-400, json-bool-as-string-400, cors-headers, kv-deleterange-prev-kv, kv-txn-success, kv-txn-failure-nested,
#   kv-txn-compare-mod, kv-txn-create-revision-zero
#   watch-created, watch-events (created, PUT, DELETE with prev_kv, as {"result":...} lines),
#   watch-chunked (Transfer-Encoding: chunked, one line per message)
#   kv-compaction, kv-range-compacted-400, watch-compacted-canceled
#   lease-grant-id, lease-grant-auto, lease-put, lease-keepalive, lease-keepalive-unknown,
#   lease-timetolive-keys, lease-timetolive-alias, lease-revoke-auto, lease-leases,
#   lease-leases-alias, lease-revoke, lease-revoke-unknown-404, lease-revoke-alias-404,
#   lease-timetolive-revoked, lease-key-gone
#   maintenance-status-shape, cluster-member-list-shape, v3beta-alias
#   lock-lease-grant, lock-lock, lock-key-on-lease, lock-unlock, election-leader-none-500,
#   election-campaign, election-leader, election-proclaim, election-observe (the stream's lines
#   for the leader, then the proclaimed value), election-proclaim-not-leader-500,
#   election-resign, election-leader-after-resign-500, lock-lease-revoke
#   auth-user-add, auth-role-add, auth-user-grant, auth-enable, auth-authenticate-bad-password,
#   auth-authenticate, auth-put-no-token, auth-put-token, auth-put-bad-token, auth-put-bearer,
#   auth-disable-no-token, auth-disable, auth-put-after-disable
#   etcd3gw-*            Scripts/e2e-gateway-etcd3gw.py (Debian python3-etcd3gw) against B, and
#                        against A to prove it (a step failing on A is a FAIL "... on the oracle")
#   metrics-parse        /metrics parses with prometheus_client and has every required family
#   metrics-content-type text/plain; version=0.0.4
#   metrics-has-leader   etcd_server_has_leader 1
#   metrics-moves-*      after 20 etcdctl (gRPC) puts of new keys: proposals committed and applied
#                        +20, wal fsync count grew, grpc_server_handled_total{Put,OK} +20,
#                        etcd_debugging_mvcc_keys_total +20
#   health-no-quorum     with two of its members stopped, the third's /health is 503 with
#                        RAFT NO LEADER (or QGET ERROR: its read cannot complete)
#   metrics-peer-rtt     a 3-member cluster of B (ports 46560-46565) exports
#                        etcd_network_peer_round_trip_time_seconds (GATEWAY_CLUSTER=0 skips it)
# Required metric families: etcd 3.4.23 as it is (etcd_debugging_mvcc_watcher_total; it has no
# etcd_mvcc_watcher_total); any other server: the full list, etcd_mvcc_watcher_total included.
#
# Ports: 127.0.0.1:46540/46541 (etcd), 46550/46551 (server under test), 46560-46565 (cluster).
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# The work directory (every request's answer from both sides in a/ and b/) is kept on failure.
# A write that fails on B only shifts every later revision, so every later check fails on
# header.revision too: read the first FAIL.
#
# Environment:
#   GATEWAY_ORACLE_ONLY=1 side B is a second /usr/bin/etcd instead of SERVER_BIN
#   GATEWAY_PENDING       space-separated checks not expected to pass yet (PENDING, not FAIL; a
#                         pending check that passes is a FAIL, so the list cannot go stale)
#   GATEWAY_KEEP=1        keep the work directory
#   GATEWAY_CLUSTER=0     skip the 3-member cluster (metrics-peer-rtt)
#   GATEWAY_SERVER_ARGS   extra flags for side B
#   GATEWAY_PYTHON        Python with etcd3gw and prometheus_client (default /usr/bin/python3)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
ETCD_BIN=/usr/bin/etcd
ETCDCTL=/usr/bin/etcdctl
PY=${GATEWAY_PYTHON:-/usr/bin/python3}
if [[ ${GATEWAY_ORACLE_ONLY:-0} == 1 ]]; then
    SERVER_BIN=$ETCD_BIN
    B_NAME=etcd2
else
    SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
    B_NAME=swetcd
fi
A_NAME=etcd
read -r -a SERVER_ARGS <<<"${GATEWAY_SERVER_ARGS:-}"

H_NAME=e2e-gateway
H_PENDING=${GATEWAY_PENDING:-}
H_KEEP=${GATEWAY_KEEP:-0}
H_ETCDCTL=$ETCDCTL
# shellcheck source=lib/e2e-harness.sh
source "$SCRIPT_DIR/lib/e2e-harness.sh"

readonly A_CLIENT=46540 A_PEER=46541 A_METRICS=46542 A_ACCESS=46543 A_ACCESS_PEER=46544
readonly B_CLIENT=46550 B_PEER=46551 B_METRICS=46552 B_ACCESS=46553 B_ACCESS_PEER=46554
readonly CLUSTER_PORTS=(46560 46561 46562 46563 46564 46565) # client/peer pairs of 3 members
readonly MEMBER=gw # both sides' member name, so member lists compare

# Bounds.
readonly CURL_SECONDS_MAX=10         # one request
readonly CURL_SECONDS_UNREACHABLE=2  # one request to a side B that did not answer /health
readonly STREAM_SECONDS_MAX=30       # a background curl -N (killed as soon as it has its lines)
readonly LINE_POLLS_MAX=100          # x 0.1 s: a stream printed the lines expected
readonly RTT_POLLS_MAX=150           # x 0.1 s: the cluster's /metrics shows the peer RTT
readonly METRIC_PUTS=20              # gRPC puts between two /metrics scrapes

for tool in "$ETCD_BIN" "$ETCDCTL" curl timeout "$PY"; do
    command -v "$tool" >/dev/null 2>&1 || h_die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || h_die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
"$PY" -c 'import etcd3gw, prometheus_client' 2>/dev/null ||
    h_die "$PY lacks etcd3gw or prometheus_client (Scripts/install-deps.sh --with-tests installs python3-etcd3gw python3-prometheus-client)"
"$PY" "$SCRIPT_DIR/lib/jsoncompare.py" --self-test || h_die "Scripts/lib/jsoncompare.py --self-test failed"
version=$("$SERVER_BIN" --version 2>/dev/null | head -2 | tr '\n' ' ' || true)
if [[ $version =~ ^etcd\ Version:\ 3\.4\. && $version != *swetcd* ]]; then B_IS_ETCD34=1; else B_IS_ETCD34=0; fi

h_init
mkdir -p "$WORK/a" "$WORK/b"
info "A = $A_NAME ($ETCD_BIN) on $A_CLIENT, B = $B_NAME ($SERVER_BIN) on $B_CLIENT"

h_start_member "$ETCD_BIN" "$MEMBER" "$WORK/a/data" "$A_CLIENT" "$A_PEER" "" "$WORK/a/server.log" \
    --listen-metrics-urls "http://$H_HOST:$A_METRICS"
A_PID=$H_STARTED_PID
h_start_member "$SERVER_BIN" "$MEMBER" "$WORK/b/data" "$B_CLIENT" "$B_PEER" "" "$WORK/b/server.log" \
    --listen-metrics-urls "http://$H_HOST:$B_METRICS" "${SERVER_ARGS[@]}"
B_PID=$H_STARTED_PID
h_wait_healthy "$A_PID" "$A_CLIENT" || h_die "etcd did not become healthy (log: $WORK/a/server.log)"
h_wait_healthy "$B_PID" "$B_CLIENT" || h_die "$B_NAME did not become healthy over gRPC (log: $WORK/b/server.log)"

# ---------------------------------------------------------------------------------------------
# Requests

port_of() { if [[ $1 == a ]]; then echo "$A_CLIENT"; else echo "$B_CLIENT"; fi; }
B_CURL_SECONDS=$CURL_SECONDS_MAX
TOKEN_a="" TOKEN_b="" ALICE_a="" ALICE_b=""

# send SIDE NAME METHOD PATH BODY [--auth | --auth-bearer | --auth-alice] [CURL_ARG...]: one
# request; the answer goes to $WORK/SIDE/NAME.code (status, 000 when nothing came back), .head
# (headers and trailers) and .body. BODY "-" sends none. --auth adds "Authorization: <SIDE's root
# token>", --auth-alice the same with alice's token.
send() {
    local side=$1 name=$2 method=$3 path=$4 body=$5 seconds=$CURL_SECONDS_MAX token
    shift 5
    local args=()
    [[ $side == a ]] || seconds=$B_CURL_SECONDS
    [[ $body == - ]] || args+=(--data-binary "$body" -H 'Content-Type: application/json')
    token=TOKEN_$side
    case ${1:-} in
        --auth) args+=(-H "Authorization: ${!token}"); shift ;;
        --auth-bearer) args+=(-H "Authorization: Bearer ${!token}"); shift ;;
        --auth-alice) token=ALICE_$side; args+=(-H "Authorization: ${!token}"); shift ;;
    esac
    curl -sS --max-time "$seconds" -X "$method" -o "$WORK/$side/$name.body" -D "$WORK/$side/$name.head" \
        -w '%{http_code}' "$@" "${args[@]}" "http://$H_HOST:$(port_of "$side")$path" \
        >"$WORK/$side/$name.code" 2>"$WORK/$side/$name.err" || true
}
# req NAME METHOD PATH BODY [ARG...]: the same request to A, then to B.
req() { send a "$@"; send b "$@"; }
# same CHECK NAME [jsoncompare OPTION...]: B's answer to request NAME matches A's.
same() {
    local check=$1 name=$2 diff
    shift 2
    if diff=$("$PY" "$SCRIPT_DIR/lib/jsoncompare.py" --names "$A_NAME,$B_NAME" "$@" "$WORK/a/$name" "$WORK/b/$name" 2>&1); then
        pass "$check"
    else
        fail "$check" "$diff$(curl_error "$name")"
    fi
}
curl_error() { [[ ! -s $WORK/b/$1.err ]] || echo "; $B_NAME curl: $(head -c 200 "$WORK/b/$1.err")"; }
# check NAME METHOD PATH BODY [jsoncompare OPTION...] -- [curl ARG...]: req + same, the check named
# after the request.
check() {
    local name=$1 method=$2 path=$3 body=$4
    shift 4
    local opts=()
    while (($#)) && [[ $1 != -- ]]; do opts+=("$1"); shift; done
    (($#)) && shift
    req "$name" "$method" "$path" "$body" "$@"
    same "$name" "$name" "${opts[@]}"
}
b64() { printf '%s' "$1" | base64 -w0; }
# field SIDE NAME KEY DEFAULT: a top-level field of SIDE's JSON answer to NAME, or DEFAULT.
field() {
    "$PY" -c 'import json, sys
try:
    print(json.load(open(sys.argv[1])).get(sys.argv[2], sys.argv[3]))
except Exception:
    print(sys.argv[3])' "$WORK/$1/$2.body" "$3" "$4"
}

send b probe GET /health -
if [[ $(cat "$WORK/b/probe.code") == 000 ]]; then
    info "$B_NAME does not answer HTTP/1.1 on its client port ($(head -c 200 "$WORK/b/probe.err")); every check against it will fail, each request bounded to ${CURL_SECONDS_UNREACHABLE}s"
    B_CURL_SECONDS=$CURL_SECONDS_UNREACHABLE
fi

# ---------------------------------------------------------------------------------------------
# Plain HTTP endpoints. /health is text/plain in etcd 3.4 (not application/json), so its
# Content-Type is not required; the body is.

check health GET /health - --status 200 --no-content-type
check health-post-405 POST /health '' --status 405 --no-body --no-content-type

# --listen-metrics-urls: /metrics and /health there, nothing of the gateway.
metrics_port_check() {
    local name=$1 method=$2 path=$3 expected=$4 side port code
    for side in a b; do
        port=$A_METRICS
        [[ $side == a ]] || port=$B_METRICS
        code=$(curl -sS --max-time "$CURL_SECONDS_MAX" -X "$method" -o "$WORK/$side/$name.body" -w '%{http_code}' \
            "http://$H_HOST:$port$path" 2>"$WORK/$side/$name.err" || true)
        if [[ $code != "$expected" ]]; then
            fail "$name" "$([[ $side == a ]] && echo "$A_NAME" || echo "$B_NAME") answered $code on its metrics URL, expected $expected"
            return
        fi
    done
    pass "$name"
}
metrics_port_check metrics-url-metrics GET /metrics 200
metrics_port_check metrics-url-health GET /health 200
metrics_port_check metrics-url-no-gateway POST /v3/kv/range 404

# --cors, --host-whitelist, --enable-grpc-gateway=false: a second pair of members with them.
# access_check NAME EXPECTED PATH [--status-only] [CURL ARG...]: status, the
# Access-Control-Allow-Origin value and (unless --status-only) the body's first 40 bytes, equal on
# both, and equal to EXPECTED (status|origin).
access_check() {
    local name=$1 expected=$2 path=$3 side port answer body_bytes=40 verdicts=()
    shift 3
    if [[ ${1:-} == --status-only ]]; then body_bytes=0; shift; fi
    for side in a b; do
        port=$A_ACCESS
        [[ $side == a ]] || port=$B_ACCESS
        answer=$(curl -sS --max-time "$CURL_SECONDS_MAX" -D - -o "$WORK/$side/$name.body" "$@" "http://$H_HOST:$port$path" 2>&1 |
            tr -d '\r' | awk '/^HTTP\//{s=$2} tolower($1)=="access-control-allow-origin:"{o=$2} END{print s "|" o}')
        verdicts+=("$answer|$(head -c "$body_bytes" "$WORK/$side/$name.body" | tr '\n' ' ')")
    done
    if [[ ${verdicts[0]} == "${verdicts[1]}" && ${verdicts[0]} == "$expected|"* ]]; then
        pass "$name"
    else
        fail "$name" "expected $expected on both; $A_NAME: ${verdicts[0]}; $B_NAME: ${verdicts[1]}"
    fi
}
ACCESS_FLAGS=(--cors http://ui.example:8080 --host-whitelist ui.example,127.0.0.1 --enable-grpc-gateway=false
    --quota-backend-bytes 1048576)
h_start_member "$ETCD_BIN" "$MEMBER" "$WORK/a/access" "$A_ACCESS" "$A_ACCESS_PEER" "" "$WORK/a/access.log" "${ACCESS_FLAGS[@]}"
A_ACCESS_PID=$H_STARTED_PID
h_start_member "$SERVER_BIN" "$MEMBER" "$WORK/b/access" "$B_ACCESS" "$B_ACCESS_PEER" "" "$WORK/b/access.log" \
    "${ACCESS_FLAGS[@]}" "${SERVER_ARGS[@]}"
B_ACCESS_PID=$H_STARTED_PID
if h_wait_healthy "$A_ACCESS_PID" "$A_ACCESS" && h_wait_healthy "$B_ACCESS_PID" "$B_ACCESS"; then
    access_check access-cors-listed-origin "200|http://ui.example:8080" /health -H "Origin: http://ui.example:8080"
    access_check access-cors-other-origin "200|" /health -H "Origin: http://elsewhere.example:8080"
    access_check access-host-refused "421|" /health -H "Host: evil.example"
    access_check access-host-listed "200|" /health -H "Host: ui.example:2379"
    access_check access-no-gateway "404|" /v3/kv/range -X POST -d '{}'
    # Past --quota-backend-bytes (1 MiB here) a put raises NOSPACE; /health then fails unless the
    # alarm is excluded. etcd 3.4's body is {"health":"false"}; swetcd adds etcd 3.5's reason.
    for side in a b; do
        port=$A_ACCESS
        [[ $side == a ]] || port=$B_ACCESS
        for ((i = 0; i < 40; i++)); do
            head -c 100000 /dev/zero | tr '\0' x >"$WORK/$side/big.value"
            "$ETCDCTL" --endpoints "$H_HOST:$port" --dial-timeout 2s --command-timeout 5s put "big/$i" <"$WORK/$side/big.value" \
                >/dev/null 2>"$WORK/$side/nospace.err" || break
        done
    done
    access_check health-nospace-503 "503|" /health --status-only
    access_check health-nospace-excluded "200|" "/health?exclude=NOSPACE"
    if grep -q '"reason":"ALARM NOSPACE"' "$WORK/b/health-nospace-503.body"; then
        pass health-nospace-reason
    else
        fail health-nospace-reason "expected swetcd's /health to name ALARM NOSPACE; got $(head -c 200 "$WORK/b/health-nospace-503.body")"
    fi
else
    for check in access-cors-listed-origin access-cors-other-origin access-host-refused access-host-listed access-no-gateway \
        health-nospace-503 health-nospace-excluded health-nospace-reason; do
        fail "$check" "the members with --cors/--host-whitelist did not start (logs: $WORK/a/access.log, $WORK/b/access.log)"
    done
fi
h_stop_pid "$A_ACCESS_PID"
h_stop_pid "$B_ACCESS_PID"
# swetcd adds its own version under "swetcd" (see README: Versions); clients read only the two
# keys etcd writes.
check version-shape GET /version - --status 200 --any etcdserver --any etcdcluster --skip swetcd
check not-found-404 GET /no/such/path - --status 404 --no-body --no-content-type
check gateway-not-found-404 POST /v3/kv/nosuch '{}' --status 404 --no-body --no-content-type
check v3alpha-not-served POST /v3alpha/kv/range "{\"key\":\"$(b64 a)\"}" --status 404 --no-body --no-content-type
check gateway-get-405 GET /v3/kv/range - --status 405 --no-body --no-content-type

# ---------------------------------------------------------------------------------------------
# KV. Both sides start at revision 1 and see the same writes, so revisions are compared.

K=$(b64 gw/a) K2=$(b64 gw/b) K3=$(b64 gw/c) KEND=$(b64 gw0) # gw0: "gw/" with its last byte + 1
check kv-put POST /v3/kv/put "{\"key\":\"$K\",\"value\":\"$(b64 1)\"}" --status 200
check kv-put-prev-kv POST /v3/kv/put "{\"key\":\"$K\",\"value\":\"$(b64 2)\",\"prev_kv\":true}" --status 200
req put-b POST /v3/kv/put "{\"key\":\"$K2\",\"value\":\"$(b64 3)\"}"
req put-c POST /v3/kv/put "{\"key\":\"$K3\",\"value\":\"$(b64 4)\"}"
check kv-range-single POST /v3/kv/range "{\"key\":\"$K\"}" --status 200
check kv-range-missing POST /v3/kv/range "{\"key\":\"$(b64 gw/none)\"}" --status 200
check kv-range-prefix POST /v3/kv/range "{\"key\":\"$K\",\"range_end\":\"$KEND\"}" --status 200
check kv-range-limit POST /v3/kv/range "{\"key\":\"$K\",\"range_end\":\"$KEND\",\"limit\":2}" --status 200
check kv-range-count-only POST /v3/kv/range "{\"key\":\"$K\",\"range_end\":\"$KEND\",\"count_only\":true}" --status 200
check kv-range-keys-only POST /v3/kv/range "{\"key\":\"$K\",\"range_end\":\"$KEND\",\"keys_only\":true}" --status 200
check kv-range-sort-by-name POST /v3/kv/range "{\"key\":\"$K\",\"range_end\":\"$KEND\",\"sort_order\":\"DESCEND\",\"sort_target\":\"MOD\",\"limit\":\"2\"}" --status 200
check kv-range-sort-by-number POST /v3/kv/range "{\"key\":\"$K\",\"range_end\":\"$KEND\",\"sort_order\":2,\"sort_target\":4}" --status 200
check kv-range-past-revision POST /v3/kv/range "{\"key\":\"$K\",\"revision\":\"2\"}" --status 200
check kv-range-future-revision-400 POST /v3/kv/range "{\"key\":\"$K\",\"revision\":\"1000\"}" --status 400
check kv-put-empty-key-400 POST /v3/kv/put "{\"value\":\"$(b64 x)\"}" --status 400
check kv-range-empty-body-400 POST /v3/kv/range '' --status 400
check json-truncated-400 POST /v3/kv/put "{\"key\":\"$K\"" --status 400
# etcd's gateway ignores fields it does not know (and this put happens: revision 6).
check json-unknown-field-ignored POST /v3/kv/put "{\"key\":\"$K3\",\"value\":\"$(b64 5)\",\"no_such_field\":1}" --status 200
check json-wrong-type-400 POST /v3/kv/put '{"key":123}' --status 400
check json-bad-enum-400 POST /v3/kv/range "{\"key\":\"$K\",\"sort_order\":\"SIDEWAYS\"}" --status 400
# Keys and values are any bytes, in standard base64 with padding ("+" and "/", not "-" and "_").
check kv-put-binary POST /v3/kv/put '{"key":"AP8=","value":"+/8="}' --status 200
check kv-range-binary POST /v3/kv/range '{"key":"AP8="}' --status 200
check json-base64-urlsafe-400 POST /v3/kv/put '{"key":"AP8=","value":"-_8"}' --status 400
check json-base64-unpadded-400 POST /v3/kv/put '{"key":"AP8","value":"+/8="}' --status 400
check json-bool-as-string-400 POST /v3/kv/put "{\"key\":\"$K\",\"value\":\"$(b64 x)\",\"prev_kv\":\"true\"}" --status 400
# CORS: etcd answers every request with Access-Control-Allow-{Origin,Methods,Headers}.
check cors-headers POST /v3/kv/range "{\"key\":\"$K\"}" --status 200 \
    --header Access-Control-Allow-Origin --header Access-Control-Allow-Methods --header Access-Control-Allow-Headers
check kv-deleterange-prev-kv POST /v3/kv/deleterange "{\"key\":\"$K3\",\"prev_kv\":true}" --status 200
check kv-txn-success POST /v3/kv/txn "{\"compare\":[{\"key\":\"$K\",\"result\":\"EQUAL\",\"target\":\"VALUE\",\"value\":\"$(b64 2)\"}],\"success\":[{\"request_range\":{\"key\":\"$K\"}},{\"request_put\":{\"key\":\"$K3\",\"value\":\"$(b64 6)\",\"prev_kv\":true}},{\"request_delete_range\":{\"key\":\"$K2\",\"prev_kv\":true}}],\"failure\":[{\"request_delete_range\":{\"key\":\"$K\"}}]}" --status 200
check kv-txn-failure-nested POST /v3/kv/txn "{\"compare\":[{\"key\":\"$K\",\"result\":\"GREATER\",\"target\":\"MOD\",\"mod_revision\":\"100\"}],\"success\":[],\"failure\":[{\"request_range\":{\"key\":\"$K\",\"range_end\":\"$KEND\"}},{\"request_txn\":{\"compare\":[{\"key\":\"$K3\",\"target\":\"VERSION\",\"result\":\"LESS\",\"version\":\"5\"}],\"success\":[{\"request_range\":{\"key\":\"$K3\"}}]}}]}" --status 200
check kv-txn-compare-mod POST /v3/kv/txn "{\"compare\":[{\"key\":\"$K\",\"result\":\"NOT_EQUAL\",\"target\":\"MOD\",\"mod_revision\":\"3\"}],\"success\":[{\"request_put\":{\"key\":\"$K2\",\"value\":\"$(b64 7)\"}}]}" --status 200
check kv-txn-create-revision-zero POST /v3/kv/txn "{\"compare\":[{\"key\":\"$K\",\"result\":\"EQUAL\",\"target\":\"CREATE\",\"create_revision\":0}],\"success\":[{\"request_put\":{\"key\":\"$K\",\"value\":\"$(b64 no)\"}}],\"failure\":[{\"request_range\":{\"key\":\"$K\",\"count_only\":true}}]}" --status 200

# ---------------------------------------------------------------------------------------------
# Watch: a streaming POST; each message is a {"result":{...}} line in a chunked answer.

lines_in() { local n; n=$(grep -c . "$1" 2>/dev/null) || n=0; echo "$n"; }
has_lines() { (($(lines_in "$1") >= $2)); }
# stream_start SIDE NAME PATH BODY [CURL_ARG...]: curl -N in the background; its PID in
# STREAM_PID_<SIDE>.
stream_start() {
    local side=$1 name=$2 path=$3 body=$4 seconds=$STREAM_SECONDS_MAX
    shift 4
    [[ $side == a || $B_CURL_SECONDS == "$CURL_SECONDS_MAX" ]] || seconds=$CURL_SECONDS_UNREACHABLE
    curl -sS -N "$@" --max-time "$seconds" -X POST -H 'Content-Type: application/json' --data-binary "$body" \
        -o "$WORK/$side/$name.body" -D "$WORK/$side/$name.head" \
        "http://$H_HOST:$(port_of "$side")$path" 2>"$WORK/$side/$name.err" &
    H_BG_PIDS+=($!)
    printf -v "STREAM_PID_$side" '%s' "$!"
}
# stream_stop SIDE NAME: ends the background curl and records the status from its headers.
stream_stop() {
    local side=$1 name=$2 pid
    pid=STREAM_PID_$side
    kill -TERM "${!pid}" 2>/dev/null || true
    wait "${!pid}" 2>/dev/null || true
    h_forget "${!pid}"
    local code=000
    [[ ! -s $WORK/$side/$name.head ]] || code=$(awk 'NR == 1 { print $2 }' "$WORK/$side/$name.head")
    echo "$code" >"$WORK/$side/$name.code"
}
chunked() { grep -qi '^transfer-encoding: *chunked' "$1"; }

WATCH_BODY="{\"create_request\":{\"key\":\"$(b64 gw/w)\",\"range_end\":\"$(b64 gw/x)\",\"prev_kv\":true}}"
stream_start a watch /v3/watch "$WATCH_BODY"
stream_start b watch /v3/watch "$WATCH_BODY"
h_poll "$LINE_POLLS_MAX" has_lines "$WORK/a/watch.body" 1 || true
h_poll "$LINE_POLLS_MAX" has_lines "$WORK/b/watch.body" 1 || true
created_a=$(head -1 "$WORK/a/watch.body" 2>/dev/null || true)
created_b=$(head -1 "$WORK/b/watch.body" 2>/dev/null || true)
# Writes go to both sides whatever B did, so the revisions stay in step.
req watch-put POST /v3/kv/put "{\"key\":\"$(b64 gw/w1)\",\"value\":\"$(b64 v)\"}"
req watch-delete POST /v3/kv/deleterange "{\"key\":\"$(b64 gw/w1)\"}"
h_poll "$LINE_POLLS_MAX" has_lines "$WORK/a/watch.body" 3 || true
h_poll "$LINE_POLLS_MAX" has_lines "$WORK/b/watch.body" 3 || true
stream_stop a watch
stream_stop b watch
for side in a b; do
    created=created_$side
    printf '%s\n' "${!created}" >"$WORK/$side/watch-created.body"
    cp "$WORK/$side/watch.code" "$WORK/$side/watch-created.code"
    cp "$WORK/$side/watch.head" "$WORK/$side/watch-created.head" 2>/dev/null || true
done
same watch-created watch-created --status 200 --lines
same watch-events watch --status 200 --lines
verdict watch-chunked "expected Transfer-Encoding: chunked and $(lines_in "$WORK/a/watch.body") lines as $A_NAME; $B_NAME sent $(lines_in "$WORK/b/watch.body") lines, headers: $(tr '\r\n' ' |' <"$WORK/b/watch.head" 2>/dev/null | head -c 300)" \
    test "$(chunked "$WORK/a/watch.head" && echo y)|$(lines_in "$WORK/a/watch.body")" = "$(chunked "$WORK/b/watch.head" && echo y)|$(lines_in "$WORK/b/watch.body")"

# ---------------------------------------------------------------------------------------------
# Compaction

check kv-compaction POST /v3/kv/compaction '{"revision":"5","physical":true}' --status 200
check kv-range-compacted-400 POST /v3/kv/range "{\"key\":\"$K\",\"revision\":\"3\"}" --status 400
# A watch from a compacted revision: created, then canceled with compact_revision.
WATCH_OLD="{\"create_request\":{\"key\":\"$K\",\"start_revision\":\"2\"}}"
stream_start a watch-old /v3/watch "$WATCH_OLD"
stream_start b watch-old /v3/watch "$WATCH_OLD"
h_poll "$LINE_POLLS_MAX" has_lines "$WORK/a/watch-old.body" 2 || true
h_poll "$LINE_POLLS_MAX" has_lines "$WORK/b/watch-old.body" 2 || true
stream_stop a watch-old
stream_stop b watch-old
same watch-compacted-canceled watch-old --status 200 --lines

# ---------------------------------------------------------------------------------------------
# Leases. A granted ID is chosen by the client (4660) so it compares; the auto-assigned one is free.

LK=$(b64 gw/leased)
check lease-grant-id POST /v3/lease/grant '{"TTL":"60","ID":"4660"}' --status 200
check lease-grant-auto POST /v3/lease/grant '{"TTL":60}' --status 200 --any ID
AUTO_a=$(field a lease-grant-auto ID 0)
AUTO_b=$(field b lease-grant-auto ID 0)
check lease-put POST /v3/kv/put "{\"key\":\"$LK\",\"value\":\"$(b64 v)\",\"lease\":\"4660\"}" --status 200
check lease-keepalive POST /v3/lease/keepalive '{"ID":"4660"}' --status 200 --lines
check lease-keepalive-unknown POST /v3/lease/keepalive '{"ID":"999"}' --status 200 --lines
check lease-timetolive-keys POST /v3/lease/timetolive '{"ID":"4660","keys":true}' --status 200 --any TTL
check lease-timetolive-alias POST /v3/kv/lease/timetolive '{"ID":"4660"}' --status 200 --any TTL
send a lease-revoke-auto POST /v3/lease/revoke "{\"ID\":\"$AUTO_a\"}"
send b lease-revoke-auto POST /v3/lease/revoke "{\"ID\":\"$AUTO_b\"}"
same lease-revoke-auto lease-revoke-auto --status 200
check lease-leases POST /v3/lease/leases '{}' --status 200
check lease-leases-alias POST /v3/kv/lease/leases '{}' --status 200
check lease-revoke POST /v3/lease/revoke '{"ID":"4660"}' --status 200
check lease-revoke-unknown-404 POST /v3/lease/revoke '{"ID":"4660"}' --status 404
check lease-revoke-alias-404 POST /v3/kv/lease/revoke '{"ID":"4661"}' --status 404
check lease-timetolive-revoked POST /v3/lease/timetolive '{"ID":"4660","keys":true}' --status 200
check lease-key-gone POST /v3/kv/range "{\"key\":\"$LK\"}" --status 200

# ---------------------------------------------------------------------------------------------
# Maintenance, cluster, the /v3beta alias

check maintenance-status-shape POST /v3/maintenance/status '{}' --status 200 \
    --any version --any dbSize --any dbSizeInUse --any leader --any raftIndex --any raftTerm --any raftAppliedIndex
check cluster-member-list-shape POST /v3/cluster/member/list '{}' --status 200 \
    --any 'members.*.ID' --any 'members.*.peerURLs.*' --any 'members.*.clientURLs.*'
check v3beta-alias POST /v3beta/kv/range "{\"key\":\"$K\",\"range_end\":\"$KEND\"}" --status 200

# ---------------------------------------------------------------------------------------------
# The Lock and Election services (v3lock, v3election) through the gateway, on a lease the client
# chose (4662 = 0x1236), so the keys they make ("<name>/1236") compare.

ELEC=$(b64 gw-elec)
ELEC_KEY=$(b64 gw-elec/1236)
check lock-lease-grant POST /v3/lease/grant '{"TTL":"60","ID":"4662"}' --status 200
check lock-lock POST /v3/lock/lock "{\"name\":\"$(b64 gw-lock)\",\"lease\":\"4662\"}" --status 200
check lock-key-on-lease POST /v3/kv/range "{\"key\":\"$(b64 gw-lock/1236)\"}" --status 200
check lock-unlock POST /v3/lock/unlock "{\"key\":\"$(b64 gw-lock/1236)\"}" --status 200
check election-leader-none-500 POST /v3/election/leader "{\"name\":\"$ELEC\"}" --status 500
check election-campaign POST /v3/election/campaign "{\"name\":\"$ELEC\",\"lease\":\"4662\",\"value\":\"$(b64 p1)\"}" --status 200
ELEC_REV=$(field a election-campaign leader "{}" | "$PY" -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read()).get("rev", "0"))' 2>/dev/null || echo 0)
LEADER="{\"name\":\"$ELEC\",\"key\":\"$ELEC_KEY\",\"rev\":\"$ELEC_REV\",\"lease\":\"4662\"}"
check election-leader POST /v3/election/leader "{\"name\":\"$ELEC\"}" --status 200
for side in a b; do
    stream_start "$side" election-observe /v3/election/observe "{\"name\":\"$ELEC\"}"
    h_poll "$LINE_POLLS_MAX" has_lines "$WORK/$side/election-observe.body" 1 || true
done
check election-proclaim POST /v3/election/proclaim "{\"leader\":$LEADER,\"value\":\"$(b64 p2)\"}" --status 200
for side in a b; do
    h_poll "$LINE_POLLS_MAX" has_lines "$WORK/$side/election-observe.body" 2 || true
    stream_stop "$side" election-observe
done
same election-observe election-observe --status 200 --lines
check election-proclaim-not-leader-500 POST /v3/election/proclaim "{\"leader\":{\"name\":\"$ELEC\",\"key\":\"$(b64 gw-elec/99)\",\"rev\":\"1\",\"lease\":\"153\"},\"value\":\"$(b64 p3)\"}" --status 500
check election-resign POST /v3/election/resign "{\"leader\":$LEADER}" --status 200
check election-leader-after-resign-500 POST /v3/election/leader "{\"name\":\"$ELEC\"}" --status 500
check lock-lease-revoke POST /v3/lease/revoke '{"ID":"4662"}' --status 200

# ---------------------------------------------------------------------------------------------
# Auth through the gateway: the token goes in a bare "Authorization: <token>" header.

check auth-user-add POST /v3/auth/user/add '{"name":"root","password":"gw-Root-pw"}' --status 200
check auth-role-add POST /v3/auth/role/add '{"name":"root"}' --status 200
check auth-user-grant POST /v3/auth/user/grant '{"user":"root","role":"root"}' --status 200
check auth-user-add-no-role POST /v3/auth/user/add '{"name":"alice","password":"gw-Alice-pw"}' --status 200
check auth-enable POST /v3/auth/enable '{}' --status 200
check auth-authenticate-bad-password POST /v3/auth/authenticate '{"name":"root","password":"wrong"}' --status 400
check auth-authenticate POST /v3/auth/authenticate '{"name":"root","password":"gw-Root-pw"}' --status 200 --any token
TOKEN_a=$(field a auth-authenticate token "")
TOKEN_b=$(field b auth-authenticate token "")
req auth-authenticate-alice POST /v3/auth/authenticate '{"name":"alice","password":"gw-Alice-pw"}'
ALICE_a=$(field a auth-authenticate-alice token "")
ALICE_b=$(field b auth-authenticate-alice token "")
AK=$(b64 gw/auth)
check auth-put-no-token POST /v3/kv/put "{\"key\":\"$AK\",\"value\":\"$(b64 1)\"}" --status 400
check auth-put-token POST /v3/kv/put "{\"key\":\"$AK\",\"value\":\"$(b64 1)\"}" --status 200 -- --auth
check auth-put-bad-token POST /v3/kv/put "{\"key\":\"$AK\",\"value\":\"$(b64 1)\"}" --status 401 -- -H 'Authorization: not-a-token'
check auth-put-bearer POST /v3/kv/put "{\"key\":\"$AK\",\"value\":\"$(b64 1)\"}" --status 401 -- --auth-bearer
check auth-put-denied-403 POST /v3/kv/put "{\"key\":\"$AK\",\"value\":\"$(b64 1)\"}" --status 403 -- --auth-alice
check auth-user-list-denied-403 POST /v3/auth/user/list '{}' --status 403 -- --auth-alice
# A refused watch: one {"result":...} line, created and canceled at once, watch_id -1, the gRPC
# error as cancel_reason.
for name in watch-denied watch-no-token; do
    for side in a b; do
        token=""
        [[ $name == watch-no-token ]] || token=ALICE_$side
        stream_start "$side" "$name" /v3/watch "{\"create_request\":{\"key\":\"$AK\"}}" ${token:+-H "Authorization: ${!token}"}
        h_poll "$LINE_POLLS_MAX" has_lines "$WORK/$side/$name.body" 1 || true
        stream_stop "$side" "$name"
    done
done
same auth-watch-denied watch-denied --status 200 --lines
same auth-watch-no-token watch-no-token --status 200 --lines
check auth-disable-no-token POST /v3/auth/disable '{}' --status 400
check auth-disable POST /v3/auth/disable '{}' --status 200 -- --auth
check auth-put-after-disable POST /v3/kv/put "{\"key\":\"$AK\",\"value\":\"$(b64 2)\",\"prev_kv\":true}" --status 200

# ---------------------------------------------------------------------------------------------
# etcd3gw (Debian python3-etcd3gw): a client library that speaks only the gateway.

run_etcd3gw() {
    local side=$1 port
    port=$(port_of "$side")
    timeout -k 1 120 "$PY" "$SCRIPT_DIR/e2e-gateway-etcd3gw.py" "$H_HOST" "$port" >"$WORK/$side/etcd3gw.out" 2>"$WORK/$side/etcd3gw.err" || true
}
run_etcd3gw a
if [[ $B_CURL_SECONDS == "$CURL_SECONDS_MAX" ]]; then run_etcd3gw b; else
    echo "not-ok all (no HTTP/1.1 on the client port)" >"$WORK/b/etcd3gw.out"
    : >"$WORK/b/etcd3gw.err"
fi
while read -r status step why; do
    case $status in
        ok) ;;
        not-ok) fail "etcd3gw-$step" "on the oracle $A_NAME, so the test itself is wrong: $why" ;;
    esac
done <"$WORK/a/etcd3gw.out"
steps=$(awk '{ print $2 }' "$WORK/a/etcd3gw.out")
[[ -n $steps ]] || fail etcd3gw-runs "printed nothing against $A_NAME: $(head -c 300 "$WORK/a/etcd3gw.err")"
for step in $steps; do
    line=$(grep -E "^(ok|not-ok) $step( |$)" "$WORK/b/etcd3gw.out" | head -1 || true)
    if [[ $line == "ok $step" ]]; then
        pass "etcd3gw-$step"
    elif [[ -n $line ]]; then
        fail "etcd3gw-$step" "${line#not-ok "$step" }"
    else
        fail "etcd3gw-$step" "not reached: $(head -c 300 "$WORK/b/etcd3gw.out" | tr '\n' '|') $(tail -c 300 "$WORK/b/etcd3gw.err" | tr '\n' '|')"
    fi
done

# ---------------------------------------------------------------------------------------------
# Metrics (side B only; in GATEWAY_ORACLE_ONLY mode that is etcd itself)

METRICS_ETCD34=(
    etcd_server_has_leader etcd_server_leader_changes_seen_total
    etcd_server_proposals_committed_total etcd_server_proposals_applied_total
    etcd_server_proposals_pending etcd_server_proposals_failed_total
    etcd_disk_wal_fsync_duration_seconds:histogram etcd_disk_backend_commit_duration_seconds:histogram
    etcd_mvcc_db_total_size_in_bytes etcd_mvcc_db_total_size_in_use_in_bytes
    etcd_debugging_mvcc_keys_total etcd_debugging_mvcc_watcher_total
    grpc_server_handled_total grpc_server_started_total
    process_resident_memory_bytes process_cpu_seconds_total process_open_fds process_start_time_seconds
)
# What the issue asks of swetcd beyond etcd 3.4.23: the 3.5 name of the watcher gauge. (The peer
# round-trip histogram needs peers: metrics-peer-rtt.) Only the histograms' types are required:
# etcd itself declares some *_total families as gauges.
METRICS_FULL=("${METRICS_ETCD34[@]}" etcd_mvcc_watcher_total)
if ((B_IS_ETCD34)); then REQUIRED=("${METRICS_ETCD34[@]}"); else REQUIRED=("${METRICS_FULL[@]}"); fi

scrape() { send b "$1" GET /metrics -; }
metric() { "$PY" "$SCRIPT_DIR/lib/promcheck.py" value "$WORK/b/$1.body" "${@:2}" 2>/dev/null || echo none; }
grew() { # grew BEFORE AFTER MIN: AFTER - BEFORE >= MIN (both numbers)
    [[ $1 != none && $2 != none ]] && "$PY" -c 'import sys; sys.exit(0 if float(sys.argv[2]) - float(sys.argv[1]) >= float(sys.argv[3]) else 1)' "$1" "$2" "$3"
}

scrape metrics-before
if why=$("$PY" "$SCRIPT_DIR/lib/promcheck.py" require "$WORK/b/metrics-before.body" "${REQUIRED[@]}" 2>&1) &&
    [[ $(cat "$WORK/b/metrics-before.code") == 200 ]]; then
    pass metrics-parse
else
    fail metrics-parse "status $(cat "$WORK/b/metrics-before.code"): $why$(curl_error metrics-before)"
fi
ct=$(grep -i '^content-type:' "$WORK/b/metrics-before.head" 2>/dev/null | tail -1 | tr -d '\r' || true)
verdict metrics-content-type "expected Content-Type: text/plain; version=0.0.4 (charset optional); got '$ct'" \
    grep -qiE '^content-type: *text/plain; *version=0\.0\.4' <<<"$ct"
leader=$(metric metrics-before etcd_server_has_leader)
verdict metrics-has-leader "etcd_server_has_leader = $leader, expected 1" test "$leader" = 1.0

sample_names=(
    "committed etcd_server_proposals_committed_total"
    "applied etcd_server_proposals_applied_total"
    "wal-fsync etcd_disk_wal_fsync_duration_seconds_count"
    "grpc-put grpc_server_handled_total grpc_method=Put grpc_code=OK"
    "keys etcd_debugging_mvcc_keys_total"
)
for ((i = 1; i <= METRIC_PUTS; i++)); do
    h_ctl "$B_CLIENT" put "gw/metrics/$i" v >/dev/null 2>&1 || info "etcdctl put gw/metrics/$i to $B_NAME failed"
done
scrape metrics-after
for entry in "${sample_names[@]}"; do
    read -r -a parts <<<"$entry"
    label=${parts[0]}
    before=$(metric metrics-before "${parts[@]:1}")
    after=$(metric metrics-after "${parts[@]:1}")
    min=$METRIC_PUTS
    [[ $label != wal-fsync ]] || min=1
    verdict "metrics-moves-$label" "${parts[*]:1}: $before before $METRIC_PUTS puts, $after after (expected +$min)" grew "$before" "$after" "$min"
done

# The peer round-trip histogram: only a member with peers has it.
if [[ ${GATEWAY_CLUSTER:-1} == 1 ]]; then
    cluster=""
    for m in 0 1 2; do cluster+="${cluster:+,}c$m=http://$H_HOST:${CLUSTER_PORTS[m * 2 + 1]}"; done
    C_PIDS=()
    for m in 0 1 2; do
        h_start_member "$SERVER_BIN" "c$m" "$WORK/b/c$m" "${CLUSTER_PORTS[m * 2]}" "${CLUSTER_PORTS[m * 2 + 1]}" "$cluster" "$WORK/b/c$m.log" "${SERVER_ARGS[@]}"
        C_PIDS+=("$H_STARTED_PID")
    done
    rtt_seen() {
        curl -sS --max-time 2 -o "$WORK/b/metrics-cluster.body" "http://$H_HOST:${CLUSTER_PORTS[0]}/metrics" 2>/dev/null &&
            "$PY" "$SCRIPT_DIR/lib/promcheck.py" require "$WORK/b/metrics-cluster.body" etcd_network_peer_round_trip_time_seconds:histogram >/dev/null
    }
    if h_wait_healthy "${C_PIDS[0]}" "${CLUSTER_PORTS[0]}"; then
        verdict metrics-peer-rtt "no etcd_network_peer_round_trip_time_seconds histogram on member c0 of a 3-member cluster within $((RTT_POLLS_MAX / 10)) s" \
            h_poll "$RTT_POLLS_MAX" rtt_seen
        # Two members gone: the one left has no quorum, so no leader and no linearizable read.
        h_stop_pid "${C_PIDS[1]}"
        h_stop_pid "${C_PIDS[2]}"
        health_lost() {
            local code
            code=$(curl -sS --max-time 3 -o "$WORK/b/health-no-quorum.body" -w '%{http_code}' \
                "http://$H_HOST:${CLUSTER_PORTS[0]}/health" 2>/dev/null || true)
            [[ $code == 503 ]] && grep -Eq '"reason":"(RAFT NO LEADER|QGET ERROR:.*)"' "$WORK/b/health-no-quorum.body"
        }
        verdict health-no-quorum "expected 503 with RAFT NO LEADER or QGET ERROR from the member left alone within $((RTT_POLLS_MAX / 10)) s; last: $(cat "$WORK/b/health-no-quorum.body" 2>/dev/null)" \
            h_poll "$RTT_POLLS_MAX" health_lost
    else
        fail metrics-peer-rtt "the 3-member cluster did not become healthy (logs: $WORK/b/c*.log)"
        fail health-no-quorum "the 3-member cluster did not become healthy"
    fi
    for pid in "${C_PIDS[@]}"; do h_stop_pid "$pid"; done
else
    info "metrics-peer-rtt skipped (GATEWAY_CLUSTER=0)"
fi

h_summary
((FAILED == 0))
