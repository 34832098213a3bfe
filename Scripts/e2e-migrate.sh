#!/usr/bin/env bash
# Data directories move between real etcd and swetcd, both ways (what a user swapping one for the
# other does with their existing data and their backups):
#
#   Scripts/e2e-migrate.sh [SWETCD_BIN]     (default: .build/debug/swetcd)
#
#   1. etcd-dir-to-swetcd: real etcd writes, deletes and compacts, then stops; swetcd starts on
#      the same --data-dir and answers with etcd's revision, HashKV, keys and compaction error,
#      then keeps accepting writes.
#   2. etcd-backup-to-swetcd: `etcdctl snapshot save` from real etcd, `etcdctl snapshot restore`
#      into a new directory, swetcd starts on it with the same revision, HashKV and members.
#   3. swetcd-dir-to-etcd: swetcd writes with --snapshot-count 10 (so the directory holds .snap
#      files and a WAL that starts after a snapshot), stops; real etcd starts on it and answers
#      with swetcd's revision, HashKV and keys, and accepts writes.
#   4. restart-ignores-bootstrap-flags (swetcd and etcd alike): a member restarted on its data
#      directory with a different --initial-cluster and token keeps its member and cluster IDs
#      and its data, as etcd does once a WAL exists.
#
# Output: `PASS name` / `FAIL name (why)` per check, then `N passed, M failed` alone on the last
# line. Exit status: 0 all passed, 1 some failed, 2 the harness could not run.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SWETCD=${1:-$REPO_ROOT/.build/debug/swetcd}
ETCD=${MIGRATE_ETCD:-/usr/bin/etcd}
ETCDCTL=${MIGRATE_ETCDCTL:-/usr/bin/etcdctl}

# Loopback only; this range is reserved for this script.
readonly CLIENT_ADDR=127.0.0.1:27379
readonly PEER_URL=http://127.0.0.1:27380
readonly READY_TRIES_MAX=100      # x 0.1 s
readonly STOP_TRIES_MAX=100       # x 0.1 s, then SIGKILL
readonly KEYS=60

die() { echo "e2e-migrate: $*" >&2; exit 2; }
for tool in "$ETCD" "$ETCDCTL"; do [[ -x $tool ]] || die "required tool not found: $tool"; done
[[ -x $SWETCD ]] || die "swetcd not found or not executable: $SWETCD (build it first: swift build)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swetcd-migrate.XXXXXX")
PASSED=0
FAILED=0
SERVER_PID=

pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1 ($2)"; FAILED=$((FAILED + 1)); }

SUMMARY_PRINTED=
summary() {
    echo "$PASSED passed, $FAILED failed"
    SUMMARY_PRINTED=1
}

