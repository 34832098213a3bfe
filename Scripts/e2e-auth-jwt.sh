#!/usr/bin/env bash
# End-to-end comparison of JWT auth tokens (`--auth-token jwt,pub-key=P,priv-key=K,sign-method=M,
# ttl=T`) with etcd 3.4's: for each signing method, a real etcd member and a member of the server
# under test run side by side with the same key files, go through the same steps in the same order
# (so their auth revisions match), and every verdict compares the server's answer with etcd's.
#
#   Scripts/e2e-auth-jwt.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-auth-jwt.sh /usr/bin/etcd    (proves the script itself: etcd against etcd must pass)
#
# Methods (keys generated in the work directory with openssl): RS256 with an RSA 2048 key in
# PKCS#1 form ("RSA PRIVATE KEY"), ES256 with a P-256 key in SEC1 form ("EC PRIVATE KEY"); public
# keys in PKIX form. A second key of each kind ("other") signs forged tokens.
#
# Checks, one per method M (RS256, ES256) unless said otherwise (each prints PASS/FAIL/PENDING):
#   ctl-flow-M            etcdctl `user add root:PW`, `auth enable`, `--user root:PW put k v`,
#                         `--user root:PW get k`, `--user root:WRONG get k`: exit status, stdout and
#                         stderr (the client library's JSON log lines reduced to "log LEVEL: MSG:
#                         ERROR") identical to etcd's; etcd's own `get` must print "k" / "v"
#   token-shape-M         POST /v3/auth/authenticate: the token has three base64url parts; the
#                         decoded header has the same keys and values as etcd's (alg M, typ JWT);
#                         the claims have the same key set and value types as etcd's (exp,
#                         revision, username), username "root", the same revision; the signature
#                         decodes to as many bytes as etcd's (256 for RS256, 64 = r||s for ES256)
#   etcd-token-accepted-M a token etcd issued, sent to the server (POST /v3/kv/range, header
#                         `Authorization: <token>`, body {"key":"aw=="}): status and body (response
#                         header left out: its IDs differ) as etcd's answer to its own token, which
#                         must hold the value "v"
#   token-accepted-by-etcd-M  the same with a token the server issued, sent to etcd
#   openssl-token-M       the claims of etcd's token signed by openssl with the shared key (a third
#                         signer: RS256 PKCS#1 v1.5; ES256 DER converted to r||s): both accept it alike
#   tampered-token-M      etcd's token with one character in the middle of its signature changed:
#                         HTTP status and JSON body as etcd's (401 "etcdserver: invalid auth token")
#   other-key-token-M     the claims of etcd's token signed with the other key: as etcd's answer
#   forged-<case>         RS256 only (claims are handled alike for every method): etcd's token with
#                         one change, signed again with the shared key by openssl, sent to both;
#                         HTTP status and body as etcd's, whose status must be the one listed (jwt-go
#                         MapClaims rules, and etcd's auth revision checks):
#                         no-exp 200, exp-fraction (exp + 0.5) 200, exp-zero (0 means no expiry) 200,
#                         exp-null 401, exp-string 401, nbf-past 200, nbf-future 401, nbf-string 401,
#                         iat-future 401, revision-fraction (4.0) 200, revision-zero (400 "user name
#                         is empty"), revision-ahead (current + 1: a Range refuses any revision other
#                         than the store's, 400 "revision of auth store is old"), unknown-user (403
#                         permission denied), extra-claims (aud, jti, a list) 200, header-no-typ 200,
#                         header-alg-mismatch (RS384 in the header) 401, header-alg-none (unsigned)
#                         401, sig-padding-bits (the 4 unused bits of the signature's last base64url
#                         character changed: jwt-go's decoder ignores them) 200
#   verify-only-authenticate  members started with pub-key only (RS256), after `user add root`
#                         and `auth enable`: authenticate answers as etcd's (500 "auth: token signing
#                         attempted with verify-only key")
#   verify-only-accepts-token  etcd's signing member's token (same auth revision) puts and reads k on
#                         the verify-only member, as on etcd's
#   restart-fresh-token-M both members stopped (SIGTERM) and restarted with the same flags: a new
#                         authenticate gives a token that reads k, as on etcd
#   restart-old-token-M   the tokens each member issued before the restart (not expired): the
#                         server's answer to its own as etcd's to its own, and to etcd's token
#   old-revision-M        a token, then `user add alice:PW` (the auth revision moves on): the token
#                         is refused as etcd refuses it (400 "etcdserver: revision of auth store is old")
#   expired-token-M       both members restarted with ttl=2s; a token is taken, then the script waits
#                         until the clock is past its exp claim and at least 3 s past the
#                         authenticate (a bounded poll on the clock, pacing only): the server refuses
#                         its own and etcd's token as etcd refuses its own (401 invalid auth token)
#
# Ports: 127.0.0.1:45700-45711 only. RS256: etcd 45700 (client) / 45701 (peer), the server under
# test 45702 / 45703. ES256: etcd 45704 / 45705, the server 45706 / 45707. Verify-only (RS256):
# etcd 45708 / 45709, the server 45710 / 45711.
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# No verdict rests on timing; every wait is bounded.
#
# Environment:
#   JWT_PENDING   space-separated checks known to fail on the server under test: each still runs
#                 and prints `PENDING name (why)` instead of FAIL, and turns into a failure the
#                 moment it passes (so the list cannot go stale)
#   JWT_KEEP=1    keep the work directory; it is always kept when a check failed
#   JWT_ETCD      the reference server (default /usr/bin/etcd)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
ETCD_BIN=${JWT_ETCD:-/usr/bin/etcd}

