#!/usr/bin/env bash
# The project's test command (what CI runs): build, architecture check, unit tests, and the
# end-to-end comparison with real etcd. Stops at the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

echo "== swift build"
swift build
echo "== check-imports"
Scripts/check-imports.sh --self-test
Scripts/check-imports.sh
echo "== swift test"
swift test
echo "== go test (the linearizability checker proves itself on hand-made and simulated histories)"
(cd Scripts/lincheck && GO111MODULE=off GOPATH=/usr/share/gocode go test ./...)
echo "== e2e (swetcd against etcd $(/usr/bin/etcd --version | head -1 | awk '{print $3}'))"
Scripts/e2e.sh .build/debug/swetcd
echo "== durability (kill -9, snapshot save/status, defrag, compaction across restart)"
Scripts/e2e-durability.sh .build/debug/swetcd
echo "== data directories between etcd and swetcd (etcd's dir, an etcd backup, swetcd's dir in etcd)"
Scripts/e2e-migrate.sh .build/debug/swetcd
echo "== crash consistency (kill -9 under load, torn and corrupt WAL, snapshot retention)"
CRASH_EXPECT_WAL_NAME=1 Scripts/e2e-crash.sh .build/debug/swetcd
echo "== linearizability (concurrent clients, kill -9 midway; the checker must also catch an injected stale read)"
Scripts/e2e-lincheck.sh .build/debug/swetcd
echo "== go test (the partitioning proxy's rules)"
(cd Scripts/peerproxy && GO111MODULE=off GOPATH=/usr/share/gocode go test ./...)
echo "== 3-member cluster (bootstrap, membership, learners, move-leader, leader kill -9, partition, linearizability)"
Scripts/e2e-cluster.sh .build/debug/swetcd
echo "== go test (the watch checker proves itself on hand-made streams)"
(cd Scripts/watchcheck && GO111MODULE=off GOPATH=/usr/share/gocode go test ./...)
echo "== watch (etcdctl watch, a fixed Watch conversation vs etcd's bytes, random watchers with compactions, leader kill)"
Scripts/e2e-watch.sh .build/debug/swetcd
echo "== leases (etcdctl lease, put --lease, expiry, keep-alive, lock and elect, restart)"
Scripts/e2e-lease.sh .build/debug/swetcd
echo "== leases in a 3-member cluster (1,000 kept alive through a leader kill, expiry and revoke on every member)"
Scripts/e2e-lease-cluster.sh .build/debug/swetcd
echo "== lease checkpoints (a lease not kept alive keeps counting down across a restart and a leader kill)"
Scripts/e2e-lease-checkpoint.sh .build/debug/swetcd
echo "== go test (the election checker's transcript masking)"
(cd Scripts/electioncheck && GO111MODULE=off GOPATH=/usr/share/gocode go test ./...)
echo "== lock and election (v3lock and v3election scenarios and their JSON gateway, transcripts compared with etcd's)"
Scripts/e2e-election.sh .build/debug/swetcd
echo "== TLS (https clients with and without client certificates, CRL, ALPN, reload, auto TLS, peer TLS clusters)"
Scripts/e2e-tls.sh .build/debug/swetcd
echo "== auth (etcdctl users/roles/permissions, the permission matrix, tokens, no passwords on disk, restart)"
Scripts/e2e-auth.sh .build/debug/swetcd
echo "== JWT tokens (RS256 and ES256 beside real etcd: same tokens, accepted both ways, same refusals)"
Scripts/e2e-auth-jwt.sh .build/debug/swetcd
echo "== HTTP gateway (/health, /version, /metrics, the JSON gateway and etcd3gw, compared with etcd)"
Scripts/e2e-gateway.sh .build/debug/swetcd
echo "== third-party clients (Python etcd3 and aetcd on grpcio, Rust etcd-client via etcd-client-py; pinned venv from PyPI)"
Scripts/e2e-clients.sh .build/debug/swetcd
echo "== go test (the kubeload checker catches missing/duplicated watch events and missing pages)"
(cd Scripts/kubeload && GO111MODULE=off GOPATH=/usr/share/gocode go test ./...)
echo "== Kubernetes-style clients (clientv3/concurrency smoke checks; kube-apiserver storage load with consistency checks, single member and 3 members)"
Scripts/e2e-kube.sh .build/debug/swetcd
