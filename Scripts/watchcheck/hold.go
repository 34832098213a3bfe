package main

// `hold`: the watcher side of the Watch scale benchmark (Scripts/bench-watch-scale.sh). Opens
// -watchers watches on distinct keys (hold/<n>) and -prefix-watchers on one prefix (-prefix),
// spread over -streams gRPC streams, waits until every one is created, prints "ready", drains
// whatever arrives, and returns when stdin closes.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.uber.org/zap"
)

const holdCreateTimeout = 120 * time.Second

type streamKey int

func holdCommand(args []string) int {
	fs := flag.NewFlagSet("hold", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "client endpoint")
	watchers := fs.Int("watchers", 10000, "watchers on distinct keys")
	prefixWatchers := fs.Int("prefix-watchers", 100, "watchers on -prefix")
	prefix := fs.String("prefix", "p/", "the prefix the prefix watchers watch")
	streams := fs.Int("streams", 100, "gRPC Watch streams the watchers share")
	fs.Parse(args)
	if *watchers < 0 || *prefixWatchers < 0 || *streams < 1 || *watchers+*prefixWatchers > 1_000_000 {
		fmt.Fprintln(os.Stderr, "watchcheck hold: need 0 <= watchers + prefix-watchers <= 1000000 and streams >= 1")
		return exitHarness
	}
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	client, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: 5 * time.Second, LogConfig: &quiet})
	if err != nil {
		fmt.Fprintf(os.Stderr, "watchcheck hold: %v\n", err)
		return exitHarness
	}
	defer client.Close()
	// clientv3 puts the watches of one context on one gRPC stream.
	contexts := make([]context.Context, *streams)
	for i := range contexts {
		contexts[i] = context.WithValue(context.Background(), streamKey(0), i)
	}
	created := make(chan struct{}, *watchers+*prefixWatchers)
	watch := func(n int, key string, options ...clientv3.OpOption) {
		channel := client.Watch(contexts[n%*streams], key, append(options, clientv3.WithCreatedNotify())...)
		go func() {
			for response := range channel {
				if response.Created {
					created <- struct{}{}
				}
			}
		}()
	}
	for n := 0; n < *watchers; n++ {
		watch(n, fmt.Sprintf("hold/%08d", n))
	}
	for n := 0; n < *prefixWatchers; n++ {
		watch(n, *prefix, clientv3.WithPrefix())
	}
	deadline := time.After(holdCreateTimeout)
	for n := 0; n < *watchers+*prefixWatchers; n++ {
		select {
		case <-created:
		case <-deadline:
			fmt.Printf("created %d of %d watchers in %v\n", n, *watchers+*prefixWatchers, holdCreateTimeout)
			return exitViolation
		}
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	return exitOK
}
