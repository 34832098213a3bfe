package main

// record: N clients, each with its own etcd client over all the endpoints, run a seeded random
// mix of put, linearizable get and compare-and-swap txns over K keys for S seconds, and write
// down when each operation was invoked and returned and what it returned. An operation that
// errors or times out is recorded as unknown: the server may or may not have applied it.

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.uber.org/zap"
)

const (
	// Every request has its own deadline, so a killed member costs a client one timed-out
	// (unknown) operation per attempt rather than a hang.
	recordRequestTimeout = 1 * time.Second
	recordDialTimeout    = 2 * time.Second
	// After an error a client pauses this long, so a dead server is not hammered with unknown
	// operations (each of which widens the search).
	recordErrorPause = 100 * time.Millisecond
	// Bounds on a recording.
	recordClientsMax      = 256
	recordKeysMax         = 1024
	recordSecondsMax      = 600
	recordOpsPerClientMax = 200_000
)

// knowledge is what one client last saw of a key, to build compare-and-swaps that can succeed.
type knowledge struct {
	known  bool
	found  bool
	value  string
	modRev int64
}

func recordCommand(args []string) error {
	fs := flag.NewFlagSet("record", flag.ExitOnError)
	endpoints := fs.String("endpoints", "127.0.0.1:2379", "comma-separated client endpoints")
	clients := fs.Int("clients", 8, "concurrent clients")
	keys := fs.Int("keys", 4, "keys")
	secs := fs.Float64("seconds", 5, "how long to record")
	out := fs.String("out", "history.jsonl", "history file to write")
	seed := fs.Int64("seed", time.Now().UnixNano()%1_000_000, "random seed (printed)")
	prefix := fs.String("prefix", "", "key prefix (default lincheck/<seed>/, so runs do not share keys)")
	fs.Parse(args)
	if *clients < 1 || *clients > recordClientsMax || *keys < 1 || *keys > recordKeysMax || *secs <= 0 || *secs > recordSecondsMax {
		return fmt.Errorf("need 1 <= clients <= %d, 1 <= keys <= %d, 0 < seconds <= %d", recordClientsMax, recordKeysMax, recordSecondsMax)
	}
	if *prefix == "" {
		*prefix = fmt.Sprintf("lincheck/%d/", *seed)
	}
	fmt.Printf("seed %d (-seed %d repeats the choices; timing still varies)\n", *seed, *seed)

	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	conns := make([]*clientv3.Client, *clients)
	for i := range conns {
		var err error
		conns[i], err = clientv3.New(clientv3.Config{Endpoints: strings.Split(*endpoints, ","), DialTimeout: recordDialTimeout, LogConfig: &quiet})
		if err != nil {
			return fmt.Errorf("client %d: %v", i, err)
		}
		defer conns[i].Close()
	}

	start := time.Now()
	now := func() int64 { return int64(time.Since(start)) } // monotonic: time.Since uses the monotonic reading
	deadline := start.Add(time.Duration(*secs * float64(time.Second)))
	var nextID int64
	histories := make([][]*Op, *clients)
	fmt.Println("record started")
	var wg sync.WaitGroup
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			cli := conns[c]
			rng := rand.New(rand.NewSource(*seed*1000 + int64(c)))
			seen := make([]knowledge, *keys)
			for n := 0; n < recordOpsPerClientMax && time.Now().Before(deadline); n++ {
				k := rng.Intn(*keys)
				op := &Op{ID: atomic.AddInt64(&nextID, 1), Client: c, Key: fmt.Sprintf("%sk%d", *prefix, k)}
				value := fmt.Sprintf("c%d-%d", c, n)
				know := &seen[k]
				switch p := rng.Intn(100); {
				case p < 40 || (p >= 65 && !know.known):
					// A compare-and-swap needs something this client saw; without it, look first.
					op.Kind = kindGet
				case p < 65:
					op.Kind, op.Value = kindPut, value
				case know.found && rng.Intn(2) == 0:
					op.Kind, op.Value, op.Old = kindCASValue, value, know.value
				default:
					op.Kind, op.Value, op.CmpRev = kindCASRev, value, know.modRev
				}
				ctx, cancel := context.WithTimeout(context.Background(), recordRequestTimeout)
				err := run(ctx, cli, op, now)
				cancel()
				histories[c] = append(histories[c], op)
				switch {
				case err != nil:
					op.Unknown, op.Error, op.Return = true, err.Error(), 0
					*know = knowledge{}
					time.Sleep(recordErrorPause)
				case op.Kind == kindGet:
					*know = knowledge{known: true, found: op.Found, value: op.Got, modRev: op.ModRev}
				case op.wrote():
					*know = knowledge{known: true, found: true, value: op.Value, modRev: op.Rev}
				default: // a failed compare: what this client knew is stale
					*know = knowledge{}
				}
			}
		}(c)
	}
	wg.Wait()
	var ops []*Op
	counts := map[string]int{}
	for _, h := range histories {
		ops = append(ops, h...)
		for _, op := range h {
			switch {
			case op.Unknown:
				counts["unknown"]++
			case op.Kind == kindGet:
				counts["get"]++
			case op.Kind == kindPut:
				counts["put"]++
			case op.OK:
				counts["cas-ok"]++
			default:
				counts["cas-failed"]++
			}
		}
	}
	fmt.Printf("recorded %d ops in %.1f s: %d get, %d put, %d cas succeeded, %d cas failed, %d unknown outcome\n",
		len(ops), time.Since(start).Seconds(), counts["get"], counts["put"], counts["cas-ok"], counts["cas-failed"], counts["unknown"])
	return WriteHistoryFile(*out, ops)
}

// run sends op and fills in its output and times.
func run(ctx context.Context, cli *clientv3.Client, op *Op, now func() int64) error {
	op.Call = now()
	defer func() { op.Return = now() }()
	switch op.Kind {
	case kindGet:
		resp, err := cli.Get(ctx, op.Key)
		if err != nil {
			return err
		}
		op.Rev = resp.Header.Revision
		if len(resp.Kvs) > 0 {
			op.Found, op.Got, op.ModRev = true, string(resp.Kvs[0].Value), resp.Kvs[0].ModRevision
		}
		return nil
	case kindPut:
		resp, err := cli.Put(ctx, op.Key, op.Value)
		if err != nil {
			return err
		}
		op.Rev = resp.Header.Revision
		return nil
	}
	var cmp clientv3.Cmp
	if op.Kind == kindCASValue {
		cmp = clientv3.Compare(clientv3.Value(op.Key), "=", op.Old)
	} else {
		cmp = clientv3.Compare(clientv3.ModRevision(op.Key), "=", op.CmpRev)
	}
	resp, err := cli.Txn(ctx).If(cmp).Then(clientv3.OpPut(op.Key, op.Value)).Commit()
	if err != nil {
		return err
	}
	op.OK, op.Rev = resp.Succeeded, resp.Header.Revision
	return nil
}
