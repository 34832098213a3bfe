#!/usr/bin/env bash
# End-to-end comparison of the Lock and Election services (v3lockpb.Lock, v3electionpb.Election)
# with etcd's: every Scripts/electioncheck scenario runs on a real etcd member and on the server
# under test, and their normalized transcripts must be identical; then a few calls through the
# JSON gateway (curl) whose bodies must match etcd's field by field.
#
#   Scripts/e2e-election.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-election.sh /usr/bin/etcd    (proves the script itself: etcd against etcd must pass)
#
# Checks (each prints PASS/FAIL/PENDING):
#   <scenario>            one per `electioncheck list` (see Scripts/electioncheck/scenarios.go):
#                         lock-uncontended, lock-relock, lock-order (three clients acquire in
#                         request order, each only after the previous Unlock), lock-cancel-waiter
#                         and lock-deadline-waiter (no key left behind), lock-lease-revoked,
#                         lock-unknown-lease, lock-lease-zero (a 60 s session lease), unlock-missing-key,
#                         lock-waiter-lease-revoked (still answered "locked" once its turn comes, as
#                         etcd does), lock-then-campaign (one name and lease: one shared key),
#                         campaign-leader, campaign-wait-resign, campaign-again, campaign-cancel,
#                         campaign-lease-zero, campaign-unknown-lease, campaign-lease-revoked,
#                         proclaim-observe, proclaim-unknown-lease, observe-next-leader, observe-empty,
#                         leader-empty, stale-leader, waiter-disconnect (a waiter's connection closed
#                         under it: no key left), auth-denied (auth enabled for that scenario only: a
#                         user without permission on the name is refused by Leader, Lock and Campaign,
#                         and etcd ends its Observe stream with status OK, no message). The
#                         transcript on etcd must itself be sane (no
#                         "gave up", "no answer", "too early" line), else the check fails as the
#                         harness's.
#   gw-<call>             POST /v3/lease/grant, /v3/lock/lock, /v3/lock/unlock, /v3/election/campaign,
#                         leader, proclaim, observe (first streamed line), resign, then the errors
#                         (leader with no leader, lock with an unknown lease, proclaim without a
#                         leader): HTTP status and JSON body, with IDs masked (cluster_id, member_id,
#                         raft_term must be present; lease IDs become labels, also inside
#                         base64 keys; revisions relative to the grant's).
#
# Ports: etcd 127.0.0.1:46600 (client) and 46601 (peer); the server under test 46610 and 46611.
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# No verdict rests on timing; every wait is bounded.
#
# Environment:
#   ELECTION_PENDING      space-separated checks known to fail on the server under test: each still
#                         runs and prints `PENDING name (why)` instead of FAIL, and turns into a
#                         failure the moment it passes (so the list cannot go stale)
#   ELECTION_KEEP=1       keep the work directory; it is always kept when a check failed
#   ELECTION_ETCD         the reference server (default /usr/bin/etcd)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
ETCD_BIN=${ELECTION_ETCD:-/usr/bin/etcd}

readonly HOST=127.0.0.1
readonly ETCD_CLIENT_PORT=46600 ETCD_PEER_PORT=46601
readonly TEST_CLIENT_PORT=46610 TEST_PEER_PORT=46611
readonly UNKNOWN_LEASE=305441741 # 0x1234abcd: no server hands it out in this run

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly SCENARIO_SECONDS_MAX=120 # one electioncheck run (its own waits are bounded at 15 s each)
readonly CURL_SECONDS_MAX=10   # one gateway call
readonly OBSERVE_SECONDS=3     # the observe stream is read this long, then cut (only its first line counts)

die() { echo "e2e-election: $*" >&2; exit 2; }

for tool in curl python3 go timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
[[ -x $ETCD_BIN ]] || die "reference etcd not found: $ETCD_BIN"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

H_NAME=e2e-election
H_PENDING=${ELECTION_PENDING:-}
H_KEEP=${ELECTION_KEEP:-0}
H_ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
# shellcheck source=lib/e2e-harness.sh
source "$SCRIPT_DIR/lib/e2e-harness.sh"
h_init
summary() { h_summary; }
oneline() { tr '\n' '|' | head -c 1500; }

# launch BIN NAME CLIENT PEER: one single-member cluster in $WORK/NAME, healthy; PID in LAUNCHED.
launch() {
    local bin=$1 name=$2 client=$3 peer=$4
    mkdir -p "$WORK/$name"
    h_start_member "$bin" default "$WORK/$name/data" "$client" "$peer" "" "$WORK/$name/server.log"
    LAUNCHED=$H_STARTED_PID
}

