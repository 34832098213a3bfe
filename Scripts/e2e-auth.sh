#!/usr/bin/env bash
# End-to-end test of authentication and RBAC: the real etcdctl through the whole user/role/
# permission flow on one member, then Scripts/authcheck (raw gRPC calls, no client-side retry or
# token refresh) for a permission matrix over every RPC and for token behaviour, then a search of
# the data directory for the passwords, then a restart.
#
#   Scripts/e2e-auth.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-auth.sh /usr/bin/etcd    (proves the script itself: real etcd must pass)
#
# Every verdict compares etcdctl's exact stdout, stderr (the client library's JSON log lines
# reduced to "log LEVEL: MSG: ERROR") and exit status with what etcd 3.4.23 prints. Most refusals
# print two lines: "log warn: retrying of unary invoker failed: rpc error: code = C desc = D"
# and "Error: D".
#
# Checks, auth disabled (etcdctl run without credentials):
#   ctl-auth-enable-no-root       `auth enable`: exit 1, FailedPrecondition "etcdserver: root user
#                                 does not exist"
#   ctl-auth-disable-disabled     `auth disable` while disabled: exit 0, "Authentication Disabled"
#   ctl-user-add                  `user add root --new-user-password=PW`: "User root created"
#   ctl-user-add-exists           again: exit 1, FailedPrecondition "etcdserver: user name already exists"
#   ctl-user-add-name-colon-pw    `user add bob:PW`: "User bob created"
#   ctl-user-add-no-password      `user add carol --no-password` (a user for certificate CN auth):
#                                 "User carol created"
#   ctl-user-add-empty            `user add ""`: exit 1, InvalidArgument "etcdserver: user name is empty"
#   ctl-role-add                  "Role r1 created"
#   ctl-role-add-exists           FailedPrecondition "etcdserver: role name already exists"
#   ctl-role-add-empty            InvalidArgument "etcdserver: role name is empty"
#   ctl-grant-permission          key, --prefix, [key, end) and --from-key grants: "Role r1 updated"
#   ctl-grant-permission-no-role  FailedPrecondition "etcdserver: role name not found"
#   ctl-user-grant-role           "Role r1 is granted to user alice", twice (a repeat is no error)
#   ctl-user-grant-role-no-role   FailedPrecondition "etcdserver: role name not found"
#   ctl-user-grant-role-no-user   FailedPrecondition "etcdserver: user name not found"
#   ctl-user-get                  "User: alice" / "Roles: r1"; a user without roles: "Roles:"
#   ctl-user-get-detail           --detail: the role's permissions, sorted by key, as role get
#   ctl-user-get-unknown          FailedPrecondition "etcdserver: user name not found"
#   ctl-user-list                 users in name order
#   ctl-role-get                  "Role r1" / "KV Read:" / tab-indented key, "[k, e) (prefix p)",
#                                 "[k, <open ended>" / "KV Write:" ...; permissions sorted by key
#   ctl-role-get-unknown          FailedPrecondition "etcdserver: role name not found"
#   ctl-role-list                 roles in name order
#   ctl-role-revoke-permission    "Permission of range [a, z) is revoked from role r1"
#   ctl-role-revoke-permission-again  FailedPrecondition "etcdserver: permission is not granted to the role"
#   ctl-user-revoke-role          "Role r2 is revoked from user bob"
#   ctl-user-revoke-role-not-granted  FailedPrecondition "etcdserver: role is not granted to the user"
#   ctl-user-passwd               `user passwd bob --interactive=false` (password on stdin):
#                                 "Password updated" (3.4's passwd has no --new-user-password)
#   ctl-user-passwd-unknown       FailedPrecondition "etcdserver: user name not found"
#   ctl-user-delete               "User dave deleted"; again: "etcdserver: user name not found"
#   ctl-role-delete               "Role r3 deleted"; again: "etcdserver: role name not found"
#   ctl-auth-enable               "Authentication Enabled", exit 0, after one logged refusal:
#                                 FailedPrecondition "etcdserver: root user does not have root role"
#                                 (etcdctl then adds role root, grants it to root, and retries)
# Checks, auth enabled:
#   ctl-no-credentials            `get foo`: exit 1, InvalidArgument "etcdserver: user name is empty"
#   ctl-auth-enable-no-credentials  the same for `auth enable`
#   ctl-root-get                  `--user root:PW get foo`: exit 0; `--user root --password PW` too
#   ctl-wrong-password            exit 2 (etcdctl cannot build its client), InvalidArgument
#                                 "etcdserver: authentication failed, invalid user ID or password"
#   ctl-unknown-user              the same text
#   ctl-no-password-user-login    carol (no password) with a password: exit 2, gRPC Unknown
#                                 "auth: authentication failed, password was given for no password user"
#   ctl-old-password              bob's old password refused (as ctl-wrong-password), the new one works
#   ctl-permitted-put-get         alice: put foo (readwrite) "OK", get foo prints it
#   ctl-prefix-read               alice: get pre/x (read --prefix pre/): exit 0
#   ctl-denied                    alice: put bar, get bar, put pre/x: exit 1, PermissionDenied
#                                 "etcdserver: permission denied"
#   ctl-admin-denied              alice: `user list`, `auth disable`: the same
#   ctl-root-user-and-role        `user get root` "Roles: root"; `role get root` "Role root" /
#                                 "KV Read:" / "KV Write:"
#   ctl-root-invalid-auth-mgmt    `user revoke-role root root`, `role delete root`, `user delete
#                                 root`: exit 1, InvalidArgument "etcdserver: invalid auth management"
#   ctl-auth-disable-enable       root: "Authentication Disabled", then `get` works without
#                                 credentials, then `auth enable` (no credentials needed while
#                                 disabled) "Authentication Enabled" with no retry logged
# Raw gRPC (Scripts/authcheck):
#   authcheck-matrix              `authcheck matrix`: 100+ probes (Range/Put/DeleteRange/Txn incl.
#                                 nested, Compact, Watch, Lease*, Maintenance, Cluster, Auth) as
#                                 anon / a user without roles / a user with a role / root, compared
#                                 with the table in Scripts/authcheck/expected.go (printed as `#`
#                                 lines). Includes the bypass shapes etcd 3.4.23 itself lets through
#                                 (nested txn ops, prev_kv and leases on puts inside a txn, a watch
#                                 with range_end "\x00"): the table says refused; against etcd 3.4.23
#                                 they are reported, not failed (-known-bypasses report;
#                                 AUTH_KNOWN_BYPASSES=refuse|report overrides the detection)
#   token-*                       `authcheck token`: one check per line it prints: simple-token
#                                 shape, token in the "token" metadata, wrong password / unknown user,
#                                 invalid token (Unauthenticated "etcdserver: invalid auth token"; a
#                                 watch is canceled with that whole gRPC text), no token, a token from
#                                 before an auth change (still valid: simple tokens are looked up at
#                                 the current revision), after a revoke (denied), a deleted user's
#                                 token (invalid), auth disabled (Authenticate: FailedPrecondition
#                                 "etcdserver: authentication is not enabled"; any token sent is
#                                 invalid), re-enable without a token
# Data directory (server stopped with SIGTERM):
#   passwords-not-in-db           no test password appears in plain text in any file of the data
#                                 directory outside member/wal (grep -r -a; etcd keeps bcrypt hashes)
#   passwords-not-in-wal          ... nor in member/wal. NOT applied to etcd 3.4 itself: its
#                                 UserAdd and UserChangePassword requests carry the plain password
#                                 through raft into the WAL (only Authenticate drops it); the
#                                 script prints where it found them instead (AUTH_WAL_PLAINTEXT
#                                 overrides the detection)
# Restart (same data directory):
#   restart-auth-enabled          `get foo` without credentials: "etcdserver: user name is empty"
#   restart-users                 `user list` as before the stop
#   restart-roles                 `role list` and `role get r1` as before the stop
#   restart-logins                alice reads foo, bob logs in with his new password, carol's
#                                 password is still refused
#
# Ports: 127.0.0.1:45600 (client) and 45601 (peer) only.
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# Runs in 15-30 s against etcd 3.4.23 (bcrypt at cost 10 and etcdctl starts dominate); against a server without
# the Auth service every call is refused at once.
#
# Environment:
#   AUTH_SERVER_ARGS      extra arguments for every server start
#   AUTH_KEEP=1           keep the work directory; it is always kept when a check failed
#   AUTH_PENDING          space-separated checks whose capability has not landed in the server yet:
#                         each still runs and prints `PENDING name (why)` instead of FAIL, is not
#                         counted as passed, and turns into a failure the moment it passes (so the
#                         list cannot go stale)
#   AUTH_WAL_PLAINTEXT    allowed|forbidden: whether passwords-not-in-wal applies (default: allowed
#                         for etcd 3.4 itself, forbidden for any other server; "etcd 3.4 itself" is
#                         a --version starting "etcd Version: 3.4." without "swetcd" in it)
#   AUTH_KNOWN_BYPASSES   report|refuse: how authcheck-matrix treats the bypass cells (default:
#                         report for etcd 3.4 itself, refuse for any other server)
#   AUTH_ETCDCTL          client (default /usr/bin/etcdctl)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-${SERVER_BIN:-$REPO_ROOT/.build/debug/swetcd}}
ETCDCTL=${AUTH_ETCDCTL:-/usr/bin/etcdctl}
read -r -a SERVER_ARGS <<<"${AUTH_SERVER_ARGS:-}"

