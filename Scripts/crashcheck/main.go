// Command crashcheck is the client side of Scripts/e2e-crash.sh: it puts load on an etcd v3
// server while the script kills it, remembers every write it sent and what became of it, and after
// the restart checks the server's history against that record.
//
// It is built in GOPATH mode against Debian's packaged etcd client (no module downloads); the
// script builds it into its work directory.
//
//	crashcheck load    -endpoint E -state F -seed N -round R   load until the server dies (or -seconds)
//	crashcheck verify  -endpoint E -state F -ref E2 -seed N    check history, replay into E2, compare HashKV
//	crashcheck fill    -endpoint E -keys N                     write N keys snap/%06d in 2-key txns
//	crashcheck keys    -endpoint E -keys N                     read them back
//	crashcheck revision -endpoint E                            the server's current revision
//	crashcheck walinfo FILE                                    the frames of one WAL segment
//	crashcheck dbrev   FILE                                    highest revision in a backend db
//
// The state file (JSON) carries the write log from round to round. Every write has an id, and every
// value it puts starts with "w<id>:", so any revision in the server's history names the write that
// produced it.
//
// Exit status: 0 ok, 1 a check failed, 2 usage or harness error.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/ioutil"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"go.uber.org/zap"
)

const (
	exitFailed = 1
	exitUsage  = 2

	// Every request has its own deadline: clientv3 waits for a dead endpoint to come back, and a
	// load client must give up on its in-flight write promptly once the server is gone.
	requestTimeout = 1 * time.Second
	// Reading the whole history back and replaying it are bounded too.
	historyTimeout = 120 * time.Second
	dialTimeout    = 2 * time.Second
	// Keys per range request when reading the history.
	rangePageKeys = 5000

	// The shared keys that compare-and-swap txns overwrite.
	sharedKeys = 8
	// Earlier rounds' acknowledged writes re-read by key and revision per verify (all of the
	// newest round's are).
	earlierSample = 300
)

// Write is one request the load sent. Status moves from inflight (sent, no answer) to acked (the
// server answered with Rev) or casFailed (answered, compare failed: no revision); verify resolves
// inflight to applied (found at Rev) or lost, and with -allow-truncation moves writes above the
// surviving revision to truncated.
type Write struct {
	ID     int64    `json:"id"`
	Round  int      `json:"round"`
	Kind   string   `json:"kind"` // put, txn, cas
	Keys   []string `json:"keys"`
	Values []string `json:"values"`
	CmpRev int64    `json:"cmpRev,omitempty"` // cas: the mod_revision compared
	Status string   `json:"status"`
	Rev    int64    `json:"rev,omitempty"`
}

const (
	statusInflight  = "inflight"
	statusAcked     = "acked"
	statusCasFailed = "casFailed"
	statusApplied   = "applied"
	statusLost      = "lost"
	statusTruncated = "truncated"
)

type State struct {
	NextID int64    `json:"nextID"`
	Writes []*Write `json:"writes"`
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	command, args := os.Args[1], os.Args[2:]
	var err error
	switch command {
	case "load":
		err = loadCommand(args)
	case "verify":
		err = verifyCommand(args)
	case "fill":
		err = fillCommand(args)
	case "keys":
		err = keysCommand(args)
	case "revision":
		err = revisionCommand(args)
	case "walinfo":
		if len(args) != 1 {
			usage()
		}
		err = walInfo(args[0])
	case "dbrev":
		if len(args) != 1 {
			usage()
		}
		err = dbRevision(args[0])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "crashcheck %s: %v\n", command, err)
		var failed checkFailed
		if errors.As(err, &failed) {
			os.Exit(exitFailed)
		}
		os.Exit(exitUsage)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: crashcheck load|verify|fill|keys|revision|walinfo|dbrev ... (see main.go)")
	os.Exit(exitUsage)
}

// checkFailed is a verdict against the server (exit 1), as opposed to a harness error (exit 2).
type checkFailed struct{ what string }

func (c checkFailed) Error() string { return c.what }

func connect(endpoint string) (*clientv3.Client, error) {
	// The client's own log lines (retries against a killed server) would bury the verdicts.
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	return clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: dialTimeout, LogConfig: &quiet})
}