readonly HOST=127.0.0.1
readonly METHODS=(RS256 ES256)
declare -A ETCD_CLIENT=([RS256]=45700 [ES256]=45704) ETCD_PEER=([RS256]=45701 [ES256]=45705)
declare -A TEST_CLIENT=([RS256]=45702 [ES256]=45706) TEST_PEER=([RS256]=45703 [ES256]=45707)
readonly VO_ETCD_CLIENT=45708 VO_ETCD_PEER=45709 VO_TEST_CLIENT=45710 VO_TEST_PEER=45711
readonly ROOT_PW=jwt-root-pw
# forged-<name>:<etcd's HTTP status> (see FORGERIES in the helper below)
readonly FORGERIES=(no-exp:200 exp-fraction:200 exp-zero:200 exp-null:401 exp-string:401 nbf-past:200
    nbf-future:401 nbf-string:401 iat-future:401 revision-fraction:200 revision-zero:400
    revision-ahead:400 unknown-user:403 extra-claims:200 header-no-typ:200 header-alg-mismatch:401
    header-alg-none:401 sig-padding-bits:200)
declare -A ETCD_TOKEN_OF=()
readonly LONG_TTL=5m SHORT_TTL=2s
readonly EXPIRED_AFTER_SECONDS=3 # the expired-token check uses a token at least this old
readonly CURL_SECONDS_MAX=10     # one gateway call
readonly CLOCK_POLLS_MAX=100     # x 0.1 s: waiting for the ttl=2s tokens to expire

die() { echo "e2e-auth-jwt: $*" >&2; exit 2; }
for tool in curl python3 openssl timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
[[ -x $ETCD_BIN ]] || die "reference etcd not found: $ETCD_BIN"

H_NAME=e2e-auth-jwt
H_PENDING=${JWT_PENDING:-}
H_KEEP=${JWT_KEEP:-0}
H_ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
# shellcheck source=lib/e2e-harness.sh
source "$SCRIPT_DIR/lib/e2e-harness.sh"
h_init
oneline() { tr '\n' '|' | head -c 1500; }

# --- keys --------------------------------------------------------------------------------------
KEYS=$WORK/keys
mkdir -p "$KEYS"
{
    openssl genrsa -traditional -out "$KEYS/RS256.key" 2048 &&
        openssl rsa -in "$KEYS/RS256.key" -pubout -out "$KEYS/RS256.pub" &&
        openssl genrsa -traditional -out "$KEYS/other-RS256.key" 2048 &&
        openssl ecparam -name prime256v1 -genkey -noout -out "$KEYS/ES256.key" &&
        openssl ec -in "$KEYS/ES256.key" -pubout -out "$KEYS/ES256.pub" &&
        openssl ecparam -name prime256v1 -genkey -noout -out "$KEYS/other-ES256.key"
} >"$KEYS/openssl.log" 2>&1 || die "openssl could not generate the keys (see $KEYS/openssl.log)"