readonly HOST=127.0.0.1
readonly CLIENT_PORT=45600
readonly PEER_PORT=45601
readonly TOKEN=swetcd-e2e-auth

# Passwords: distinctive, so a hit in the data directory can only be a copy of one of them. The
# last two are authcheck's own (matrix.go matrixPass, token.go tokenPass).
readonly ROOT_PW=e2eRootPw-5d1f
readonly ALICE_PW=e2eAlicePw-8c2a
readonly BOB_PW=e2eBobPw-3e7b
readonly BOB_PW2=e2eBobPwNew-9a4c
readonly DAVE_PW=e2eDavePw-1f6d
readonly PASSWORDS=("$ROOT_PW" "$ALICE_PW" "$BOB_PW" "$BOB_PW2" "$DAVE_PW" mx-Pw-3b81 mx-Pw-3b812 tk-Pw-93c2)

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly READY_POLLS_MAX=300  # x 0.1 s: the server answers `endpoint health`
readonly STOP_POLLS_MAX=150   # x 0.1 s: SIGTERM honoured before SIGKILL
readonly CTL_SECONDS_MAX=20   # safety net for one etcdctl
readonly TOOL_SECONDS_MAX=120 # safety net for one authcheck run

die() { echo "e2e-auth: $*" >&2; exit 2; }