func readState(path string) (*State, error) {
	state := &State{NextID: 1}
	data, err := ioutil.ReadFile(path)
	if os.IsNotExist(err) {
		return state, nil
	}
	if err != nil {
		return nil, err
	}
	return state, json.Unmarshal(data, state)
}

func writeState(path string, state *State) error {
	data, err := json.Marshal(state)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := ioutil.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ---------------------------------------------------------------------------------------------
// load

func loadCommand(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	endpoint := fs.String("endpoint", "", "server")
	statePath := fs.String("state", "", "state file")
	seed := fs.Int64("seed", 1, "random seed")
	round := fs.Int("round", 1, "round number (key prefix)")
	clients := fs.Int("clients", 16, "concurrent clients")
	seconds := fs.Float64("seconds", 15, "stop after this long if the server is still up")
	fs.Parse(args)
	state, err := readState(*statePath)
	if err != nil {
		return err
	}

	var mu sync.Mutex
	nextID := state.NextID
	// newWrite records a write before it is sent, so a crash mid-request leaves it inflight.
	newWrite := func(kind string, keys []string, cmpRev int64, pad int) *Write {
		mu.Lock()
		defer mu.Unlock()
		w := &Write{ID: nextID, Round: *round, Kind: kind, Keys: keys, CmpRev: cmpRev, Status: statusInflight}
		nextID++
		for _, k := range keys {
			w.Values = append(w.Values, fmt.Sprintf("w%d:%s:%s", w.ID, k, strings.Repeat("x", pad)))
		}
		state.Writes = append(state.Writes, w)
		return w
	}
	settle := func(w *Write, status string, rev int64) {
		mu.Lock()
		defer mu.Unlock()
		w.Status, w.Rev = status, rev
	}

	conns := make([]*clientv3.Client, *clients)
	for i := range conns {
		if conns[i], err = connect(*endpoint); err != nil {
			return err
		}
		defer conns[i].Close()
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	fmt.Println("load started")
	var wg sync.WaitGroup
	errorsSeen := make([]string, *clients)
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			cli := conns[c]
			rng := rand.New(rand.NewSource(*seed*1000 + int64(c)))
			for n := 0; time.Now().Before(deadline); n++ {
				key := func(i int) string { return fmt.Sprintf("crash/r%03d/c%02d/%06d/%d", *round, c, n, i) }
				ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
				var err error
				switch p := rng.Intn(10); {
				case p < 5: // one put of a new key
					w := newWrite("put", []string{key(0)}, 0, rng.Intn(64))
					var resp *clientv3.PutResponse
					if resp, err = cli.Put(ctx, w.Keys[0], w.Values[0]); err == nil {
						settle(w, statusAcked, resp.Header.Revision)
					}
				case p < 8: // a txn putting 2-3 new keys at one revision
					keys := []string{key(0), key(1)}
					if rng.Intn(2) == 0 {
						keys = append(keys, key(2))
					}
					w := newWrite("txn", keys, 0, rng.Intn(64))
					ops := make([]clientv3.Op, len(keys))
					for i := range keys {
						ops[i] = clientv3.OpPut(w.Keys[i], w.Values[i])
					}
					var resp *clientv3.TxnResponse
					if resp, err = cli.Txn(ctx).Then(ops...).Commit(); err == nil {
						settle(w, statusAcked, resp.Header.Revision)
					}
				default: // compare-and-swap on a shared key's mod_revision
					shared := fmt.Sprintf("crash/shared/%d", rng.Intn(sharedKeys))
					var get *clientv3.GetResponse
					if get, err = cli.Get(ctx, shared); err != nil {
						break
					}
					var modRev int64
					if len(get.Kvs) > 0 {
						modRev = get.Kvs[0].ModRevision
					}
					w := newWrite("cas", []string{shared}, modRev, rng.Intn(64))
					var resp *clientv3.TxnResponse
					resp, err = cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(shared), "=", modRev)).
						Then(clientv3.OpPut(shared, w.Values[0])).Commit()
					if err == nil && resp.Succeeded {
						settle(w, statusAcked, resp.Header.Revision)
					} else if err == nil {
						settle(w, statusCasFailed, 0)
					}
				}
				cancel()
				if err != nil {
					errorsSeen[c] = err.Error()
					return
				}
			}
		}(c)
	}
	wg.Wait()
	state.NextID = nextID
	counts := map[string]int{}
	for _, w := range state.Writes {
		if w.Round == *round {
			counts[w.Status]++
		}
	}
	failedClients := 0
	for _, e := range errorsSeen {
		if e != "" {
			failedClients++
		}
	}
	fmt.Printf("load stopped: acked %d, cas-failed %d, in flight %d; %d of %d clients saw an error\n",
		counts[statusAcked], counts[statusCasFailed], counts[statusInflight], failedClients, *clients)
	return writeState(*statePath, state)
}

