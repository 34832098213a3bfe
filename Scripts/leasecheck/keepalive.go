package main

// `keepalive`: leases kept alive through clientv3 over every endpoint while the harness kills and
// restarts members, then checked member by member.
//
// Protocol (stdout, one line each; stdin, one command per line):
//
//	ready leases=N ttl=S t=T           every lease is granted, kept alive and has its key
//	round R t=T                        every kept lease has been renewed since round R-1 ended
//	lost LEASE t=T                     clientv3 gave a kept lease up (no renewal within its TTL)
//	verify NAME    -> result NAME ok|violation|error: ...   (verify.go)
//	stop-half NAME -> result NAME ok|violation|error: ...   (expire.go)
//	mark NAME      -> mark NAME t=T   (the harness learns our clock, to wait for later rounds)
//	quit (or end of stdin): keep-alives end, the remaining leases are revoked, exit status follows
//	the worst result.
//
// T is seconds since the command started, so the harness can wait for rounds that ended a given
// time after an event it caused instead of sleeping.

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
)

const (
	leasesMax      = 100_000
	roundPoll      = 100 * time.Millisecond
	revokeAtEndMax = 15 * time.Second
)

// keptLease is one lease and the keys attached to it. Invariant: once stopped, never renewed by us.
type keptLease struct {
	index     int
	id        clientv3.LeaseID
	keys      []string
	cancel    context.CancelFunc
	lastRenew atomic.Int64 // unix nanoseconds of the last keep-alive response
	stopped   atomic.Bool  // keep-alives stopped on purpose (stop-half)
	lost      atomic.Bool  // clientv3 closed the channel while we still kept it
}

type keeper struct {
	cli     *clientv3.Client   // over every endpoint: clientv3 fails over by itself
	members []*clientv3.Client // one per endpoint, for that member's own view
	names   []string
	prefix  string
	ttl     int64
	slack   time.Duration
	leases  []*keptLease
	start   time.Time
	outMu   sync.Mutex
}

func (k *keeper) since() float64 { return time.Since(k.start).Seconds() }

func (k *keeper) say(format string, a ...interface{}) {
	k.outMu.Lock()
	defer k.outMu.Unlock()
	fmt.Printf(format+"\n", a...)
}

func keepaliveCommand(args []string) int {
	fs := flag.NewFlagSet("keepalive", flag.ExitOnError)
	endpoints := fs.String("endpoints", "127.0.0.1:2379", "client endpoints, comma separated (one per member)")
	count := fs.Int("leases", 1000, "leases, one key each")
	ttl := fs.Int64("ttl", 5, "lease TTL in seconds")
	prefix := fs.String("prefix", "lc/", "key prefix (must be unused)")
	concurrency := fs.Int("concurrency", 16, "concurrent grants and checks")
	slack := fs.Duration("slack", 5*time.Second, "beyond the TTL, how long expired keys may linger")
	maxSeconds := fs.Int("max-seconds", 600, "the command ends (exit 2) after this long")
	fs.Parse(args)
	eps := splitEndpoints(*endpoints)
	if *count < 2 || *count > leasesMax || *ttl < 1 || len(eps) == 0 || *concurrency < 1 {
		fmt.Fprintf(os.Stderr, "leasecheck keepalive: need 2 <= leases <= %d, ttl >= 1, endpoints\n", leasesMax)
		return exitHarness
	}
	k := &keeper{prefix: *prefix, ttl: *ttl, slack: *slack, start: time.Now(), names: eps}
	var err error
	if k.cli, err = newClient(eps); err != nil {
		k.say("error: connect: %v", err)
		return exitHarness
	}
	defer k.cli.Close()
	if k.members, err = memberClients(eps); err != nil {
		k.say("error: %v", err)
		return exitHarness
	}
	defer closeAll(k.members)
	if err := k.grantAll(*count, *concurrency); err != nil {
		k.say("error: %v", err)
		k.revokeRemaining(*concurrency)
		return exitHarness
	}
	k.say("ready leases=%d ttl=%d t=%.2f", *count, *ttl, k.since())
	done := make(chan struct{})
	defer close(done)
	go k.reportRounds(done)
	status := k.obey(*concurrency, time.Duration(*maxSeconds)*time.Second)
	k.revokeRemaining(*concurrency)
	return status
}