for tool in "$ETCDCTL" timeout python3 go grep; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-e2e-auth.XXXXXX")
AC=$WORK/authcheck
SERVER_PID=""
PASSED=0
FAILED=0
PENDING_COUNT=0
SUMMARY_PRINTED=""

summary() {
    echo "$PASSED passed, $FAILED failed, $PENDING_COUNT pending"
    SUMMARY_PRINTED=1
}

stop_pid() {
    local pid=$1 try
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((try = 1; try <= STOP_POLLS_MAX; try++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    if [[ -z $SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status; see $WORK)"
        summary
    fi
    [[ -z $SERVER_PID ]] || stop_pid "$SERVER_PID"
    if [[ ${AUTH_KEEP:-0} == 1 || $FAILED != 0 ]]; then echo "e2e-auth: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build the tool before any server runs, so a build failure is a harness error, not a FAIL.
[[ -n ${HOME:-} || -n ${GOCACHE:-} ]] || export GOCACHE=$WORK/gocache
(cd "$SCRIPT_DIR/authcheck" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$AC" .) >"$WORK/build.log" 2>&1 ||
    die "cannot build Scripts/authcheck (needs golang-go golang-etcd-server-dev; see $WORK/build.log)"

# Two allowances are for etcd 3.4 itself only: it writes UserAdd/UserChangePassword passwords
# into its WAL, and it lets the matrix's known bypass shapes through. Any other server gets neither.
version=$("$SERVER_BIN" --version 2>/dev/null || true)
if [[ $version =~ ^etcd\ Version:\ 3\.4\. && $version != *swetcd* ]]; then IS_ETCD34=1; else IS_ETCD34=0; fi
WAL_PLAINTEXT=${AUTH_WAL_PLAINTEXT:-$( ((IS_ETCD34)) && echo allowed || echo forbidden)}
[[ $WAL_PLAINTEXT == allowed || $WAL_PLAINTEXT == forbidden ]] || die "AUTH_WAL_PLAINTEXT must be allowed or forbidden"
KNOWN_BYPASSES=${AUTH_KNOWN_BYPASSES:-$( ((IS_ETCD34)) && echo report || echo refuse)}
[[ $KNOWN_BYPASSES == report || $KNOWN_BYPASSES == refuse ]] || die "AUTH_KNOWN_BYPASSES must be report or refuse"

is_pending() { [[ " ${AUTH_PENDING:-} " == *" $1 "* ]]; }
pass() {
    if is_pending "$1"; then
        echo "FAIL $1 (passes now: take it out of AUTH_PENDING)"; FAILED=$((FAILED + 1))
    else
        echo "PASS $1"; PASSED=$((PASSED + 1))
    fi
}
fail() {
    if is_pending "$1"; then
        echo "PENDING $1 ($2)"; PENDING_COUNT=$((PENDING_COUNT + 1))
    else
        echo "FAIL $1 ($2)"; FAILED=$((FAILED + 1))
    fi
}
info() { echo "# $*"; }
oneline() { tr '\n' '|' | head -c 1500; }

# poll N COMMAND...: run COMMAND up to N times, 0.1 s apart, until it succeeds.
poll() {
    local n=$1 try
    shift
    for ((try = 1; try <= n; try++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

port_is_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
readonly EP=$HOST:$CLIENT_PORT
ctl() { timeout -k 1 "$CTL_SECONDS_MAX" "$ETCDCTL" --endpoints="$EP" --dial-timeout=2s --command-timeout=5s "$@"; }
# healthy: the server answers (with auth enabled `endpoint health` is refused without
# credentials, so any answer from a Range counts).
healthy() {
    local answer
    answer=$(ctl get e2e-health </dev/null 2>&1) && return 0
    [[ $answer == *"etcdserver: user name is empty"* ]]
}
alive_and_healthy() { kill -0 "$SERVER_PID" 2>/dev/null && healthy; }

launch() {
    local port
    for port in "$CLIENT_PORT" "$PEER_PORT"; do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --name default --data-dir "$WORK/data" \
        --listen-client-urls "http://$EP" --advertise-client-urls "http://$EP" \
        --listen-peer-urls "http://$HOST:$PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$PEER_PORT" \
        --initial-cluster "default=http://$HOST:$PEER_PORT" --initial-cluster-token "$TOKEN" --initial-cluster-state new \
        "${SERVER_ARGS[@]}" </dev/null >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
}

# run NAME ARGS...: etcdctl in the foreground; stdout in $WORK/NAME.out, stderr in NAME.err, exit
# status in RC.
run() {
    local name=$1
    shift
    RC=0
    ctl "$@" </dev/null >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
}
# run_in NAME INPUT ARGS...: the same with INPUT on stdin.
run_in() {
    local name=$1 input=$2
    shift 2
    RC=0
    printf '%s' "$input" | ctl "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
}
out_of() { cat "$WORK/$1.out"; }
# err_of NAME: stderr with the client library's JSON log lines reduced to "log LEVEL: MSG: ERROR"
# ("None" without an error field), their time stamps and client IDs being different on every run.
# (sed, not a JSON parser: one process start per step matters on a loaded machine.)
err_of() {
    sed -E \
        -e 's/^\{"level":"([^"]*)".*"msg":"([^"]*)".*"error":"(([^"\\]|\\.)*)"\}$/log \1: \2: \3/' \
        -e 's/^\{"level":"([^"]*)".*"msg":"([^"]*)"[^{}]*\}$/log \1: \2: None/' "$WORK/$1.err"
}
got() { echo "exit $RC, stdout: $(out_of "$1" | oneline), stderr: $(err_of "$1" | oneline)"; }
# expect_quiet NAME RC STDOUT STDERR: the last `run NAME` exited RC and printed exactly STDOUT and
# STDERR (normalized by err_of); if not, the difference is added to WHY. Prints nothing.
expect_quiet() {
    local name=$1 rc=$2 out=$3 err=$4
    if [[ $RC == "$rc" && $(out_of "$name") == "$out" && $(err_of "$name") == "$err" ]]; then
        return 0
    fi
    WHY+="${WHY:+; }$name: expected exit $rc, stdout: $(printf '%s' "$out" | oneline), stderr: $(printf '%s' "$err" | oneline); got $(got "$name")"
    return 1
}
# step NAME RC STDOUT STDERR ARGS...: run etcdctl ARGS as NAME and expect that answer. A check is
# one or more steps closed by `verdict CHECK`, which passes when no step differed.
step() {
    local name=$1 rc=$2 out=$3 err=$4
    shift 4
    run "$name" "$@"
    expect_quiet "$name" "$rc" "$out" "$err" || true
}
step_in() {
    local name=$1 input=$2 rc=$3 out=$4 err=$5
    shift 5
    run_in "$name" "$input" "$@"
    expect_quiet "$name" "$rc" "$out" "$err" || true
}
verdict() {
    if [[ -z $WHY ]]; then pass "$1"; else fail "$1" "$WHY"; fi
    WHY=""
}
WHY=""

# refusal CODE DESC: the two stderr lines etcdctl prints for a refused call (the client library's
# log line, then etcdctl's own).
refusal() { printf 'log warn: retrying of unary invoker failed: rpc error: code = %s desc = %s\nError: %s' "$1" "$2" "$2"; }

readonly R=(--user "root:$ROOT_PW")
DENIED=$(refusal PermissionDenied "etcdserver: permission denied")
EMPTY_USER=$(refusal InvalidArgument "etcdserver: user name is empty")
AUTH_FAILED=$(refusal InvalidArgument "etcdserver: authentication failed, invalid user ID or password")
USER_NOT_FOUND=$(refusal FailedPrecondition "etcdserver: user name not found")
ROLE_NOT_FOUND=$(refusal FailedPrecondition "etcdserver: role name not found")
INVALID_MGMT=$(refusal InvalidArgument "etcdserver: invalid auth management")

info "server $SERVER_BIN; passwords in the WAL: $WAL_PLAINTEXT; known bypasses: $KNOWN_BYPASSES"
launch
poll "$READY_POLLS_MAX" alive_and_healthy || die "the server did not start (log: $WORK/server.log)"

# ---------------------------------------------------------------------------------------------
# Auth disabled: users, roles, permissions

step enable-no-root 1 "" "$(refusal FailedPrecondition "etcdserver: root user does not exist")" auth enable
verdict ctl-auth-enable-no-root
step disable-disabled 0 "Authentication Disabled" "" auth disable
verdict ctl-auth-disable-disabled
step add-root 0 "User root created" "" user add root --new-user-password="$ROOT_PW"
verdict ctl-user-add
step add-root-again 1 "" "$(refusal FailedPrecondition "etcdserver: user name already exists")" user add root --new-user-password="$ROOT_PW"
verdict ctl-user-add-exists
step add-bob 0 "User bob created" "" user add "bob:$BOB_PW"
verdict ctl-user-add-name-colon-pw
step add-carol 0 "User carol created" "" user add carol --no-password
verdict ctl-user-add-no-password
step add-empty 1 "" "$EMPTY_USER" user add "" --new-user-password=x
verdict ctl-user-add-empty
step add-alice 0 "User alice created" "" user add alice --new-user-password="$ALICE_PW"
step add-dave 0 "User dave created" "" user add dave --new-user-password="$DAVE_PW"
step role-r1 0 "Role r1 created" "" role add r1
step role-r2 0 "Role r2 created" "" role add r2
step role-r3 0 "Role r3 created" "" role add r3
verdict ctl-role-add
step role-r1-again 1 "" "$(refusal FailedPrecondition "etcdserver: role name already exists")" role add r1
verdict ctl-role-add-exists
step role-empty 1 "" "$(refusal InvalidArgument "etcdserver: role name is empty")" role add ""
verdict ctl-role-add-empty
step grant-key 0 "Role r1 updated" "" role grant-permission r1 readwrite foo
step grant-prefix 0 "Role r1 updated" "" role grant-permission r1 read --prefix pre/
step grant-range 0 "Role r1 updated" "" role grant-permission r1 write a z
step grant-from-key 0 "Role r1 updated" "" role grant-permission r1 read --from-key zz
step grant-r2 0 "Role r2 updated" "" role grant-permission r2 readwrite --prefix w/
verdict ctl-grant-permission
step grant-no-role 1 "" "$ROLE_NOT_FOUND" role grant-permission nope read x
verdict ctl-grant-permission-no-role
step grant-role-alice 0 "Role r1 is granted to user alice" "" user grant-role alice r1
step grant-role-alice-again 0 "Role r1 is granted to user alice" "" user grant-role alice r1
step grant-role-bob 0 "Role r2 is granted to user bob" "" user grant-role bob r2
step grant-role-bob-r1 0 "Role r1 is granted to user bob" "" user grant-role bob r1
verdict ctl-user-grant-role
step grant-role-no-role 1 "" "$ROLE_NOT_FOUND" user grant-role alice nope
verdict ctl-user-grant-role-no-role
step grant-role-no-user 1 "" "$USER_NOT_FOUND" user grant-role nobody r1
verdict ctl-user-grant-role-no-user
step user-get 0 $'User: alice\nRoles: r1' "" user get alice
step user-get-carol 0 $'User: carol\nRoles:' "" user get carol
verdict ctl-user-get
ROLE_R1_BEFORE=$'Role r1\nKV Read:\n\tfoo\n\t[pre/, pre0) (prefix pre/)\n\t[zz, <open ended>\nKV Write:\n\t[a, z)\n\tfoo'
step user-get-detail 0 $'User: alice\n\n'"$ROLE_R1_BEFORE" "" user get alice --detail
verdict ctl-user-get-detail
step user-get-unknown 1 "" "$USER_NOT_FOUND" user get nobody
verdict ctl-user-get-unknown
step user-list 0 $'alice\nbob\ncarol\ndave\nroot' "" user list
verdict ctl-user-list
step role-get 0 "$ROLE_R1_BEFORE" "" role get r1
verdict ctl-role-get
step role-get-unknown 1 "" "$ROLE_NOT_FOUND" role get nope
verdict ctl-role-get-unknown
step role-list 0 $'r1\nr2\nr3' "" role list
verdict ctl-role-list
step revoke-perm 0 "Permission of range [a, z) is revoked from role r1" "" role revoke-permission r1 a z
step role-get-after-revoke 0 $'Role r1\nKV Read:\n\tfoo\n\t[pre/, pre0) (prefix pre/)\n\t[zz, <open ended>\nKV Write:\n\tfoo' "" role get r1
verdict ctl-role-revoke-permission
NOT_GRANTED=$(refusal FailedPrecondition "etcdserver: permission is not granted to the role")
step revoke-perm-again 1 "" "$NOT_GRANTED" role revoke-permission r1 a z
step revoke-perm-unknown-key 1 "" "$NOT_GRANTED" role revoke-permission r1 nokey
step revoke-perm-unknown-role 1 "" "$ROLE_NOT_FOUND" role revoke-permission nope foo
verdict ctl-role-revoke-permission-again
step revoke-role 0 "Role r1 is revoked from user bob" "" user revoke-role bob r1
step user-get-bob 0 $'User: bob\nRoles: r2' "" user get bob
verdict ctl-user-revoke-role
step revoke-role-not-granted 1 "" "$(refusal FailedPrecondition "etcdserver: role is not granted to the user")" user revoke-role alice r2
step revoke-role-no-user 1 "" "$USER_NOT_FOUND" user revoke-role nobody r1
verdict ctl-user-revoke-role-not-granted
step_in passwd "$BOB_PW2"$'\n' 0 "Password updated" "" user passwd bob --interactive=false
verdict ctl-user-passwd
step_in passwd-unknown $'x\n' 1 "" "$USER_NOT_FOUND" user passwd nobody --interactive=false
verdict ctl-user-passwd-unknown
step delete-dave 0 "User dave deleted" "" user delete dave
step delete-dave-again 1 "" "$USER_NOT_FOUND" user delete dave
verdict ctl-user-delete
step delete-r3 0 "Role r3 deleted" "" role delete r3
step delete-r3-again 1 "" "$ROLE_NOT_FOUND" role delete r3
verdict ctl-role-delete
step enable 0 "Authentication Enabled" \
    "log warn: retrying of unary invoker failed: rpc error: code = FailedPrecondition desc = etcdserver: root user does not have root role" \
    auth enable
verdict ctl-auth-enable

# ---------------------------------------------------------------------------------------------
# Auth enabled

step no-creds 1 "" "$EMPTY_USER" get foo
verdict ctl-no-credentials
step enable-no-creds 1 "" "$EMPTY_USER" auth enable
verdict ctl-auth-enable-no-credentials
step root-get 0 "" "" "${R[@]}" get foo
step root-get-password-flag 0 "" "" --user root --password "$ROOT_PW" get foo
verdict ctl-root-get
step wrong-password 2 "" "$AUTH_FAILED" --user root:wrong get foo
verdict ctl-wrong-password
step unknown-user 2 "" "$AUTH_FAILED" --user nobody:x get foo
verdict ctl-unknown-user
step carol-with-password 2 "" \
    $'log warn: retrying of unary invoker failed: rpc error: code = Unknown desc = auth: authentication failed, password was given for no password user\nError: rpc error: code = Unknown desc = auth: authentication failed, password was given for no password user' \
    --user carol:x get foo
verdict ctl-no-password-user-login
step bob-old 2 "" "$AUTH_FAILED" --user "bob:$BOB_PW" put w/1 v
step bob-new 0 "OK" "" --user "bob:$BOB_PW2" put w/1 v
verdict ctl-old-password
step alice-put 0 "OK" "" --user "alice:$ALICE_PW" put foo v1
step alice-get 0 $'foo\nv1' "" --user "alice:$ALICE_PW" get foo
verdict ctl-permitted-put-get
step alice-prefix 0 "" "" --user "alice:$ALICE_PW" get pre/x
verdict ctl-prefix-read
step alice-put-bar 1 "" "$DENIED" --user "alice:$ALICE_PW" put bar v
step alice-get-bar 1 "" "$DENIED" --user "alice:$ALICE_PW" get bar
step alice-put-pre 1 "" "$DENIED" --user "alice:$ALICE_PW" put pre/x v
verdict ctl-denied
step alice-user-list 1 "" "$DENIED" --user "alice:$ALICE_PW" user list
step alice-auth-disable 1 "" "$DENIED" --user "alice:$ALICE_PW" auth disable
verdict ctl-admin-denied
step root-user-get 0 $'User: root\nRoles: root' "" "${R[@]}" user get root
step root-role-get 0 $'Role root\nKV Read:\nKV Write:' "" "${R[@]}" role get root
verdict ctl-root-user-and-role
step root-revoke-root 1 "" "$INVALID_MGMT" "${R[@]}" user revoke-role root root
step root-delete-role-root 1 "" "$INVALID_MGMT" "${R[@]}" role delete root
step root-delete-root 1 "" "$INVALID_MGMT" "${R[@]}" user delete root
verdict ctl-root-invalid-auth-mgmt
step root-disable 0 "Authentication Disabled" "" "${R[@]}" auth disable
step disabled-get 0 $'foo\nv1' "" get foo
step reenable 0 "Authentication Enabled" "" auth enable
step reenabled-no-creds 1 "" "$EMPTY_USER" get foo
verdict ctl-auth-disable-enable

# ---------------------------------------------------------------------------------------------
# Raw gRPC: the permission matrix and tokens

status=0
timeout -k 2 "$TOOL_SECONDS_MAX" "$AC" matrix -endpoint "$EP" -root-password "$ROOT_PW" -known-bypasses "$KNOWN_BYPASSES" \
    >"$WORK/matrix.txt" 2>"$WORK/matrix.err" || status=$?
sed 's/^/# /' "$WORK/matrix.txt"
case $status in
    0) pass authcheck-matrix ;;
    1) fail authcheck-matrix "$(grep -c -e ' (EXPECTED ' -e ' (NEW: ' "$WORK/matrix.txt") rows differ from Scripts/authcheck/expected.go (table above)" ;;
    *) fail authcheck-matrix "authcheck exit status $status: $(head -c 1000 "$WORK/matrix.err" | oneline)" ;;
esac

readonly TOKEN_CHECKS=(authenticate simple-token-shape metadata-read metadata-write metadata-watch wrong-password unknown-user
    invalid-token-read invalid-token-write invalid-token-watch no-token-read no-token-write no-token-watch
    earlier-token-read earlier-token-write earlier-token-watch fresh-token-read revoked-earlier-token-read
    revoked-fresh-token-read revoked-fresh-token-write deleted-user-token-read disabled-authenticate
    disabled-no-token-read disabled-earlier-token-read disabled-bogus-token-read reenable-without-token
    reenabled-authenticate)
status=0
timeout -k 2 "$TOOL_SECONDS_MAX" "$AC" token -endpoint "$EP" -root-password "$ROOT_PW" \
    >"$WORK/token.txt" 2>"$WORK/token.err" || status=$?
for name in "${TOKEN_CHECKS[@]}"; do
    line=$(grep -m1 "^check $name " "$WORK/token.txt" || true)
    if [[ $line == "check $name ok: "* ]]; then
        pass "token-$name"
    elif [[ -n $line ]]; then
        fail "token-$name" "${line#check $name FAIL: }"
    else
        fail "token-$name" "not reached (authcheck exit status $status: $(grep -m1 -e 'FAIL' "$WORK/token.txt" || head -c 500 "$WORK/token.err" | oneline))"
    fi
done

# State to compare after the restart, read while the server still runs.
run users-before "${R[@]}" user list
USERS_BEFORE=$(out_of users-before)
run roles-before "${R[@]}" role list
ROLES_BEFORE=$(out_of roles-before)
run role-r1-before "${R[@]}" role get r1
ROLE_R1_NOW=$(out_of role-r1-before)
info "users: $(printf '%s' "$USERS_BEFORE" | oneline); roles: $(printf '%s' "$ROLES_BEFORE" | oneline)"

# ---------------------------------------------------------------------------------------------
# Passwords in the data directory

stop_pid "$SERVER_PID"
SERVER_PID=""
DATA=$WORK/data
# hits WHERE: "file: password" for each test password found in plain text (WHERE: wal or rest).
hits() {
    local pw file
    for pw in "${PASSWORDS[@]}"; do
        while read -r file; do
            [[ -n $file ]] || continue
            case $1 in
                wal) [[ $file == "$DATA/member/wal/"* ]] || continue ;;
                rest) [[ $file != "$DATA/member/wal/"* ]] || continue ;;
            esac
            echo "${file#"$DATA"/}: $pw"
        done < <(grep -r -a -l -F -e "$pw" "$DATA" 2>/dev/null || true)
    done
}
# No verdict on a directory no password ever reached: the users must have been created.
users_made=0
grep -qx root <<<"$USERS_BEFORE" && grep -qx alice <<<"$USERS_BEFORE" && grep -qx mx-user <<<"$USERS_BEFORE" && users_made=1
found=$(hits rest)
if ((users_made == 0)); then
    fail passwords-not-in-db "the users were never created (user list: $(printf '%s' "$USERS_BEFORE" | oneline))"
elif [[ -z $found ]]; then
    pass passwords-not-in-db
else
    fail passwords-not-in-db "plain-text passwords: $(printf '%s' "$found" | oneline)"
fi
found=$(hits wal)
if [[ $WAL_PLAINTEXT == forbidden ]]; then
    if ((users_made == 0)); then
        fail passwords-not-in-wal "the users were never created"
    elif [[ -z $found ]]; then
        pass passwords-not-in-wal
    else
        fail passwords-not-in-wal "plain-text passwords: $(printf '%s' "$found" | oneline)"
    fi
else
    info "passwords-not-in-wal not applied (etcd 3.4 itself puts UserAdd/UserChangePassword passwords into its WAL); found: $(printf '%s' "$found" | sort -u | oneline)"
fi

# ---------------------------------------------------------------------------------------------
# Restart

launch
poll "$READY_POLLS_MAX" alive_and_healthy || die "the server did not restart (log: $WORK/server.log)"
step restart-no-creds 1 "" "$EMPTY_USER" get foo
verdict restart-auth-enabled
((users_made == 1)) || WHY="no users before the stop to compare with"
step restart-users 0 "$USERS_BEFORE" "" "${R[@]}" user list
verdict restart-users
[[ $ROLES_BEFORE == *r1* ]] || WHY="no roles before the stop to compare with"
step restart-roles 0 "$ROLES_BEFORE" "" "${R[@]}" role list
step restart-role-r1 0 "$ROLE_R1_NOW" "" "${R[@]}" role get r1
verdict restart-roles
step restart-alice 0 $'foo\nv1' "" --user "alice:$ALICE_PW" get foo
step restart-bob 0 "OK" "" --user "bob:$BOB_PW2" put w/2 v
step restart-carol 2 "" \
    $'log warn: retrying of unary invoker failed: rpc error: code = Unknown desc = auth: authentication failed, password was given for no password user\nError: rpc error: code = Unknown desc = auth: authentication failed, password was given for no password user' \
    --user carol:x get foo
verdict restart-logins

summary
((FAILED == 0))