// ---------------------------------------------------------------------------------------------
// verify

type event struct{ key, value string }

func writeIDOf(value string) (int64, bool) {
	if !strings.HasPrefix(value, "w") {
		return 0, false
	}
	end := strings.IndexByte(value, ':')
	if end < 0 {
		return 0, false
	}
	id, err := strconv.ParseInt(value[1:end], 10, 64)
	return id, err == nil
}

func currentRevision(cli *clientv3.Client) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, "crash/probe")
	if err != nil {
		return 0, err
	}
	return resp.Header.Revision, nil
}

// history reconstructs every put of revisions 2..upTo from ranges alone (no watch, so servers
// without one can be checked too): all keys at upTo, page by page, give each key's latest put; a
// key with version > 1 is then walked back, Get(key, WithRev(mod_revision - 1)), to its creation.
// Nothing deletes and nothing compacts, so this is the complete history.
func history(cli *clientv3.Client, upTo int64) (map[int64][]event, error) {
	events := map[int64][]event{}
	if upTo < 2 {
		return events, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), historyTimeout)
	defer cancel()
	var mu sync.Mutex
	add := func(kv *mvccpb.KeyValue) {
		mu.Lock()
		defer mu.Unlock()
		events[kv.ModRevision] = append(events[kv.ModRevision], event{string(kv.Key), string(kv.Value)})
	}
	var overwritten []*mvccpb.KeyValue
	start := "\x00"
	for {
		resp, err := cli.Get(ctx, start, clientv3.WithFromKey(), clientv3.WithLimit(rangePageKeys), clientv3.WithRev(upTo))
		if err != nil {
			return nil, err
		}
		for _, kv := range resp.Kvs {
			add(kv)
			if kv.Version > 1 {
				overwritten = append(overwritten, kv)
			}
		}
		if !resp.More || len(resp.Kvs) == 0 {
			break
		}
		start = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
	var wg sync.WaitGroup
	walkErrors := make([]error, len(overwritten))
	for i, latest := range overwritten {
		wg.Add(1)
		go func(i int, kv *mvccpb.KeyValue) {
			defer wg.Done()
			for kv.Version > 1 {
				resp, err := cli.Get(ctx, string(kv.Key), clientv3.WithRev(kv.ModRevision-1))
				if err != nil {
					walkErrors[i] = err
					return
				}
				if len(resp.Kvs) != 1 || resp.Kvs[0].Version != kv.Version-1 || resp.Kvs[0].ModRevision >= kv.ModRevision {
					walkErrors[i] = checkFailed{fmt.Sprintf("%q at revision %d (version %d): before it, %v", kv.Key, kv.ModRevision, kv.Version, resp.Kvs)}
					return
				}
				kv = resp.Kvs[0]
				add(kv)
			}
		}(i, latest)
	}
	wg.Wait()
	for _, err := range walkErrors {
		if err != nil {
			return nil, err
		}
	}
	return events, nil
}

func sameOps(w *Write, evs []event) bool {
	if len(w.Keys) != len(evs) {
		return false
	}
	want := map[string]string{}
	for i, k := range w.Keys {
		want[k] = w.Values[i]
	}
	for _, e := range evs {
		if v, ok := want[e.key]; !ok || v != e.value {
			return false
		}
		delete(want, e.key)
	}
	return len(want) == 0
}