# A command that fails under `set -e` (an etcdctl put in write_some, say) ends the script: say so
# as a FAIL with the summary line, and keep the work directory, rather than exit with neither.
cleanup() {
    local status=$?
    if [[ -z $SUMMARY_PRINTED && $status != 2 ]]; then
        FAILED=$((FAILED + 1))
        echo "FAIL aborted (exit status $status; see $WORK)"
        summary
    fi
    [[ -z $SERVER_PID ]] || { kill -9 "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
    if ((FAILED == 0)) && [[ -z ${MIGRATE_KEEP:-} ]]; then rm -rf "$WORK"; else echo "e2e-migrate: kept $WORK" >&2; fi
}
trap cleanup EXIT

ctl() { timeout -k 2 30 "$ETCDCTL" --endpoints="$CLIENT_ADDR" --dial-timeout=2s --command-timeout=10s "$@"; }

# start BIN DATA_DIR LOG [ARGS...]: a single member with the default name and cluster, as
# `etcdctl snapshot restore` lays a directory out for.
start() {
    local bin=$1 data=$2 log=$3 try
    shift 3
    "$bin" --data-dir "$data" --listen-client-urls "http://$CLIENT_ADDR" --advertise-client-urls "http://$CLIENT_ADDR" \
        --listen-peer-urls "$PEER_URL" "$@" >"$log" 2>&1 &
    SERVER_PID=$!
    for ((try = 0; try < READY_TRIES_MAX; try++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; return 1; }
        ctl endpoint health >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    # Never healthy but still running: stop it, or it holds the ports and every later check fails
    # for a reason that is not its own.
    stop
    return 1
}

stop() {
    local try
    [[ -n $SERVER_PID ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    for ((try = 0; try < STOP_TRIES_MAX; try++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# What both servers must agree on: revision, compact revision and HashKV at the current revision,
# and every key with its value and versions (member IDs and raft terms left out). If either query
# fails, OUT ends with a line naming OUT itself: two failed observations (say, the same etcdctl
# error on both sides) then never compare equal, so `cmp` cannot pass on errors.
observe() {
    local out=$1
    {
        ctl endpoint hashkv -w json | grep -o '"hash":[0-9]*\|"compact_revision":[-0-9]*\|"revision":[0-9]*' &&
            ctl get "" --from-key -w json | sed -E 's/"(cluster_id|member_id|raft_term)":[0-9]+,?//g'
    } >"$out" 2>&1 || echo "observation failed: $out" >>"$out"
}

write_some() {
    local prefix=$1 i
    for ((i = 1; i <= KEYS; i++)); do ctl put "$prefix$i" "value-$i" >/dev/null; done
    ctl del "${prefix}1" >/dev/null
    ctl put "${prefix}2" "overwritten" >/dev/null
}

# 1. A directory real etcd wrote, served by swetcd ------------------------------------------
if start "$ETCD" "$WORK/etcd.dir" "$WORK/etcd-1.log"; then
    write_some m
    ctl compaction 10 >/dev/null
    observe "$WORK/etcd-1.txt"
    stop
    if start "$SWETCD" "$WORK/etcd.dir" "$WORK/swetcd-1.log"; then
        observe "$WORK/swetcd-1.txt"
        compacted=$(ctl get m5 --rev=5 2>&1 | tail -1 || true)
        if ! cmp -s "$WORK/etcd-1.txt" "$WORK/swetcd-1.txt"; then
            fail etcd-dir-to-swetcd "revision, HashKV or keys differ: diff $WORK/etcd-1.txt $WORK/swetcd-1.txt"
        elif [[ $compacted != *"required revision has been compacted"* ]]; then
            fail etcd-dir-to-swetcd "a read below etcd's compaction answered: $compacted"
        elif ! ctl put after-migration yes >/dev/null 2>&1; then
            fail etcd-dir-to-swetcd "swetcd refused a write on etcd's directory (log: $WORK/swetcd-1.log)"
        else
            pass etcd-dir-to-swetcd
        fi
        stop
    else
        fail etcd-dir-to-swetcd "swetcd did not start on etcd's data directory (log: $WORK/swetcd-1.log)"
    fi
else
    fail etcd-dir-to-swetcd "real etcd did not start (log: $WORK/etcd-1.log)"
fi

# 2. An etcd backup restored with etcdctl, served by swetcd ---------------------------------
if start "$ETCD" "$WORK/etcd2.dir" "$WORK/etcd-2.log"; then
    write_some b
    observe "$WORK/etcd-2.txt"
    ctl snapshot save "$WORK/backup.db" >"$WORK/save.txt" 2>&1 || true
    stop
    if ! (cd "$WORK" && timeout 60 "$ETCDCTL" snapshot restore backup.db --data-dir restored.dir) >"$WORK/restore.txt" 2>&1; then
        fail etcd-backup-to-swetcd "etcdctl snapshot restore failed: $WORK/restore.txt"
    elif start "$SWETCD" "$WORK/restored.dir" "$WORK/swetcd-2.log"; then
        observe "$WORK/swetcd-2.txt"
        members=$(ctl member list 2>&1 || true)
        if ! cmp -s "$WORK/etcd-2.txt" "$WORK/swetcd-2.txt"; then
            fail etcd-backup-to-swetcd "revision, HashKV or keys differ: diff $WORK/etcd-2.txt $WORK/swetcd-2.txt"
        elif [[ $members != *"started, default, http://localhost:2380"* ]]; then
            fail etcd-backup-to-swetcd "member list after restore: $members"
        else
            pass etcd-backup-to-swetcd
        fi
        stop
    else
        fail etcd-backup-to-swetcd "swetcd did not start on the restored directory (log: $WORK/swetcd-2.log)"
    fi
else
    fail etcd-backup-to-swetcd "real etcd did not start (log: $WORK/etcd-2.log)"
fi

# 3. A directory swetcd wrote (snapshots included), served by real etcd ----------------------
if start "$SWETCD" "$WORK/swetcd.dir" "$WORK/swetcd-3.log" --snapshot-count 10; then
    write_some s
    observe "$WORK/swetcd-3.txt"
    stop
    snaps=$(find "$WORK/swetcd.dir/member/snap" -name '*.snap' | wc -l)
    if ((snaps == 0)); then
        fail swetcd-dir-to-etcd "swetcd wrote no .snap file with --snapshot-count 10"
    elif start "$ETCD" "$WORK/swetcd.dir" "$WORK/etcd-3.log"; then
        observe "$WORK/etcd-3.txt"
        if ! cmp -s "$WORK/swetcd-3.txt" "$WORK/etcd-3.txt"; then
            fail swetcd-dir-to-etcd "revision, HashKV or keys differ: diff $WORK/swetcd-3.txt $WORK/etcd-3.txt"
        elif ! ctl put after-migration yes >/dev/null 2>&1; then
            fail swetcd-dir-to-etcd "etcd refused a write on swetcd's directory (log: $WORK/etcd-3.log)"
        else
            pass swetcd-dir-to-etcd
        fi
        stop
    else
        fail swetcd-dir-to-etcd "real etcd did not start on swetcd's data directory (log: $WORK/etcd-3.log)"
    fi
else
    fail swetcd-dir-to-etcd "swetcd did not start (log: $WORK/swetcd-3.log)"
fi

# 4. Once a WAL exists, the bootstrap flags no longer matter -----------------------------------
restart_ignores_bootstrap_flags() {
    local name=$1 bin=$2 dir=$WORK/restart-$1.dir before after
    local flags=(--name a --initial-advertise-peer-urls "$PEER_URL")
    if ! start "$bin" "$dir" "$WORK/restart-$name-1.log" "${flags[@]}" --initial-cluster "a=$PEER_URL"; then
        fail "restart-ignores-bootstrap-flags-$name" "first start failed (log: $WORK/restart-$name-1.log)"
        return
    fi
    ctl put kept yes >/dev/null
    before=$(ctl get kept -w json | grep -o '"cluster_id":[0-9]*,"member_id":[0-9]*')
    stop
    if ! start "$bin" "$dir" "$WORK/restart-$name-2.log" "${flags[@]}" \
        --initial-cluster "a=$PEER_URL,b=http://127.0.0.1:27390" --initial-cluster-token other-token; then
        fail "restart-ignores-bootstrap-flags-$name" "restart with other flags failed (log: $WORK/restart-$name-2.log)"
        return
    fi
    after=$(ctl get kept -w json | grep -o '"cluster_id":[0-9]*,"member_id":[0-9]*')
    if [[ -n $before && $before == "$after" && $(ctl get kept --print-value-only) == yes ]]; then
        pass "restart-ignores-bootstrap-flags-$name"
    else
        fail "restart-ignores-bootstrap-flags-$name" "IDs before: $before, after: $after"
    fi
    stop
}
restart_ignores_bootstrap_flags etcd "$ETCD"
restart_ignores_bootstrap_flags swetcd "$SWETCD"

summary
((FAILED == 0))
