#!/usr/bin/env bash
# End-to-end comparison of a candidate server with real etcd 3.4.
#
#   Scripts/e2e.sh [SWETCD_BIN]        (default: .build/debug/swetcd)
#
# Every scenario in Scripts/e2e/scenarios.sh runs twice, each time on a fresh single-member server
# listening on loopback only: first on the reference (real etcd, /usr/bin/etcd), then on the
# candidate. A scenario is a sequence of steps (etcdctl commands, raw gRPC calls through nghttp,
# raw bytes on the client port); each step records its stdout, stderr and exit code into a
# transcript. The candidate's transcript of each step must equal etcd's, after a normalization that
# masks only what legitimately differs between two correct servers (see `normalize` below).
#
# Output: one `PASS <scenario>/<step>` or `FAIL <scenario>/<step>` line per step (a FAIL is
# followed by the diff, reference first), then `N passed, M failed` alone on the last line.
# Exit status: 0 when every step passed, 1 when any failed, 2 when the harness itself could not run
# (missing binary or tool, busy port, reference etcd not starting).
#
# Both servers get the same flags, ports and cluster token, so etcd's derived cluster and member
# IDs (which depend on the peer URLs and the token) must come out identical on the candidate.
#
# Environment:
#   E2E_ONLY=REGEX        run only scenarios whose name matches REGEX (bash =~)
#   E2E_REFERENCE_BIN     reference server (default /usr/bin/etcd; set it to the candidate's path
#                         to prove the harness: etcd against etcd must pass every step)
#   E2E_ETCDCTL           client (default /usr/bin/etcdctl)
#   E2E_KEEP=1            keep the work directory (transcripts and server logs) for inspection
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

CANDIDATE_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
REFERENCE_BIN=${E2E_REFERENCE_BIN:-/usr/bin/etcd}
ETCDCTL=${E2E_ETCDCTL:-/usr/bin/etcdctl}

# The e2e port range is 22379-22399; nothing else in the project or CI uses it (a packaged etcd
# service, if the distribution starts one, listens on 2379/2380).
readonly CLIENT_PORT=22379
readonly PEER_PORT=22380
readonly HOST=127.0.0.1
readonly CLIENT_ADDR="$HOST:$CLIENT_PORT"
readonly CLIENT_URL="http://$CLIENT_ADDR"
readonly PEER_URL="http://$HOST:$PEER_PORT"
# Not etcd's default token, so that a candidate that ignored the flag would show different IDs.
readonly CLUSTER_TOKEN=swetcd-e2e

# Readiness: at most this many `endpoint health` probes, READY_PAUSE_SECONDS apart. The pause only
# paces the polling; the verdict is whether the server answered within the bounded number of tries.
readonly READY_TRIES_MAX=100
readonly READY_PAUSE_SECONDS=0.1
# Shutdown: SIGTERM, then at most this many liveness checks before SIGKILL.
readonly STOP_TRIES_MAX=100

die() { echo "e2e: $*" >&2; exit 2; }

for tool in "$ETCDCTL" "$REFERENCE_BIN" curl nghttp xxd protoc timeout sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $CANDIDATE_BIN ]] || die "candidate server not found or not executable: $CANDIDATE_BIN (build it first: swift build)"
CANDIDATE_BIN=$(realpath "$CANDIDATE_BIN")
REFERENCE_BIN=$(realpath "$(command -v "$REFERENCE_BIN")")

# Both servers read ETCD_* and etcdctl reads ETCDCTL_*: the caller's environment must not leak
# into either run.
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-e2e.XXXXXX")
SERVER_PID=""