# --- the JWT helper: decoding, comparing, signing, normalizing -----------------------------------
JWT_PY=$WORK/jwt.py
cat >"$JWT_PY" <<'EOF'
import base64, json, subprocess, sys

def unb64(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def answer(path):
    """(status, JSON body or None) of a file written by the script's `call`."""
    status, _, body = open(path).read().partition("\n")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None

def token_of(path):
    status, body = answer(path)
    return body.get("token", "") if isinstance(body, dict) else ""

def shape(path):
    """A token's header, claims with their types, and signature length, or why it has none."""
    token = token_of(path)
    parts = token.split(".")
    if len(parts) != 3:
        return {"error": "not three parts: %r" % token[:80]}
    try:
        header, claims = json.loads(unb64(parts[0])), json.loads(unb64(parts[1]))
        signature = unb64(parts[2])
    except Exception as e:
        return {"error": "undecodable: %s" % e}
    if any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in "".join(parts)):
        return {"error": "not base64url: %r" % token[:80]}
    kinds = {k: type(v).__name__ for k, v in claims.items()}
    return {"header": header, "claim-types": kinds, "username": claims.get("username"),
            "revision": claims.get("revision"), "signature-bytes": len(signature)}

def cmd_shape(etcd_path, test_path):
    expected, got = shape(etcd_path), shape(test_path)
    print("# etcd:   %s" % json.dumps(expected, sort_keys=True))
    print("# server: %s" % json.dumps(got, sort_keys=True))
    if "error" in expected or expected.get("username") != "root":
        print("harness: etcd's token is not as expected")
        return
    for key in ("header", "claim-types", "username", "revision", "signature-bytes"):
        if expected.get(key) != got.get(key):
            print("%s: etcd %s, server %s" % (key, json.dumps(expected.get(key), sort_keys=True),
                                               json.dumps(got.get(key), sort_keys=True)))
    if "error" in got:
        print(got["error"])

def cmd_claim(path, name):
    print(json.loads(unb64(token_of(path).split(".")[1])).get(name, ""))

def der_to_raw(der, size):
    # SEQUENCE { INTEGER r, INTEGER s }, short lengths (P-256)
    assert der[0] == 0x30
    at, out = 2, b""
    for _ in range(2):
        assert der[at] == 0x02
        n = der[at + 1]
        out += der[at + 2:at + 2 + n].lstrip(b"\0").rjust(size, b"\0")
        at += 2 + n
    return out

def cmd_resign(path, key, method):
    """etcd's token from PATH, its header and claims signed again by openssl with KEY."""
    signing_input = ".".join(token_of(path).split(".")[:2])
    print(signing_input + "." + sign(signing_input, key, method))

def cmd_tamper(path):
    """The token with one character in the middle of its signature changed (never a padding char)."""
    head, _, signature = token_of(path).rpartition(".")
    i = len(signature) // 2
    print(head + "." + signature[:i] + ("B" if signature[i] == "A" else "A") + signature[i + 1:])

