package main

// `handshakes`: full TLS handshakes per second. Every one is a new TCP connection and a client with
// no session cache, so the server runs the whole key exchange and signs each time.

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const (
	handshakeTimeout = 5 * time.Second
	concurrencyMax   = 256
	secondsMax       = 600
)

func handshakesCommand(args []string) int {
	fs := flag.NewFlagSet("handshakes", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "host:port of the TLS client port")
	cacert := fs.String("cacert", "", "CA certificate (PEM) that signed the server's")
	cert := fs.String("cert", "", "client certificate (PEM), optional")
	key := fs.String("key", "", "client key (PEM), with -cert")
	seconds := fs.Int("seconds", 5, "how long to dial")
	concurrency := fs.Int("concurrency", 8, "handshakes in flight")
	serverPid := fs.Int("server-pid", 0, "server process, for its CPU time per handshake")
	fs.Parse(args)
	if *cacert == "" || *seconds < 1 || *seconds > secondsMax || *concurrency < 1 || *concurrency > concurrencyMax {
		fmt.Fprintln(os.Stderr, "tlsbench handshakes: need -cacert, 1 <= seconds <= 600, 1 <= concurrency <= 256")
		return exitHarness
	}
	config, err := tlsConfig(*cacert, *cert, *key)
	if err != nil {
		fmt.Printf("handshakes error: tls: %v\n", err)
		return exitHarness
	}
	host, _, err := net.SplitHostPort(*endpoint)
	if err != nil {
		fmt.Printf("handshakes error: endpoint: %v\n", err)
		return exitHarness
	}
	config.ServerName = host
	config.NextProtos = []string{"h2"}
	config.ClientSessionCache = nil

	var failed int64
	var firstErr atomic.Value
	var notH2 int64
	latencies := make([][]time.Duration, *concurrency)
	cpu := startCPU(*serverPid)
	start := time.Now()
	deadline := start.Add(time.Duration(*seconds) * time.Second)
	dialer := &net.Dialer{Timeout: handshakeTimeout}
	var wg sync.WaitGroup
	for w := 0; w < *concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				began := time.Now()
				conn, err := tls.DialWithDialer(dialer, "tcp", *endpoint, config)
				if err != nil {
					atomic.AddInt64(&failed, 1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				took := time.Since(began)
				if conn.ConnectionState().NegotiatedProtocol != "h2" {
					atomic.AddInt64(&notH2, 1)
				}
				conn.Close()
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
	line := fmt.Sprintf("handshakes/s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d ok=%d not_h2=%d seconds=%.1f",
		float64(done)/elapsed, percentileMs(all, 0.5), percentileMs(all, 0.99), failed, done, notH2, elapsed)
	line += cpu.perOperation(done, "handshake")
	if e, ok := firstErr.Load().(string); ok {
		line += fmt.Sprintf(" first_error=%q", e)
	}
	fmt.Println(line)
	return exitOK
}