cleanup() {
    stop_server
    if [[ ${E2E_KEEP:-0} == 1 ]]; then
        echo "e2e: work directory kept at $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Servers

port_is_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# start_server BIN LOG: starts BIN single-member on a fresh data dir; sets SERVER_PID.
# Returns 1 if the server exits or does not answer `endpoint health` within the bounded tries.
start_server() {
    local bin=$1 log=$2 data_dir try
    for port in "$CLIENT_PORT" "$PEER_PORT"; do
        port_is_open "$port" && die "port $port is already in use; e2e needs 22379-22399 free"
    done
    data_dir=$(mktemp -d "$WORK/data.XXXXXX")
    "$bin" --name default --data-dir "$data_dir" \
        --listen-client-urls "$CLIENT_URL" --advertise-client-urls "$CLIENT_URL" \
        --listen-peer-urls "$PEER_URL" --initial-advertise-peer-urls "$PEER_URL" \
        --initial-cluster "default=$PEER_URL" --initial-cluster-token "$CLUSTER_TOKEN" \
        --initial-cluster-state new \
        </dev/null >"$log" 2>&1 &
    SERVER_PID=$!
    for ((try = 1; try <= READY_TRIES_MAX; try++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID" || true; SERVER_PID=""; return 1; }
        if ETCDCTL_API=3 "$ETCDCTL" --endpoints="$CLIENT_ADDR" --dial-timeout=1s --command-timeout=2s \
            endpoint health </dev/null >/dev/null 2>&1; then
            return 0
        fi
        sleep "$READY_PAUSE_SECONDS"
    done
    return 1
}

# stop_server: stops the server this script started, by its PID only, and reaps it.
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    local try
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for ((try = 1; try <= STOP_TRIES_MAX; try++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# ---------------------------------------------------------------------------------------------
# Normalization. Applied identically to both servers' transcripts; each rule says why the masked
# text may legitimately differ between two correct servers.

# Always applied.
normalize_common() {
    sed -E \
        `# etcdctl's own log lines carry the client's wall-clock time.` \
        -e 's/"ts":"[^"]*"/"ts":"<ts>"/g' \
        `# etcdctl names its gRPC resolver target with a random UUID per run.` \
        -e 's#endpoint://client-[0-9a-f-]+/#endpoint://client-<uuid>/#g' \
        `# endpoint health reports how long its probe took: timing, not behaviour.` \
        -e 's/took = [0-9.]+[a-zµ]+/took = <duration>/g' \
        -e 's/"took":"[^"]*"/"took":"<duration>"/g' \
        -e 's/^(\| [^|]* \| +(true|false) \| +)[0-9.]+[a-zµ]+( \|)/\1<duration>\3/' \
        `# HTTP/1.1 responses carry the server's current time.` \
        -e 's/^Date: .*/Date: <date>/' |
        normalize_tables
}

# etcdctl pads table cells to the widest content; once a cell is masked (a duration, a db size)
# the padding and border widths would still betray it. Cells are trimmed and borders shortened;
# cell contents themselves are still compared.
normalize_tables() {
    awk '
        /^\+[-+]+\+$/ { print "+--+"; next }
        /^\|.*\|$/ {
            n = split($0, cell, "|")
            line = "|"
            for (i = 2; i < n; i++) { c = cell[i]; gsub(/^ +| +$/, "", c); line = line " " c " |" }
            print line; next
        }
        { print }'
}

# For `endpoint status`: the backend file size (and its in-use part) depends on page allocation,
# and the raft index counts internal entries (conf changes, member attributes, cluster version)
# that two correct servers may batch differently. Version, leader, term and revision stay compared.
normalize_status() {
    sed -E \
        -e 's/"dbSize":[0-9]+/"dbSize":<db size>/g' \
        -e 's/"dbSizeInUse":[0-9]+/"dbSizeInUse":<db size>/g' \
        -e 's/"raftIndex":[0-9]+/"raftIndex":<raft index>/g' \
        -e 's/"raftAppliedIndex":[0-9]+/"raftAppliedIndex":<raft index>/g' \
        `# simple: endpoint, id, version, db size, leader, learner, term, index, applied, errors` \
        -e 's/^([^,|]+, [0-9a-f]+, [^,]+, )[^,]+(, [a-z]+, [a-z]+, [0-9]+, )[0-9]+, [0-9]+,/\1<db size>\2<raft index>, <raft index>,/' \
        `# table (already trimmed by normalize_tables): same columns between bars` \
        -e 's/^(\| [^|]+ \| [0-9a-f]+ \| [^|]+ \| )[^|]+( \| [a-z]+ \| [a-z]+ \| [0-9]+ \| )[0-9]+ \| [0-9]+ \|/\1<db size>\2<raft index> | <raft index> |/'
}

normalize() {
    local kind=$1
    case $kind in
        plain) normalize_common ;;
        status) normalize_common | normalize_status ;;
        *) die "unknown normalization: $kind" ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# Steps. Scenarios call these; each records one transcript file under $STEP_DIR.

STEP_DIR=""
STEP_NUMBER=0

# show_bytes MODE FILE: how a step's stdout enters the transcript.
#   text   - as is (a missing final newline is made visible)
#   hex    - hex dump: exact bytes (e.g. -w protobuf: a golden wire comparison)
#   digest - length and sha256 (outputs too large to diff usefully)
show_bytes() {
    local mode=$1 file=$2
    case $mode in
        text)
            cat "$file"
            if [[ -s $file && $(tail -c 1 "$file" | xxd -p) != 0a ]]; then
                printf '\n\\ no newline at end\n'
            fi
            ;;
        hex) xxd "$file" ;;
        digest) printf '%s bytes, sha256 %s\n' "$(wc -c <"$file")" "$(sha256sum <"$file" | cut -d' ' -f1)" ;;
        *) die "unknown output mode: $mode" ;;
    esac
}

