#!/usr/bin/env bash
# End-to-end test of TLS as a user drives it: certificates made with openssl in the work directory,
# the real etcdctl and `openssl s_client` against single members started with etcd's TLS flags, and
# three 3-member clusters with TLS between the peers.
#
#   Scripts/e2e-tls.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-tls.sh /usr/bin/etcd    (proves the script itself: real etcd must pass)
#
# Checks (each prints PASS/FAIL; every verdict is on what etcdctl or openssl printed, their exit
# status, or a line the server logged; every wait is a bounded poll; etcdctl and openssl always run
# under `timeout`, and a client killed by it is reported as a hang). Every server runs with
# --logger zap; "logs X" means a JSON line whose "msg" is X.
#
# Startup (the server must exit by itself, non-zero):
#   flag-tls-min-version          etcd 3.4.23 has no --tls-min-version (nor --tls-max-version): exit 2,
#                                 first line "flag provided but not defined: -tls-min-version"; swetcd
#                                 has etcd 3.5's: TLS1.1 is refused at start with 3.5's text
#   tls-min-version-1.3           (swetcd only) --tls-min-version TLS1.3: TLS 1.2 refused, 1.3 served
#   https-without-cert-refused    an https client URL without --cert-file/--key-file: exit 1, logs
#                                 "failed to start etcd" with "TLS key/cert (--cert-file, --key-file)
#                                 must be provided for client url https://127.0.0.1:45650 with HTTPS
#                                 scheme"
#   cipher-suites-unknown-refused --cipher-suites TLS_BOGUS: exit 1, logs "failed to start etcd" with
#                                 `unexpected TLS cipher suite "TLS_BOGUS"`
# Server certificate (--cert-file/--key-file; https://127.0.0.1:45650 and http://127.0.0.1:45652):
#   tls-put-get                   `etcdctl --cacert CA --endpoints https://...` put prints OK, get the pair
#   tls-http-health               `curl --cacert CA https://.../health` answers {"health":"true"} over
#                                 HTTP/2 (ALPN h2, as curl negotiates) and with --http1.1
#   tls-http-gateway              a JSON gateway range over HTTP/2 reads the pair back
#   tls-plain-http-refused        `--endpoints http://` at the TLS port: exit 1, "Error: context deadline
#                                 exceeded" (etcd logs "rejected connection" with "tls: first record
#                                 does not look like a TLS handshake")
#   tls-no-cacert-refused         https without --cacert (the system roots do not know the test CA):
#                                 exit 1, "Error: context deadline exceeded" (etcdctl hides the reason;
#                                 with --cacert the same call works, so the certificate is the reason)
#   tls-rejection-logged          the server shows the reason: logs "rejected connection" with "remote
#                                 error: tls: bad certificate" (the alert the client sent)
#   tls-side-by-side              a put over http is read over https and the other way round
#   tls-1.1-refused               `s_client -tls1_1` (SECLEVEL 0, so openssl really offers it): the
#                                 server answers "alert protocol version" (etcd's minimum is TLS 1.2)
#   tls-1.2-accepted              `s_client -tls1_2` handshakes, verifying against the CA
#   tls-1.3-accepted              `s_client -tls1_3` handshakes
#   alpn-h2                       `s_client -alpn h2`: "ALPN protocol: h2"
#   alpn-http11-none              `-alpn http/1.1`: handshake completes, "No ALPN negotiated"
#   alpn-unknown-refused          `-alpn foo`: "alert no application protocol"
#   tls-cert-reload               the cert/key files are replaced on disk (serial 1001, CN
#                                 e2e-tls-server -> serial 1002, CN e2e-tls-server-reloaded); the next
#                                 handshake shows the new one, the server was not restarted (same
#                                 PID) and etcdctl still works (etcd 3.4 loads the files on every
#                                 handshake, tls.Config.GetCertificate)
# Cipher suites (--cipher-suites TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256; the certs are P-256):
#   cipher-suites-etcdctl         etcdctl put/get work
#   cipher-suites-allowed         `s_client -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256` gets it
#   cipher-suites-other-refused   `-tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384`: "alert handshake
#                                 failure" (etcd logs "tls: no cipher suite supported by both client
#                                 and server")
#   cipher-suites-tls13-unrestricted `-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384` still handshakes
#                                 with it: the list restricts TLS 1.2 only (Go ignores CipherSuites for
#                                 TLS 1.3, so etcd 3.4.23 does)
# Client certificates (--client-cert-auth --trusted-ca-file --client-crl-file; the server cert also
# carries clientAuth: etcd's gRPC gateway dials the server with it):
#   mtls-trusted-cert             a client cert from the CA (CN=root): put/get work
#   mtls-no-cert-refused          no client cert: exit 1, "Error: context deadline exceeded" (etcd logs
#                                 "tls: client didn't provide a certificate")
#   mtls-untrusted-ca-refused     a cert from another CA: exit 1, the same (etcd logs "tls: failed to
#                                 verify client certificate: x509: certificate signed by unknown
#                                 authority")
#   mtls-untrusted-ca-handshake   the same cert with `s_client -tls1_2`: the handshake fails on an
#                                 alert about the certificate (etcd's: "alert bad certificate";
#                                 "unknown ca" and the like pass too)
#   mtls-healthy-after            the trusted client still gets answers
#   crl-revoked-refused           the revoked cert (serial 2003): exit 1, "Error: context deadline
#                                 exceeded"
#   crl-rejection-logged          logs "rejected connection" with "revoked" (etcd: "transport:
#                                 certificate serial 2003 revoked"; etcd checks the CRL after the
#                                 handshake, so `s_client` with that cert completes one: printed as a
#                                 detail, not a verdict)
#   crl-good-accepted             a good cert (CN=alice) of the same CA reads
#   auth-enable                   with the root cert: "User root created", "User alice created",
#                                 "Authentication Enabled" (etcdctl grants the root role itself)
#   auth-cn-root                  CN=root, no password: `user list` prints "alice", "root"; put OK
#   auth-cn-alice-denied          CN=alice (no role) put: exit 1, "Error: etcdserver: permission
#                                 denied" (gRPC PermissionDenied)
#   auth-cn-unknown-denied        CN=e2e-tls-server (no such user) put: the same
# Auto TLS (--auto-tls):
#   auto-tls-etcdctl              `etcdctl --insecure-skip-tls-verify --insecure-transport=false`
#                                 put/get work
#   auto-tls-self-signed          the served cert is self-signed (issuer = subject; etcd's is "O =
#                                 etcd") with IP:127.0.0.1 in its SAN
# Peer TLS, 3 members (--peer-cert-file/--peer-key-file per member, CNs e2e-tls-peer-1..3,
# --peer-trusted-ca-file, --peer-client-cert-auth, https peer URLs, http client URLs):
#   peer-tls-cluster              all three healthy; `member list` shows the three https peer URLs
#   peer-tls-replicates           a put on member 1 is read on member 3
#   peer-tls-member-cert          member 2's peer port serves its own cert (CN=e2e-tls-peer-2, verified)
#   peer-tls-client-cert-required `s_client -tls1_2` without a client cert to a peer port: the
#                                 handshake fails on the server's alert (etcd's: "alert bad
#                                 certificate"; it logs "tls: client didn't provide a certificate").
#                                 TLS 1.2 because in TLS 1.3 the client's handshake ends before the
#                                 server has looked at its certificate
# Allowed CN (--peer-cert-allowed-cn e2e-tls-peer-allowed on all three; members 1 and 2 have certs
# with that CN, member 3 has CN=e2e-tls-peer-3):
#   peer-cn-pair                  members 1 and 2 are healthy (2 of 3 is a quorum)
#   peer-cn-rejected              member 1 or 2 logs "rejected connection" with "client certificate
#                                 authentication failed", and member 3 is unhealthy (etcd's member 3
#                                 logs "remote error: tls: bad certificate": the check runs on both
#                                 sides of a peer connection)
# Peer auto TLS (--peer-auto-tls):
#   peer-auto-tls-cluster         three members healthy; a put on member 1 is read on member 3
#   peer-auto-tls-self-signed     member 2's peer port serves a self-signed cert with IP:127.0.0.1
#
# Not checked: --tls-min-version/--tls-max-version (not in etcd 3.4.23: see the first check).
#
# Ports: 127.0.0.1:45650-45699 only. Single member: 45650 (https client), 45651 (peer), 45652 (http
# client); cluster member i (1..3): 45660+2i (client), 45661+2i (peer).
#
# Output: `PASS name` / `FAIL name (why)` / `PENDING name (why)`, `# ...` details, `N passed, M
# failed, P pending` last. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
# A server that does not start, or does not speak TLS where it should (its client port, or for the
# clusters member 2's peer port), fails that group's checks within seconds. Runs in about 60 s
# against etcd 3.4.23 on a busy 2-core machine (about 5 s against a server that refuses every TLS
# flag, about 55 s against one that ignores them and serves plain http).
#
# Environment:
#   TLS_SERVER_ARGS     extra arguments for every server start
#   TLS_KEEP=1          keep the work directory; it is always kept when a check failed
#   TLS_PENDING         space-separated checks whose capability has not landed in the server yet: each
#                       still runs and prints `PENDING name (why)` instead of FAIL, is not counted as
#                       passed, and turns into a failure the moment it passes (so the list cannot go
#                       stale)
#   TLS_ETCDCTL         client (default /usr/bin/etcdctl)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-${SERVER_BIN:-$REPO_ROOT/.build/debug/swetcd}}
ETCDCTL=${TLS_ETCDCTL:-/usr/bin/etcdctl}
read -r -a SERVER_ARGS <<<"${TLS_SERVER_ARGS:-}"