// grantAll grants the leases, starts keeping each alive right away (so none lapses while the
// others are granted) and attaches its key.
func (k *keeper) grantAll(count, concurrency int) error {
	k.leases = make([]*keptLease, count)
	return forEach(count, concurrency, func(i int) error {
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		defer cancel()
		grant, err := k.cli.Grant(ctx, k.ttl)
		if err != nil {
			return fmt.Errorf("grant lease %d of %d: %v", i+1, count, err)
		}
		l := &keptLease{index: i, id: grant.ID, keys: []string{fmt.Sprintf("%sk/%05d", k.prefix, i)}}
		l.lastRenew.Store(time.Now().UnixNano())
		var keepCtx context.Context
		keepCtx, l.cancel = context.WithCancel(context.Background())
		channel, err := k.cli.KeepAlive(keepCtx, grant.ID)
		if err != nil {
			l.cancel()
			return fmt.Errorf("keep-alive lease %x: %v", grant.ID, err)
		}
		k.leases[i] = l
		go k.drain(l, channel)
		if _, err := k.cli.Put(ctx, l.keys[0], "v", clientv3.WithLease(grant.ID)); err != nil {
			return fmt.Errorf("put %s with lease %x: %v", l.keys[0], grant.ID, err)
		}
		return nil
	})
}

func (k *keeper) drain(l *keptLease, channel <-chan *clientv3.LeaseKeepAliveResponse) {
	for range channel {
		l.lastRenew.Store(time.Now().UnixNano())
	}
	if !l.stopped.Load() {
		l.lost.Store(true)
		k.say("lost %016x t=%.2f (no keep-alive response within its TTL, or the server says it is gone)", int64(l.id), k.since())
	}
}

// reportRounds prints a line each time every kept lease has been renewed since the last line.
func (k *keeper) reportRounds(done <-chan struct{}) {
	round, roundStart := 0, time.Now().UnixNano()
	ticker := time.NewTicker(roundPoll)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			return
		case <-ticker.C:
		}
		kept, renewed := 0, 0
		for _, l := range k.leases {
			if l == nil || l.stopped.Load() || l.lost.Load() {
				continue
			}
			kept++
			if l.lastRenew.Load() > roundStart {
				renewed++
			}
		}
		if kept > 0 && renewed == kept {
			round++
			k.say("round %d t=%.2f leases=%d", round, k.since(), kept)
			roundStart = time.Now().UnixNano()
		}
	}
}

// obey runs the commands from stdin until quit, end of input or the time limit; returns the exit
// status the worst result calls for.
func (k *keeper) obey(concurrency int, limit time.Duration) int {
	lines := make(chan string)
	go func() {
		scanner := bufio.NewScanner(os.Stdin)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
	}()
	deadline := time.After(limit - time.Since(k.start))
	worst := exitOK
	for {
		var line string
		var open bool
		select {
		case line, open = <-lines:
		case <-deadline:
			k.say("error: time limit (%v) reached", limit)
			return exitHarness
		}
		fields := strings.Fields(line)
		if !open || (len(fields) > 0 && fields[0] == "quit") {
			return worst
		}
		if len(fields) != 2 {
			k.say("error: unknown command %q", line)
			return exitHarness
		}
		if fields[0] == "mark" {
			k.say("mark %s t=%.2f", fields[1], k.since())
			continue
		}
		var r result
		switch fields[0] {
		case "verify":
			r = k.verify(k.kept(), concurrency)
		case "stop-half":
			r = k.stopHalf(concurrency)
		default:
			k.say("error: unknown command %q", line)
			return exitHarness
		}
		k.say("result %s %s", fields[1], r)
		worst = worse(worst, r.status)
	}
}

func (k *keeper) kept() []*keptLease {
	var out []*keptLease
	for _, l := range k.leases {
		if !l.stopped.Load() {
			out = append(out, l)
		}
	}
	return out
}

// revokeRemaining ends the keep-alives and revokes what is left, so the leases do not outlive the
// run by a TTL (best effort, bounded).
func (k *keeper) revokeRemaining(concurrency int) {
	var left []clientv3.LeaseID
	for _, l := range k.leases {
		if l != nil {
			l.stopped.Store(true)
			l.cancel()
			left = append(left, l.id)
		}
	}
	deadline := time.Now().Add(revokeAtEndMax)
	forEach(len(left), concurrency, func(i int) error {
		if time.Now().After(deadline) {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		defer cancel()
		k.cli.Revoke(ctx, left[i])
		return nil
	})
}

// result of one check: the verdict and the line that says why.
type result struct {
	status int
	text   string
}

func (r result) String() string {
	return map[int]string{exitOK: "ok", exitViolation: "violation", exitHarness: "error"}[r.status] + ": " + r.text
}

func ok(format string, a ...interface{}) result { return result{exitOK, fmt.Sprintf(format, a...)} }
func violation(format string, a ...interface{}) result {
	return result{exitViolation, fmt.Sprintf(format, a...)}
}
func harness(err error) result { return result{exitHarness, err.Error()} }

// worse: a violation outranks a harness error (it is a finding about the server).
func worse(a, b int) int {
	rank := map[int]int{exitOK: 0, exitHarness: 1, exitViolation: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// forEach runs f(0..n-1) on `concurrency` goroutines; the first error stops new work and is returned.
func forEach(n, concurrency int, f func(i int) error) error {
	var next int64 = -1
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < concurrency && w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= n {
					return
				}
				mu.Lock()
				failed := firstErr != nil
				mu.Unlock()
				if failed {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}
