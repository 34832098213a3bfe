package main

// run: record a run against live servers, then check it.

import (
	"context"
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
	dialTimeout = 2 * time.Second
	settlePoll  = 20 * time.Millisecond
	// Bounds on a run.
	watchersMax = 1000
	keysMax     = 100
	writesMax   = 1_000_000
	secondsMax  = 600
)

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

func randomSpec(r *rand.Rand, prefix string, keys int) Spec {
	key := func(i int) string { return fmt.Sprintf("%sk%02d", prefix, i) }
	var s Spec
	switch r.Intn(4) {
	case 0:
		s = Spec{Kind: "key", Key: key(r.Intn(keys))}
	case 1:
		p := []string{prefix, prefix + "k0", prefix + "k1"}[r.Intn(3)]
		s = Spec{Kind: "prefix", Key: p, RangeEnd: prefixEnd(p)}
	case 2:
		a := r.Intn(keys)
		s = Spec{Kind: "range", Key: key(a), RangeEnd: key(a + 1 + r.Intn(keys-a))}
	default:
		s = Spec{Kind: "fromkey", Key: key(r.Intn(keys)), RangeEnd: "\x00"}
	}
	s.PrevKV = r.Intn(2) == 0
	s.Fragment = r.Intn(3) == 0
	s.Progress = r.Intn(3) == 0
	switch r.Intn(6) {
	case 0:
		s.NoPut = true
	case 1:
		s.NoDelete = true
	}
	return s
}

// randomStart: 0 (now), a past revision, or one below the last compaction.
func randomStart(r *rand.Rand, startRev, acked, compacted int64) int64 {
	switch p := r.Intn(100); {
	case p < 30:
		return 0
	case p < 75 || compacted <= startRev+1:
		from := startRev + 1
		if compacted > from {
			from = compacted
		}
		if acked < from {
			return from
		}
		return from + r.Int63n(acked-from+1)
	default:
		return startRev + 1 + r.Int63n(compacted-startRev-1)
	}
}

func runCommand(args []string) int {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	endpoints := fs.String("endpoints", "127.0.0.1:2379", "comma-separated client endpoints; watch streams spread over them")
	writeEndpoints := fs.String("write-endpoints", "", "comma-separated endpoints the writes go to (default: -endpoints)")
	nWatchers := fs.Int("watchers", 16, "concurrent watchers (plus one reference watcher)")
	keys := fs.Int("keys", 8, "keys in the keyspace")
	writes := fs.Int("writes", 2000, "writes in total")
	secs := fs.Float64("seconds", 10, "the load stops after this long even if writes are left")
	seed := fs.Int64("seed", time.Now().UnixNano()%1_000_000, "random seed (printed)")
	compactEvery := fs.Int64("compact-every", 200, "compact after every C-th write (0 = never)")
	writers := fs.Int("writers", 4, "concurrent writers")
	settle := fs.Float64("settle", 30, "after the load, how long watchers may take to deliver everything")
	out := fs.String("out", "", "write the record here (JSON) for check/mutate")
	// etcd 3.4.23 can fail with slow streams: a watcher whose compaction cancel does not fit its
	// full channel is fed events instead (etcd-io/etcd#17555, fixed after 3.4.23).
	slow := fs.Int("slow-streams", 0, "watch streams (of 4 watchers each) whose reader pauses now and then during the load")
	valueBytes := fs.Int("value-bytes", 0, "pad every put's value to move more bytes")
	fs.Parse(args)
	if *nWatchers < 0 || *nWatchers > watchersMax || *keys < 2 || *keys > keysMax || *writes < 1 || *writes > writesMax ||
		*secs <= 0 || *secs > secondsMax || *writers < 1 || *writers > 64 {
		fmt.Fprintf(os.Stderr, "watchcheck run: need 0 <= watchers <= %d, 2 <= keys <= %d, 1 <= writes <= %d, 0 < seconds <= %d, 1 <= writers <= 64\n",
			watchersMax, keysMax, writesMax, secondsMax)
		return exitHarness
	}
	writeTo := strings.Split(*endpoints, ",")
	if *writeEndpoints != "" {
		writeTo = strings.Split(*writeEndpoints, ",")
	}
	rec, err := record(strings.Split(*endpoints, ","), writeTo, *nWatchers, *keys, *writes, *secs, *seed, *compactEvery, *writers, *settle, *slow, *valueBytes)
	if err != nil {
		fmt.Fprintf(os.Stderr, "watchcheck run: %v\n", err)
		if rec != nil && *out != "" {
			writeRecord(*out, rec)
		}
		return exitHarness
	}
	if *out != "" {
		if err := writeRecord(*out, rec); err != nil {
			fmt.Fprintf(os.Stderr, "watchcheck run: %v\n", err)
			return exitHarness
		}
	}
	return verdict(rec, violationsShown)
}

