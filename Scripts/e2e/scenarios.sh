# Scenarios for Scripts/e2e.sh (sourced by it; not run on its own).
#
# Each `scenario_NAME` function runs on a fresh single-member server, once on real etcd and once on
# the candidate. The steps (ctl, ctl_hex, ctl_digest, ctl_status, grpc, grpc_file, nghttp_frames,
# nghttp_file, tcp, http_get, step) are defined in e2e.sh; every step's transcript is compared, so
# a scenario states only what to do, never what to expect: etcd's answer is the expectation.
#
# Steps must be deterministic on a correct server: no wall-clock values, no reliance on timing.

SCENARIOS=(
    put_get
    history
    range_options
    sort_orders
    range_raw
    put_options
    delete
    txn
    txn_limits
    txn_raw
    compaction
    request_size
    cluster_status
    bad_input
    hashkv
    # http1 (scenario_http1 below: /version and /health on the client port) joins this list with
    # issue 9, which builds the HTTP/1.1 side of the client port.
)

# ---------------------------------------------------------------------------------------------

scenario_put_get() {
    ctl put put foo bar
    ctl get get foo
    ctl get-missing get nope
    ctl put-overwrite put foo baz
    ctl get-json get foo -w json
    ctl get-fields get foo -w fields
    ctl get-table get foo -w table
    ctl_hex get-protobuf get foo -w protobuf
    ctl put-json put a 1 -w json
    ctl put-fields put a 2 -w fields
    ctl_hex put-protobuf put a 3 -w protobuf
    ctl put-spaces put "key with space" "value with space"
    ctl get-spaces get "key with space"
    ctl put-binary put $'k\x01\x7f' $'v\xc3\xa9\x02'
    ctl get-binary-hex get $'k\x01\x7f' --hex
    ctl get-binary-json get $'k\x01\x7f' -w json
    ctl put-from-stdin put stdinkey <<<'value from stdin'
    ctl get-from-stdin get stdinkey -w json
    ctl put-empty-stdin put emptyvalue
    ctl get-empty-value get emptyvalue -w json
    ctl put-empty-value put emptyarg ""
    ctl get-serializable get foo --consistency=s -w json
    ctl get-bad-consistency get foo --consistency=x
    ctl put-no-args put
    ctl put-too-many-args put a b c
    ctl get-no-args get
    ctl get-empty-key get ""
    ctl put-empty-key put "" value
}

scenario_history() {
    ctl put-1 put foo v1
    ctl put-2 put foo v2
    ctl put-3 put foo v3
    ctl del-4 del foo
    ctl put-5 put foo v5
    ctl put-other put other x
    local rev
    for rev in 1 2 3 4 5 6 7; do
        ctl "get-rev-$rev" get foo --rev="$rev" -w json
    done
    ctl get-rev-future get foo --rev=8
    ctl get-rev-future-json get foo --rev=100 -w json
    ctl get-rev-negative get foo --rev=-1
    ctl get-prefix-rev-3 get "" --prefix --rev=3 -w json
    ctl get-latest get foo -w json
    ctl_hex get-rev-2-protobuf get foo --rev=2 -w protobuf
}

# A small key space used by the range and sort scenarios; several versions per key so that
# VERSION, CREATE and MODIFY orders all differ from KEY order.
fill_keyspace() {
    ctl fill-b put b 2
    ctl fill-a put a 3
    ctl fill-c put c 1
    ctl fill-ab put ab 5
    ctl fill-b-again put b 4
    ctl fill-abc put abc 0
    ctl fill-b-1 put b/1 x
    ctl fill-b-2 put b/2 y
    ctl fill-c-again put c 9
    ctl fill-zz put zz z
    ctl fill-b-third put b 6
}

