#!/usr/bin/env bash
# End-to-end durability checks for one etcd-v3 server (issue 3), using the real etcdctl and the Go
# bbolt checker (Scripts/boltcheck.sh):
#
#   Scripts/e2e-durability.sh [SERVER_BIN]     (default: .build/debug/swetcd)
#   Scripts/e2e-durability.sh /usr/bin/etcd    (proves the script itself: real etcd must pass)
#
# On one data dir, in order:
#   1. write N keys in batched txns, recording each acknowledged batch;
#   2. keep writing in the background and `kill -9` the server mid-stream; the db file must still
#      pass bbolt's check; after a restart every acknowledged key is there with its value, and every
#      txn is all-or-nothing;
#   3. `etcdctl snapshot save` + `snapshot status`: revision, size and the key history hash of the
#      file must match what the server reports;
#   4. deletes + compaction + `etcdctl defrag`: dbSize shrinks, data and hash stay;
#   5. graceful stop: the db passes bbolt's check and etcd's schema; after restart, reads below the
#      compacted revision fail with etcd's error, reads at and above it return the same data;
#   6. --unsafe-no-fsync is honoured without a warning; writes made under it are all there after a
#      graceful stop and a restart without it, and the db passes bbolt's check.
#
# Output: `PASS name` / `FAIL name (why)` per check, then `N passed, M failed` alone on the last
# line. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
#
# Environment:
#   DURABILITY_KEYS=N   keys written in step 1 (default 100000; a multiple of 100)
#   DURABILITY_KEEP=1   keep the work directory (server logs, outputs, data dir); it is always kept
#                       when a check failed
#   DURABILITY_ETCDCTL  client (default /usr/bin/etcdctl)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SERVER_BIN=${1:-$REPO_ROOT/.build/debug/swetcd}
ETCDCTL=${DURABILITY_ETCDCTL:-/usr/bin/etcdctl}
BOLTCHECK=$SCRIPT_DIR/boltcheck.sh

readonly KEYS=${DURABILITY_KEYS:-100000}
# etcd's default --max-txn-ops is 128; 100 keeps batches round.
readonly BATCH=100
readonly HOST=127.0.0.1
# Loopback only; this range is reserved for this script (e2e.sh uses 22379-22399).
readonly CLIENT_PORT=28379
readonly PEER_PORT=28380
readonly CLIENT_ADDR="$HOST:$CLIENT_PORT"
readonly CLIENT_URL="http://$CLIENT_ADDR"
readonly PEER_URL="http://$HOST:$PEER_PORT"

# Bounds. Every wait is a bounded number of polls; the pause only paces them.
readonly READY_TRIES_MAX=150           # x 0.1 s: server answers `endpoint health`
readonly STOP_TRIES_MAX=150            # x 0.1 s: SIGTERM honoured before SIGKILL
readonly WRITE_SECONDS_MAX=120         # step 1 gives up (FAIL) after this long
readonly CRASH_ACKS_BEFORE_KILL=3      # batches acknowledged in step 2 before the kill
readonly CRASH_TRIES_MAX=300           # x 0.1 s: waiting for those acknowledgements
readonly CRASH_BATCHES_MAX=2000        # the background writer never writes more than this

die() { echo "e2e-durability: $*" >&2; exit 2; }

for tool in "$ETCDCTL" timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -x $SERVER_BIN ]] || die "server not found or not executable: $SERVER_BIN (build it first: swift build)"
((KEYS > 0 && KEYS % BATCH == 0)) || die "DURABILITY_KEYS must be a positive multiple of $BATCH"
# The caller's ETCD_* / ETCDCTL_* must not configure the server or the client.
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-durability.XXXXXX")
DATA=$WORK/data
DB=$DATA/member/snap/db
SERVER_PID=""
WRITER_PID=""
PASSED=0
FAILED=0
SUMMARY_PRINTED=""
ABORTED_AT=""

summary() {
    echo "$PASSED passed, $FAILED failed"
    SUMMARY_PRINTED=1
}

# A step the server under test cannot perform (a command that fails outside a check) stops the
# run; that is a failure of the server, reported as such, with the summary line still last.
set -E
trap 'ABORTED_AT="line $LINENO: $BASH_COMMAND"' ERR