func record(endpoints, writeEndpoints []string, nWatchers, keys, writes int, secs float64, seed, compactEvery int64, writers int, settle float64, slow, valueBytes int) (*Record, error) {
	fmt.Printf("seed %d (-seed %d repeats the choices; timing still varies)\n", seed, seed)
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	newClient := func(eps ...string) (*clientv3.Client, error) {
		return clientv3.New(clientv3.Config{Endpoints: eps, DialTimeout: dialTimeout, LogConfig: &quiet})
	}
	kv, err := newClient(writeEndpoints...)
	if err != nil {
		return nil, err
	}
	defer kv.Close()
	prefix := fmt.Sprintf("watchcheck/%d/", seed)
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	resp, err := kv.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
	cancel()
	if err != nil {
		return nil, fmt.Errorf("first get: %v", err)
	}
	if resp.Count != 0 {
		return nil, fmt.Errorf("%d keys already under %q: use another seed", resp.Count, prefix)
	}
	rec := &Record{Seed: seed, Endpoints: endpoints, Prefix: prefix, StartRev: resp.Header.Revision}
	if strings.Join(writeEndpoints, ",") != strings.Join(endpoints, ",") {
		rec.WriteEndpoints = writeEndpoints
	}
	var maxAcked, compactedDone, refLast int64
	maxAcked = rec.StartRev
	ws := &watchers{endpoints: endpoints, clients: map[string]*clientv3.Client{}, rec: rec,
		config:   func(ep string) (*clientv3.Client, error) { return newClient(ep) },
		maxAcked: &maxAcked, compactedDone: &compactedDone, refLast: &refLast, slowSlots: slow, began: time.Now()}
	slots := 1 + (nWatchers+watchersPerSlot-1)/watchersPerSlot
	ws.slots, ws.rotation = make([]*stream, slots), make([]int, slots)
	defer func() {
		for _, c := range ws.clients {
			c.Close()
		}
	}()
	master := rand.New(rand.NewSource(seed))
	stop := make(chan struct{})
	loadDone := make(chan struct{}) // closed when the writers are done; no first create after it
	var watchWG sync.WaitGroup

	rec.Reference = &Watcher{ID: 0, Spec: Spec{Kind: "reference", Key: prefix, RangeEnd: prefixEnd(prefix), PrevKV: true}}
	ws.reference = &watcherRun{rec: rec.Reference, slot: 0, r: rand.New(rand.NewSource(master.Int63()))}
	atomic.StoreInt32(&ws.loadRunning, 1)
	watchWG.Add(1)
	go ws.run(ws.reference, rec.StartRev+1, false, stop, &watchWG)

	deadline := time.Now().Add(time.Duration(secs * float64(time.Second)))
	for i := 1; i <= nWatchers; i++ {
		w := &watcherRun{rec: &Watcher{ID: i, Spec: randomSpec(master, prefix, keys)}, slot: 1 + (i-1)/watchersPerSlot, r: rand.New(rand.NewSource(master.Int63()))}
		rec.Watchers = append(rec.Watchers, w.rec)
		delay := time.Duration(master.Int63n(int64(secs * float64(time.Second) / 2)))
		watchWG.Add(1)
		go func() {
			select {
			case <-time.After(delay):
			case <-loadDone:
				// No first create after the load: one that began during the settle, or as it
				// gave up, could not be judged on what it had time to receive.
				ws.mu.Lock()
				w.rec.NotCreated = true
				ws.mu.Unlock()
				watchWG.Done()
				return
			}
			start := randomStart(w.r, rec.StartRev, atomic.LoadInt64(&maxAcked), atomic.LoadInt64(&compactedDone))
			ws.run(w, start, true, stop, &watchWG)
		}()
	}

	ld := &load{kv: kv, prefix: prefix, keys: keys, writesLeft: int64(writes), deadline: deadline, compactEvery: compactEvery,
		maxAcked: &maxAcked, compactedDone: &compactedDone, refLast: &refLast, padding: strings.Repeat("-", valueBytes)}
	fmt.Println("run started")
	var loadWG sync.WaitGroup
	for i := 0; i < writers; i++ {
		loadWG.Add(1)
		go ld.writer(i, master.Int63(), &loadWG)
	}
	loadWG.Wait()
	close(loadDone)
	atomic.StoreInt32(&ws.loadRunning, 0)
	settleDeadline := time.Now().Add(time.Duration(settle * float64(time.Second)))
	final, err := ld.sentinel(settleDeadline)
	ld.mu.Lock()
	rec.Writes, rec.Compactions = ld.writes, ld.compactions
	ld.mu.Unlock()
	rec.FinalRev = final
	finish := func() {
		ws.mu.Lock()
		ws.stopping = true
		for _, s := range ws.slots {
			if s != nil {
				s.cancel()
			}
		}
		ws.mu.Unlock()
		close(stop)
		watchWG.Wait()
		ws.mu.Lock()
		for _, w := range append([]*Watcher{rec.Reference}, rec.Watchers...) {
			for _, inc := range w.Incarnations {
				if inc.End == "" {
					inc.End = endOpen
				}
			}
		}
		ws.mu.Unlock()
	}
	if err != nil {
		finish()
		return rec, err
	}
	unknown := 0
	for _, w := range rec.Writes {
		if w.Outcome != outcomeOK {
			unknown++
		}
	}
	fmt.Printf("load done: %d writes (%d unknown outcome), %d compactions, revisions %d..%d\n",
		len(rec.Writes), unknown, len(rec.Compactions), rec.StartRev+1, rec.FinalRev)

	// Settle: the reference reaches the final revision, then every watcher has delivered the
	// last event the history has for it (or ended). The bound only limits the wait: a watcher
	// still short of its events when it runs out is judged by the checker from what it received.
	settled := false
	for !settled && time.Now().Before(settleDeadline) {
		settled = atomic.LoadInt64(&refLast) >= final
		if !settled {
			time.Sleep(settlePoll)
		}
	}
	if settled {
		ws.mu.Lock()
		h, _ := BuildHistory(rec)
		ws.mu.Unlock()
		settled = false
		for !settled && time.Now().Before(settleDeadline) {
			ws.mu.Lock()
			settled = true
			for _, w := range rec.Watchers {
				if !watcherSettled(w, h) {
					settled = false
					break
				}
			}
			ws.mu.Unlock()
			if !settled {
				time.Sleep(settlePoll)
			}
		}
	}
	if !settled {
		fmt.Println("settle: gave up waiting after", settle, "s; checking what was received")
		ws.mu.Lock()
		fmt.Printf("settle: the reference watcher reached revision %d of %d\n", atomic.LoadInt64(&refLast), final)
		if h, err := BuildHistory(rec); err == nil {
			for _, w := range rec.Watchers {
				if !watcherSettled(w, h) {
					fmt.Printf("settle: watcher %d (%+v) still short: %s\n", w.ID, w.Spec, settleState(w, h))
				}
			}
		}
		ws.mu.Unlock()
	}
	finish()
	return rec, nil
}