func verifyCommand(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	endpoint := fs.String("endpoint", "", "server under test")
	ref := fs.String("ref", "", "reference server to replay into (empty: no replay)")
	statePath := fs.String("state", "", "state file")
	seed := fs.Int64("seed", 1, "random seed (sampling)")
	allowTruncation := fs.Bool("allow-truncation", false, "acknowledged writes above the current revision are dropped, not a failure")
	fs.Parse(args)
	state, err := readState(*statePath)
	if err != nil {
		return err
	}
	cli, err := connect(*endpoint)
	if err != nil {
		return err
	}
	defer cli.Close()

	var problems []string
	report := func(format string, a ...interface{}) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, a...))
		} else if len(problems) == 20 {
			problems = append(problems, "...")
		}
	}

	current, err := currentRevision(cli)
	if err != nil {
		return err
	}
	byID := map[int64]*Write{}
	var maxAcked int64
	latestRound := 0
	for _, w := range state.Writes {
		byID[w.ID] = w
		if w.Status == statusAcked && w.Rev > maxAcked {
			maxAcked = w.Rev
		}
		if w.Round > latestRound {
			latestRound = w.Round
		}
	}
	truncated := 0
	if current < maxAcked {
		if !*allowTruncation {
			report("current revision %d is below the highest acknowledged %d", current, maxAcked)
		} else {
			for _, w := range state.Writes {
				if (w.Status == statusAcked || w.Status == statusApplied) && w.Rev > current {
					w.Status, w.Rev = statusTruncated, 0
					truncated++
				}
			}
		}
	}

	events, err := history(cli, current)
	if err != nil {
		return err
	}
	// Every revision 2..current is exactly one of our writes, all of its puts and nothing else.
	seenAt := map[int64]int64{}
	writeAt := map[int64]*Write{}
	lastMod := map[string]int64{}
	resolved := 0
	for rev := int64(2); rev <= current; rev++ {
		evs := events[rev]
		if len(evs) == 0 {
			report("revision %d: no events (a gap in the history)", rev)
			continue
		}
		id, ok := writeIDOf(evs[0].value)
		w := byID[id]
		if !ok || w == nil {
			report("revision %d: %q=%q is none of our writes", rev, evs[0].key, evs[0].value)
			continue
		}
		if !sameOps(w, evs) {
			report("revision %d: events %v are not exactly write %d's puts %v", rev, evs, id, w.Keys)
		}
		if at, dup := seenAt[id]; dup {
			report("write %d appears at revisions %d and %d (a repeat)", id, at, rev)
		}
		seenAt[id] = rev
		writeAt[rev] = w
		switch w.Status {
		case statusAcked, statusApplied:
			if w.Rev != rev {
				report("write %d (%s) was acknowledged at revision %d but is at %d", id, w.Kind, w.Rev, rev)
			}
		case statusInflight:
			w.Status, w.Rev = statusApplied, rev
			resolved++
		default:
			report("write %d (%s, %s) is at revision %d", id, w.Kind, w.Status, rev)
		}
		if w.Kind == "cas" && lastMod[w.Keys[0]] != w.CmpRev {
			report("cas write %d compared mod_revision %d but %q was last modified at %d", id, w.CmpRev, w.Keys[0], lastMod[w.Keys[0]])
		}
		for _, e := range evs {
			lastMod[e.key] = rev
		}
	}
	acked, lost := 0, 0
	for _, w := range state.Writes {
		switch w.Status {
		case statusAcked:
			acked++
			if seenAt[w.ID] != w.Rev {
				report("acknowledged write %d (%s) at revision %d is not in the history", w.ID, w.Kind, w.Rev)
			}
		case statusInflight:
			w.Status = statusLost
			lost++
		}
	}

	// Read back by key at its revision: all of the newest round's acknowledged writes and a sample
	// of earlier ones.
	var reads []*Write
	var earlier []*Write
	for _, w := range state.Writes {
		if w.Status == statusAcked || w.Status == statusApplied {
			if w.Round == latestRound {
				reads = append(reads, w)
			} else {
				earlier = append(earlier, w)
			}
		}
	}
	rng := rand.New(rand.NewSource(*seed))
	rng.Shuffle(len(earlier), func(i, j int) { earlier[i], earlier[j] = earlier[j], earlier[i] })
	if len(earlier) > earlierSample {
		earlier = earlier[:earlierSample]
	}
	reads = append(reads, earlier...)
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan *Write)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range work {
				for i, k := range w.Keys {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					resp, err := cli.Get(ctx, k, clientv3.WithRev(w.Rev))
					cancel()
					mu.Lock()
					switch {
					case err != nil:
						report("get %q at revision %d: %v", k, w.Rev, err)
					case len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != w.Values[i] || resp.Kvs[0].ModRevision != w.Rev:
						report("get %q at revision %d: %v, want value %q mod_revision %d", k, w.Rev, resp.Kvs, w.Values[i], w.Rev)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, w := range reads {
		work <- w
	}
	close(work)
	wg.Wait()

	hashNote := "no replay"
	if *ref != "" && len(problems) == 0 {
		if hashNote, err = replayAndCompare(cli, *endpoint, *ref, writeAt, current, *allowTruncation); err != nil {
			var failed checkFailed
			if !errors.As(err, &failed) {
				return err
			}
			report("%v", err)
		}
	}
	if err := writeState(*statePath, state); err != nil {
		return err
	}
	fmt.Printf("verified revision %d: %d acknowledged writes (highest %d), %d read back by revision, %d in-flight applied, %d in-flight lost, %d truncated; %s\n",
		current, acked, maxAcked, len(reads), resolved, lost, truncated, hashNote)
	if len(problems) > 0 {
		return checkFailed{strings.Join(problems, "\n  ")}
	}
	return nil
}

// replayAndCompare puts each revision the reference has not seen yet as one txn, in revision order,
// so the reference reaches the same revisions; then HashKV of both at `current` must agree.
func replayAndCompare(cli *clientv3.Client, endpoint, refEndpoint string, writeAt map[int64]*Write, current int64, allowTruncation bool) (string, error) {
	ref, err := connect(refEndpoint)
	if err != nil {
		return "", err
	}
	defer ref.Close()
	refRev, err := currentRevision(ref)
	if err != nil {
		return "", err
	}
	if refRev > current {
		if allowTruncation {
			return fmt.Sprintf("reference is at %d, past the surviving %d: hash not compared", refRev, current), nil
		}
		return "", checkFailed{fmt.Sprintf("the reference replay reached revision %d before, the server is now at %d", refRev, current)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), historyTimeout)
	defer cancel()
	for rev := refRev + 1; rev <= current; rev++ {
		// The write's own op order: it fixed the sub-revisions, which HashKV covers.
		w := writeAt[rev]
		ops := make([]clientv3.Op, len(w.Keys))
		for i, k := range w.Keys {
			ops[i] = clientv3.OpPut(k, w.Values[i])
		}
		resp, err := ref.Txn(ctx).Then(ops...).Commit()
		if err != nil {
			return "", fmt.Errorf("replay of revision %d: %v", rev, err)
		}
		if resp.Header.Revision != rev {
			return "", fmt.Errorf("replay of revision %d landed at %d", rev, resp.Header.Revision)
		}
	}
	hctx, hcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer hcancel()
	mine, err := cli.HashKV(hctx, endpoint, current)
	if err != nil {
		return "", err
	}
	theirs, err := ref.HashKV(hctx, refEndpoint, current)
	if err != nil {
		return "", err
	}
	if mine.Hash != theirs.Hash {
		return "", checkFailed{fmt.Sprintf("HashKV at revision %d: server %d, replayed reference %d", current, mine.Hash, theirs.Hash)}
	}
	return fmt.Sprintf("replayed %d revisions, HashKV(%d) = %d on both", current-refRev, current, mine.Hash), nil
}

// ---------------------------------------------------------------------------------------------
// fill / keys

func snapKey(i int) string   { return fmt.Sprintf("snap/%06d", i) }
func snapValue(i int) string { return fmt.Sprintf("v%06d-%s", i, strings.Repeat("s", 40)) }

func fillCommand(args []string) error {
	fs := flag.NewFlagSet("fill", flag.ExitOnError)
	endpoint := fs.String("endpoint", "", "server")
	keys := fs.Int("keys", 20000, "keys to write (even)")
	clients := fs.Int("clients", 16, "concurrent clients")
	fs.Parse(args)
	cli, err := connect(*endpoint)
	if err != nil {
		return err
	}
	defer cli.Close()
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_, err := cli.Txn(ctx).Then(clientv3.OpPut(snapKey(i), snapValue(i)), clientv3.OpPut(snapKey(i+1), snapValue(i+1))).Commit()
				cancel()
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("txn putting %s: %v", snapKey(i), err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < *keys; i += 2 {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return checkFailed{firstErr.Error()}
	}
	return nil
}

func keysCommand(args []string) error {
	fs := flag.NewFlagSet("keys", flag.ExitOnError)
	endpoint := fs.String("endpoint", "", "server")
	keys := fs.Int("keys", 20000, "keys expected")
	fs.Parse(args)
	cli, err := connect(*endpoint)
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, "snap/", clientv3.WithPrefix())
	if err != nil {
		return err
	}
	if len(resp.Kvs) != *keys {
		return checkFailed{fmt.Sprintf("%d keys under snap/, want %d", len(resp.Kvs), *keys)}
	}
	for i, kv := range resp.Kvs {
		if string(kv.Key) != snapKey(i) || string(kv.Value) != snapValue(i) {
			return checkFailed{fmt.Sprintf("key %d is %q=%q, want %q=%q", i, kv.Key, kv.Value, snapKey(i), snapValue(i))}
		}
	}
	fmt.Printf("%d keys ok\n", len(resp.Kvs))
	return nil
}

func revisionCommand(args []string) error {
	fs := flag.NewFlagSet("revision", flag.ExitOnError)
	endpoint := fs.String("endpoint", "", "server")
	fs.Parse(args)
	cli, err := connect(*endpoint)
	if err != nil {
		return err
	}
	defer cli.Close()
	rev, err := currentRevision(cli)
	if err != nil {
		return err
	}
	fmt.Println(rev)
	return nil
}

// ---------------------------------------------------------------------------------------------
// walinfo / dbrev

// walInfo prints one line per frame of a WAL segment, `frame OFFSET PAYLOAD_BYTES PAD_BYTES TYPE`,
// then `end OFFSET`: where the written part ends (a zero length field, the preallocated rest of
// the segment, or the end of the file). A frame is an 8-byte little-endian length field (low 56
// bits: record bytes; when negative, bits 56-58: padding) and the walpb.Record, padded to 8 bytes.
func walInfo(path string) error {
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return err
	}
	offset := int64(0)
	for offset+8 <= int64(len(data)) {
		lenField := int64(binary.LittleEndian.Uint64(data[offset:]))
		if lenField == 0 {
			break
		}
		recBytes := int64(uint64(lenField) & ^(uint64(0xff) << 56))
		var padBytes int64
		if lenField < 0 {
			padBytes = int64((uint64(lenField) >> 56) & 0x7)
		}
		end := offset + 8 + recBytes + padBytes
		if end > int64(len(data)) {
			break
		}
		// walpb.Record field 1 (type) is a varint under tag 0x08, written first.
		recordType := -1
		if recBytes >= 2 && data[offset+8] == 0x08 {
			recordType = int(data[offset+9])
		}
		fmt.Printf("frame %d %d %d %d\n", offset, recBytes, padBytes, recordType)
		offset = end
	}
	fmt.Printf("end %d\n", offset)
	return nil
}

// dbRevision prints the highest main revision in an etcd backend's key bucket (0 if empty).
func dbRevision(path string) error {
	db, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		keys := tx.Bucket([]byte("key"))
		if keys == nil {
			return errors.New("no key bucket")
		}
		var rev int64
		if k, _ := keys.Cursor().Last(); len(k) >= 8 {
			rev = int64(binary.BigEndian.Uint64(k[:8]))
		}
		fmt.Println(rev)
		return nil
	})
}