cleanup() {
    local status=$?
    if [[ -z $SUMMARY_PRINTED && $status != 2 && $status != 130 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status at ${ABORTED_AT:-unknown}; see $WORK)"
        summary
    fi
    [[ -z $WRITER_PID ]] || { kill "$WRITER_PID" 2>/dev/null || true; wait "$WRITER_PID" 2>/dev/null || true; }
    stop_server
    # The FAIL lines point into the work directory: keep it whenever something failed.
    if [[ ${DURABILITY_KEEP:-0} == 1 || $FAILED != 0 ]]; then echo "e2e-durability: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build the checker before any server runs, so a build failure is a harness error, not a FAIL.
"$BOLTCHECK" --build ||
    die "cannot build Scripts/boltcheck (needs golang-go golang-github-coreos-bbolt-dev golang-etcd-server-dev)"

# Every etcdctl call is bounded by `timeout`: some commands (txn) ignore --command-timeout, and
# clientv3 retries a dead endpoint indefinitely.
readonly CTL_SECONDS_MAX=60
ctl() {
    timeout -k 2 "${CTL_SECONDS:-$CTL_SECONDS_MAX}" \
        "$ETCDCTL" --endpoints="$CLIENT_ADDR" --dial-timeout=2s --command-timeout=30s "$@"
}
# check_file OUT SUBCOMMAND FILE: runs the bbolt checker, its report into OUT.
check_file() { local out=$1; shift; "$BOLTCHECK" "$@" >"$out" 2>&1; }
# error_line: the `Error: ...` line etcdctl prints for a failed request (its log lines carry times).
error_line() { grep -m1 '^Error:' || true; }

pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1 ($2)"; FAILED=$((FAILED + 1)); }
# verdict NAME WHY CONDITION...: PASS if the command succeeds.
verdict() {
    local name=$1 why=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

# ---------------------------------------------------------------------------------------------
# Server

port_is_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# start_server LOG [FLAG...]: starts the server on $DATA; 1 if it does not become healthy. A restart uses the
# very same command line, as a service manager would: etcd ignores the --initial-* flags once the
# data dir holds a member.
start_server() {
    local log=$1 try
    for port in "$CLIENT_PORT" "$PEER_PORT"; do
        port_is_open "$port" && die "port $port is already in use"
    done
    shift
    "$SERVER_BIN" --name default --data-dir "$DATA" \
        --listen-client-urls "$CLIENT_URL" --advertise-client-urls "$CLIENT_URL" \
        --listen-peer-urls "$PEER_URL" --initial-advertise-peer-urls "$PEER_URL" \
        --initial-cluster "default=$PEER_URL" --initial-cluster-state new "$@" \
        </dev/null >>"$log" 2>&1 &
    SERVER_PID=$!
    for ((try = 1; try <= READY_TRIES_MAX; try++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID" || true; SERVER_PID=""; return 1; }
        ctl --dial-timeout=1s --command-timeout=2s endpoint health </dev/null >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

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

crash_server() {
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# ---------------------------------------------------------------------------------------------
# Data: key PREFIX%06d, value v%06d- plus padding, so values differ per key and fill pages.

readonly PADDING=abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij

# batch_txn PREFIX BATCH_INDEX: etcdctl txn input putting that batch (no compares, no else).
batch_txn() {
    local prefix=$1 first=$(($2 * BATCH)) i
    echo
    for ((i = first; i < first + BATCH; i++)); do printf 'put %s%06d v%06d-%s\n' "$prefix" "$i" "$i" "$PADDING"; done
    printf '\n\n'
}

# expected_get PREFIX BATCH_INDEX...: what `etcdctl get PREFIX --prefix` prints for those batches.
expected_get() {
    local prefix=$1 batch i
    shift
    for batch in "$@"; do
        for ((i = batch * BATCH; i < (batch + 1) * BATCH; i++)); do printf '%s%06d\nv%06d-%s\n' "$prefix" "$i" "$i" "$PADDING"; done
    done
}

# write_batches PREFIX FROM TO ACKS SECONDS: writes batches FROM..TO-1 in order, appending each
# acknowledged batch index to ACKS; stops at the first failure or after SECONDS.
write_batches() {
    local prefix=$1 from=$2 to=$3 acks=$4 deadline=$((SECONDS + $5)) batch
    for ((batch = from; batch < to && SECONDS < deadline; batch++)); do
        batch_txn "$prefix" "$batch" | CTL_SECONDS=10 ctl txn >/dev/null 2>&1 || return 1
        echo "$batch" >>"$acks"
    done
}

status_field() { grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }
server_revision() { ctl endpoint status -w json | status_field revision; }
server_db_size() { ctl endpoint status -w json | status_field dbSize; }
server_hashkv() { ctl endpoint hashkv "$@" | awk '{print $2}'; }

# ---------------------------------------------------------------------------------------------
# 1. Write N keys

start_server "$WORK/server.log" || die "server did not start (log: $WORK/server.log)"
: >"$WORK/acks"
write_batches dur/ 0 $((KEYS / BATCH)) "$WORK/acks" "$WRITE_SECONDS_MAX" || true
acked=$(wc -l <"$WORK/acks")
verdict write-keys "$((acked * BATCH)) of $KEYS keys acknowledged within ${WRITE_SECONDS_MAX}s" \
    test "$acked" -eq $((KEYS / BATCH))

# ---------------------------------------------------------------------------------------------
# 2. kill -9 in the middle of a write stream, restart, everything acknowledged is there

: >"$WORK/crash-acks"
write_batches crash/ 0 "$CRASH_BATCHES_MAX" "$WORK/crash-acks" "$WRITE_SECONDS_MAX" &
WRITER_PID=$!
for ((try = 1; try <= CRASH_TRIES_MAX; try++)); do
    (($(wc -l <"$WORK/crash-acks") >= CRASH_ACKS_BEFORE_KILL)) && break
    sleep 0.1
done
crash_server
wait "$WRITER_PID" 2>/dev/null || true
WRITER_PID=""
crash_acked=$(wc -l <"$WORK/crash-acks")
verdict kill-9-mid-write "only $crash_acked batches acknowledged before the kill" \
    test "$crash_acked" -ge "$CRASH_ACKS_BEFORE_KILL" -a "$crash_acked" -lt "$CRASH_BATCHES_MAX"

verdict db-check-after-kill-9 "bbolt Tx.Check on member/snap/db: see $WORK/check-after-kill.txt" \
    check_file "$WORK/check-after-kill.txt" check "$DB"

if start_server "$WORK/server.log"; then
    pass restart-after-kill-9
else
    fail restart-after-kill-9 "server did not come back on the same data dir (log: $WORK/server.log)"
    summary
    exit 1
fi

ctl get dur/ --prefix >"$WORK/dur-after.txt" 2>&1 || true
# shellcheck disable=SC2046 # batch indices are plain numbers
expected_get dur/ $(cat "$WORK/acks") >"$WORK/dur-expected.txt"
verdict acknowledged-keys-survive-kill-9 "get dur/ --prefix differs from the acknowledged writes" \
    cmp -s "$WORK/dur-after.txt" "$WORK/dur-expected.txt"

# Each crash/ batch was one txn: present entirely (it must be, if acknowledged) or not at all.
ctl get crash/ --prefix --keys-only | { grep . || true; } | sed -E 's#^crash/0*([0-9]+)$#\1#' |
    awk -v batch=$BATCH '{ n[int($1 / batch)]++ } END { for (b in n) print b, n[b] }' |
    sort -n >"$WORK/crash-batches.txt"
sort -n "$WORK/crash-acks" | awk -v batch=$BATCH '{ print $1, batch }' >"$WORK/crash-acked.txt"
verdict acknowledged-batches-survive-kill-9 "an acknowledged crash/ batch is missing or partial" \
    test -z "$(join -v2 "$WORK/crash-batches.txt" "$WORK/crash-acked.txt")"
verdict txns-all-or-nothing "a crash/ batch is partially present: $(awk -v b=$BATCH '$2 != b' "$WORK/crash-batches.txt" | head -3 | tr '\n' ' ')" \
    test -z "$(awk -v b=$BATCH '$2 != b' "$WORK/crash-batches.txt")"
ctl get crash/ --prefix >"$WORK/crash-after.txt" 2>&1 || true
# shellcheck disable=SC2046
verdict acknowledged-values-survive-kill-9 "a crash/ key has a wrong value" \
    test -z "$(comm -23 <(expected_get crash/ $(cut -d' ' -f1 "$WORK/crash-acked.txt") | paste - - | sort) \
        <(paste - - <"$WORK/crash-after.txt" | sort))"

# ---------------------------------------------------------------------------------------------
# 3. Snapshot: the file etcdctl saves describes the server's state

if ctl snapshot save "$WORK/snap.db" >"$WORK/snapshot-save.txt" 2>&1; then
    pass snapshot-save
    ctl snapshot status -w json "$WORK/snap.db" >"$WORK/snapshot-status.json" 2>&1 || true
    snap_revision=$(status_field revision <"$WORK/snapshot-status.json")
    snap_size=$(status_field totalSize <"$WORK/snapshot-status.json")
    snap_keys=$(status_field totalKey <"$WORK/snapshot-status.json")
    # Read after the save: the server commits its pending batch before streaming the snapshot.
    revision=$(server_revision)
    db_size=$(server_db_size)
    hashkv=$(server_hashkv)
    verdict snapshot-status-revision "snapshot status says ${snap_revision:-?}, server revision $revision" \
        test "${snap_revision:-x}" = "$revision"
    # etcdctl keeps the 32-byte sha256 trailer in the file; totalSize is the bbolt size in it.
    verdict snapshot-status-size "snapshot status totalSize ${snap_size:-?}, server dbSize $db_size" \
        test "${snap_size:-x}" = "$db_size"
    "$BOLTCHECK" check "$WORK/snap.db" >"$WORK/snap-check.txt" 2>&1 || true
    file_keys=$(sed -n 's/^keys: //p' "$WORK/snap-check.txt")
    verdict snapshot-check "bbolt Tx.Check on the snapshot: see $WORK/snap-check.txt" grep -q '^ok ' "$WORK/snap-check.txt"
    verdict snapshot-status-total-keys "snapshot status totalKey ${snap_keys:-?}, bbolt counts ${file_keys:-?}" \
        test "${snap_keys:-x}" = "${file_keys:-y}"
    snap_hashkv=$("$BOLTCHECK" hashkv "$WORK/snap.db" 2>/dev/null || true)
    verdict snapshot-hashkv "key history hash of the snapshot ${snap_hashkv:-?}, server hashkv $hashkv" \
        test "${snap_hashkv:-x}" = "$hashkv"
else
    fail snapshot-save "etcdctl snapshot save failed: see $WORK/snapshot-save.txt"
fi

# ---------------------------------------------------------------------------------------------
# 4. Deletes + compaction, then defrag shrinks the file and keeps the data

ctl del dur/ "$(printf 'dur/%06d' $((KEYS * 9 / 10)))" >/dev/null
ctl del crash/ --prefix >/dev/null
ctl put hot v1 >/dev/null
COMPACTED=$(server_revision)
ctl compaction --physical "$COMPACTED" >/dev/null
ctl put hot v2 >/dev/null
ctl put hot v3 >/dev/null
ctl get "" --prefix >"$WORK/before-defrag.txt"
hashkv_before=$(server_hashkv)
size_before=$(server_db_size)
if ctl defrag >"$WORK/defrag.txt" 2>&1; then
    size_after=$(server_db_size)
    verdict defrag-shrinks-db "dbSize $size_before before defrag, $size_after after" test "$size_after" -lt "$size_before"
    ctl get "" --prefix >"$WORK/after-defrag.txt" 2>&1 || true
    verdict defrag-keeps-data "get \"\" --prefix differs across defrag" cmp -s "$WORK/before-defrag.txt" "$WORK/after-defrag.txt"
    verdict defrag-keeps-hashkv "hashkv $hashkv_before before defrag, $(server_hashkv) after" test "$(server_hashkv)" = "$hashkv_before"
else
    fail defrag "etcdctl defrag failed: see $WORK/defrag.txt"
fi

# ---------------------------------------------------------------------------------------------
# 5. Graceful restart keeps the compaction: below it errors, at and above it the same data

below_before=$(ctl get hot --rev=$((COMPACTED - 1)) 2>&1 | error_line || true)
ctl get "" --prefix --rev="$COMPACTED" >"$WORK/at-compacted-before.txt"
ctl get hot -w json | sed -E 's/"(cluster_id|member_id|raft_term)":[0-9]+,?//g' >"$WORK/hot-before.txt"
stop_server

verdict db-check-after-stop "bbolt Tx.Check on member/snap/db: see $WORK/check-after-stop.txt" \
    check_file "$WORK/check-after-stop.txt" check "$DB"
verdict db-etcd-schema-after-stop "etcd's layout in member/snap/db: see $WORK/schema-after-stop.txt" \
    check_file "$WORK/schema-after-stop.txt" etcd-schema "$DB"
verdict db-records-compaction "finishedCompactRev in member/snap/db is not $COMPACTED" \
    grep -qx "finishedCompactRev: $COMPACTED" "$WORK/schema-after-stop.txt"

if start_server "$WORK/server.log"; then
    below_after=$(ctl get hot --rev=$((COMPACTED - 1)) 2>&1 | error_line || true)
    verdict compacted-error-after-restart "below the compaction: '$below_after' (before restart: '$below_before')" \
        test "$below_after" = "$below_before" -a "$below_after" = "Error: etcdserver: mvcc: required revision has been compacted"
    ctl get "" --prefix --rev="$COMPACTED" >"$WORK/at-compacted-after.txt" 2>&1 || true
    verdict compacted-revision-readable-after-restart "get --rev=$COMPACTED differs across restart" \
        cmp -s "$WORK/at-compacted-before.txt" "$WORK/at-compacted-after.txt"
    ctl get "" --prefix >"$WORK/after-restart.txt" 2>&1 || true
    verdict data-unchanged-after-restart "get \"\" --prefix differs across restart" \
        cmp -s "$WORK/after-defrag.txt" "$WORK/after-restart.txt"
    ctl get hot -w json | sed -E 's/"(cluster_id|member_id|raft_term)":[0-9]+,?//g' >"$WORK/hot-after.txt"
    verdict revisions-unchanged-after-restart "get hot -w json (revisions, version) differs across restart" \
        cmp -s "$WORK/hot-before.txt" "$WORK/hot-after.txt"
else
    fail restart-after-compaction "server did not come back (log: $WORK/server.log)"
fi
stop_server

# ---------------------------------------------------------------------------------------------
# 6. --unsafe-no-fsync (etcd's flag for throwaway test clusters): the same files, only unsynced.
# A graceful stop still leaves everything in the page cache, so a restart without the flag
# finds every write and a sound db.

: >"$WORK/no-fsync.log"
if start_server "$WORK/no-fsync.log" --unsafe-no-fsync; then
    verdict unsafe-no-fsync-accepted "the server logged that it ignores the flag: $(grep -m1 'does not implement' "$WORK/no-fsync.log")" \
        test -z "$(grep -m1 'does not implement --unsafe-no-fsync' "$WORK/no-fsync.log")"
    for i in $(seq 1 20); do ctl put "nofsync/$i" "v$i" >/dev/null 2>&1 || true; done
    ctl get nofsync/ --prefix >"$WORK/no-fsync-before.txt" 2>&1 || true
    stop_server
    if start_server "$WORK/server.log"; then
        ctl get nofsync/ --prefix >"$WORK/no-fsync-after.txt" 2>&1 || true
        verdict unsafe-no-fsync-writes-kept "get nofsync/ --prefix: $(wc -l <"$WORK/no-fsync-before.txt") lines before the stop, $(wc -l <"$WORK/no-fsync-after.txt") after a restart without the flag" \
            test "$(grep -c '^nofsync/' "$WORK/no-fsync-before.txt")" = 20 -a "$(cmp -s "$WORK/no-fsync-before.txt" "$WORK/no-fsync-after.txt" && echo same)" = same
        stop_server
        verdict unsafe-no-fsync-db-check "bbolt Tx.Check on member/snap/db: see $WORK/check-after-no-fsync.txt" \
            check_file "$WORK/check-after-no-fsync.txt" check "$DB"
    else
        fail unsafe-no-fsync-writes-kept "no restart without the flag (log: $WORK/server.log)"
    fi
else
    fail unsafe-no-fsync-accepted "the server did not start with --unsafe-no-fsync (log: $WORK/no-fsync.log)"
fi

summary
((FAILED == 0))