scenario_range_options() {
    fill_keyspace
    ctl prefix get --prefix a
    ctl prefix-json get --prefix a -w json
    ctl prefix-slash get --prefix b/
    ctl prefix-none get --prefix q
    ctl from-key get --from-key b
    ctl from-key-empty get --from-key ""
    ctl range get a c
    ctl range-json get a c -w json
    ctl range-end-before-key get c a
    ctl range-end-equal-key get b b
    ctl limit get --from-key a --limit 2
    ctl limit-json get --from-key a --limit 2 -w json
    ctl limit-exact-json get --prefix b/ --limit 2 -w json
    ctl limit-negative get --from-key a --limit=-1
    ctl keys-only get --prefix a --keys-only
    ctl keys-only-json get --prefix a --keys-only -w json
    ctl count-only get --prefix a --count-only
    ctl count-only-json get --prefix a --count-only -w json
    ctl count-only-limit-json get --from-key a --count-only --limit 1 -w json
    ctl print-value-only get --prefix a --print-value-only
    ctl print-value-only-keys get --prefix a --print-value-only --keys-only
    ctl fields get --prefix b --limit 2 -w fields
    ctl table get --prefix a -w table
    ctl_hex prefix-protobuf get --prefix a -w protobuf
    ctl_hex limit-protobuf get --from-key a --limit 3 -w protobuf
    ctl hex get --prefix a --hex
    ctl serializable get --from-key a --consistency=s --limit 3 -w json
    ctl rev-prefix get --prefix b --rev=5 -w json
    ctl prefix-and-from-key get a --prefix --from-key
}

scenario_sort_orders() {
    fill_keyspace
    local target order
    for target in KEY VERSION CREATE MODIFY VALUE; do
        for order in ASCEND DESCEND; do
            ctl "sort-$target-$order" get --from-key a --sort-by="$target" --order="$order"
        done
    done
    ctl sort-default-order get --from-key a --sort-by=VALUE
    ctl order-without-sort-by get --from-key a --order=DESCEND
    ctl sort-limit-json get --from-key a --sort-by=VERSION --order=DESCEND --limit 3 -w json
    ctl sort-modify-limit get --from-key a --sort-by=MODIFY --order=DESCEND --limit 2 -w json
    ctl sort-bad-target get --from-key a --sort-by=SIZE
    ctl sort-bad-order get --from-key a --order=UP
}

# Range fields etcdctl 3.4 cannot set (min/max mod and create revision), and combinations of the
# others, as raw gRPC calls; the response message is compared byte for byte.
scenario_range_raw() {
    fill_keyspace
    local path=etcdserverpb.KV/Range from_a all
    from_a="$(pb_bytes 1 a)$(pb_message 2 00)"
    all="$(pb_message 1 00)$(pb_message 2 00)"
    grpc single "$path" "$(pb_bytes 1 b)"
    grpc from-key "$path" "$from_a"
    grpc all-keys "$path" "$all"
    grpc min-mod-rev "$path" "$from_a$(pb_varint 10 6)"
    grpc max-mod-rev "$path" "$from_a$(pb_varint 11 6)"
    grpc min-max-mod-rev "$path" "$from_a$(pb_varint 10 4)$(pb_varint 11 8)"
    grpc min-create-rev "$path" "$from_a$(pb_varint 12 5)"
    grpc max-create-rev "$path" "$from_a$(pb_varint 13 4)"
    grpc min-max-create-rev "$path" "$from_a$(pb_varint 12 3)$(pb_varint 13 7)"
    grpc mod-rev-with-limit "$path" "$from_a$(pb_varint 10 4)$(pb_varint 3 2)"
    grpc mod-rev-count-only "$path" "$from_a$(pb_varint 10 4)$(pb_varint 9 1)"
    grpc limit-count "$path" "$from_a$(pb_varint 3 2)"
    grpc count-only-keys-only "$path" "$from_a$(pb_varint 9 1)$(pb_varint 8 1)"
    grpc sort-value-descend "$path" "$from_a$(pb_varint 5 2)$(pb_varint 6 4)"
    grpc sort-order-none-target-version "$path" "$from_a$(pb_varint 6 1)"
    grpc sort-bad-order "$path" "$from_a$(pb_varint 5 7)"
    # Not compared: an unknown sort_target makes etcd 3.4.23 panic (nil sorter in Range).
    grpc revision "$path" "$from_a$(pb_varint 4 5)"
    grpc revision-future "$path" "$from_a$(pb_varint 4 99)"
    grpc serializable "$path" "$from_a$(pb_varint 7 1)"
    grpc range-end-before-key "$path" "$(pb_bytes 1 c)$(pb_bytes 2 a)"
    grpc empty-key "$path" ""
    grpc unknown-field-skipped "$path" "$(pb_bytes 1 b)$(pb_varint 99 1)$(pb_bytes 100 ignored)"
    # clientv3's WithRequireLeader: answered normally while a leader is known.
    GRPC_EXTRA_HEADER='hasleader: true' grpc require-leader "$path" "$(pb_bytes 1 b)"
}