readonly HOST=127.0.0.1
readonly TLS_PORT=45650
readonly SINGLE_PEER_PORT=45651
readonly HTTP_PORT=45652
readonly TOKEN=swetcd-e2e-tls
readonly ALLOWED_CN=e2e-tls-peer-allowed
readonly ONE_SUITE=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 # openssl: ECDHE-ECDSA-AES128-GCM-SHA256

# Bounds. Every wait is a bounded number of polls (or a clock deadline); the pause only paces them.
readonly LISTEN_POLLS_MAX=150    # x 0.1 s: the server listens on its client port (or exits)
readonly HANDSHAKE_POLLS_MAX=20  # x 0.1 s: a listening port completes a TLS handshake
readonly HEALTH_POLLS_MAX=50     # x 0.1 s + the call: `endpoint health` answers over TLS
readonly EXIT_POLLS_MAX=50       # x 0.1 s: a server refusing its flags exits
readonly STOP_POLLS_MAX=150      # x 0.1 s: SIGTERM honoured before SIGKILL
readonly LOG_POLLS_MAX=20        # x 0.1 s: an expected log line appears
readonly CLUSTER_READY_SECONDS=30 # members healthy (or the part that should be)
readonly CTL_SECONDS_MAX=15      # safety net for one etcdctl
readonly SSL_SECONDS_MAX=5       # safety net for one openssl s_client

die() { echo "e2e-tls: $*" >&2; exit 2; }

for tool in "$ETCDCTL" openssl timeout python3; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-e2e-tls.XXXXXX")
PKI=$WORK/pki
declare -A PID=()
PASSED=0
FAILED=0
PENDING_COUNT=0
SUMMARY_PRINTED=""
STARTED=$SECONDS

summary() {
    echo "$PASSED passed, $FAILED failed, $PENDING_COUNT pending"
    SUMMARY_PRINTED=1
}