# run_step NAME NORMALIZATION MODE DISPLAY CMD...: runs CMD with the caller's stdin.
run_step() {
    local name=$1 norm=$2 mode=$3 display=$4 rc=0 base
    shift 4
    STEP_NUMBER=$((STEP_NUMBER + 1))
    base=$(printf '%s/%02d-%s' "$STEP_DIR" "$STEP_NUMBER" "$name")
    if [[ -n $SERVER_PID ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
        # The server died earlier in this scenario; skip the client's dial timeouts.
        echo "server process has exited" >"$base.txt"
        return 0
    fi
    "$@" >"$base.out" 2>"$base.err" || rc=$?
    {
        printf '$ %s\n--- stdout\n' "$display"
        show_bytes "$mode" "$base.out"
        printf -- '--- stderr\n'
        show_bytes text "$base.err"
        printf -- '--- exit %s\n' "$rc"
    } | normalize "$norm" >"$base.txt"
}

etcdctl_v3() { ETCDCTL_API=3 "$ETCDCTL" --endpoints="$CLIENT_ADDR" "$@"; }

# ctl NAME ARGS...: one etcdctl command (stdin passes through, e.g. a here-document for txn).
ctl() { local name=$1; shift; run_step "$name" plain text "etcdctl $*" etcdctl_v3 "$@"; }
# ctl_hex: stdout compared byte for byte as a hex dump (use with -w protobuf).
ctl_hex() { local name=$1; shift; run_step "$name" plain hex "etcdctl $*" etcdctl_v3 "$@"; }
# ctl_digest: stdout compared by length and sha256.
ctl_digest() { local name=$1; shift; run_step "$name" plain digest "etcdctl $*" etcdctl_v3 "$@"; }
# ctl_status: `endpoint status`, with db size and raft index masked.
ctl_status() { local name=$1; shift; run_step "$name" status text "etcdctl $*" etcdctl_v3 "$@"; }

# ---- raw gRPC calls (HTTP/2 with prior knowledge, as Go's gRPC dials http:// endpoints)

# grpc_call PATH BODY_FILE: POSTs BODY_FILE (a complete gRPC request body, 5-byte prefix
# included) to PATH with curl, adding the header in GRPC_EXTRA_HEADER (`name: value`) if set.
# Prints the response headers, then (after a blank line) the trailers, so a trailers-only
# answer shows grpc-status among the headers; then the response message: its exact bytes in
# hex and protoc's raw decoding of the protobuf after the prefix.
# DATA frame boundaries, HPACK choices and SETTINGS values are transport details two correct
# servers may choose differently; curl does not show them.
grpc_call() {
    local path=$1 body=$2 dir rc=0
    dir=$(mktemp -d "$WORK/grpc.XXXXXX")
    curl -sS --http2-prior-knowledge --max-time 10 \
        -H 'content-type: application/grpc' -H 'te: trailers' ${GRPC_EXTRA_HEADER:+-H "$GRPC_EXTRA_HEADER"} \
        --data-binary "@$body" -D "$dir/headers" -o "$dir/message" \
        "$CLIENT_URL/$path" 2>"$dir/error" || rc=$?
    tr -d '\r' <"$dir/headers"
    if [[ -s $dir/message ]]; then
        echo "message bytes (gRPC prefix + protobuf):"
        xxd -p "$dir/message"
        echo "message decoded:"
        tail -c +6 "$dir/message" | protoc --decode_raw 2>&1 || true
    fi
    echo "curl exit $rc"
}

# grpc_file NAME PATH BODY_FILE DESCRIPTION
grpc_file() { run_step "$1" plain text "POST /$2 body: $4" grpc_call "$2" "$3"; }

# grpc NAME PATH HEX: HEX is the protobuf request message; the gRPC 5-byte prefix is added here.
grpc() {
    local name=$1 path=$2 hex=$3 file
    file=$(mktemp "$WORK/body.XXXXXX")
    { printf '00%08x' $((${#hex} / 2)); printf '%s' "$hex"; } | xxd -r -p >"$file"
    run_step "$name" plain text "POST /$path message: $hex" grpc_call "$path" "$file"
}

# nghttp_frames NAME PATH HEX: the same call through nghttp, showing what curl hides: how the
# answer is framed (a trailers-only error is one HEADERS frame with END_STREAM, flags 0x05).
nghttp_call() {
    local path=$1 body=$2 rc=0
    timeout 10 nghttp -v -H ':method: POST' -H 'content-type: application/grpc' -H 'te: trailers' \
        -d "$body" "$CLIENT_URL/$path" >"$body.trace" 2>&1 || rc=$?
    awk '
        /recv \(stream_id=[1-9][0-9]*\) / { sub(/^.*recv \(stream_id=[0-9]+\) /, ""); print; next }
        /recv HEADERS frame <.*stream_id=[1-9]/ {
            match($0, /flags=0x[0-9a-f]+/)
            print "HEADERS frame " substr($0, RSTART, RLENGTH)
        }' "$body.trace"
    echo "nghttp exit $rc"
}
#
# Use nghttp, not curl, where the server may answer before reading the whole request (unknown
# method, oversized message): the server then resets the stream, and curl sometimes reports only
# the reset, depending on whether its DATA was still in flight. nghttp prints the answer either way.
nghttp_frames() {
    local name=$1 path=$2 hex=$3 file
    file=$(mktemp "$WORK/body.XXXXXX")
    { printf '00%08x' $((${#hex} / 2)); printf '%s' "$hex"; } | xxd -r -p >"$file"
    run_step "$name" plain text "nghttp POST /$path message: $hex" nghttp_call "$path" "$file"
}
# nghttp_file NAME PATH BODY_FILE DESCRIPTION
nghttp_file() { run_step "$1" plain text "nghttp POST /$2 body: $4" nghttp_call "$2" "$3"; }

# ---- protobuf encoding helpers for raw requests (hex strings)

pb_uvarint() {
    local n=$1 out=""
    while ((n >= 128)); do out+=$(printf '%02x' $(((n & 127) | 128))); n=$((n >> 7)); done
    printf '%s%02x' "$out" "$n"
}
pb_varint() { pb_uvarint $(($1 << 3)); pb_uvarint "$2"; }           # FIELD N
pb_bytes() {                                                         # FIELD STRING
    local hex
    hex=$(printf '%s' "$2" | xxd -p | tr -d '\n')
    pb_uvarint $((($1 << 3) | 2)); pb_uvarint $((${#hex} / 2)); printf '%s' "$hex"
}
pb_message() { pb_uvarint $((($1 << 3) | 2)); pb_uvarint $((${#2} / 2)); printf '%s' "$2"; }  # FIELD HEX

# ---- raw bytes on the client port

# tcp_send HEX_PAYLOAD MODE: sends the bytes, then reads until the server closes (at most 5 s).
# MODE bytes: print what came back (exactly). MODE closed: print only whether the server closed.
tcp_send() {
    local payload=$1 mode=$2 reply rc=0 fd
    reply=$(mktemp "$WORK/reply.XXXXXX")
    exec {fd}<>"/dev/tcp/$HOST/$CLIENT_PORT"
    xxd -r -p <<<"$payload" >&"$fd" || true
    timeout 5 cat <&"$fd" >"$reply" || rc=$?
    exec {fd}>&-
    if [[ $mode == bytes ]]; then
        echo "received $(wc -c <"$reply") bytes:"
        xxd "$reply"
    fi
    if ((rc == 124)); then echo "connection still open after 5 s"; else echo "connection closed by server"; fi
}

tcp() { run_step "$1" plain text "send to client port: $2 (compare $3)" tcp_send "$2" "$3"; }

# http_get NAME PATH: HTTP/1.1 GET on the client port, response headers and body.
http_get() { run_step "$1" plain text "curl -si $CLIENT_URL$2" curl -si --max-time 5 "$CLIENT_URL$2"; }

# step NAME DISPLAY CMD...: anything else, compared as text.
step() { local name=$1 display=$2; shift 2; run_step "$name" plain text "$display" "$@"; }

# ---------------------------------------------------------------------------------------------
# Running and comparing

# shellcheck source=e2e/scenarios.sh
source "$SCRIPT_DIR/e2e/scenarios.sh"

PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }

# run_scenario_on LABEL BIN SCENARIO: fresh server, all steps, final health probe, stop.
run_scenario_on() {
    local label=$1 bin=$2 scenario=$3
    STEP_DIR="$WORK/$label/$scenario"
    STEP_NUMBER=0
    mkdir -p "$STEP_DIR"
    if ! start_server "$bin" "$WORK/$label/$scenario.log"; then
        stop_server
        return 1
    fi
    "scenario_$scenario" </dev/null
    # Whatever the scenario did, the server must still serve.
    ctl server-still-healthy endpoint health
    stop_server
}

compare_scenario() {
    local scenario=$1 ref candidate name log_shown=false
    for ref in "$WORK/reference/$scenario"/*.txt; do
        name=$(basename "$ref" .txt)
        candidate="$WORK/candidate/$scenario/$name.txt"
        if [[ ! -f $candidate ]]; then
            fail "$scenario/$name"
            if ! $log_shown; then
                echo "    (not run: the candidate server did not become ready; its log ends:)"
                tail -n 20 "$WORK/candidate/$scenario.log" 2>/dev/null | sed 's/^/    | /'
                log_shown=true
            fi
        elif cmp -s "$ref" "$candidate"; then
            pass "$scenario/$name"
        else
            fail "$scenario/$name"
            diff -u --label "etcd/$scenario/$name" --label "candidate/$scenario/$name" \
                "$ref" "$candidate" | sed 's/^/    /' || true
        fi
    done
}

echo "e2e: reference $REFERENCE_BIN, candidate $CANDIDATE_BIN"
for scenario in "${SCENARIOS[@]}"; do
    [[ -z ${E2E_ONLY:-} || $scenario =~ $E2E_ONLY ]] || continue
    run_scenario_on reference "$REFERENCE_BIN" "$scenario" ||
        die "reference server did not start for scenario $scenario; log: $(tail -n 5 "$WORK/reference/$scenario.log")"
    run_scenario_on candidate "$CANDIDATE_BIN" "$scenario" || true
    compare_scenario "$scenario"
done

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
