// Command kubeload drives an etcd v3 cluster the way kube-apiserver uses its storage, through
// etcd's own Go client, and checks every answer for consistency while it runs:
//
//   - objects (pods, configmaps) created with If(mod_revision == 0) Then(Put) Else(Get), updated
//     and deleted with If(mod_revision == rev) Then(...) Else(Get) by many writers contending on
//     the same keys; a loser retries from the value the Else returned (optimistic concurrency);
//   - events created the same way on leases shared by many events, never kept alive, expiring in
//     bulk (the keys must go within TTL + slack, and the lease with them);
//   - paginated lists (limit, pinned to the first page's revision, continuing from last key +
//     "\x00"): the pages must be exactly one unpaginated read at that revision, and each page's
//     count the keys remaining;
//   - count-only ranges, single-key gets, gets with limit 1, reads at older revisions while
//     compaction runs (refused as compacted exactly when a compaction past them has completed);
//   - one watch per prefix from the first list's revision + 1 with prev_kv and progress_notify,
//     with RequestProgress every 100 ms: the watch cache rebuilt from list + events must equal the
//     store at every revision a read or a progress notification names;
//   - an idle watch on a stream of its own (periodic progress notifications, -periodic-progress);
//   - compaction as the apiserver does it: a compare-and-swap on the compaction key's version by
//     two contending "apiservers", then Compact to the revision seen one interval earlier;
//   - a health read and Status of every endpoint every few seconds.
//
// Usage:
//
//	kubeload -endpoints A[,B,C] [-duration 30s] [-json FILE] [flags]   (see -h)
//	kubeload -endpoints A -transcript FILE [-seed S] [-transcript-ops N]  (see transcript.go)
//
// Built in GOPATH mode against Debian's packaged etcd client, like Scripts/leasecheck:
//
//	cd Scripts/kubeload && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Output: a table of per-operation throughput and latency (p50/p99) and check counts on stdout,
// the same as JSON in -json. Exit status: 0 every check passed, 1 a consistency violation (each
// printed as "VIOLATION: ..." the moment it is found), 2 a usage or harness error (a server that
// does not answer, an RPC that failed).
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
	rpcTimeout  = 10 * time.Second
	// After the load stops: how long every pending read may wait for the watches to catch up.
	drainTimeout = 15 * time.Second
)

type config struct {
	endpoints        []string
	duration         time.Duration
	maxWrites        int64
	writers          int
	eventWriters     int
	listers          int
	readers          int
	keys             int
	valueSize        int
	pageLimit        int64
	compactInterval  time.Duration
	eventTTL         int64
	leaseReuse       time.Duration
	expirySlack      time.Duration
	progressInterval time.Duration
	healthInterval   time.Duration
	progressGrace    time.Duration
	strictProgress   bool
	periodicProgress time.Duration
	prefix           string
	jsonPath         string
	transcriptPath   string
	transcriptOps    int
	seed             int64
}

