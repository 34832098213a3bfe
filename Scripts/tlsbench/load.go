package main

// `load`: put or range over TLS through clientv3, closed loop, bounded by -total and -max-seconds.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.uber.org/zap"
)

const (
	dialTimeout = 5 * time.Second
	rpcTimeout  = 5 * time.Second
	totalMax    = 10_000_000
	clientsMax  = 4096
	// The key every range reads (written before the timed phase).
	rangeKey  = "tlsbench/range"
	putPrefix = "tlsbench/put/"
)

func tlsConfig(cacert, cert, key string) (*tls.Config, error) {
	pem, err := os.ReadFile(cacert)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificate", cacert)
	}
	config := &tls.Config{RootCAs: pool}
	if cert != "" || key != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, err
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return config, nil
}

func loadCommand(args []string) int {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	endpoint := fs.String("endpoint", "https://127.0.0.1:2379", "client endpoint")
	cacert := fs.String("cacert", "", "CA certificate (PEM) that signed the server's")
	cert := fs.String("cert", "", "client certificate (PEM), optional")
	key := fs.String("key", "", "client key (PEM), with -cert")
	user := fs.String("user", "", "authenticate as this user (simple or JWT token, as the server hands out)")
	password := fs.String("password", "", "password for -user")
	op := fs.String("op", "put", "put or range")
	clients := fs.Int("clients", 64, "concurrent requests (closed loop)")
	conns := fs.Int("conns", 8, "clientv3 clients (one gRPC connection each), shared round robin")
	total := fs.Int("total", 30000, "requests to issue at most")
	maxSeconds := fs.Int("max-seconds", 60, "stop issuing after this long")
	valSize := fs.Int("val-size", 256, "value bytes")
	keySpace := fs.Int("key-space", 100000, "puts go to random keys among this many")
	serializable := fs.Bool("serializable", false, "serializable ranges (default linearizable)")
	serverPid := fs.Int("server-pid", 0, "server process, for its CPU time around the timed phase")
	fs.Parse(args)
	if *cacert == "" || (*op != "put" && *op != "range") || *clients < 1 || *clients > clientsMax ||
		*conns < 1 || *conns > *clients || *total < 1 || *total > totalMax || *maxSeconds < 1 ||
		*valSize < 0 || *keySpace < 1 {
		fmt.Fprintln(os.Stderr, "tlsbench load: need -cacert, -op put|range, 1 <= conns <= clients <= 4096, 1 <= total <= 10000000")
		return exitHarness
	}
	config, err := tlsConfig(*cacert, *cert, *key)
	if err != nil {
		fmt.Printf("op=%s error: tls: %v\n", *op, err)
		return exitHarness
	}
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	var pool []*clientv3.Client
	defer func() {
		for _, c := range pool {
			c.Close()
		}
	}()
	for i := 0; i < *conns; i++ {
		c, err := clientv3.New(clientv3.Config{
			Endpoints: []string{*endpoint}, DialTimeout: dialTimeout, TLS: config,
			Username: *user, Password: *password, LogConfig: &quiet,
		})
		if err != nil {
			fmt.Printf("op=%s error: connect %s: %v\n", *op, *endpoint, err)
			return exitHarness
		}
		pool = append(pool, c)
	}
	value := strings.Repeat("v", *valSize)
	if *op == "range" {
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		_, err := pool[0].Put(ctx, rangeKey, value)
		cancel()
		if err != nil {
			fmt.Printf("op=range error: pre-populate %s: %v\n", rangeKey, err)
			return exitHarness
		}
	}
	var rangeOptions []clientv3.OpOption
	if *serializable {
		rangeOptions = append(rangeOptions, clientv3.WithSerializable())
	}

	var issued, failed int64
	var firstErr atomic.Value
	latencies := make([][]time.Duration, *clients)
	cpu := startCPU(*serverPid)
	start := time.Now()
	deadline := start.Add(time.Duration(*maxSeconds) * time.Second)
	var wg sync.WaitGroup
	for w := 0; w < *clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := pool[w%len(pool)]
			random := rand.New(rand.NewSource(int64(w) + 1))
			mine := make([]time.Duration, 0, *total / *clients + 1)
			for atomic.AddInt64(&issued, 1) <= int64(*total) && time.Now().Before(deadline) {
				ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
				began := time.Now()
				var err error
				if *op == "put" {
					_, err = c.Put(ctx, fmt.Sprintf("%s%08d", putPrefix, random.Intn(*keySpace)), value)
				} else {
					_, err = c.Get(ctx, rangeKey, rangeOptions...)
				}
				took := time.Since(began)
				cancel()
				if err != nil {
					atomic.AddInt64(&failed, 1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mine = append(mine, took)
			}
			latencies[w] = mine
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sortDurations(all)
	done := int64(len(all))
	line := fmt.Sprintf("op=%s rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d ok=%d seconds=%.1f",
		*op, float64(done)/elapsed, percentileMs(all, 0.5), percentileMs(all, 0.99), failed, done, elapsed)
	line += cpu.perOperation(done+failed, "req")
	if e, ok := firstErr.Load().(string); ok {
		line += fmt.Sprintf(" first_error=%q", e)
	}
	fmt.Println(line)
	return exitOK
}
