// Command clientcheck is a smoke test of etcd's own Go client (clientv3 and clientv3/concurrency)
// against one member: every call a Go program typically makes, each followed by assertions on what
// came back. Real etcd 3.4.23 passes every check; the server under test must too.
//
//	clientcheck -endpoint 127.0.0.1:2379 [-prefix P] [-etcdctl /usr/bin/etcdctl] [-work DIR]
//
// Built in GOPATH mode against Debian's packaged etcd client, like Scripts/leasecheck:
//
//	cd Scripts/clientcheck && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Output: one line per check, "ok NAME" or "FAIL NAME: what was expected and what came back",
// then "N passed, M failed". Exit status: 0 every check passed, 1 a check failed, 2 a usage error
// or no server to talk to.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.uber.org/zap"
)

const (
	exitOK        = 0
	exitViolation = 1
	exitHarness   = 2

	dialTimeout = 2 * time.Second
	// One check, every RPC in it included (lease expiry and lock hand-over wait out short TTLs).
	checkTimeout = 30 * time.Second
)

// env is what every check gets: the client, a key prefix of its own, and where to write files.
type env struct {
	client   *clientv3.Client
	endpoint string
	prefix   string
	etcdctl  string
	work     string
}

type check struct {
	name string
	run  func(ctx context.Context, e *env) error
}

func main() {
	endpoint := flag.String("endpoint", "127.0.0.1:2379", "the member to talk to (host:port)")
	prefix := flag.String("prefix", "/clientcheck/", "every key written lives under this prefix")
	etcdctl := flag.String("etcdctl", "/usr/bin/etcdctl", "etcdctl, for `snapshot status`")
	work := flag.String("work", os.TempDir(), "directory for the snapshot file")
	only := flag.String("only", "", "run only the check of this name")
	flag.Parse()

	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	client, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: dialTimeout, LogConfig: &quiet})
	if err != nil {
		fmt.Fprintf(os.Stderr, "clientcheck: connect %s: %v\n", *endpoint, err)
		os.Exit(exitHarness)
	}
	defer client.Close()
	e := &env{client: client, endpoint: *endpoint, prefix: *prefix, etcdctl: *etcdctl, work: *work}

	passed, failed := 0, 0
	for _, c := range checks {
		if *only != "" && c.name != *only {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		err := c.run(ctx, e)
		cancel()
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", c.name, err)
			failed++
		} else {
			fmt.Printf("ok %s\n", c.name)
			passed++
		}
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(exitViolation)
	}
	os.Exit(exitOK)
}

// checks run in this order; later ones do not depend on earlier ones except through the store's
// revision moving forward.
var checks = []check{
	{"put-get", checkPutGet},
	{"put-prev-kv", checkPutPrevKV},
	{"range-prefix-limit-sort", checkRangePrefix},
	{"range-count-keys-only", checkRangeCountKeysOnly},
	{"range-at-revision", checkRangeAtRevision},
	{"delete-prefix-prev-kv", checkDelete},
	{"txn-compare-and-swap", checkTxnCAS},
	{"txn-create-if-absent", checkTxnCreate},
	{"large-values-and-limits", checkLargeValues},
	{"watch-from-revision-prev-kv", checkWatch},
	{"watch-progress-notify", checkWatchProgress},
	{"keepalive-pings", checkKeepAlivePings},
	{"lease-grant-keepalive", checkLeaseKeepAlive},
	{"lease-expiry", checkLeaseExpiry},
	{"lease-revoke", checkLeaseRevoke},
	{"member-list", checkMemberList},
	{"status", checkStatus},
	{"alarms-defragment-hashkv", checkAlarmsDefragHash},
	{"compact", checkCompact},
	{"snapshot", checkSnapshot},
	{"mutex-contention", checkMutex},
	{"election", checkElection},
}
