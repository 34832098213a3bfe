package main

// `grant` (benchmark): grants -n leases as fast as -concurrency clients go and leaves them in
// place, so the harness can read the server's memory with them held.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
)

const connectionsMax = 8

func grantCommand(args []string) int {
	fs := flag.NewFlagSet("grant", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "client endpoint")
	count := fs.Int("n", 100_000, "leases to grant")
	ttl := fs.Int64("ttl", 600, "lease TTL in seconds")
	concurrency := fs.Int("concurrency", 64, "concurrent grants")
	maxSeconds := fs.Int("max-seconds", 300, "stop granting after this long (exit 2)")
	fs.Parse(args)
	if *count < 1 || *count > 1_000_000 || *concurrency < 1 {
		fmt.Fprintln(os.Stderr, "leasecheck grant: need 1 <= n <= 1000000, concurrency >= 1")
		return exitHarness
	}
	clients, err := connections(*endpoint, *concurrency)
	if err != nil {
		fmt.Printf("error: %v\n", err)
		return exitHarness
	}
	defer closeAll(clients)
	start := time.Now()
	deadline := start.Add(time.Duration(*maxSeconds) * time.Second)
	var granted int64
	err = forEach(*count, *concurrency, func(i int) error {
		if time.Now().After(deadline) {
			return fmt.Errorf("time limit %d s reached", *maxSeconds)
		}
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		defer cancel()
		if _, err := clients[i%len(clients)].Grant(ctx, *ttl); err != nil {
			return err
		}
		atomic.AddInt64(&granted, 1)
		return nil
	})
	elapsed := time.Since(start).Seconds()
	fmt.Printf("granted %d of %d leases (ttl %d s) in %.1f s: %.0f grants/s\n", granted, *count, *ttl, elapsed, float64(granted)/elapsed)
	if err != nil {
		fmt.Printf("error: %v\n", err)
		return exitHarness
	}
	return exitOK
}

// connections: up to connectionsMax clients to one endpoint, so many concurrent requests do not
// all queue on one HTTP/2 connection.
func connections(endpoint string, concurrency int) ([]*clientv3.Client, error) {
	n := concurrency
	if n > connectionsMax {
		n = connectionsMax
	}
	var out []*clientv3.Client
	for i := 0; i < n; i++ {
		c, err := newClient([]string{endpoint})
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("connect %s: %v", endpoint, err)
		}
		out = append(out, c)
	}
	return out, nil
}
