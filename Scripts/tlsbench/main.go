// Command tlsbench measures etcd v3 client traffic over TLS, with and without auth, and the rate of
// full TLS handshakes, for Scripts/bench-tls-auth.sh. A benchmark: it prints numbers, no verdict.
//
//	tlsbench load -endpoint https://127.0.0.1:P -cacert F [-cert F -key F] [-user U -password P]
//	              -op put|range [-clients 64] [-conns 8] [-total 30000] [-max-seconds 60]
//	              [-val-size 256] [-key-space 100000] [-serializable] [-server-pid PID]
//	tlsbench handshakes -endpoint 127.0.0.1:P -cacert F [-seconds 5] [-concurrency 8] [-server-pid PID]
//
// `load` runs a closed loop through clientv3 (its TLS from the files; with -user, clientv3
// authenticates each connection once and sends the simple token with every request) and prints
// one line: "op=put rps=... p50_ms=... p99_ms=... errors=N" (then the first error's text, and the
// server's CPU per request when -server-pid is given, read from /proc around the timed phase only,
// so connecting and authenticating, bcrypt included, are not charged to the requests).
// `handshakes` dials new TCP connections and completes one full TLS handshake on each (ALPN h2,
// no session cache, so never resumed), closes it, and prints "handshakes/s=... p99_ms=...".
//
// Built in GOPATH mode against Debian's packaged etcd client, like Scripts/watchcheck:
//
//	cd Scripts/tlsbench && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Exit status: 0 the measurement ran (errors, if any, are in the line), 2 usage or setup failed.
package main

import (
	"fmt"
	"os"
)

const (
	exitOK      = 0
	exitHarness = 2
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	command, args := os.Args[1], os.Args[2:]
	switch command {
	case "load":
		os.Exit(loadCommand(args))
	case "handshakes":
		os.Exit(handshakesCommand(args))
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: tlsbench load|handshakes ... (see main.go)")
	os.Exit(exitHarness)
}