scenario_put_options() {
    ctl put put foo bar
    ctl prev-kv-new put newkey v --prev-kv
    ctl prev-kv-existing put foo bar2 --prev-kv
    ctl prev-kv-json put foo bar3 --prev-kv -w json
    ctl_hex prev-kv-protobuf put foo bar4 --prev-kv -w protobuf
    ctl ignore-value-missing put missing --ignore-value
    ctl ignore-value-existing put foo --ignore-value -w json
    ctl ignore-value-kept get foo -w json
    ctl ignore-value-with-value put foo other --ignore-value
    ctl ignore-lease-no-lease put foo v --ignore-lease
    ctl ignore-lease-missing put nokey v --ignore-lease
    ctl lease-not-found put foo v --lease=1234
    ctl lease-bad-hex put foo v --lease=xyz
    ctl unchanged get foo -w json
}

scenario_delete() {
    fill_keyspace
    ctl missing del nope
    ctl single del zz
    ctl single-again del zz
    ctl prefix del --prefix b/
    ctl prev-kv del a --prev-kv
    ctl range del ab c
    ctl after-range get --from-key "" -w json
    ctl prev-kv-json del --from-key b --prev-kv -w json
    ctl empty get --from-key "" -w json
    ctl reput put a again
    ctl_hex prefix-protobuf del --prefix a -w protobuf
    ctl no-args del
    ctl empty-key del ""
    ctl from-key-and-prefix del a --prefix --from-key
    ctl revision-after get a -w json
}

scenario_txn() {
    ctl put-k1 put k1 v1
    ctl put-k2 put k2 v2
    ctl success txn <<'EOF'
value("k1") = "v1"

put k1 new
get k2
del k2

put failed x

EOF
    ctl after-success get --from-key k -w json
    ctl failure txn <<'EOF'
version("k1") = "5"

put k1 never

put failed yes
get k1

EOF
    ctl interactive-prompts txn -i <<'EOF'
mod("k1") > "1"
create("k1") = "2"
version("nokey") = "0"

get k --prefix

EOF
    ctl compare-value-ne txn -w json <<'EOF'
value("k1") != "x"
value("k1") < "z"
value("k1") > "a"

put k3 three --prev-kv
get k1 --keys-only

del nothing

EOF
    ctl compare-one-false txn -w json <<'EOF'
value("k1") = "new"
mod("k1") < "2"

put k4 four

get k --prefix --count-only

EOF
    ctl_hex protobuf txn -w protobuf <<'EOF'
ver("k1") = "2"

put k1 v4 --prev-kv
del k3 --prev-kv

EOF
    ctl one-revision-per-txn txn <<'EOF'

put m1 a
put m2 b
put m3 c

EOF
    ctl one-revision-check get m --prefix -w json
    ctl empty txn -w json <<'EOF'



EOF
    ctl table txn -w table <<'EOF'
value("k1") = "v4"

put k5 five

EOF
    ctl fields txn -w fields <<'EOF'
value("k1") = "v4"

get k1

EOF
    ctl bad-compare txn <<'EOF'
value(k1) == v4

EOF
    ctl bad-op txn <<'EOF'

frobnicate k1

EOF
    ctl truncated-input txn <<'EOF'
value("k1") = "v4"
EOF
    ctl missing-key-compares txn -w json <<'EOF'
value("absent") = ""
create("absent") = "0"
mod("absent") = "0"

put absent-ok yes

EOF
    ctl lease-op-not-found txn <<'EOF'

put leased v --lease=1234

EOF
}

