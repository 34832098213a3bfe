#!/usr/bin/env bash
# Keeps the architecture visible: fails on any Swift `import` in Sources/<Module>/ that the module
# table in DESIGN.md ("Modules and who may import whom") does not allow for that module.
#
#   Scripts/check-imports.sh [ROOT]      (ROOT defaults to the repository; it must hold Sources/)
#   Scripts/check-imports.sh --self-test (proves the check can fail: runs it on a temp tree)
#
# Prints one `file:line: ...` line per violation and exits 1 if there is any, 0 otherwise.
# Every attributed or access-levelled form counts (`@_exported import`, `@preconcurrency import`,
# `internal import`, `public import`, `@_implementationOnly import`, `import struct M.T`, ...).
# Changing an arrow here is a design change: change DESIGN.md's table in the same commit.
set -euo pipefail

# The check is only worth running if it can fail: build a tree with one allowed and one forbidden
# import and require exactly the forbidden one to be reported, by file and line.
if [[ ${1:-} == --self-test ]]; then
    tree=$(mktemp -d)
    trap 'rm -rf "$tree"' EXIT
    mkdir -p "$tree/Sources/MVCC" "$tree/Sources/swetcd"
    printf 'import EtcdBasics\nimport Glibc\n' >"$tree/Sources/MVCC/Good.swift"
    printf 'import EtcdServer\n' >"$tree/Sources/swetcd/main.swift"
    "$0" "$tree" >/dev/null || { echo "check-imports self-test: a clean tree was rejected" >&2; exit 1; }
    printf '// import Foundation\nimport EtcdProto\n@preconcurrency internal import Foundation\n' \
        >"$tree/Sources/MVCC/Bad.swift"
    output=$("$0" "$tree" 2>&1) && { echo "check-imports self-test: a violation was accepted" >&2; exit 1; }
    if [[ $output != *"Sources/MVCC/Bad.swift:3: MVCC imports Foundation"* ||
        $(grep -c '^Sources/' <<<"$output") != 1 ]]; then
        printf 'check-imports self-test: wrong report:\n%s\n' "$output" >&2
        exit 1
    fi
    echo "check-imports self-test: passed"
    exit 0
fi

ROOT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
[[ -d $ROOT/Sources ]] || { echo "check-imports: no Sources/ under $ROOT" >&2; exit 2; }

# System modules any Swift module may import. Foundation (and Dispatch) are deliberately absent:
# the server's code paths stay free of them.
readonly SYSTEM_MODULES="Glibc Synchronization"

# The module table, as module -> project modules it may import.
declare -A ALLOWED=(
    [CNghttp2]=""
    [CShim]=""
    [EtcdBasics]=""
    [ProtoWire]="EtcdBasics"
    [EtcdProto]="ProtoWire"
    [Raft]="EtcdBasics ProtoWire"
    [EtcdIO]="EtcdBasics"
    [BoltStore]="EtcdBasics EtcdIO"
    [WAL]="EtcdBasics ProtoWire EtcdIO Raft"
    [MVCC]="EtcdBasics EtcdProto BoltStore"
    [HTTP2]="EtcdBasics CNghttp2 CShim"
    # HTTP2 and GRPC share a row in the table; GRPC layers on HTTP2, never the reverse.
    [GRPC]="EtcdBasics CNghttp2 CShim HTTP2"
    [EtcdServer]="CNghttp2 CShim EtcdBasics ProtoWire EtcdProto Raft EtcdIO BoltStore WAL MVCC HTTP2 GRPC"
    [swetcd]="EtcdServer"
)

# An import declaration: optional attributes and modifiers, `import`, an optional declaration
# kind, then the module path; the first path component is the module.
readonly ATTRIBUTE='@[A-Za-z_]+(\([^)]*\))?'
readonly MODIFIER='(public|package|internal|fileprivate|private|open)'
readonly IMPORT_RE="^[[:space:]]*(($ATTRIBUTE|$MODIFIER)[[:space:]]+)*import[[:space:]]+((typealias|struct|class|enum|protocol|let|var|func)[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)"

violations=0
report() { echo "$1"; violations=$((violations + 1)); }

allows() { # allows LIST NAME
    local item
    for item in $1; do [[ $item == "$2" ]] && return 0; done
    return 1
}

for dir in "$ROOT"/Sources/*/; do
    module=$(basename "$dir")
    if [[ ! -v "ALLOWED[$module]" ]]; then
        report "${dir#"$ROOT"/}: module $module is not in DESIGN.md's module table"
        continue
    fi
    while IFS= read -r -d '' file; do
        line_number=0
        while IFS= read -r line || [[ -n $line ]]; do
            line_number=$((line_number + 1))
            [[ $line =~ $IMPORT_RE ]] || continue
            imported=${BASH_REMATCH[${#BASH_REMATCH[@]} - 1]}
            [[ $imported == "$module" ]] && continue
            allows "$SYSTEM_MODULES" "$imported" && continue
            allows "${ALLOWED[$module]}" "$imported" && continue
            location="${file#"$ROOT"/}:$line_number"
            case $imported in
                Foundation | FoundationEssentials | FoundationInternationalization | FoundationNetworking)
                    report "$location: $module imports $imported; Foundation is not allowed in Sources" ;;
                *)
                    report "$location: $module may not import $imported (allowed: ${ALLOWED[$module]:-none}; system: $SYSTEM_MODULES)" ;;
            esac
        done <"$file"
    done < <(find "$dir" -type f -name '*.swift' -print0 | sort -z)
done

if ((violations > 0)); then
    echo "check-imports: $violations import(s) not allowed by DESIGN.md's module table" >&2
    exit 1
fi
echo "check-imports: all imports follow DESIGN.md's module table"