func parseFlags() config {
	var c config
	endpoints := flag.String("endpoints", "127.0.0.1:2379", "comma-separated client endpoints")
	flag.DurationVar(&c.duration, "duration", 30*time.Second, "how long the load runs")
	flag.Int64Var(&c.maxWrites, "max-writes", 0, "stop once this many writes succeeded (0: no bound)")
	flag.IntVar(&c.writers, "writers", 16, "object writers (create/update/delete)")
	flag.IntVar(&c.eventWriters, "event-writers", 2, "event writers (leased creates)")
	flag.IntVar(&c.listers, "listers", 2, "paginated listers")
	flag.IntVar(&c.readers, "readers", 3, "readers (count, get, get limit 1, old-revision reads)")
	flag.IntVar(&c.keys, "keys", 200, "distinct object names per resource (fewer: more contention)")
	flag.IntVar(&c.valueSize, "value-size", 512, "bytes per object value")
	flag.Int64Var(&c.pageLimit, "page-limit", 50, "list page size (kube-apiserver: 500)")
	flag.DurationVar(&c.compactInterval, "compact-interval", 10*time.Second, "compaction interval (kube-apiserver: 5m)")
	flag.Int64Var(&c.eventTTL, "event-ttl", 3, "event lease TTL, seconds (kube-apiserver: 1h)")
	flag.DurationVar(&c.leaseReuse, "lease-reuse", time.Second, "how long one lease is shared by new events (kube-apiserver: 1m)")
	flag.DurationVar(&c.expirySlack, "expiry-slack", 4*time.Second, "how late after its TTL a lease's keys may still be there")
	flag.DurationVar(&c.progressInterval, "progress-interval", 100*time.Millisecond, "RequestProgress period")
	flag.DurationVar(&c.healthInterval, "health-interval", 2*time.Second, "health read and Status period")
	flag.DurationVar(&c.progressGrace, "progress-grace", time.Second, "how long a read waits, once the watch has passed its revision, for events delivered late")
	flag.BoolVar(&c.strictProgress, "strict-progress", false, "an event at or below a progress notification's revision, delivered after it, is a violation (etcd 3.4.23 can send a requested progress notification ahead of pending events)")
	flag.DurationVar(&c.periodicProgress, "periodic-progress", 0, "the server's --experimental-watch-progress-notify-interval: an idle watch must get periodic progress notifications (0: not checked)")
	flag.StringVar(&c.prefix, "prefix", "/registry/", "key prefix of everything written")
	flag.StringVar(&c.jsonPath, "json", "", "write the JSON report here")
	flag.Int64Var(&c.seed, "seed", 0, "random seed (0: from the clock)")
	flag.StringVar(&c.transcriptPath, "transcript", "", "instead of the load: run a deterministic sequence (seeded by -seed) and write every answer here, for comparison with another server's")
	flag.IntVar(&c.transcriptOps, "transcript-ops", 1000, "operations in the -transcript sequence")
	flag.Parse()
	c.endpoints = splitEndpoints(*endpoints)
	if len(c.endpoints) == 0 || c.writers < 1 || c.keys < 1 || c.pageLimit < 1 || c.eventTTL < 2 {
		fmt.Fprintln(os.Stderr, "kubeload: need endpoints, writers >= 1, keys >= 1, page-limit >= 1, event-ttl >= 2")
		os.Exit(exitHarness)
	}
	if c.seed == 0 {
		c.seed = time.Now().UnixNano()
	}
	return c
}

func newClient(endpoints []string) (*clientv3.Client, error) {
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	return clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: dialTimeout, LogConfig: &quiet})
}

func main() {
	cfg := parseFlags()
	client, err := newClient(cfg.endpoints)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kubeload: connect %v: %v\n", cfg.endpoints, err)
		os.Exit(exitHarness)
	}
	defer client.Close()
	if cfg.transcriptPath != "" {
		if err := runTranscript(cfg, client, cfg.transcriptPath, cfg.transcriptOps); err != nil {
			fmt.Fprintf(os.Stderr, "kubeload: transcript: %v\n", err)
			os.Exit(exitHarness)
		}
		os.Exit(exitOK)
	}
	r := newRun(cfg, client)
	result, err := r.execute(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "kubeload: %v\n", err)
		os.Exit(exitHarness)
	}
	writeTable(os.Stdout, result)
	if cfg.jsonPath != "" {
		f, err := os.Create(cfg.jsonPath)
		if err == nil {
			err = writeJSON(f, result)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "kubeload: writing %s: %v\n", cfg.jsonPath, err)
			os.Exit(exitHarness)
		}
	}
	if len(result.Violations) > 0 {
		fmt.Printf("kubeload: %d consistency violations, first: %s\n", len(result.Violations), result.Violations[0])
		os.Exit(exitViolation)
	}
	if len(result.Errors) > 0 {
		fmt.Printf("kubeload: unexpected RPC errors: %v\n", result.Errors)
		os.Exit(exitHarness)
	}
	fmt.Println("kubeload: no violations")
	os.Exit(exitOK)
}