# Forged tokens: etcd's token with its header or claims changed, signed again with the shared key.
# name -> (change to the header, change to the claims); `now` is the clock at forging.
FORGERIES = {
    "no-exp": (None, lambda c, now: c.pop("exp")),
    "exp-fraction": (None, lambda c, now: c.update(exp=c["exp"] + 0.5)),
    "exp-zero": (None, lambda c, now: c.update(exp=0)),
    "exp-null": (None, lambda c, now: c.update(exp=None)),
    "exp-string": (None, lambda c, now: c.update(exp=str(c["exp"]))),
    "nbf-past": (None, lambda c, now: c.update(nbf=now - 100)),
    "nbf-future": (None, lambda c, now: c.update(nbf=now + 3600)),
    "nbf-string": (None, lambda c, now: c.update(nbf="soon")),
    "iat-future": (None, lambda c, now: c.update(iat=now + 3600)),
    "revision-fraction": (None, lambda c, now: c.update(revision=float(c["revision"]))),
    "revision-zero": (None, lambda c, now: c.update(revision=0)),
    "revision-ahead": (None, lambda c, now: c.update(revision=c["revision"] + 1)),
    "unknown-user": (None, lambda c, now: c.update(username="nobody")),
    "extra-claims": (None, lambda c, now: c.update(aud="etcd", jti="j1", groups=["a", "b"])),
    "header-no-typ": (lambda h: h.pop("typ"), None),
    "header-alg-mismatch": (lambda h: h.update(alg=h["alg"][:2] + "384"), None),
}

def cmd_forge(path, key, method, name):
    import time
    token = token_of(path)
    parts = token.split(".")
    if name == "header-alg-none":
        header = {"alg": "none", "typ": "JWT"}
        print(b64(json.dumps(header, separators=(",", ":")).encode()) + "." + parts[1] + ".")
        return
    if name == "sig-padding-bits":
        # The last character of an unpadded base64url signature carries 2 bits and 4 unused ones
        # (256 and 64 bytes alike); jwt-go's decoder ignores the unused bits.
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        print(parts[0] + "." + parts[1] + "." + parts[2][:-1] + alphabet[alphabet.index(parts[2][-1]) ^ 1])
        return
    header, claims = json.loads(unb64(parts[0])), json.loads(unb64(parts[1]))
    change_header, change_claims = FORGERIES[name]
    if change_header:
        change_header(header)
    if change_claims:
        change_claims(claims, int(time.time()))
    signing_input = (b64(json.dumps(header, separators=(",", ":")).encode()) + "." +
                     b64(json.dumps(claims, separators=(",", ":")).encode()))
    print(signing_input + "." + sign(signing_input, key, method))

def sign(signing_input, key, method):
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key, "-binary"], input=signing_input.encode(),
                         check=True, capture_output=True).stdout
    return b64(der_to_raw(der, 32) if method.startswith("ES") else der)

def cmd_norm(path):
    """STATUS BODY with the response header (IDs, which differ between clusters) left out."""
    status, body = answer(path)
    if isinstance(body, dict):
        body.pop("header", None)
        print(status, json.dumps(body, sort_keys=True))
    else:
        print(status, "not JSON:", open(path).read()[:200].replace("\n", "|"))

def cmd_value(path):
    status, body = answer(path)
    try:
        print(base64.b64decode(body["kvs"][0]["value"]).decode())
    except Exception:
        print("")

getattr(sys.modules[__name__], "cmd_" + sys.argv[1])(*sys.argv[2:])
EOF
jwt() { python3 "$JWT_PY" "$@"; }

# --- members -------------------------------------------------------------------------------------
auth_flag() { echo "jwt,pub-key=$KEYS/$1.pub,priv-key=$KEYS/$1.key,sign-method=$1,ttl=$2"; }
declare -A PID=()

