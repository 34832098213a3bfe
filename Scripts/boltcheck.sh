#!/usr/bin/env bash
# Builds Scripts/boltcheck (Go bbolt's own reader/writer/checker) once, then runs it:
#
#   Scripts/boltcheck.sh check FILE | dump FILE | etcd-schema FILE | write[-nofreelist] FILE [SPEC] | hashkv FILE [REV]
#   Scripts/boltcheck.sh --build      (only build)
#
# (see Scripts/boltcheck/main.go for what each does). The binary is cached at
# .build/boltcheck/boltcheck and rebuilt when missing or older than its source.
#
# Needs Debian packages (GOPATH-mode build against packaged sources, no module downloads):
#   golang-go                       the Go toolchain
#   golang-github-coreos-bbolt-dev  go.etcd.io/bbolt, the reference implementation of the format
#   golang-etcd-server-dev          go.etcd.io/etcd/mvcc/mvccpb (etcd's KeyValue) and its deps
#
# Environment: BOLTCHECK_GOPATH overrides the GOPATH (default: where the bbolt package installs).
# Exit status: the tool's (0 ok, 1 the file failed a check, 2 usage/I/O error); 2 if it cannot build.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
SOURCE_DIR=$SCRIPT_DIR/boltcheck
CACHE_DIR=$REPO_ROOT/.build/boltcheck
BIN=$CACHE_DIR/boltcheck

die() { echo "boltcheck.sh: $*" >&2; exit 2; }

# The GOPATH root is the directory holding src/go.etcd.io/bbolt, as installed by the package.
gopath() {
    if [[ -n ${BOLTCHECK_GOPATH:-} ]]; then
        echo "$BOLTCHECK_GOPATH"
        return
    fi
    local dir
    dir=$(dpkg -L golang-github-coreos-bbolt-dev 2>/dev/null | grep -m1 '/src/go.etcd.io/bbolt$' || true)
    [[ -n $dir ]] || die "go.etcd.io/bbolt not found: apt-get install golang-github-coreos-bbolt-dev"
    echo "${dir%/src/go.etcd.io/bbolt}"
}

stale() {
    [[ -x $BIN ]] || return 0
    local f
    for f in "$SOURCE_DIR"/*.go "${BASH_SOURCE[0]}"; do
        [[ $f -nt $BIN ]] && return 0
    done
    return 1
}

if stale; then
    command -v go >/dev/null 2>&1 || die "go not found: apt-get install golang-go"
    mkdir -p "$CACHE_DIR"
    GOPATH_ROOT=$(gopath)
    # Several test processes may build at once: each builds to its own file and renames it into
    # place, so no one ever executes a half-written binary.
    tmp=$(mktemp "$CACHE_DIR/boltcheck.XXXXXX")
    trap 'rm -f "$tmp"' EXIT
    # Without a HOME (some CI sandboxes), Go has no default build cache location.
    [[ -n ${HOME:-} || -n ${GOCACHE:-} ]] || export GOCACHE=$CACHE_DIR/gocache
    (cd "$SOURCE_DIR" && GO111MODULE=off GOPATH=$GOPATH_ROOT GOFLAGS= go build -o "$tmp" .) ||
        die "build failed"
    mv -f "$tmp" "$BIN"
    trap - EXIT
fi

# `--build` only builds (for scripts that want a build failure reported before they start).
[[ ${1:-} == --build ]] && exit 0
exec "$BIN" "$@"
