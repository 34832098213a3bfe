#!/usr/bin/env bash
# BoltStore vs Go bbolt micro-benchmark, on this machine, interleaved.
#
#   Scripts/bench-bolt.sh [ROUNDS]      (default 3; 1..20)
#
# Builds Scripts/boltbench (Swift, release) and Scripts/boltcheck (Go bbolt, GOPATH mode, via
# Scripts/boltcheck.sh), then runs Go, Swift, Go, Swift, ... ROUNDS times each, every run in a
# fresh directory under one `mktemp -d` in /tmp (removed at exit). The machine is shared and
# noisy, so alternating spreads the noise over both sides; each cell is the median of the
# rounds with the min-max range beside it. Prints a markdown table on stdout (progress on stderr).
#
# Workloads (identical on both sides; see Scripts/boltbench/Sources/boltbench/main.swift):
#   seq_put   100,000 sequential 8-byte big-endian keys, 100-byte values, 1,000 puts per
#             durable commit (fdatasync)
#   rand_put  the same with SplitMix64 keys (seed 1), into a fresh file
#   get       100,000 point gets of random existing keys, one read transaction
#   scan      100 scans of 10,000 keys from a seek; ops are keys visited
# In round 1 the Swift-written files are also run through Go bbolt's Tx.Check.
#
# Exit status: 0 on success, 1 if a run fails or a file fails the check, 2 on a usage or build error.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SWIFT_PACKAGE=$SCRIPT_DIR/boltbench
SWIFT_BIN=$SWIFT_PACKAGE/.build/release/boltbench
GO_BIN=$REPO_ROOT/.build/boltcheck/boltcheck

ROUNDS_MAX=20
# One run takes a few seconds; a run still going after this long is hung, not slow.
RUN_TIMEOUT_SECONDS=600

die() { echo "bench-bolt.sh: $*" >&2; exit "${2:-2}"; }
note() { echo "bench-bolt.sh: $*" >&2; }

ROUNDS=${1:-3}
[[ $ROUNDS =~ ^[0-9]+$ ]] && (( ROUNDS >= 1 && ROUNDS <= ROUNDS_MAX )) ||
    die "ROUNDS must be 1..$ROUNDS_MAX, got '$ROUNDS'"

note "building Swift boltbench (release)"
swift build -c release --package-path "$SWIFT_PACKAGE" >&2 || die "swift build failed"
note "building Go boltcheck"
"$SCRIPT_DIR/boltcheck.sh" --build || die "go build failed"

WORK=$(mktemp -d /tmp/bench-bolt.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RESULTS=$WORK/results

# run SIDE ROUND: one benchmark process; appends "SIDE KIND NAME KEY=VALUE..." lines to RESULTS.
run() {
    local side=$1 round=$2 bin
    case $side in
        go) bin=("$GO_BIN" bench) ;;
        swift) bin=("$SWIFT_BIN") ;;
    esac
    local dir=$WORK/$side-$round
    mkdir "$dir"
    note "round $round/$ROUNDS: $side"
    timeout "$RUN_TIMEOUT_SECONDS" "${bin[@]}" "$dir" > "$WORK/out" ||
        die "$side run $round failed" 1
    if [[ $side == swift && $round == 1 ]]; then
        local db
        for db in "$dir"/seq.db "$dir"/rand.db; do
            "$SCRIPT_DIR/boltcheck.sh" check "$db" > /dev/null ||
                die "Go bbolt's check failed on Swift's $(basename "$db")" 1
        done
    fi
    sed "s/^/$side /" "$WORK/out" >> "$RESULTS"
    rm -rf "$dir"
}

for (( round = 1; round <= ROUNDS; round++ )); do
    run go "$round"
    run swift "$round"
done

# Tabulate: per side and workload, the median and range of ops/s (and median ns/op).
awk -v rounds="$ROUNDS" '
function median(list, n,    a, i, j, t, k) {
    k = split(list, a, " ")
    for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    lo = a[1]; hi = a[k]
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function field(s) { sub(/^[a-z_]+=/, "", s); return s + 0 }
function human(x) {
    if (x >= 1e6) return sprintf("%.2fM", x / 1e6)
    if (x >= 1e3) return sprintf("%.1fk", x / 1e3)
    return sprintf("%.0f", x)
}
function mib(x) { return sprintf("%.1f MiB", x / 1048576) }
$2 == "result" {
    ops = field($4); ns = field($5)
    rate[$1, $3] = rate[$1, $3] " " (ops * 1e9 / ns)
    nsop[$1, $3] = nsop[$1, $3] " " (ns / ops)
}
$2 == "file" { size[$1, $3] = size[$1, $3] " " field($4) }
$2 == "rss" { rss[$1] = rss[$1] " " field($3) * 1024 }
END {
    printf "BoltStore (Swift) vs Go bbolt, median of %d interleaved rounds (min-max in brackets).\n\n", rounds
    print "| workload | Swift ops/s | Go ops/s | Swift ns/op | Go ns/op | Swift/Go speed |"
    print "|---|---|---|---|---|---|"
    split("seq_put rand_put get scan", names, " ")
    for (i = 1; i <= 4; i++) {
        w = names[i]
        s = median(rate["swift", w]); slo = lo; shi = hi
        g = median(rate["go", w]); glo = lo; ghi = hi
        printf "| %s | %s (%s-%s) | %s (%s-%s) | %.0f | %.0f | %.2f |\n", w,
            human(s), human(slo), human(shi), human(g), human(glo), human(ghi),
            median(nsop["swift", w]), median(nsop["go", w]), s / g
    }
    print ""
    print "| resource | Swift | Go | Swift/Go |"
    print "|---|---|---|---|"
    split("seq rand", files, " ")
    for (i = 1; i <= 2; i++) {
        f = files[i]
        s = median(size["swift", f]); g = median(size["go", f])
        printf "| file size, %s_put | %s | %s | %.2f |\n", f, mib(s), mib(g), s / g
    }
    s = median(rss["swift"]); slo = lo; shi = hi
    g = median(rss["go"]); glo = lo; ghi = hi
    printf "| peak RSS (whole run) | %s (%s-%s) | %s (%s-%s) | %.2f |\n", mib(s), mib(slo), mib(shi), mib(g), mib(glo), mib(ghi), s / g
    print ""
    print "ops/s for scan counts keys visited; Swift/Go speed > 1 means BoltStore is faster."
}' "$RESULTS"
