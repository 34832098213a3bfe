package main

// `wave` (benchmark): the expiry of many leases at once. A fixed-rate put load runs throughout;
// after a quiet baseline, -n leases are granted with one key each and left to expire. Reported:
// how long after the TTL ran out the server took to revoke them all (polled with a count-only get
// on their prefix), and the put latency before the grants versus during the expiry wave.
//
// Granting and attaching 10,000 leases takes longer than a 5 s TTL, so clientv3 keeps every lease
// alive until all are granted and attached; then every keep-alive stops at once. The last lease
// runs out at the latest TTL after that stop (the "TTL end"; a renewal in flight at the stop is
// applied a round trip later at most), the first one TTL after the oldest renewal we saw answered
// (keep-alives go every TTL/3, so the expiries spread over about TTL/3 + 0.5 s, not over the
// grant phase).

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"go.etcd.io/etcd/clientv3"
)

const (
	wavePoll        = 50 * time.Millisecond
	putsInflightMax = 64
	putKeys         = 1000
)

type putSample struct {
	start   time.Time
	latency time.Duration
	failed  bool
}

// putLoad issues puts at a fixed rate (open loop, at most putsInflightMax in flight; a tick that
// finds them all busy is counted as skipped) until stop closes or maxPuts were issued.
type putLoad struct {
	mu      sync.Mutex
	samples []putSample
	skipped int
	wg      sync.WaitGroup
}

func (p *putLoad) run(c *clientv3.Client, rate int, maxPuts int, stop <-chan struct{}) {
	ticker := time.NewTicker(time.Second / time.Duration(rate))
	defer ticker.Stop()
	slots := make(chan struct{}, putsInflightMax)
	value := string(make([]byte, 64))
	for n := 0; n < maxPuts; n++ {
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
		select {
		case slots <- struct{}{}:
		default:
			p.mu.Lock()
			p.skipped++
			p.mu.Unlock()
			continue
		}
		p.wg.Add(1)
		go func(n int) {
			defer p.wg.Done()
			defer func() { <-slots }()
			ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
			defer cancel()
			start := time.Now()
			_, err := c.Put(ctx, fmt.Sprintf("wp/%04d", n%putKeys), value)
			p.mu.Lock()
			p.samples = append(p.samples, putSample{start, time.Since(start), err != nil})
			p.mu.Unlock()
		}(n)
	}
}

func (p *putLoad) window(from, to time.Time) (lat []time.Duration, failed int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.samples {
		if s.start.Before(from) || !s.start.Before(to) {
			continue
		}
		if s.failed {
			failed++
		} else {
			lat = append(lat, s.latency)
		}
	}
	return lat, failed
}

