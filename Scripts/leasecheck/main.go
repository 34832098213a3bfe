// Command leasecheck checks etcd v3 leases end to end against a live cluster, through etcd's own
// client library (clientv3, with its client-side failover over several endpoints), and measures
// the lease paths for Scripts/bench-lease.sh.
//
//	leasecheck keepalive -endpoints A,B,C [-leases N] [-ttl S] [-prefix P]   (commands on stdin)
//	leasecheck revoke -endpoints A,B,C [-via I] [-keys K] [-prefix P]
//	leasecheck grant -endpoint A [-n N] [-ttl S] [-concurrency C]             (benchmark)
//	leasecheck wave -endpoint A [-n N] [-ttl S] [-put-rate R]                 (benchmark)
//
// `keepalive` grants leases with one key each, keeps every one alive, prints "ready", then a
// "round" line each time every kept lease has been renewed again, and obeys commands read from
// stdin, one per line (see keepalive.go): `verify NAME` (every kept lease and key is on every
// member), `stop-half NAME` (half the leases stop being kept alive: their keys must go, all keys
// of one lease at one revision, the rest stays), `quit`. Each command answers with one line
// starting "result NAME ok", "result NAME violation" or "result NAME error". `revoke` checks that
// a revoke made via one member removes the lease's keys at one revision on every member.
// Built in GOPATH mode against Debian's packaged etcd client, like Scripts/watchcheck:
//
//	cd Scripts/leasecheck && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Exit status: 0 every check passed, 1 a lease expired or a key outlived its lease (the leases
// are named), 2 a usage or harness error (a server that does not answer, an RPC it rejects).
package main

import (
	"fmt"
	"os"
)

const (
	exitOK        = 0
	exitViolation = 1
	exitHarness   = 2
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	command, args := os.Args[1], os.Args[2:]
	switch command {
	case "keepalive":
		os.Exit(keepaliveCommand(args))
	case "revoke":
		os.Exit(revokeCommand(args))
	case "grant":
		os.Exit(grantCommand(args))
	case "wave":
		os.Exit(waveCommand(args))
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: leasecheck keepalive|revoke|grant|wave ... (see main.go)")
	os.Exit(exitHarness)
}