# start_all TTL: the four members (etcd and the server, per method), all with --auth-token jwt at
# TTL; PIDs in PID[<side>-<method>].
start_all() {
    local m
    for m in "${METHODS[@]}"; do
        mkdir -p "$WORK/$m/etcd" "$WORK/$m/test"
        h_start_member "$ETCD_BIN" default "$WORK/$m/etcd/data" "${ETCD_CLIENT[$m]}" "${ETCD_PEER[$m]}" "" \
            "$WORK/$m/etcd/server.log" --auth-token "$(auth_flag "$m" "$1")"
        PID[etcd-$m]=$H_STARTED_PID
        h_start_member "$SERVER_BIN" default "$WORK/$m/test/data" "${TEST_CLIENT[$m]}" "${TEST_PEER[$m]}" "" \
            "$WORK/$m/test/server.log" --auth-token "$(auth_flag "$m" "$1")"
        PID[test-$m]=$H_STARTED_PID
    done
}
stop_all() {
    local m
    for m in "${METHODS[@]}"; do h_stop_pid "${PID[etcd-$m]}"; h_stop_pid "${PID[test-$m]}"; done
}
port_of() { if [[ $1 == etcd ]]; then echo "${ETCD_CLIENT[$2]}"; else echo "${TEST_CLIENT[$2]}"; fi; }
# ready_with_auth PID PORT: alive, and root reads through etcdctl (auth is enabled by then).
ready_with_auth() { kill -0 "$1" 2>/dev/null && h_ctl "$2" --user "root:$ROOT_PW" get e2e-ready >/dev/null 2>&1; }
# wait_all HOW: every member ready (HOW: h_wait_healthy before auth enable, else ready_with_auth).
wait_all() {
    local how=$1 m side
    for m in "${METHODS[@]}"; do
        for side in etcd test; do
            if [[ $how == healthy ]]; then
                h_wait_healthy "${PID[$side-$m]}" "$(port_of "$side" "$m")"
            else
                h_poll "$H_READY_POLLS_MAX" ready_with_auth "${PID[$side-$m]}" "$(port_of "$side" "$m")"
            fi || die "$side ($m) did not become ready (log: $WORK/$m/$side/server.log)"
        done
    done
}