// watcherSettled: its current incarnation has received the last event the history holds for it.
func watcherSettled(w *Watcher, h *History) bool {
	if len(w.Incarnations) == 0 {
		return w.NotCreated // else its first create began as the load ended and is on its way
	}
	inc := w.Incarnations[len(w.Incarnations)-1]
	if inc.End != "" {
		return inc.End == endRefused || inc.End == "server-cancelled"
	}
	if len(inc.Responses) == 0 || inc.CancelAt != 0 {
		return false // not created yet, or a harness cancel is on its way and a re-create follows
	}
	start := inc.Start
	if start == 0 {
		start = inc.Responses[0].Header + 1
	}
	want := expectedGroups(h, w.Spec, start)
	if len(want) == 0 {
		return true
	}
	last := want[len(want)-1].rev
	for _, r := range inc.Responses {
		for _, e := range r.Events {
			if e.KV.Mod >= last {
				return true
			}
		}
	}
	return false
}

// settleState: what an unsettled watcher's current incarnation has received and still awaits.
func settleState(w *Watcher, h *History) string {
	if len(w.Incarnations) == 0 {
		return "never created"
	}
	inc := w.Incarnations[len(w.Incarnations)-1]
	var last int64
	for _, r := range inc.Responses {
		for _, e := range r.Events {
			last = e.KV.Mod
		}
	}
	start := inc.Start
	if start == 0 && len(inc.Responses) > 0 {
		start = inc.Responses[0].Header + 1
	}
	want := expectedGroups(h, w.Spec, start)
	var wantLast int64
	if len(want) > 0 {
		wantLast = want[len(want)-1].rev
	}
	return fmt.Sprintf("incarnation %d start %d end %q: %d responses, last event revision %d, last expected %d",
		len(w.Incarnations)-1, inc.Start, inc.End, len(inc.Responses), last, wantLast)
}