# ---------------------------------------------------------------------------------------------
EC=$WORK/electioncheck
(cd "$SCRIPT_DIR/electioncheck" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$EC" .) >"$WORK/build.log" 2>&1 ||
    die "could not build Scripts/electioncheck (see $WORK/build.log)"

launch "$ETCD_BIN" etcd "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT"
ETCD_PID=$LAUNCHED
launch "$SERVER_BIN" test "$TEST_CLIENT_PORT" "$TEST_PEER_PORT"
TEST_PID=$LAUNCHED
h_wait_healthy "$ETCD_PID" "$ETCD_CLIENT_PORT" || die "etcd did not become healthy (log: $WORK/etcd/server.log)"
h_wait_healthy "$TEST_PID" "$TEST_CLIENT_PORT" || die "the server under test did not become healthy (log: $WORK/test/server.log)"
info "etcd $("$ETCD_BIN" --version | head -1 | awk '{print $3}') against $SERVER_BIN"

# --- the gRPC scenarios --------------------------------------------------------------------------
# run_scenario NAME SIDE PORT: the transcript in $WORK/SIDE/NAME.txt; status in SC_RC.
run_scenario() {
    SC_RC=0
    timeout -k 1 "$SCENARIO_SECONDS_MAX" "$EC" run -endpoint "$HOST:$3" -scenario "$1" \
        >"$WORK/$2/$1.txt" 2>"$WORK/$2/$1.err" || SC_RC=$?
}
insane() { grep -E 'gave up|no answer|too early|observe: nothing' "$1" | head -3 | oneline; }

mapfile -t SCENARIOS < <("$EC" list)
((${#SCENARIOS[@]} > 0)) || die "electioncheck lists no scenario"
for scenario in "${SCENARIOS[@]}"; do
    run_scenario "$scenario" etcd "$ETCD_CLIENT_PORT"
    etcd_rc=$SC_RC
    run_scenario "$scenario" test "$TEST_CLIENT_PORT"
    test_rc=$SC_RC
    if [[ $etcd_rc != 0 ]]; then
        fail "$scenario" "harness: on etcd electioncheck exited $etcd_rc: $(oneline <"$WORK/etcd/$scenario.err")"
    elif [[ -n $(insane "$WORK/etcd/$scenario.txt") ]]; then
        fail "$scenario" "harness: etcd's own transcript is not sane: $(insane "$WORK/etcd/$scenario.txt")"
    elif [[ $test_rc != 0 ]]; then
        fail "$scenario" "electioncheck exited $test_rc: $(oneline <"$WORK/test/$scenario.err")"
    elif diff -q "$WORK/etcd/$scenario.txt" "$WORK/test/$scenario.txt" >/dev/null; then
        pass "$scenario"
    else
        fail "$scenario" "transcripts differ (etcd -, server +): $(diff -U0 "$WORK/etcd/$scenario.txt" "$WORK/test/$scenario.txt" | grep -E '^[-+][^-+]' | head -6 | oneline)"
    fi
done

# --- the JSON gateway ----------------------------------------------------------------------------
b64() { printf '%s' "$1" | base64 -w0; }

# gw SIDE PORT STEP PATH BODY: POST BODY; "<http status>\n<body>" in $WORK/SIDE/gw-STEP.out.
gw() {
    local side=$1 port=$2 step=$3 path=$4 body=$5 out
    out=$(curl -s -m "$CURL_SECONDS_MAX" -o "$WORK/$side/gw-$step.body" -w '%{http_code}' \
        -X POST -H 'Content-Type: application/json' -d "$body" "http://$HOST:$port$path" || true)
    { echo "$out"; cat "$WORK/$side/gw-$step.body" 2>/dev/null || true; } >"$WORK/$side/gw-$step.out"
}
# field SIDE STEP EXPRESSION: a Python expression over d, the step's JSON body ("" if none).
field() {
    python3 -c '
import json, sys
try:
    d = json.loads(open(sys.argv[1]).read().split("\n", 1)[1])
    print(eval(sys.argv[2]))
except Exception:
    print("")' "$WORK/$1/gw-$2.out" "$3"
}

GW_STEPS=(lease-grant lock unlock campaign leader proclaim observe resign leader-none lock-unknown-lease proclaim-no-leader)

# gw_sequence SIDE PORT: every gateway step on one server, in order.
gw_sequence() {
    local side=$1 port=$2 lease key leader
    gw "$side" "$port" lease-grant /v3/lease/grant '{"TTL": 60}'
    lease=$(field "$side" lease-grant 'd["ID"]')
    gw "$side" "$port" lock /v3/lock/lock "{\"name\": \"$(b64 gwlock)\", \"lease\": \"$lease\"}"
    key=$(field "$side" lock 'd["key"]')
    gw "$side" "$port" unlock /v3/lock/unlock "{\"key\": \"$key\"}"
    gw "$side" "$port" campaign /v3/election/campaign "{\"name\": \"$(b64 gwelect)\", \"lease\": \"$lease\", \"value\": \"$(b64 v1)\"}"
    leader=$(field "$side" campaign 'json.dumps(d["leader"])')
    gw "$side" "$port" leader /v3/election/leader "{\"name\": \"$(b64 gwelect)\"}"
    gw "$side" "$port" proclaim /v3/election/proclaim "{\"leader\": ${leader:-null}, \"value\": \"$(b64 v2)\"}"
    # A stream: read for a while, then cut; only the first line (the current leader) is compared.
    curl -s -N -m "$OBSERVE_SECONDS" -o "$WORK/$side/gw-observe.body" -X POST -d "{\"name\": \"$(b64 gwelect)\"}" \
        "http://$HOST:$port/v3/election/observe" || true
    { echo 200; head -1 "$WORK/$side/gw-observe.body"; } >"$WORK/$side/gw-observe.out"
    gw "$side" "$port" resign /v3/election/resign "{\"leader\": ${leader:-null}}"
    gw "$side" "$port" leader-none /v3/election/leader "{\"name\": \"$(b64 gwelect)\"}"
    gw "$side" "$port" lock-unknown-lease /v3/lock/lock "{\"name\": \"$(b64 gwlock)\", \"lease\": \"$UNKNOWN_LEASE\"}"
    gw "$side" "$port" proclaim-no-leader /v3/election/proclaim "{\"value\": \"$(b64 v3)\"}"
}

# normalize SIDE: one line per step: the HTTP status and the body with IDs masked, keys sorted.
normalize() {
    python3 - "$WORK/$1" "${GW_STEPS[@]}" <<'EOF'
import base64, json, re, sys
work, steps = sys.argv[1], sys.argv[2:]
leases, base = {}, None
def lease(v):
    v = int(v)
    if v == 0:
        return "0"
    return leases.setdefault(v, "L%d" % (len(leases) + 1))
def key(v):
    text = base64.b64decode(v).decode("latin-1")
    m = re.fullmatch(r"(.*/)([0-9a-f]+)", text)
    if m and format(int(m.group(2), 16), "x") == m.group(2):
        text = m.group(1) + "<" + lease(int(m.group(2), 16)) + ">"
    return "b64(%s)" % text
def rev(v):
    return "+%d" % (int(v) - base)
def mask(node, name=""):
    if isinstance(node, dict):
        return {k: mask(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [mask(v, name) for v in node]
    if name in ("cluster_id", "member_id", "raft_term"):
        return "<id>" if int(node) != 0 else "0"
    if name in ("ID", "lease"):
        return lease(node)
    if name in ("revision", "rev", "create_revision", "mod_revision"):
        return rev(node)
    if name in ("key", "value", "name"):
        return key(node)
    return node
for step in steps:
    try:
        status, body = open("%s/gw-%s.out" % (work, step)).read().split("\n", 1)
    except (OSError, ValueError):
        print("%s: no answer" % step)
        continue
    try:
        d = json.loads(body)
    except ValueError:
        print("%s: %s not JSON: %r" % (step, status, body[:200]))
        continue
    if base is None:
        base = int(d.get("header", {}).get("revision", 0))
    print("%s: %s %s" % (step, status, json.dumps(mask(d), sort_keys=True)))
EOF
}

gw_sequence etcd "$ETCD_CLIENT_PORT"
gw_sequence test "$TEST_CLIENT_PORT"
normalize etcd >"$WORK/etcd/gw.txt"
normalize test >"$WORK/test/gw.txt"
for step in "${GW_STEPS[@]}"; do
    expected=$(awk -v s="$step: " 'index($0, s) == 1' "$WORK/etcd/gw.txt" | head -1)
    got=$(awk -v s="$step: " 'index($0, s) == 1' "$WORK/test/gw.txt" | head -1)
    if [[ -z $expected || $expected == *"no answer"* || $expected == *"not JSON"* ]]; then
        fail "gw-$step" "harness: etcd gave no JSON answer: $expected"
    elif [[ $expected == "$got" ]]; then
        pass "gw-$step"
    else
        fail "gw-$step" "expected $expected; got $got"
    fi
done

summary
((FAILED == 0))