func waveCommand(args []string) int {
	fs := flag.NewFlagSet("wave", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "client endpoint")
	count := fs.Int("n", 10_000, "leases, one key each, left to expire")
	ttl := fs.Int64("ttl", 5, "lease TTL in seconds")
	concurrency := fs.Int("concurrency", 32, "concurrent grants")
	rate := fs.Int("put-rate", 100, "puts per second of the background load")
	baseline := fs.Duration("baseline", 3*time.Second, "put load alone before the grants")
	maxSeconds := fs.Int("max-seconds", 120, "the wave must be over this long after the TTL end")
	prefix := fs.String("prefix", "wave/", "key prefix of the leased keys (must be unused)")
	fs.Parse(args)
	if *count < 1 || *count > 1_000_000 || *rate < 1 || *rate > 10_000 || *ttl < 1 || *concurrency < 1 {
		fmt.Fprintln(os.Stderr, "leasecheck wave: need 1 <= n <= 1000000, 1 <= put-rate <= 10000, ttl >= 1")
		return exitHarness
	}
	clients, err := connections(*endpoint, *concurrency)
	if err != nil {
		fmt.Printf("error: %v\n", err)
		return exitHarness
	}
	defer closeAll(clients)
	putClient, err := newClient([]string{*endpoint})
	if err != nil {
		fmt.Printf("error: %v\n", err)
		return exitHarness
	}
	defer putClient.Close()

	var load putLoad
	stop := make(chan struct{})
	loadStart := time.Now()
	loadBound := (int(baseline.Seconds()) + 2*int(*ttl) + *maxSeconds + 600) * *rate
	go load.run(putClient, *rate, loadBound, stop)
	defer func() { close(stop); load.wg.Wait() }()
	time.Sleep(*baseline) // the baseline window: a measurement, not a wait for a condition

	grantStart := time.Now()
	stopAt, firstEnd, err := grantHeld(clients, *count, *concurrency, *ttl, *prefix)
	if err != nil {
		fmt.Printf("error: %v\n", err)
		return exitHarness
	}
	fmt.Printf("granted %d leases (ttl %d s) with a key each in %.1f s, kept alive until then\n", *count, *ttl, stopAt.Sub(grantStart).Seconds())
	lastEnd := stopAt.Add(time.Duration(*ttl) * time.Second)
	deadline := lastEnd.Add(time.Duration(*maxSeconds) * time.Second)
	left := int64(-1)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		resp, err := clients[0].Get(ctx, *prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
		cancel()
		if err == nil {
			left = resp.Count
			if left == 0 && time.Now().After(firstEnd) {
				break
			}
		}
		time.Sleep(wavePoll)
	}
	clearedAt := time.Now()
	before, beforeFailed := load.window(loadStart, grantStart)
	during, duringFailed := load.window(firstEnd, clearedAt)
	fmt.Printf("puts at %d/s before the grants: %s, %d failed\n", *rate, summarize(before), beforeFailed)
	fmt.Printf("puts at %d/s during the expiry wave: %s, %d failed (%d ticks skipped with %d puts in flight, whole run)\n",
		*rate, summarize(during), duringFailed, load.skipped, putsInflightMax)
	if left != 0 {
		fmt.Printf("error: %d of %d leased keys still there %d s after the last TTL end\n", left, *count, *maxSeconds)
		return exitHarness
	}
	fmt.Printf("expired %d leases: keys gone %.2f s after the last lease's TTL end (%.2f s after the first's)\n",
		*count, clearedAt.Sub(lastEnd).Seconds(), clearedAt.Sub(firstEnd).Seconds())
	return exitOK
}

// grantHeld grants the leases, keeps each alive from its grant on and attaches its key; once all
// are attached, every keep-alive stops. Returns that moment and the earliest TTL end (the oldest
// renewal answered, plus the TTL).
func grantHeld(clients []*clientv3.Client, count, concurrency int, ttl int64, prefix string) (time.Time, time.Time, error) {
	keeper, err := newClient(clients[0].Endpoints())
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	defer keeper.Close()
	keepCtx, stopKeeping := context.WithCancel(context.Background())
	defer stopKeeping()
	renewed := make([]int64, count) // unix nanoseconds of the last answered grant or keep-alive
	var mu sync.Mutex
	err = forEach(count, concurrency, func(i int) error {
		c := clients[i%len(clients)]
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		defer cancel()
		grant, err := c.Grant(ctx, ttl)
		if err != nil {
			return fmt.Errorf("grant: %v", err)
		}
		mu.Lock()
		renewed[i] = time.Now().UnixNano()
		mu.Unlock()
		channel, err := keeper.KeepAlive(keepCtx, grant.ID)
		if err != nil {
			return fmt.Errorf("keep-alive lease %016x: %v", int64(grant.ID), err)
		}
		go func() {
			for range channel {
				mu.Lock()
				renewed[i] = time.Now().UnixNano()
				mu.Unlock()
			}
		}()
		if _, err := c.Put(ctx, fmt.Sprintf("%s%07d", prefix, i), "v", clientv3.WithLease(grant.ID)); err != nil {
			return fmt.Errorf("put with lease %016x: %v", int64(grant.ID), err)
		}
		return nil
	})
	stopKeeping()
	stopAt := time.Now()
	if err != nil {
		return stopAt, stopAt, err
	}
	mu.Lock()
	defer mu.Unlock()
	oldest := renewed[0]
	for _, r := range renewed {
		if r < oldest {
			oldest = r
		}
	}
	return stopAt, time.Unix(0, oldest).Add(time.Duration(ttl) * time.Second), nil
}