stop_pids() {
    local pid try
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for ((try = 1; try <= STOP_POLLS_MAX; try++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
# stop NAME...: the named servers, all at once.
stop() {
    local name pids=()
    for name in "$@"; do
        [[ -z ${PID[$name]:-} ]] || pids+=("${PID[$name]}")
        unset "PID[$name]"
    done
    ((${#pids[@]} == 0)) || stop_pids "${pids[@]}"
}

cleanup() {
    local status=$?
    if [[ -z $SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status; see $WORK)"
        summary
    fi
    ((${#PID[@]} == 0)) || stop_pids "${PID[@]}"
    if [[ ${TLS_KEEP:-0} == 1 || $FAILED != 0 ]]; then echo "e2e-tls: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

is_pending() { [[ " ${TLS_PENDING:-} " == *" $1 "* ]]; }
pass() {
    if is_pending "$1"; then
        echo "FAIL $1 (passes now: take it out of TLS_PENDING)"; FAILED=$((FAILED + 1))
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
# fail_all WHY NAME...: every named check fails with WHY (its server did not come up).
fail_all() {
    local why=$1 name
    shift
    for name in "$@"; do fail "$name" "$why"; done
}
# verdict NAME WHY COMMAND...: PASS if COMMAND succeeds, else FAIL with WHY.
verdict() {
    local name=$1 why=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$why"; fi
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
# poll_for SECONDS COMMAND...: run COMMAND, 0.1 s apart, until it succeeds or SECONDS have passed.
poll_for() {
    local deadline=$((SECONDS + $1))
    shift
    while :; do
        "$@" && return 0
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

alive() { kill -0 "$1" 2>/dev/null; }
port_is_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
log_of() { echo "$WORK/$1.log"; }
log_tail() { tail -n 3 "$(log_of "$1")" 2>/dev/null | cut -c1-400 | oneline; }

# ---------------------------------------------------------------------------------------------
# Certificates: all P-256, made here; every serial fixed so the checks can name them.

# make_ca NAME CN
make_ca() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$2" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -keyout "$PKI/$1.key" -out "$PKI/$1.crt"
}
# make_leaf CA NAME CN SERIAL EXTENDED_KEY_USAGE [SUBJECT_ALT_NAME]
make_leaf() {
    local ca=$1 name=$2 cn=$3 serial=$4 usage=$5 san=${6:-}
    {
        echo "basicConstraints=CA:FALSE"
        echo "keyUsage=critical,digitalSignature"
        echo "extendedKeyUsage=$usage"
        [[ -z $san ]] || echo "subjectAltName=$san"
    } >"$PKI/$name.ext"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" \
        -keyout "$PKI/$name.key" -out "$PKI/$name.csr"
    openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" -set_serial "$serial" \
        -days 2 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt"
}
make_certs() {
    local san=IP:127.0.0.1,DNS:localhost i
    mkdir -p "$PKI"
    make_ca ca e2e-tls-ca
    make_ca other-ca e2e-tls-untrusted-ca
    make_leaf ca server e2e-tls-server 0x1001 serverAuth,clientAuth "$san"
    make_leaf ca server-new e2e-tls-server-reloaded 0x1002 serverAuth,clientAuth "$san"
    make_leaf ca root root 0x2001 clientAuth
    make_leaf ca alice alice 0x2002 clientAuth
    make_leaf ca revoked revoked 0x2003 clientAuth
    make_leaf other-ca stranger root 0x3001 clientAuth
    for i in 1 2 3; do make_leaf ca "peer$i" "e2e-tls-peer-$i" "0x400$i" serverAuth,clientAuth "$san"; done
    make_leaf ca peer-allowed1 "$ALLOWED_CN" 0x4011 serverAuth,clientAuth "$san"
    make_leaf ca peer-allowed2 "$ALLOWED_CN" 0x4012 serverAuth,clientAuth "$san"
    # The CRL: a minimal `openssl ca` database, one revocation.
    : >"$PKI/index.txt"
    echo 01 >"$PKI/crlnumber"
    printf '[ca]\ndefault_ca = e2e\n[e2e]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 2\n' \
        "$PKI/index.txt" "$PKI/crlnumber" >"$PKI/ca.cnf"
    openssl ca -config "$PKI/ca.cnf" -keyfile "$PKI/ca.key" -cert "$PKI/ca.crt" -revoke "$PKI/revoked.crt"
    openssl ca -config "$PKI/ca.cnf" -keyfile "$PKI/ca.key" -cert "$PKI/ca.crt" -gencrl -out "$PKI/crl.pem"
}

# ---------------------------------------------------------------------------------------------
# Clients

# Every etcdctl run: NAME.out, NAME.err, exit status in RC and NAME.rc (so a verdict over several
# runs reads each one's own). A refused connection costs the command timeout, so the failing runs
# use short ones.
ctl() { timeout -k 1 "$CTL_SECONDS_MAX" "$ETCDCTL" --dial-timeout=1s --command-timeout=3s "$@" </dev/null; }
run() {
    local name=$1
    shift
    RC=0
    ctl "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
    echo "$RC" >"$WORK/$name.rc"
}
# run_refused NAME ARGS...: the same, with the command timeout a refused connection runs into.
run_refused() { run "$1" --command-timeout=2s "${@:2}"; }
out_of() { cat "$WORK/$1.out"; }
rc_of() { cat "$WORK/$1.rc"; }
# err_of NAME: stderr with the client library's JSON log lines reduced to "log LEVEL: MSG: ERROR".
err_of() {
    python3 -c '
import json, sys
for line in sys.stdin:
    line = line.rstrip("\n")
    try:
        entry = json.loads(line)
    except ValueError:
        print(line)
        continue
    if isinstance(entry, dict) and "level" in entry:
        print("log %s: %s: %s" % (entry.get("level"), entry.get("msg"), entry.get("error")))
    else:
        print(line)' <"$WORK/$1.err"
}
got() {
    local rc
    rc=$(rc_of "$1")
    if [[ $rc == 124 || $rc == 137 ]]; then
        echo "hung: killed after ${CTL_SECONDS_MAX} s"
    else
        echo "exit $rc, stdout: $(out_of "$1" | oneline), stderr: $(err_of "$1" | oneline)"
    fi
}
# ok NAME STDOUT: `run NAME` exited 0 and printed exactly STDOUT.
ok() { [[ $(rc_of "$1") == 0 && $(out_of "$1") == "$2" ]]; }
# kv_is NAME KEY VALUE: `run NAME` (a get) exited 0 and printed exactly KEY and VALUE.
kv_is() { ok "$1" "$2"$'\n'"$3"; }
# refused NAME: `run NAME` exited 1 with etcdctl's "Error: context deadline exceeded" last and
# nothing on stdout (a connection refused by TLS never reaches an RPC).
refused() { [[ $(rc_of "$1") == 1 && -z $(out_of "$1") && $(err_of "$1" | tail -n 1) == "Error: context deadline exceeded" ]]; }
DEADLINE_TEXT='exit 1, nothing on stdout, last line "Error: context deadline exceeded"'

# ssl NAME PORT ARGS...: `openssl s_client` to PORT (stdin closed, so it ends after the handshake);
# everything it printed in NAME.ssl, exit status in SSL_RC.
ssl() {
    local name=$1 port=$2
    shift 2
    SSL_RC=0
    timeout -k 1 "$SSL_SECONDS_MAX" openssl s_client -connect "$HOST:$port" "$@" </dev/null >"$WORK/$name.ssl" 2>&1 || SSL_RC=$?
}
ssl_has() { grep -aqF -- "$2" "$WORK/$1.ssl"; }
ssl_got() {
    if [[ $SSL_RC == 124 || $SSL_RC == 137 ]]; then
        echo "openssl hung: killed after ${SSL_SECONDS_MAX} s"
    else
        echo "openssl exit $SSL_RC: $(grep -aE 'alert|error|Cipher is|ALPN|Verify return code|^(subject|issuer)=' "$WORK/$1.ssl" | head -n 8 | cut -c1-200 | oneline)"
    fi
}
# served_cert NAME: the certificate in NAME.ssl, as "serial=... | subject=... | issuer=... | SAN".
served_cert() {
    openssl x509 -noout -serial -subject -issuer -ext subjectAltName <"$WORK/$1.ssl" 2>/dev/null | sed 's/^ *//' | oneline
}
self_signed() {
    local subject issuer
    subject=$(openssl x509 -noout -subject <"$WORK/$1.ssl" 2>/dev/null | sed 's/^subject=//')
    issuer=$(openssl x509 -noout -issuer <"$WORK/$1.ssl" 2>/dev/null | sed 's/^issuer=//')
    [[ -n $subject && $subject == "$issuer" ]]
}
# handshake_alerted NAME: the s_client run NAME failed its TLS 1.2 handshake on an alert from the
# server about the client's certificate (etcd sends bad_certificate for every refusal; other TLS
# stacks name the reason: unknown_ca, certificate_required, handshake_failure, ...).
readonly CERT_ALERTS='alert (bad certificate|unknown ca|certificate required|handshake failure|certificate unknown|unsupported certificate|certificate revoked|certificate expired|access denied)'
handshake_alerted() {
    [[ $SSL_RC != 0 && $SSL_RC != 124 && $SSL_RC != 137 ]] && grep -aqE "$CERT_ALERTS" "$WORK/$1.ssl"
}
# handshakes PORT [ARGS...]: a TLS handshake with PORT completes and shows a certificate.
handshakes() {
    local port=$1
    shift
    ssl probe "$port" "$@"
    [[ $SSL_RC == 0 ]] && ssl_has probe "BEGIN CERTIFICATE"
}

# log_errors NAME MSG: the "error" of every JSON line NAME's server logged with "msg" MSG.
log_errors() {
    python3 -c '
import json, sys
for line in open(sys.argv[1], errors="replace"):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if isinstance(entry, dict) and entry.get("msg") == sys.argv[2]:
        print(entry.get("error"))' "$(log_of "$1")" "$2"
}
# log_mark NAME: how many lines NAME's log has now (rejections_since reads only later ones).
log_mark() { wc -l <"$(log_of "$1")"; }
# rejections_since NAME MARK: the errors of "rejected connection" lines after line MARK.
rejections_since() {
    tail -n "+$(($2 + 1))" "$(log_of "$1")" >"$WORK/$1.since"
    python3 -c '
import json, sys
for line in open(sys.argv[1], errors="replace"):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if isinstance(entry, dict) and entry.get("msg") == "rejected connection":
        print(entry.get("error"))' "$WORK/$1.since" | sort | uniq
}
# rejected_with NAME MARK TEXT: a "rejected connection" line after line MARK mentions TEXT (grep, not
# JSON: it runs in polls).
rejected_with() {
    # No grep -q at the end: under pipefail, its early exit would make the tail before it die of
    # SIGPIPE on a long log and turn a match into a failure.
    tail -n "+$(($2 + 1))" "$(log_of "$1")" | grep -aF '"msg":"rejected connection"' | grep -aF -- "$3" >/dev/null
}
# show_rejections NAME MARK: the server's reasons as a detail line.
show_rejections() { info "$1 logged: rejected connection: $(rejections_since "$1" "$2" | oneline)"; }

# ---------------------------------------------------------------------------------------------
# Servers

# launch_single NAME CLIENT_URLS ARGS...: one member on the single-member ports.
launch_single() {
    local name=$1 urls=$2 port
    shift 2
    for port in "$TLS_PORT" "$SINGLE_PEER_PORT" "$HTTP_PORT"; do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --logger zap --name "$name" --data-dir "$WORK/$name.data" \
        --listen-client-urls "$urls" --advertise-client-urls "${urls%%,*}" \
        --listen-peer-urls "http://$HOST:$SINGLE_PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$SINGLE_PEER_PORT" \
        --initial-cluster "$name=http://$HOST:$SINGLE_PEER_PORT" --initial-cluster-token "$TOKEN" --initial-cluster-state new \
        "$@" "${SERVER_ARGS[@]}" </dev/null >>"$(log_of "$name")" 2>&1 &
    PID[$name]=$!
}
listening_or_gone() { ! alive "${PID[$1]}" || port_is_open "$2"; }
# tls_ready NAME PORT PROBE_ARGS HEALTH...: the server listens on PORT, completes a TLS handshake
# there (openssl with PROBE_ARGS, one word list) and HEALTH succeeds; else false with WHY.
tls_ready() {
    local name=$1 port=$2 probe=$3
    shift 3
    WHY=""
    poll "$LISTEN_POLLS_MAX" listening_or_gone "$name" "$port" || true
    if ! alive "${PID[$name]}"; then
        WHY="the server exited: $(log_tail "$name")"
    elif ! port_is_open "$port"; then
        WHY="the server does not listen on $HOST:$port"
    elif ! poll "$HANDSHAKE_POLLS_MAX" handshakes "$port" $probe; then
        WHY="$HOST:$port completes no TLS handshake: $(ssl_got probe)"
    elif ! poll "$HEALTH_POLLS_MAX" "$@"; then
        WHY="no healthy answer over TLS (log: $(log_tail "$name"))"
    fi
    [[ -z $WHY ]]
}
# start_refused NAME ARGS...: a server started with ARGS (on the single-member ports, http client
# URL) that should exit by itself; its output is NAME.log. EXITED is its exit status, or "running"
# if it did not exit within the bound (it is then stopped).
start_refused() {
    local name=$1 pid port
    shift
    for port in "$TLS_PORT" "$SINGLE_PEER_PORT"; do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --logger zap --name "$name" --data-dir "$WORK/$name.data" \
        --listen-peer-urls "http://$HOST:$SINGLE_PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$SINGLE_PEER_PORT" \
        --initial-cluster "$name=http://$HOST:$SINGLE_PEER_PORT" --initial-cluster-token "$TOKEN" --initial-cluster-state new \
        --listen-client-urls "http://$HOST:$TLS_PORT" --advertise-client-urls "http://$HOST:$TLS_PORT" \
        "$@" "${SERVER_ARGS[@]}" </dev/null >"$(log_of "$name")" 2>&1 &
    pid=$!
    EXITED=running
    poll "$EXIT_POLLS_MAX" eval '! alive '"$pid" || true
    if alive "$pid"; then
        stop_pids "$pid"
    else
        EXITED=0
        wait "$pid" || EXITED=$?
    fi
}

# Cluster members: i = 1..3.
member_client_port() { echo $((45660 + 2 * $1)); }
member_peer_port() { echo $((45661 + 2 * $1)); }
member_ep() { echo "http://$HOST:$(member_client_port "$1")"; }
initial_cluster() {
    local i list=""
    for i in 1 2 3; do list+="${list:+,}m$i=https://$HOST:$(member_peer_port "$i")"; done
    echo "$list"
}
# launch_member CLUSTER I ARGS...: member I of CLUSTER (its name is CLUSTER-I for logs and data).
launch_member() {
    local cluster=$1 i=$2 port
    shift 2
    for port in "$(member_client_port "$i")" "$(member_peer_port "$i")"; do
        ! port_is_open "$port" || die "port $port is already in use"
    done
    "$SERVER_BIN" --logger zap --name "m$i" --data-dir "$WORK/$cluster-$i.data" \
        --listen-client-urls "$(member_ep "$i")" --advertise-client-urls "$(member_ep "$i")" \
        --listen-peer-urls "https://$HOST:$(member_peer_port "$i")" --initial-advertise-peer-urls "https://$HOST:$(member_peer_port "$i")" \
        --initial-cluster "$(initial_cluster)" --initial-cluster-token "$TOKEN-$cluster" --initial-cluster-state new \
        "$@" "${SERVER_ARGS[@]}" </dev/null >>"$(log_of "$cluster-$i")" 2>&1 &
    PID[$cluster-$i]=$!
}
member_healthy() { ctl --command-timeout=1s --endpoints="$(member_ep "$1")" endpoint health >/dev/null 2>&1; }
# members_healthy CLUSTER I...: every named member is running and healthy. A member that exited
# ends the wait (members_gone).
members_healthy() {
    local cluster=$1 i
    shift
    for i in "$@"; do
        alive "${PID[$cluster-$i]}" || return 0
        member_healthy "$i" || return 1
    done
}
members_gone() {
    local cluster=$1 i gone=""
    shift
    for i in "$@"; do alive "${PID[$cluster-$i]}" || gone+="member $i exited: $(log_tail "$cluster-$i"); "; done
    echo "$gone"
}
# cluster_ready CLUSTER PROBE_ARGS I...: a bounded wait for members I... to be healthy, then member
# 2's peer port must complete a TLS handshake (openssl with PROBE_ARGS, one word list: a cluster
# that formed over plain http proves nothing here); else false with WHY.
cluster_ready() {
    local cluster=$1 probe=$2
    shift 2
    WHY=""
    poll_for "$CLUSTER_READY_SECONDS" members_healthy "$cluster" "$@" || true
    WHY=$(members_gone "$cluster" "$@")
    if [[ -z $WHY ]] && ! members_healthy "$cluster" "$@"; then
        WHY="members $* not all healthy after ${CLUSTER_READY_SECONDS} s (member 1 log: $(log_tail "$cluster-1"))"
    elif [[ -z $WHY ]] && ! handshakes "$(member_peer_port 2)" $probe; then
        WHY="member 2's peer port $HOST:$(member_peer_port 2) completes no TLS handshake: $(ssl_got probe)"
    fi
    [[ -z $WHY ]]
}

# ---------------------------------------------------------------------------------------------
make_certs >"$WORK/pki.log" 2>&1 || die "openssl could not make the certificates (see $WORK/pki.log)"
info "server $SERVER_BIN; client $ETCDCTL; $(openssl version)"
CA=(--cacert "$PKI/ca.crt")
ROOT=(--cert "$PKI/root.crt" --key "$PKI/root.key")
ALICE=(--cert "$PKI/alice.crt" --key "$PKI/alice.key")
TLS_EP=(--endpoints "https://$HOST:$TLS_PORT")
HTTP_EP=(--endpoints "http://$HOST:$HTTP_PORT")

# ---------------------------------------------------------------------------------------------
# Startup refusals

# etcd 3.4.23 has no --tls-min-version; swetcd has etcd 3.5's, and refuses a version it does not
# know with 3.5's words.
server_version=$("$SERVER_BIN" --version 2>/dev/null || true)
if [[ $server_version =~ ^etcd\ Version:\ 3\.4\. && $server_version != *swetcd* ]]; then
    start_refused bad-flag --tls-min-version TLS1.2
    first_line=$(head -n 1 "$(log_of bad-flag)")
    verdict flag-tls-min-version "expected exit 2 and \"flag provided but not defined: -tls-min-version\" first; got exit $EXITED, $(head -n 3 "$(log_of bad-flag)" | cut -c1-300 | oneline)" \
        test "$EXITED|$first_line" = "2|flag provided but not defined: -tls-min-version"
    HAS_TLS_VERSION_FLAGS=0
else
    start_refused bad-flag --tls-min-version TLS1.1
    verdict flag-tls-min-version "expected exit 1 and \"failed to start etcd\" with 'unexpected TLS version \"TLS1.1\" (must be one of: TLS1.2, TLS1.3)'; got exit $EXITED, errors: $(log_errors bad-flag 'failed to start etcd' | oneline)" \
        test "$EXITED|$(log_errors bad-flag 'failed to start etcd')" = "1|unexpected TLS version \"TLS1.1\" (must be one of: TLS1.2, TLS1.3)"
    HAS_TLS_VERSION_FLAGS=1
fi

# Later flags win: these turn the client URL into https.
HTTPS_URLS=(--listen-client-urls "https://$HOST:$TLS_PORT" --advertise-client-urls "https://$HOST:$TLS_PORT")
https_no_cert_error="TLS key/cert (--cert-file, --key-file) must be provided for client url https://$HOST:$TLS_PORT with HTTPS scheme"
start_refused no-cert "${HTTPS_URLS[@]}"
verdict https-without-cert-refused "expected exit 1 and \"failed to start etcd\" with \"$https_no_cert_error\"; got exit $EXITED, errors: $(log_errors no-cert 'failed to start etcd' | oneline) log: $(log_tail no-cert)" \
    test "$EXITED|$(log_errors no-cert 'failed to start etcd')" = "1|$https_no_cert_error"

start_refused bad-suite "${HTTPS_URLS[@]}" --cert-file "$PKI/server.crt" --key-file "$PKI/server.key" --cipher-suites TLS_BOGUS
verdict cipher-suites-unknown-refused "expected exit 1 and \"failed to start etcd\" with 'unexpected TLS cipher suite \"TLS_BOGUS\"'; got exit $EXITED, errors: $(log_errors bad-suite 'failed to start etcd' | oneline) log: $(log_tail bad-suite)" \
    test "$EXITED|$(log_errors bad-suite 'failed to start etcd')" = "1|unexpected TLS cipher suite \"TLS_BOGUS\""

# ---------------------------------------------------------------------------------------------
# Server certificate, https and http side by side, versions, ALPN, reload

mkdir -p "$WORK/live"
cp "$PKI/server.crt" "$PKI/server.key" "$WORK/live/"
launch_single tls "https://$HOST:$TLS_PORT,http://$HOST:$HTTP_PORT" \
    --cert-file "$WORK/live/server.crt" --key-file "$WORK/live/server.key"
tls_healthy() { ctl "${TLS_EP[@]}" "${CA[@]}" endpoint health >/dev/null 2>&1; }
TLS_CHECKS=(tls-put-get tls-http-health tls-http-gateway tls-plain-http-refused tls-no-cacert-refused tls-rejection-logged tls-side-by-side tls-1.1-refused tls-1.2-accepted
    tls-1.3-accepted alpn-h2 alpn-http11-none alpn-unknown-refused tls-cert-reload)
if ! tls_ready tls "$TLS_PORT" "" tls_healthy; then
    fail_all "$WHY" "${TLS_CHECKS[@]}"
else
    tls_pid=${PID[tls]}
    run tls-put "${TLS_EP[@]}" "${CA[@]}" put e2e/tls v1
    put_got=$(got tls-put)
    run tls-get "${TLS_EP[@]}" "${CA[@]}" get e2e/tls
    verdict tls-put-get "expected OK, then e2e/tls|v1; got put: $put_got; get: $(got tls-get)" \
        test "$put_got|$(got tls-get)" = "exit 0, stdout: OK|, stderr: |exit 0, stdout: e2e/tls|v1|, stderr: "

    # etcd's TLS listener hands HTTP requests (HTTP/2 without a gRPC content type, or HTTP/1.1)
    # to its HTTP handlers: curl negotiates HTTP/2 by ALPN unless told otherwise.
    https_curl() { curl -sS --max-time 5 --cacert "$PKI/ca.crt" -w ' HTTP/%{http_version}' "$@" 2>&1; }
    h2_health=$(https_curl "https://$HOST:$TLS_PORT/health")
    h1_health=$(https_curl --http1.1 "https://$HOST:$TLS_PORT/health")
    verdict tls-http-health "expected {\"health\":\"true\"} over HTTP/2 and HTTP/1.1; got $h2_health | $h1_health" \
        test "$h2_health|$h1_health" = '{"health":"true"} HTTP/2|{"health":"true"} HTTP/1.1'
    gateway_range=$(https_curl -X POST -d "{\"key\":\"$(printf e2e/tls | base64)\"}" "https://$HOST:$TLS_PORT/v3/kv/range")
    verdict tls-http-gateway "expected the gateway's range of e2e/tls over HTTP/2; got $gateway_range" \
        grep -q '"kvs":\[{"key":"ZTJlL3Rscw==".*"value":"djE="}\],"count":"1"} HTTP/2$' <<<"$gateway_range"

    mark=$(log_mark tls)
    run_refused tls-plain --endpoints "http://$HOST:$TLS_PORT" get e2e/tls
    verdict tls-plain-http-refused "expected $DEADLINE_TEXT; got $(got tls-plain)" refused tls-plain
    show_rejections tls "$mark"

    mark=$(log_mark tls)
    run_refused tls-no-ca "${TLS_EP[@]}" get e2e/tls
    verdict tls-no-cacert-refused "expected $DEADLINE_TEXT; got $(got tls-no-ca)" refused tls-no-ca
    poll "$LOG_POLLS_MAX" rejected_with tls "$mark" "bad certificate" || true
    verdict tls-rejection-logged "expected \"rejected connection\" with \"bad certificate\" logged; got: $(rejections_since tls "$mark" | oneline)" \
        rejected_with tls "$mark" "bad certificate"
    show_rejections tls "$mark"

    run side-put-http "${HTTP_EP[@]}" put e2e/side/http h
    run side-put-https "${TLS_EP[@]}" "${CA[@]}" put e2e/side/https s
    run side-get-https "${TLS_EP[@]}" "${CA[@]}" get --prefix e2e/side/
    run side-get-http "${HTTP_EP[@]}" get --prefix e2e/side/
    side_got="http put: $(got side-put-http); https put: $(got side-put-https); https get: $(got side-get-https); http get: $(got side-get-http)"
    side_want=$'e2e/side/http\nh\ne2e/side/https\ns'
    verdict tls-side-by-side "expected both puts OK and both gets e2e/side/http|h|e2e/side/https|s; got $side_got" \
        eval 'ok side-put-http OK && ok side-put-https OK && ok side-get-https "$side_want" && ok side-get-http "$side_want"'

    ssl tls11 "$TLS_PORT" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
    verdict tls-1.1-refused "expected a failed handshake with \"alert protocol version\"; got $(ssl_got tls11)" \
        eval '[[ $SSL_RC != 0 ]] && ssl_has tls11 "alert protocol version" && ! ssl_has tls11 "no protocols available"'
    ssl tls12 "$TLS_PORT" -tls1_2 -CAfile "$PKI/ca.crt" -verify_return_error
    verdict tls-1.2-accepted "expected \"New, TLSv1.2\" and verify 0; got $(ssl_got tls12)" \
        eval '[[ $SSL_RC == 0 ]] && ssl_has tls12 "New, TLSv1.2, Cipher is" && ssl_has tls12 "Verify return code: 0 (ok)"'
    ssl tls13 "$TLS_PORT" -tls1_3 -CAfile "$PKI/ca.crt" -verify_return_error
    verdict tls-1.3-accepted "expected \"New, TLSv1.3\" and verify 0; got $(ssl_got tls13)" \
        eval '[[ $SSL_RC == 0 ]] && ssl_has tls13 "New, TLSv1.3, Cipher is" && ssl_has tls13 "Verify return code: 0 (ok)"'

    ssl alpn-h2 "$TLS_PORT" -alpn h2 -CAfile "$PKI/ca.crt"
    verdict alpn-h2 "expected \"ALPN protocol: h2\"; got $(ssl_got alpn-h2)" \
        eval '[[ $SSL_RC == 0 ]] && ssl_has alpn-h2 "ALPN protocol: h2"'
    ssl alpn-http11 "$TLS_PORT" -alpn http/1.1 -CAfile "$PKI/ca.crt"
    verdict alpn-http11-none "expected a handshake with \"No ALPN negotiated\"; got $(ssl_got alpn-http11)" \
        eval '[[ $SSL_RC == 0 ]] && ssl_has alpn-http11 "No ALPN negotiated" && ssl_has alpn-http11 "New, TLSv1."'
    mark=$(log_mark tls)
    ssl alpn-foo "$TLS_PORT" -alpn foo -CAfile "$PKI/ca.crt"
    verdict alpn-unknown-refused "expected \"alert no application protocol\"; got $(ssl_got alpn-foo)" \
        ssl_has alpn-foo "alert no application protocol"
    show_rejections tls "$mark"

    ssl reload-before "$TLS_PORT" -CAfile "$PKI/ca.crt"
    before=$(served_cert reload-before)
    cp "$PKI/server-new.key" "$WORK/live/server.key.new"
    cp "$PKI/server-new.crt" "$WORK/live/server.crt.new"
    mv "$WORK/live/server.key.new" "$WORK/live/server.key"
    mv "$WORK/live/server.crt.new" "$WORK/live/server.crt"
    ssl reload-after "$TLS_PORT" -CAfile "$PKI/ca.crt" -verify_return_error
    after=$(served_cert reload-after)
    run reload-get "${TLS_EP[@]}" "${CA[@]}" get e2e/tls
    info "served before the swap: $before"
    info "served after the swap: $after"
    verdict tls-cert-reload "expected serial 1001 CN e2e-tls-server, then 1002 CN e2e-tls-server-reloaded from the same process, and etcdctl still reading; got before: $before; after: $after; same process: $(alive "$tls_pid" && echo yes || echo no); get: $(got reload-get)" \
        eval '[[ $before == "serial=1001|subject=CN = e2e-tls-server|"* && $after == "serial=1002|subject=CN = e2e-tls-server-reloaded|"* ]] && alive "$tls_pid" && kv_is reload-get e2e/tls v1'
fi
stop tls

# ---------------------------------------------------------------------------------------------
# Cipher suites

launch_single cipher "https://$HOST:$TLS_PORT" --cert-file "$PKI/server.crt" --key-file "$PKI/server.key" --cipher-suites "$ONE_SUITE"
cipher_healthy() { ctl "${TLS_EP[@]}" "${CA[@]}" endpoint health >/dev/null 2>&1; }
CIPHER_CHECKS=(cipher-suites-etcdctl cipher-suites-allowed cipher-suites-other-refused cipher-suites-tls13-unrestricted)
if ! tls_ready cipher "$TLS_PORT" "" cipher_healthy; then
    fail_all "$WHY" "${CIPHER_CHECKS[@]}"
else
    run cipher-put "${TLS_EP[@]}" "${CA[@]}" put e2e/cipher c
    run cipher-get "${TLS_EP[@]}" "${CA[@]}" get e2e/cipher
    verdict cipher-suites-etcdctl "expected OK then e2e/cipher|c; got put: $(got cipher-put); get: $(got cipher-get)" \
        eval 'ok cipher-put OK && kv_is cipher-get e2e/cipher c'
    ssl cipher-ok "$TLS_PORT" -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -CAfile "$PKI/ca.crt"
    verdict cipher-suites-allowed "expected \"New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256\"; got $(ssl_got cipher-ok)" \
        eval '[[ $SSL_RC == 0 ]] && ssl_has cipher-ok "New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"'
    mark=$(log_mark cipher)
    ssl cipher-other "$TLS_PORT" -tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384 -CAfile "$PKI/ca.crt"
    verdict cipher-suites-other-refused "expected a failed handshake with \"alert handshake failure\"; got $(ssl_got cipher-other)" \
        eval '[[ $SSL_RC != 0 ]] && ssl_has cipher-other "alert handshake failure"'
    show_rejections cipher "$mark"
    ssl cipher-13 "$TLS_PORT" -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384 -CAfile "$PKI/ca.crt"
    verdict cipher-suites-tls13-unrestricted "expected \"New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384\" (etcd 3.4 restricts TLS 1.2 only); got $(ssl_got cipher-13)" \
        eval '[[ $SSL_RC == 0 ]] && ssl_has cipher-13 "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"'
fi
stop cipher

# --tls-min-version TLS1.3 (etcd 3.5's flag; swetcd only): TLS 1.2 is refused, TLS 1.3 served.
if ((HAS_TLS_VERSION_FLAGS)); then
    launch_single tls13 "https://$HOST:$TLS_PORT" --cert-file "$PKI/server.crt" --key-file "$PKI/server.key" --tls-min-version TLS1.3
    tls13_healthy() { ctl "${TLS_EP[@]}" "${CA[@]}" endpoint health >/dev/null 2>&1; }
    if ! tls_ready tls13 "$TLS_PORT" "" tls13_healthy; then
        fail_all "$WHY" tls-min-version-1.3
    else
        ssl v12 "$TLS_PORT" -tls1_2 -CAfile "$PKI/ca.crt"
        v12_got=$(ssl_got v12)
        v12_rc=$SSL_RC
        ssl v13 "$TLS_PORT" -tls1_3 -CAfile "$PKI/ca.crt"
        verdict tls-min-version-1.3 "expected TLS 1.2 refused (alert protocol version) and \"New, TLSv1.3\"; got 1.2: $v12_got; 1.3: $(ssl_got v13)" \
            eval '[[ $v12_rc != 0 && $SSL_RC == 0 ]] && ssl_has v12 "alert protocol version" && ssl_has v13 "New, TLSv1.3, Cipher is"'
    fi
    stop tls13
fi

# ---------------------------------------------------------------------------------------------
# Client certificates, CRL, and the CN as the user

launch_single mtls "https://$HOST:$TLS_PORT" --cert-file "$PKI/server.crt" --key-file "$PKI/server.key" \
    --client-cert-auth --trusted-ca-file "$PKI/ca.crt" --client-crl-file "$PKI/crl.pem"
mtls_healthy() { ctl "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" endpoint health >/dev/null 2>&1; }
MTLS_CHECKS=(mtls-trusted-cert mtls-no-cert-refused mtls-untrusted-ca-refused mtls-untrusted-ca-handshake mtls-healthy-after crl-revoked-refused
    crl-rejection-logged crl-good-accepted auth-enable auth-cn-root auth-cn-alice-denied auth-cn-unknown-denied)
if ! tls_ready mtls "$TLS_PORT" "-cert $PKI/root.crt -key $PKI/root.key" mtls_healthy; then
    fail_all "$WHY" "${MTLS_CHECKS[@]}"
else
    run mtls-put "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" put e2e/mtls m
    run mtls-get "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" get e2e/mtls
    verdict mtls-trusted-cert "expected OK then e2e/mtls|m; got put: $(got mtls-put); get: $(got mtls-get)" \
        eval 'ok mtls-put OK && kv_is mtls-get e2e/mtls m'

    mark=$(log_mark mtls)
    run_refused mtls-no-cert "${TLS_EP[@]}" "${CA[@]}" get e2e/mtls
    verdict mtls-no-cert-refused "expected $DEADLINE_TEXT; got $(got mtls-no-cert)" refused mtls-no-cert
    show_rejections mtls "$mark"

    mark=$(log_mark mtls)
    run_refused mtls-stranger "${TLS_EP[@]}" "${CA[@]}" --cert "$PKI/stranger.crt" --key "$PKI/stranger.key" get e2e/mtls
    verdict mtls-untrusted-ca-refused "expected $DEADLINE_TEXT; got $(got mtls-stranger)" refused mtls-stranger
    show_rejections mtls "$mark"

    mark=$(log_mark mtls)
    ssl mtls-stranger-ssl "$TLS_PORT" -tls1_2 -CAfile "$PKI/ca.crt" -cert "$PKI/stranger.crt" -key "$PKI/stranger.key"
    verdict mtls-untrusted-ca-handshake "expected a failed handshake with an alert (etcd: \"alert bad certificate\"); got $(ssl_got mtls-stranger-ssl)" \
        handshake_alerted mtls-stranger-ssl
    info "the server's alert: $(grep -aoE "$CERT_ALERTS" "$WORK/mtls-stranger-ssl.ssl" | head -n 1)"

    run mtls-after "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" get e2e/mtls
    verdict mtls-healthy-after "expected e2e/mtls|m; got $(got mtls-after)" kv_is mtls-after e2e/mtls m

    mark=$(log_mark mtls)
    run_refused crl-revoked "${TLS_EP[@]}" "${CA[@]}" --cert "$PKI/revoked.crt" --key "$PKI/revoked.key" get e2e/mtls
    verdict crl-revoked-refused "expected $DEADLINE_TEXT; got $(got crl-revoked)" refused crl-revoked
    poll "$LOG_POLLS_MAX" rejected_with mtls "$mark" revoked || true
    verdict crl-rejection-logged "expected \"rejected connection\" with \"revoked\" logged; got: $(rejections_since mtls "$mark" | oneline)" \
        rejected_with mtls "$mark" revoked
    show_rejections mtls "$mark"

    ssl crl-revoked-ssl "$TLS_PORT" -tls1_2 -CAfile "$PKI/ca.crt" -cert "$PKI/revoked.crt" -key "$PKI/revoked.key"
    info "revoked cert, s_client -tls1_2 (not a verdict: etcd checks the CRL after the handshake): $(ssl_got crl-revoked-ssl)"

    run crl-good "${TLS_EP[@]}" "${CA[@]}" "${ALICE[@]}" get e2e/mtls
    verdict crl-good-accepted "expected e2e/mtls|m; got $(got crl-good)" kv_is crl-good e2e/mtls m

    run user-root "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" user add root --new-user-password=e2e-root-pw
    run user-alice "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" user add alice --new-user-password=e2e-alice-pw
    run auth-on "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" auth enable
    verdict auth-enable "expected \"User root created\", \"User alice created\", \"Authentication Enabled\"; got $(got user-root); $(got user-alice); $(got auth-on)" \
        eval 'ok user-root "User root created" && ok user-alice "User alice created" && ok auth-on "Authentication Enabled"'

    run cn-root-list "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" user list
    run cn-root-put "${TLS_EP[@]}" "${CA[@]}" "${ROOT[@]}" put e2e/auth r
    verdict auth-cn-root "expected user list alice|root and put OK; got list: $(got cn-root-list); put: $(got cn-root-put)" \
        eval 'kv_is cn-root-list alice root && ok cn-root-put OK'

    denied=$'log warn: retrying of unary invoker failed: rpc error: code = PermissionDenied desc = etcdserver: permission denied\nError: etcdserver: permission denied'
    run cn-alice "${TLS_EP[@]}" "${CA[@]}" "${ALICE[@]}" put e2e/auth a
    verdict auth-cn-alice-denied "expected exit 1, stderr: $(printf '%s' "$denied" | oneline); got $(got cn-alice)" \
        eval '[[ $(rc_of cn-alice) == 1 && -z $(out_of cn-alice) && $(err_of cn-alice) == "$denied" ]]'
    run cn-unknown "${TLS_EP[@]}" "${CA[@]}" --cert "$PKI/server.crt" --key "$PKI/server.key" put e2e/auth u
    verdict auth-cn-unknown-denied "expected exit 1, stderr: $(printf '%s' "$denied" | oneline); got $(got cn-unknown)" \
        eval '[[ $(rc_of cn-unknown) == 1 && -z $(out_of cn-unknown) && $(err_of cn-unknown) == "$denied" ]]'
fi
stop mtls

# ---------------------------------------------------------------------------------------------
# Auto TLS

launch_single autotls "https://$HOST:$TLS_PORT" --auto-tls
INSECURE=(--insecure-skip-tls-verify --insecure-transport=false)
auto_healthy() { ctl "${TLS_EP[@]}" "${INSECURE[@]}" endpoint health >/dev/null 2>&1; }
if ! tls_ready autotls "$TLS_PORT" "" auto_healthy; then
    fail_all "$WHY" auto-tls-etcdctl auto-tls-self-signed
else
    run auto-put "${TLS_EP[@]}" "${INSECURE[@]}" put e2e/auto a
    run auto-get "${TLS_EP[@]}" "${INSECURE[@]}" get e2e/auto
    verdict auto-tls-etcdctl "expected OK then e2e/auto|a; got put: $(got auto-put); get: $(got auto-get)" \
        eval 'ok auto-put OK && kv_is auto-get e2e/auto a'
    ssl auto-cert "$TLS_PORT"
    info "auto TLS serves: $(served_cert auto-cert)"
    verdict auto-tls-self-signed "expected a self-signed cert with IP Address:127.0.0.1; got $(served_cert auto-cert); $(ssl_got auto-cert)" \
        eval 'self_signed auto-cert && [[ $(served_cert auto-cert) == *"IP Address:127.0.0.1"* ]]'
fi
stop autotls

# ---------------------------------------------------------------------------------------------
# Peer TLS: certificates per member, client certs required between peers

PEER_CA=(--peer-trusted-ca-file "$PKI/ca.crt" --peer-client-cert-auth)
for i in 1 2 3; do
    launch_member peer "$i" --peer-cert-file "$PKI/peer$i.crt" --peer-key-file "$PKI/peer$i.key" "${PEER_CA[@]}"
done
if ! cluster_ready peer "-cert $PKI/peer1.crt -key $PKI/peer1.key" 1 2 3; then
    fail_all "$WHY" peer-tls-cluster peer-tls-replicates peer-tls-member-cert peer-tls-client-cert-required
else
    run peer-members --endpoints "$(member_ep 1)" member list
    peer_urls=$(cut -d, -f4 "$WORK/peer-members.out" | sort | tr -d ' ' | oneline)
    want_urls="https://$HOST:45663|https://$HOST:45665|https://$HOST:45667|"
    verdict peer-tls-cluster "expected 3 healthy members with peer URLs $want_urls; got $(got peer-members)" \
        test "$(rc_of peer-members)|$peer_urls" = "0|$want_urls"
    run peer-put --endpoints "$(member_ep 1)" put e2e/peer p
    run peer-get --endpoints "$(member_ep 3)" get e2e/peer
    verdict peer-tls-replicates "expected OK on member 1, e2e/peer|p on member 3; got $(got peer-put); $(got peer-get)" \
        eval 'ok peer-put OK && kv_is peer-get e2e/peer p'
    ssl peer-cert "$(member_peer_port 2)" -CAfile "$PKI/ca.crt" -verify_return_error -cert "$PKI/peer1.crt" -key "$PKI/peer1.key"
    verdict peer-tls-member-cert "expected CN = e2e-tls-peer-2, verified; got $(served_cert peer-cert); $(ssl_got peer-cert)" \
        eval '[[ $SSL_RC == 0 && $(served_cert peer-cert) == "serial=4002|subject=CN = e2e-tls-peer-2|"* ]] && ssl_has peer-cert "Verify return code: 0 (ok)"'
    mark=$(log_mark peer-2)
    ssl peer-nocert "$(member_peer_port 2)" -tls1_2 -CAfile "$PKI/ca.crt"
    verdict peer-tls-client-cert-required "expected a failed handshake with an alert (etcd: \"alert bad certificate\"); got $(ssl_got peer-nocert)" \
        handshake_alerted peer-nocert
    info "the server's alert: $(grep -aoE "$CERT_ALERTS" "$WORK/peer-nocert.ssl" | head -n 1)"
    show_rejections peer-2 "$mark"
fi
stop peer-1 peer-2 peer-3

# ---------------------------------------------------------------------------------------------
# Peer TLS with --peer-cert-allowed-cn: member 3's CN is not the allowed one

CN_ARGS=("${PEER_CA[@]}" --peer-cert-allowed-cn "$ALLOWED_CN")
launch_member cn 1 --peer-cert-file "$PKI/peer-allowed1.crt" --peer-key-file "$PKI/peer-allowed1.key" "${CN_ARGS[@]}"
launch_member cn 2 --peer-cert-file "$PKI/peer-allowed2.crt" --peer-key-file "$PKI/peer-allowed2.key" "${CN_ARGS[@]}"
launch_member cn 3 --peer-cert-file "$PKI/peer3.crt" --peer-key-file "$PKI/peer3.key" "${CN_ARGS[@]}"
cn_rejected() { rejected_with cn-1 0 "client certificate authentication failed" || rejected_with cn-2 0 "client certificate authentication failed"; }
if ! cluster_ready cn "-cert $PKI/peer-allowed1.crt -key $PKI/peer-allowed1.key" 1 2; then
    fail_all "$WHY" peer-cn-pair peer-cn-rejected
else
    pass peer-cn-pair
    poll "$LOG_POLLS_MAX" cn_rejected || true
    RC=0
    ctl --command-timeout=2s --endpoints="$(member_ep 3)" endpoint health >"$WORK/cn-3-health.out" 2>"$WORK/cn-3-health.err" || RC=$?
    m3_health=$(grep -a 'is healthy\|is unhealthy' "$WORK/cn-3-health.out" "$WORK/cn-3-health.err" | cut -d: -f2- | oneline)
    info "member 3: $m3_health"
    info "member 3 logged: rejected connection: $(rejections_since cn-3 0 | oneline)"
    verdict peer-cn-rejected "expected member 1 or 2 to log \"rejected connection\" with \"client certificate authentication failed\" and member 3 unhealthy; got member 1: $(rejections_since cn-1 0 | oneline) member 2: $(rejections_since cn-2 0 | oneline) member 3 health: exit $RC $m3_health" \
        eval 'cn_rejected && [[ $RC != 0 && $m3_health == *"is unhealthy"* ]]'
fi
stop cn-1 cn-2 cn-3

# ---------------------------------------------------------------------------------------------
# Peer auto TLS

for i in 1 2 3; do launch_member auto "$i" --peer-auto-tls; done
if ! cluster_ready auto "" 1 2 3; then
    fail_all "$WHY" peer-auto-tls-cluster peer-auto-tls-self-signed
else
    run auto-peer-put --endpoints "$(member_ep 1)" put e2e/auto-peer q
    run auto-peer-get --endpoints "$(member_ep 3)" get e2e/auto-peer
    verdict peer-auto-tls-cluster "expected OK on member 1, e2e/auto-peer|q on member 3; got $(got auto-peer-put); $(got auto-peer-get)" \
        eval 'ok auto-peer-put OK && kv_is auto-peer-get e2e/auto-peer q'
    ssl auto-peer-cert "$(member_peer_port 2)"
    info "peer auto TLS serves: $(served_cert auto-peer-cert)"
    verdict peer-auto-tls-self-signed "expected a self-signed cert with IP Address:127.0.0.1; got $(served_cert auto-peer-cert); $(ssl_got auto-peer-cert)" \
        eval 'self_signed auto-peer-cert && [[ $(served_cert auto-peer-cert) == *"IP Address:127.0.0.1"* ]]'
fi
stop auto-1 auto-2 auto-3

info "ran in $((SECONDS - STARTED)) s"
summary
((FAILED == 0)) || exit 1
