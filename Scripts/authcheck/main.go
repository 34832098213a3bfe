// Command authcheck checks etcd v3 authentication and RBAC end to end over raw gRPC calls, so
// every answer is the server's own (no client-side retry or token refresh in between).
//
//	authcheck matrix -endpoint A -root-password PW [-known-bypasses report|refuse]
//	authcheck token  -endpoint A -root-password PW
//
// `matrix` (matrix.go) creates its own users and roles as root (auth must be enabled), calls
// every RPC as root, as a user with a fixed set of permissions and as a user with no role, prints
// the outcome table and compares it with the table etcd 3.4.23 gives (expected.go). `token`
// (token.go) checks simple-token behaviour: the metadata key, a bogus token, a missing one, a
// token from before an auth change, a deleted user's token.
//
// Built in GOPATH mode against Debian's packaged etcd client, like Scripts/watchcheck:
//
//	cd Scripts/authcheck && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Exit status: 0 every answer is as expected, 1 some answer differs, 2 a usage or harness error.
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
	case "matrix":
		os.Exit(matrixCommand(args))
	case "token":
		os.Exit(tokenCommand(args))
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: authcheck matrix|token -endpoint A -root-password PW (see main.go)")
	os.Exit(exitHarness)
}

func harness(format string, args ...interface{}) int {
	fmt.Fprintf(os.Stderr, "authcheck: "+format+"\n", args...)
	return exitHarness
}
