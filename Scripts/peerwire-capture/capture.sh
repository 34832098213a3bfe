#!/usr/bin/env bash
# Records real etcd 3.4 peer-protocol bytes (see capture.py for what is exchanged).
# Output: Scripts/peerwire-capture/captured.json ({name: base64}), from which the Swift fixtures
# in Tests/EtcdServerTests/PeerCapturedTranscripts.swift were copied.
# Ports: 35380 (m1 client), 35381 (m1 peer), 35382 (m2 peer, played by capture.py).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d)"
/usr/bin/etcd --name m1 --data-dir "$dir/m1" \
  --listen-client-urls http://127.0.0.1:35380 --advertise-client-urls http://127.0.0.1:35380 \
  --listen-peer-urls http://127.0.0.1:35381 --initial-advertise-peer-urls http://127.0.0.1:35381 \
  --initial-cluster m1=http://127.0.0.1:35381,m2=http://127.0.0.1:35382 \
  --initial-cluster-token peerwire-capture --initial-cluster-state new >"$dir/etcd.log" 2>&1 &
etcd_pid=$!
trap 'kill "$etcd_pid" 2>/dev/null || true; wait "$etcd_pid" 2>/dev/null || true; cp "$dir/etcd.log" /tmp/peerwire-etcd.log; rm -rf "$dir"' EXIT
python3 "$here/capture.py" "$here/captured.json"
grep -E '"msg":"(became leader|elected leader|published)' "$dir/etcd.log" | head -5 || true