# etcd's txn checks: --max-txn-ops (default 128) and no key written twice in one txn.
scenario_txn_limits() {
    local ops128 ops129 i
    ops128=$(for ((i = 0; i < 128; i++)); do echo "put k$i v"; done)
    ops129=$(for ((i = 0; i < 129; i++)); do echo "put k$i v"; done)
    ctl ops-128 txn <<<$'\n'"$ops128"$'\n\n'
    ctl ops-129 txn <<<$'\n'"$ops129"$'\n\n'
    ctl ops-129-in-failure txn <<<$'\n\n'"$ops129"$'\n'
    ctl gets-129 txn <<<$'\n'"${ops129//put/get}"$'\n\n'
    ctl duplicate-put txn <<'EOF'

put a 1
put a 2

EOF
    ctl duplicate-put-del txn <<'EOF'

put a 1
del a

EOF
    ctl duplicate-del-prefix-covers-put txn <<'EOF'

del a --prefix
put ab 1

EOF
    ctl duplicate-dels-allowed txn <<'EOF'

del a
del a

EOF
    ctl get-and-put-allowed txn <<'EOF'

get a
put a 1

EOF
    ctl same-key-both-branches txn <<'EOF'
value("a") = "1"

put a 2

put a 3

EOF
    ctl revision get a -w json
}

# Txn features etcdctl cannot express: compares over a range, nested txns.
scenario_txn_raw() {
    ctl put-a put a 1
    ctl put-ab put ab 1
    ctl put-b put b 2
    local path=etcdserverpb.KV/Txn
    local cmp_range_version put_x get_prefix_a nested inner
    # Compare{result GREATER, target VERSION, key "a", range_end "b", version 0}
    cmp_range_version="$(pb_varint 1 1)$(pb_varint 2 0)$(pb_bytes 3 a)$(pb_varint 4 0)$(pb_bytes 64 b)"
    put_x=$(pb_message 2 "$(pb_bytes 1 x)$(pb_bytes 2 1)")
    get_prefix_a=$(pb_message 1 "$(pb_bytes 1 a)$(pb_bytes 2 b)")
    grpc compare-range-true "$path" "$(pb_message 1 "$cmp_range_version")$(pb_message 2 "$put_x")"
    # Compare{EQUAL, VALUE, key "a", range_end "c", value "1"}: b holds "2", so false.
    grpc compare-range-false "$path" \
        "$(pb_message 1 "$(pb_varint 1 0)$(pb_varint 2 3)$(pb_bytes 3 a)$(pb_bytes 7 1)$(pb_bytes 64 c)")$(pb_message 3 "$get_prefix_a")"
    # Compare{LESS, MOD, key "\0", range_end "\0", mod 100}: every key.
    grpc compare-from-key "$path" \
        "$(pb_message 1 "$(pb_varint 1 2)$(pb_varint 2 2)$(pb_message 3 00)$(pb_varint 6 100)$(pb_message 64 00)")$(pb_message 2 "$get_prefix_a")"
    # Compare{NOT_EQUAL, LEASE, key "a", lease 0}: false.
    grpc compare-lease "$path" \
        "$(pb_message 1 "$(pb_varint 1 3)$(pb_varint 2 4)$(pb_bytes 3 a)$(pb_varint 8 0)")$(pb_message 2 "$put_x")"
    inner="$(pb_message 1 "$(pb_varint 1 0)$(pb_varint 2 3)$(pb_bytes 3 b)$(pb_bytes 7 2)")"
    inner+="$(pb_message 2 "$(pb_message 2 "$(pb_bytes 1 nested)$(pb_bytes 2 yes)")")"
    inner+="$(pb_message 3 "$(pb_message 2 "$(pb_bytes 1 nested)$(pb_bytes 2 no)")")"
    nested=$(pb_message 4 "$inner")
    grpc nested "$path" "$(pb_message 2 "$nested")$(pb_message 2 "$get_prefix_a")"
    grpc nested-duplicate-with-outer "$path" \
        "$(pb_message 2 "$nested")$(pb_message 2 "$(pb_message 2 "$(pb_bytes 1 nested)$(pb_bytes 2 outer)")")"
    grpc nested-after "$path" "$(pb_message 2 "$(pb_message 1 "$(pb_bytes 1 nested)")")"
    grpc empty-txn "$path" ""
    grpc compare-empty-key "$path" "$(pb_message 1 "$(pb_varint 1 0)$(pb_varint 2 0)")"
    grpc put-empty-key "$path" "$(pb_message 2 "$(pb_message 2 "$(pb_bytes 2 v)")")"
}

