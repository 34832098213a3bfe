package main

// One run: the shared state of every load goroutine, and the order things start and stop in.

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/mvcc/mvccpb"
)

// Resources: objects written by the object writers, and events (leased, created only).
var objectResources = []string{"pods", "configmaps"}

const eventResource = "events"

// Violations printed beyond this many are only counted.
const maxViolationsKept = 50

type run struct {
	cfg    config
	client *clientv3.Client
	stats  *Stats

	loadCtx    context.Context // cancelled when the load stops
	stopLoad   context.CancelFunc
	deadline   time.Time
	writesDone int64 // atomic

	mu         sync.Mutex
	violations []string
	violationN int
	checks     map[string]int

	watches    map[string]*watched // by prefix
	observed   chan observation
	compaction compactionState
	leases     leaseBook
	recent     revisionRing
}

func newRun(cfg config, client *clientv3.Client) *run {
	return &run{
		cfg: cfg, client: client, stats: newStats(),
		checks:   map[string]int{},
		watches:  map[string]*watched{},
		observed: make(chan observation, 1024),
	}
}

func (r *run) prefixOf(resource string) string { return r.cfg.prefix + resource + "/" }

// violation records (and prints at once) a consistency violation.
func (r *run) violation(format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.violationN++
	if len(r.violations) < maxViolationsKept {
		r.violations = append(r.violations, msg)
		fmt.Fprintf(os.Stderr, "VIOLATION: %s\n", msg)
	}
}

func (r *run) check(name string) { r.addChecks(name, 1) }

func (r *run) addChecks(name string, n int) {
	r.mu.Lock()
	r.checks[name] += n
	r.mu.Unlock()
}

// over: the load should stop (time is up or enough writes were made).
func (r *run) over() bool {
	if r.loadCtx.Err() != nil || time.Now().After(r.deadline) {
		return true
	}
	return r.cfg.maxWrites > 0 && atomic.LoadInt64(&r.writesDone) >= r.cfg.maxWrites
}

func (r *run) wrote() { atomic.AddInt64(&r.writesDone, 1) }

func (r *run) rpcContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), rpcTimeout)
}

// rng: one random source per goroutine, derived from the run's seed.
func (r *run) rng(stream int64) *rand.Rand { return rand.New(rand.NewSource(r.cfg.seed + stream*7919)) }

func (r *run) execute(ctx context.Context) (Result, error) {
	r.loadCtx, r.stopLoad = context.WithCancel(ctx)
	defer r.stopLoad()
	if err := r.checkReachable(); err != nil {
		return Result{}, err
	}
	// kube-apiserver's watches require a leader (a member cut off from the leader ends them).
	watchCtx, stopWatches := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer stopWatches()
	// Start state: a list of each prefix, a watch from just after it.
	var watchers sync.WaitGroup
	for _, res := range append(append([]string{}, objectResources...), eventResource) {
		w, err := r.startWatch(watchCtx, r.prefixOf(res), &watchers)
		if err != nil {
			return Result{}, err
		}
		r.watches[w.model.Prefix] = w
	}
	idleCtx, stopIdle := context.WithCancel(ctx)
	defer stopIdle()
	idleDone := make(chan idleWatch, 1)
	r.startIdleWatch(idleCtx, idleDone)
	checkerDone := make(chan struct{})
	go func() { r.checker(); close(checkerDone) }()

	start := time.Now()
	r.deadline = start.Add(r.cfg.duration)
	var load sync.WaitGroup
	spawn := func(n int, f func(i int)) {
		for i := 0; i < n; i++ {
			load.Add(1)
			go func(i int) { defer load.Done(); f(i) }(i)
		}
	}
	spawn(r.cfg.writers, r.objectWriter)
	spawn(r.cfg.eventWriters, r.eventWriter)
	spawn(r.cfg.listers, r.lister)
	spawn(r.cfg.readers, r.reader)
	spawn(2, r.compactor)
	spawn(1, func(int) { r.health() })
	spawn(1, func(int) { r.progressRequester(watchCtx) })
	spawn(1, func(int) { r.expiryChecker() })
	for !r.over() {
		time.Sleep(50 * time.Millisecond)
	}
	r.stopLoad()
	load.Wait()
	elapsed := time.Since(start)

	// Drain: the leases still pending expire, every pending read is checked.
	r.finalExpiryChecks()
	r.requestProgress(watchCtx)
	close(r.observed)
	<-checkerDone
	stopWatches()
	watchers.Wait()
	stopIdle()
	idle := <-idleDone
	r.addChecks("idle-watch-progress", idle.notifications)
	// Periodic notifications are due every interval; asking for one in three intervals leaves
	// room for a loaded machine.
	if p := r.cfg.periodicProgress; p > 0 && elapsed >= 3*p && idle.notifications == 0 {
		r.violation("idle watch: no periodic progress notification in %v (server interval %v)", elapsed.Round(time.Second), p)
	}

	result := Result{Endpoints: r.cfg.endpoints, Seconds: elapsed.Seconds(), Ops: r.stats.Report(elapsed)}
	r.mu.Lock()
	result.Checks = map[string]int{}
	for k, v := range r.checks {
		result.Checks[k] = v
	}
	for _, w := range r.watches {
		w.mu.Lock()
		result.Checks["watch-events"] += w.model.Events()
		result.Checks["watch-missing-prev-kv"] += w.model.MissingPrevKV
		result.Checks["watch-late-events"] += w.lateEvents
		w.mu.Unlock()
	}
	result.Violations = append([]string{}, r.violations...)
	if r.violationN > len(r.violations) {
		result.Violations = append(result.Violations, fmt.Sprintf("... and %d more", r.violationN-len(r.violations)))
	}
	r.mu.Unlock()
	_, result.Errors = r.stats.Errors()
	return result, nil
}

func (r *run) checkReachable() error {
	ctx, cancel := r.rpcContext()
	defer cancel()
	if _, err := r.client.Get(ctx, r.cfg.prefix+"health"); err != nil {
		return fmt.Errorf("first read via %v: %v", r.cfg.endpoints, err)
	}
	return nil
}

func splitEndpoints(list string) []string {
	var out []string
	for _, e := range strings.Split(list, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return "\x00"
}

func toKV(kv *mvccpb.KeyValue) KV {
	return KV{Key: string(kv.Key), Value: string(kv.Value), Create: kv.CreateRevision, Mod: kv.ModRevision, Version: kv.Version, Lease: kv.Lease}
}

func toKVs(kvs []*mvccpb.KeyValue) []KV {
	out := make([]KV, len(kvs))
	for i, kv := range kvs {
		out[i] = toKV(kv)
	}
	return out
}