# call OUT PORT PATH BODY [TOKEN]: POST through the JSON gateway; "<status>\n<body>" in OUT.
call() {
    local out=$1 port=$2 path=$3 body=$4 token=${5-} status
    local auth=()
    [[ $# -lt 5 ]] || auth=(-H "Authorization: $token")
    status=$(curl -s -m "$CURL_SECONDS_MAX" -o "$out.body" -w '%{http_code}' -X POST "${auth[@]}" \
        -d "$body" "http://$HOST:$port$path" || true)
    { echo "$status"; cat "$out.body" 2>/dev/null || true; } >"$out"
}
# authenticate OUT PORT: root's token request; the token is read back with `jwt ...`.
authenticate() { call "$1" "$2" /v3/auth/authenticate "{\"name\":\"root\",\"password\":\"$ROOT_PW\"}"; }
token() { python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().partition("\n")[2]).get("token",""))' "$1" 2>/dev/null || true; }
# range OUT PORT TOKEN: get k with TOKEN.
range() { call "$1" "$2" /v3/kv/range '{"key":"aw=="}' "$3"; }

# compare CHECK EXPECTED_FILE GOT_FILE [CONTROL_VALUE]: PASS when the normalized answers are
# equal; with CONTROL_VALUE etcd's answer must read that value (else the harness is at fault).
compare() {
    local check=$1 expected got
    expected=$(jwt norm "$2")
    got=$(jwt norm "$3")
    if [[ $# -ge 4 && $(jwt value "$2") != "$4" ]]; then
        fail "$check" "harness: etcd's own answer does not read '$4': $expected"
    elif [[ $expected == "$got" ]]; then
        pass "$check"
    else
        fail "$check" "expected $expected; got $got"
    fi
}
# compare_status CHECK EXPECTED_FILE GOT_FILE STATUS: as compare; etcd's HTTP status must be STATUS.
compare_status() {
    local check=$1 expected got
    expected=$(jwt norm "$2")
    got=$(jwt norm "$3")
    if [[ $expected != "$4 "* ]]; then
        fail "$check" "harness: etcd answered $expected, not status $4"
    elif [[ $expected == "$got" ]]; then
        pass "$check"
    else
        fail "$check" "expected $expected; got $got"
    fi
}
# compare_refused CHECK EXPECTED_FILE GOT_FILE...: as compare, and etcd must have refused (not 200).
compare_refused() {
    local check=$1 expected got file why=""
    expected=$(jwt norm "$2")
    shift 2
    if [[ $expected == 200* ]]; then
        fail "$check" "harness: etcd accepted the token: $expected"
        return
    fi
    for file in "$@"; do
        got=$(jwt norm "$file")
        [[ $got == "$expected" ]] || why+="${why:+; }$(basename "$file"): expected $expected; got $got"
    done
    if [[ -z $why ]]; then pass "$check"; else fail "$check" "$why"; fi
}

# --- etcdctl transcripts -------------------------------------------------------------------------
# ctl_step DIR NAME PORT ARGS...: one etcdctl run appended to DIR/ctl.txt: exit status, stdout,
# stderr with the client library's JSON log lines reduced to "log LEVEL: MSG: ERROR" (their time
# stamps and client IDs differ on every run).
ctl_step() {
    local dir=$1 name=$2 port=$3 rc=0
    shift 3
    h_ctl "$port" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || rc=$?
    {
        echo "== $name: exit $rc"
        cat "$dir/$name.out"
        echo "-- stderr"
        sed -E \
            -e 's/^\{"level":"([^"]*)".*"msg":"([^"]*)".*"error":"(([^"\\]|\\.)*)"\}$/log \1: \2: \3/' \
            -e 's/^\{"level":"([^"]*)".*"msg":"([^"]*)"[^{}]*\}$/log \1: \2: None/' "$dir/$name.err"
    } >>"$dir/ctl.txt"
}
ctl_flow() {
    local dir=$1 port=$2
    : >"$dir/ctl.txt"
    ctl_step "$dir" user-add "$port" user add "root:$ROOT_PW"
    ctl_step "$dir" auth-enable "$port" auth enable
    ctl_step "$dir" put "$port" --user "root:$ROOT_PW" put k v
    ctl_step "$dir" get "$port" --user "root:$ROOT_PW" get k
    ctl_step "$dir" get-wrong-password "$port" --user "root:wrong-$ROOT_PW" get k
}

# =================================================================================================
start_all "$LONG_TTL"
wait_all healthy
info "etcd $("$ETCD_BIN" --version | head -1 | awk '{print $3}') against $SERVER_BIN"

# --- 1. etcdctl flow -----------------------------------------------------------------------------
for m in "${METHODS[@]}"; do
    ctl_flow "$WORK/$m/etcd" "${ETCD_CLIENT[$m]}"
    ctl_flow "$WORK/$m/test" "${TEST_CLIENT[$m]}"
    if [[ $(cat "$WORK/$m/etcd/get.out") != $'k\nv' ]]; then
        fail "ctl-flow-$m" "harness: etcd's get printed: $(oneline <"$WORK/$m/etcd/get.out")"
    elif diff -q "$WORK/$m/etcd/ctl.txt" "$WORK/$m/test/ctl.txt" >/dev/null; then
        pass "ctl-flow-$m"
    else
        fail "ctl-flow-$m" "transcripts differ (etcd -, server +): $(diff -U0 "$WORK/$m/etcd/ctl.txt" "$WORK/$m/test/ctl.txt" | grep -E '^[-+][^-+]' | head -8 | oneline)"
    fi
done

for m in "${METHODS[@]}"; do
    E=$WORK/$m/etcd T=$WORK/$m/test
    EP=${ETCD_CLIENT[$m]} TP=${TEST_CLIENT[$m]}

    # --- 2. token shape --------------------------------------------------------------------------
    authenticate "$E/auth" "$EP"
    authenticate "$T/auth" "$TP"
    jwt shape "$E/auth" "$T/auth" >"$T/shape.txt"
    grep '^#' "$T/shape.txt" || true
    if grep -qv '^#' "$T/shape.txt"; then
        fail "token-shape-$m" "$(grep -v '^#' "$T/shape.txt" | oneline)"
    else
        pass "token-shape-$m"
    fi
    ETCD_TOKEN=$(token "$E/auth")
    TEST_TOKEN=$(token "$T/auth")

    # --- 3. cross-acceptance ---------------------------------------------------------------------
    range "$E/own-token" "$EP" "$ETCD_TOKEN"
    range "$T/etcd-token" "$TP" "$ETCD_TOKEN"
    compare "etcd-token-accepted-$m" "$E/own-token" "$T/etcd-token" v
    range "$E/test-token" "$EP" "$TEST_TOKEN"
    compare "token-accepted-by-etcd-$m" "$E/own-token" "$E/test-token" v
    OPENSSL_TOKEN=$(jwt resign "$E/auth" "$KEYS/$m.key" "$m") || die "openssl could not sign a token"
    range "$E/openssl-token" "$EP" "$OPENSSL_TOKEN"
    range "$T/openssl-token" "$TP" "$OPENSSL_TOKEN"
    compare "openssl-token-$m" "$E/openssl-token" "$T/openssl-token" v

    # --- 4. forged tokens ------------------------------------------------------------------------
    TAMPERED=$(jwt tamper "$E/auth")
    range "$E/tampered" "$EP" "$TAMPERED"
    range "$T/tampered" "$TP" "$TAMPERED"
    compare_refused "tampered-token-$m" "$E/tampered" "$T/tampered"
    OTHER=$(jwt resign "$E/auth" "$KEYS/other-$m.key" "$m") || die "openssl could not sign a token"
    range "$E/other-key" "$EP" "$OTHER"
    range "$T/other-key" "$TP" "$OTHER"
    compare_refused "other-key-token-$m" "$E/other-key" "$T/other-key"
    info "$m: etcd refuses the forged tokens with $(jwt norm "$E/tampered") / $(jwt norm "$E/other-key")"
    ETCD_TOKEN_OF[$m]=$ETCD_TOKEN

    # --- claims and headers signed with the shared key (RS256 only: the claims' handling does not
    # depend on the method) ----------------------------------------------------------------------
    [[ $m == RS256 ]] || continue
    for forgery in "${FORGERIES[@]}"; do
        name=${forgery%:*}
        FORGED=$(jwt forge "$E/auth" "$KEYS/$m.key" "$m" "$name") || die "could not forge $name"
        range "$E/forged-$name" "$EP" "$FORGED"
        range "$T/forged-$name" "$TP" "$FORGED"
        compare_status "forged-$name" "$E/forged-$name" "$T/forged-$name" "${forgery##*:}"
    done
done

# --- verify-only members (pub-key only, RS256) ---------------------------------------------------
VO_FLAG="jwt,pub-key=$KEYS/RS256.pub,sign-method=RS256,ttl=$LONG_TTL"
mkdir -p "$WORK/verify-only/etcd" "$WORK/verify-only/test"
h_start_member "$ETCD_BIN" default "$WORK/verify-only/etcd/data" "$VO_ETCD_CLIENT" "$VO_ETCD_PEER" "" \
    "$WORK/verify-only/etcd/server.log" --auth-token "$VO_FLAG"
VO_ETCD_PID=$H_STARTED_PID
h_start_member "$SERVER_BIN" default "$WORK/verify-only/test/data" "$VO_TEST_CLIENT" "$VO_TEST_PEER" "" \
    "$WORK/verify-only/test/server.log" --auth-token "$VO_FLAG"
VO_TEST_PID=$H_STARTED_PID
h_wait_healthy "$VO_ETCD_PID" "$VO_ETCD_CLIENT" || die "the verify-only etcd did not start (log: $WORK/verify-only/etcd/server.log)"
h_wait_healthy "$VO_TEST_PID" "$VO_TEST_CLIENT" || die "the verify-only server did not start (log: $WORK/verify-only/test/server.log)"
for side in etcd test; do
    # The same auth steps as the signing members took, so the auth revisions match.
    port=$VO_ETCD_CLIENT
    [[ $side == etcd ]] || port=$VO_TEST_CLIENT
    h_ctl "$port" user add "root:$ROOT_PW" >/dev/null 2>&1 || true
    h_ctl "$port" auth enable >/dev/null 2>&1 || true
    authenticate "$WORK/verify-only/$side/auth" "$port"
    call "$WORK/verify-only/$side/put" "$port" /v3/kv/put '{"key":"aw==","value":"dg=="}' "${ETCD_TOKEN_OF[RS256]}"
    range "$WORK/verify-only/$side/range" "$port" "${ETCD_TOKEN_OF[RS256]}"
done
compare_status verify-only-authenticate "$WORK/verify-only/etcd/auth" "$WORK/verify-only/test/auth" 500
compare verify-only-accepts-token "$WORK/verify-only/etcd/range" "$WORK/verify-only/test/range" v
h_stop_pid "$VO_ETCD_PID"
h_stop_pid "$VO_TEST_PID"

# --- 6. restart with the same flags --------------------------------------------------------------
stop_all
start_all "$LONG_TTL"
wait_all auth
for m in "${METHODS[@]}"; do
    E=$WORK/$m/etcd T=$WORK/$m/test
    EP=${ETCD_CLIENT[$m]} TP=${TEST_CLIENT[$m]}
    authenticate "$E/auth-restarted" "$EP"
    authenticate "$T/auth-restarted" "$TP"
    range "$E/fresh-token" "$EP" "$(token "$E/auth-restarted")"
    range "$T/fresh-token" "$TP" "$(token "$T/auth-restarted")"
    compare "restart-fresh-token-$m" "$E/fresh-token" "$T/fresh-token" v

    range "$E/pre-restart-token" "$EP" "$(token "$E/auth")"
    range "$T/pre-restart-token" "$TP" "$(token "$T/auth")"
    range "$T/pre-restart-etcd-token" "$TP" "$(token "$E/auth")"
    expected=$(jwt norm "$E/pre-restart-token")
    info "$m: etcd answers its pre-restart token with $expected"
    why=""
    for got in "$T/pre-restart-token" "$T/pre-restart-etcd-token"; do
        [[ $(jwt norm "$got") == "$expected" ]] || why+="${why:+; }$(basename "$got"): expected $expected; got $(jwt norm "$got")"
    done
    if [[ -z $why ]]; then pass "restart-old-token-$m"; else fail "restart-old-token-$m" "$why"; fi

    # --- 7. a permission change makes older tokens stale -----------------------------------------
    h_ctl "$EP" --user "root:$ROOT_PW" user add "alice:$ROOT_PW" >/dev/null 2>&1 || true
    h_ctl "$TP" --user "root:$ROOT_PW" user add "alice:$ROOT_PW" >/dev/null 2>&1 || true
    range "$E/old-revision" "$EP" "$(token "$E/auth-restarted")"
    range "$T/old-revision" "$TP" "$(token "$T/auth-restarted")"
    compare_refused "old-revision-$m" "$E/old-revision" "$T/old-revision"
done

# --- 5. expiry -----------------------------------------------------------------------------------
stop_all
start_all "$SHORT_TTL"
wait_all auth
now_ms() { echo $(($(date +%s%N) / 1000000)); }
latest_exp=0
for m in "${METHODS[@]}"; do
    authenticate "$WORK/$m/etcd/auth-short" "${ETCD_CLIENT[$m]}"
    authenticate "$WORK/$m/test/auth-short" "${TEST_CLIENT[$m]}"
    for side in etcd test; do
        exp=$(jwt claim "$WORK/$m/$side/auth-short" exp 2>/dev/null || echo 0)
        [[ $exp =~ ^[0-9]+$ ]] || exp=0
        ((exp <= latest_exp)) || latest_exp=$exp
    done
done
AUTHENTICATED_MS=$(now_ms)
# Pacing only: past every exp claim (jwt-go refuses when now > exp) and EXPIRED_AFTER_SECONDS.
expired_enough() { (($(date +%s) > latest_exp && $(now_ms) - AUTHENTICATED_MS >= EXPIRED_AFTER_SECONDS * 1000)); }
h_poll "$CLOCK_POLLS_MAX" expired_enough || true
for m in "${METHODS[@]}"; do
    E=$WORK/$m/etcd T=$WORK/$m/test
    range "$E/expired" "${ETCD_CLIENT[$m]}" "$(token "$E/auth-short")"
    range "$T/expired" "${TEST_CLIENT[$m]}" "$(token "$T/auth-short")"
    range "$T/expired-etcd-token" "${TEST_CLIENT[$m]}" "$(token "$E/auth-short")"
    info "$m: etcd answers its expired token with $(jwt norm "$E/expired")"
    compare_refused "expired-token-$m" "$E/expired" "$T/expired" "$T/expired-etcd-token"
done

h_summary
((FAILED == 0))