scenario_compaction() {
    local i
    for i in 1 2 3 4 5; do
        ctl "put-$i" put foo "v$i"
    done
    ctl compact-4 compaction 4
    ctl get-below get foo --rev=3
    ctl get-below-json get foo --rev=2 -w json
    ctl get-at get foo --rev=4 -w json
    ctl get-above get foo --rev=5
    ctl compact-same compaction 4
    ctl compact-older compaction 2
    ctl compact-future compaction 100
    ctl compact-current-plus-one compaction 7
    ctl compact-physical compaction --physical 5
    ctl get-after-physical get foo --rev=4
    ctl compact-zero compaction 0
    ctl compact-negative compaction -- -1
    ctl compact-not-a-number compaction abc
    ctl compact-no-args compaction
    ctl del del foo
    ctl compact-after-delete compaction 7
    ctl get-tombstoned get foo --rev=6 -w json
    ctl txn-get-below txn <<'EOF'

get foo --rev=3

EOF
    ctl put-after put foo again -w json
    ctl compact-current compaction 8
    ctl latest get foo -w json
}

# --max-request-bytes defaults to 1.5 MiB: a larger request gets etcd's "request is too large".
scenario_request_size() {
    local large_ok too_large
    large_ok=$(mktemp "$WORK/value.XXXXXX")
    too_large=$(mktemp "$WORK/value.XXXXXX")
    head -c $((1024 * 1024)) /dev/zero | tr '\0' 'a' >"$large_ok"
    head -c $((1536 * 1024 + 1)) /dev/zero | tr '\0' 'b' >"$too_large"
    ctl put-1MiB put big <"$large_ok"
    ctl_digest get-1MiB get big --print-value-only
    ctl put-over-1.5MiB put big <"$too_large"
    ctl get-after-rejection get big --keys-only -w json
    ctl txn-over-1.5MiB txn <<<$'\n'"put big2 $(cat "$too_large")"$'\n\n'
    # Larger than etcd's gRPC receive limit (max-request-bytes + 512 KiB): RESOURCE_EXHAUSTED.
    local oversized declared
    oversized=$(mktemp "$WORK/body.XXXXXX")
    { printf '\x00\x00\x21\x92\x55'; head -c $((2200000 - 5)) /dev/zero; } >"$oversized"
    nghttp_file grpc-body-over-limit etcdserverpb.KV/Range "$oversized" "2200000 bytes, prefix declares 2200149"
    # Only the 5-byte prefix claims 96 MiB; the server must answer without waiting for it.
    declared=$(mktemp "$WORK/body.XXXXXX")
    printf '\x00\x06\x00\x00\x00\x0a\x03foo' >"$declared"
    nghttp_file grpc-declared-over-limit etcdserverpb.KV/Range "$declared" "prefix declares 96 MiB, 5 bytes follow"
}

scenario_cluster_status() {
    ctl_status status endpoint status
    ctl_status status-json endpoint status -w json
    ctl_status status-table endpoint status -w table
    ctl put put foo bar
    ctl_status status-after-put endpoint status -w json
    ctl health endpoint health
    ctl health-json endpoint health -w json
    ctl health-table endpoint health -w table
    ctl member-list member list
    ctl member-list-json member list -w json
    ctl member-list-table member list -w table
    ctl member-list-fields member list -w fields
    ctl_hex member-list-protobuf member list -w protobuf
    ctl member-list-hex member list --hex -w json
}

scenario_bad_input() {
    local garbage
    garbage=$(printf 'GARBAGE\r\n\r\n' | xxd -p)
    tcp garbage-instead-of-preface "$garbage" bytes
    ctl get-after-garbage get foo -w json
    # A valid client preface followed by bytes that are not a SETTINGS frame.
    tcp preface-then-garbage "$(printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' | xxd -p)$(printf 'x%.0s' {1..40} | xxd -p)" closed
    # A valid preface and SETTINGS, then DATA on stream 0: a connection error (RFC 9113 6.1).
    tcp data-on-stream-zero "$(printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' | xxd -p)000000040000000000000004000100000000deadbeef" closed
    ctl put-after-garbage put foo bar

    local path=etcdserverpb.KV/Range
    grpc valid "$path" "$(pb_bytes 1 foo)"
    grpc truncated-length "$path" "0aff"
    grpc truncated-bytes "$path" "0a0566"
    grpc wrong-wire-type "$path" "0801"
    grpc tag-zero "$path" "0000"
    grpc wire-type-7 "$path" "0f"
    grpc varint-overflow "$path" "18ffffffffffffffffffff01"
    grpc truncated-varint "$path" "18ff"
    grpc bad-put "etcdserverpb.KV/Put" "0a0366"
    nghttp_frames unknown-method "etcdserverpb.KV/Nope" "$(pb_bytes 1 foo)"
    nghttp_frames unknown-service "foo.Bar/Baz" "$(pb_bytes 1 foo)"
    nghttp_frames unknown-method-no-message "etcdserverpb.KV/Nope" ""
    nghttp_frames nghttp-malformed "$path" "0aff"
    nghttp_frames nghttp-valid "$path" "$(pb_bytes 1 foo)"
    local compressed no_message
    compressed=$(mktemp "$WORK/body.XXXXXX")
    printf '\x01\x00\x00\x00\x05\x0a\x03foo' >"$compressed"
    grpc_file compressed-flag-without-encoding "$path" "$compressed" "compressed flag 1, no grpc-encoding"
    no_message=$(mktemp "$WORK/body.XXXXXX")
    printf '\x00\x00\x00' >"$no_message"
    grpc_file truncated-prefix "$path" "$no_message" "3 bytes, shorter than the gRPC prefix"
    ctl get-after-bad-grpc get foo -w json
}

# The HTTP/1.1 side of the client port.
scenario_http1() {
    http_get version /version
    http_get health /health
}

# Maintenance.HashKV: the same writes must give the same CRC-32C over etcd's key bucket, before
# and after compaction (which drops records) and at historical revisions.
scenario_hashkv() {
    ctl hash-empty endpoint hashkv -w json
    ctl put-a put a 1
    ctl put-b put b 2
    ctl put-a2 put a 3
    ctl del-b del b
    ctl txn-put txn <<'EOF'
value("a") = "3"

put c 4
put d 5

EOF
    ctl hash-now endpoint hashkv -w json
    ctl hash-rev-3 endpoint hashkv --rev=3 -w json
    ctl hash-future endpoint hashkv --rev=100 -w json
    ctl compact compaction 4
    ctl hash-after-compaction endpoint hashkv -w json
    ctl hash-at-compacted endpoint hashkv --rev=4 -w json
    ctl hash-below-compacted endpoint hashkv --rev=2 -w json
    ctl put-a3 put a 6
    ctl hash-after-update endpoint hashkv -w json
    ctl hash-table endpoint hashkv
}
