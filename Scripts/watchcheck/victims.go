package main

// `victims`: slow readers among thousands of watchers. Opens -streams raw Watch streams (not
// clientv3's Watcher: it buffers without bound on the client side, which would hide a server
// that sends regardless), each with -per-stream watchers on one prefix, so every put matches
// every watcher. -stalled of the streams stop calling Recv once their watchers are created: with
// the stream's HTTP/2 window closed (a fixed 64 KiB, see victimsStreamWindowBytes) the server
// cannot send them anything, so their events pile up on the server's side unless it stops
// queueing them. The other streams read everything. Then -writers put -writes keys of
// -value-bytes each, as fast as they are acknowledged.
//
// Verdicts:
//   - every put is acknowledged;
//   - the server's resident memory (VmRSS of -server-pid) at the end of the writes has grown by
//     less than -rss-growth-max-mib over its value just before them, although what the stalled
//     streams have not been sent is far more (stalled x per-stream x writes x value-bytes); and
//     its peak (sampled) after the writes, while the streams catch up, has too: catching up
//     from history must not queue everything a stream missed at once either;
//   - within -settle seconds every watcher on a reading stream has every acknowledged put; then
//     the stalled streams read again and within -settle seconds each of their watchers has every
//     one too;
//   - finally one more put (the barrier) reaches every watcher, and then each watcher's events
//     are exactly the acknowledged puts plus the barrier, once each, in revision order, each a
//     PUT of the key acknowledged at its revision with a value of -value-bytes.
//
// Throughput, put latency and catch-up times are printed for information; no verdict depends on
// timing beyond the -settle bound. Every wait is a bounded poll.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"go.uber.org/zap"
	"google.golang.org/grpc"
)

const (
	victimsCreateTimeout = 60 * time.Second // every created response, all streams together
	victimsPutTimeout    = 10 * time.Second // one put; a put that takes longer is a violation
	victimsPoll          = 20 * time.Millisecond
	rssSampleInterval    = 100 * time.Millisecond
	// A watch connection's per-stream HTTP/2 window. Set explicitly so grpc-go does not grow it
	// (its bandwidth estimate would let a stalled stream soak up to 16 MiB on the client side).
	victimsStreamWindowBytes = 64*1024 - 1
	// The per-connection window: reading streams share a connection with stalled ones, and this
	// window is returned as data arrives, read or not, so it only paces the reading streams.
	victimsConnWindowBytes = 16 * 1024 * 1024
	mib                    = 1024 * 1024
	victimsStreamsMax      = 10_000
	victimsWatchersMax     = 1_000_000
)

// victimWatcher is what one watcher received: revisions and the sequence numbers parsed from
// the keys, side by side, guarded by its stream's lock; last (atomic) is its highest revision so
// far, for the polls.
type victimWatcher struct {
	revs      []int64
	seqs      []int32
	anomalies []string
	last      int64
}

type victimStream struct {
	index    int
	stalled  bool
	wc       pb.Watch_WatchClient
	resume   chan struct{} // closed when a stalled stream may read again
	mu       sync.Mutex
	byID     map[int64]*victimWatcher
	watchers []*victimWatcher
	err      error // the Recv error that ended the reader, if any
	// The most events one response carried: live events come a revision or a few at a time, a
	// catch-up from history up to etcd's watchBatchMaxRevs (1000) revisions at once.
	eventsPerResponseMax int
}

type victimsRun struct {
	prefix     string
	valueBytes int
	perStream  int
	streams    []*victimStream
	created    chan struct{}
	stopping   int32 // atomic: the harness is closing the streams; their errors are expected
	violations []string
}

func (v *victimsRun) violation(format string, args ...interface{}) {
	v.violations = append(v.violations, fmt.Sprintf(format, args...))
}

func (v *victimsRun) key(seq int) string { return fmt.Sprintf("%s%08d", v.prefix, seq) }

// read receives s's responses: first the created ones (a created response answers the oldest
// create still waiting, and creates were sent in watcher order); a stalled stream then waits for
// resume before its next Recv.
func (v *victimsRun) read(s *victimStream) {
	created := 0
	for {
		if s.stalled && created == v.perStream {
			<-s.resume
			created++ // past the gate for good
		}
		resp, err := s.wc.Recv()
		s.mu.Lock()
		if err != nil {
			s.err = err
			s.mu.Unlock()
			return
		}
		if resp.Created {
			if created >= v.perStream {
				s.err = fmt.Errorf("a created response (watch_id %d) beyond the %d creates sent", resp.WatchId, v.perStream)
				s.mu.Unlock()
				return
			}
			w := s.watchers[created]
			s.byID[resp.WatchId] = w
			created++
			if resp.Canceled {
				w.anomalies = append(w.anomalies, fmt.Sprintf("its create was refused: %q", resp.CancelReason))
			}
			s.mu.Unlock()
			v.created <- struct{}{}
			continue
		}
		w, ok := s.byID[resp.WatchId]
		if !ok {
			s.err = fmt.Errorf("a response for watch_id %d, which no create was answered with", resp.WatchId)
			s.mu.Unlock()
			return
		}
		if resp.Canceled || resp.CompactRevision != 0 {
			w.anomalies = append(w.anomalies, fmt.Sprintf("canceled by the server (compact_revision %d, reason %q)", resp.CompactRevision, resp.CancelReason))
		}
		for _, e := range resp.Events {
			v.record(w, e)
		}
		if len(resp.Events) > s.eventsPerResponseMax {
			s.eventsPerResponseMax = len(resp.Events)
		}
		s.mu.Unlock()
	}
}

func (v *victimsRun) record(w *victimWatcher, e *mvccpb.Event) {
	rev := e.Kv.ModRevision
	key := string(e.Kv.Key)
	seq, err := strconv.Atoi(strings.TrimPrefix(key, v.prefix))
	switch {
	case e.Type != mvccpb.PUT:
		w.anomalies = append(w.anomalies, fmt.Sprintf("a %v event at revision %d (only puts were made)", e.Type, rev))
	case !strings.HasPrefix(key, v.prefix) || err != nil:
		w.anomalies = append(w.anomalies, fmt.Sprintf("an event for key %q at revision %d, not one this run put", key, rev))
	case len(e.Kv.Value) != v.valueBytes:
		w.anomalies = append(w.anomalies, fmt.Sprintf("the put at revision %d has a %d-byte value, not %d", rev, len(e.Kv.Value), v.valueBytes))
	}
	w.revs = append(w.revs, rev)
	w.seqs = append(w.seqs, int32(seq))
	if rev > atomic.LoadInt64(&w.last) {
		atomic.StoreInt64(&w.last, rev)
	}
}

// reached counts the watchers of the stalled (or reading) streams whose highest revision is at
// least target.
func (v *victimsRun) reached(stalled bool, target int64) (done, of int) {
	for _, s := range v.streams {
		if s.stalled != stalled {
			continue
		}
		for _, w := range s.watchers {
			of++
			if atomic.LoadInt64(&w.last) >= target {
				done++
			}
		}
	}
	return done, of
}

// waitReached polls until every watcher of the stalled (or reading) streams has target, or
// the bound passes; it returns how long that took and whether it happened.
func (v *victimsRun) waitReached(stalled bool, target int64, bound time.Duration) (time.Duration, bool) {
	began := time.Now()
	for {
		if done, of := v.reached(stalled, target); done == of {
			return time.Since(began), true
		}
		if time.Since(began) > bound {
			return time.Since(began), false
		}
		time.Sleep(victimsPoll)
	}
}

func (v *victimsRun) eventsPerResponseMax(stalled bool) int {
	most := 0
	for _, s := range v.streams {
		s.mu.Lock()
		if s.stalled == stalled && s.eventsPerResponseMax > most {
			most = s.eventsPerResponseMax
		}
		s.mu.Unlock()
	}
	return most
}

func streamKind(stalled bool) string {
	if stalled {
		return "stalled"
	}
	return "reading"
}

// ackedPut is one acknowledged put: the revision it was given and its key's sequence number.
type ackedPut struct {
	rev int64
	seq int32
}

// divergence describes how got differs from want, or returns "" when they are the same.
func divergence(revs []int64, seqs []int32, want []ackedPut) string {
	n := len(revs)
	if len(want) < n {
		n = len(want)
	}
	for i := 0; i < n; i++ {
		if revs[i] == want[i].rev && seqs[i] == want[i].seq {
			continue
		}
		at := fmt.Sprintf("event #%d of %d received (%d expected)", i+1, len(revs), len(want))
		switch {
		case revs[i] == want[i].rev:
			return fmt.Sprintf("%s: revision %d carries key seq %d, but the put acknowledged at it was seq %d", at, revs[i], seqs[i], want[i].seq)
		case i > 0 && revs[i] <= revs[i-1]:
			return fmt.Sprintf("%s: revision %d after revision %d (a duplicate or out of order)", at, revs[i], revs[i-1])
		case revs[i] > want[i].rev:
			return fmt.Sprintf("%s: revision %d, but revision %d (acknowledged, seq %d) never came before it (a gap)", at, revs[i], want[i].rev, want[i].seq)
		default:
			return fmt.Sprintf("%s: revision %d, which is no acknowledged put (expected revision %d)", at, revs[i], want[i].rev)
		}
	}
	switch {
	case len(revs) < len(want):
		return fmt.Sprintf("received %d of %d events; first missing: revision %d (seq %d)", len(revs), len(want), want[len(revs)].rev, want[len(revs)].seq)
	case len(revs) > len(want):
		return fmt.Sprintf("received %d events, %d more than the %d expected; the first extra is revision %d", len(revs), len(revs)-len(want), len(want), revs[len(want)])
	}
	return ""
}

// readRSS returns the VmRSS of pid in bytes.
func readRSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			return kib * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// rssSampler reads a process's VmRSS every rssSampleInterval until stopped, keeping the peak.
type rssSampler struct {
	pid               int
	peak              int64
	stopping, stopped chan struct{}
}

// startRSSSampler starts sampling pid (nothing when pid is 0).
func startRSSSampler(pid int) *rssSampler {
	r := &rssSampler{pid: pid, stopping: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(r.stopped)
		for pid > 0 {
			if rss, err := readRSS(pid); err == nil && rss > r.peak {
				r.peak = rss
			}
			select {
			case <-r.stopping:
				return
			case <-time.After(rssSampleInterval):
			}
		}
	}()
	return r
}

// stop ends the sampling and returns the peak seen.
func (r *rssSampler) stop() int64 {
	close(r.stopping)
	<-r.stopped
	return r.peak
}

func victimsCommand(args []string) int {
	fs := flag.NewFlagSet("victims", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "client endpoint")
	nStreams := fs.Int("streams", 40, "Watch streams")
	perStream := fs.Int("per-stream", 50, "watchers on each stream, all on -prefix")
	stalled := fs.Int("stalled", -1, "streams that stop reading once their watchers are created (default streams/2)")
	conns := fs.Int("conns", 4, "gRPC connections the streams are spread over (stalled and reading streams share each)")
	prefix := fs.String("prefix", "", "the prefix every watcher watches and every put writes under (default victims/<seed>/)")
	seed := fs.Int64("seed", time.Now().UnixNano()%1_000_000, "names the default prefix, so each run's prefix is fresh")
	writes := fs.Int("writes", 2000, "puts in all")
	writers := fs.Int("writers", 4, "concurrent writers")
	valueBytes := fs.Int("value-bytes", 1024, "the size of every put's value")
	secs := fs.Float64("seconds", 60, "the writes stop after this long even if some are left")
	settle := fs.Float64("settle", 60, "how long the reading streams, and then the resumed stalled streams, may take to have every put")
	serverPID := fs.Int("server-pid", 0, "the server's process id, for its VmRSS (0: memory not measured)")
	rssMax := fs.Int64("rss-growth-max-mib", 300, "the server's VmRSS may grow by less than this over the writes")
	fs.Parse(args)
	if *stalled < 0 {
		*stalled = *nStreams / 2
	}
	if *nStreams < 1 || *nStreams > victimsStreamsMax || *perStream < 1 || *nStreams**perStream > victimsWatchersMax ||
		*stalled > *nStreams || *conns < 1 || *writes < 1 || *writes > writesMax || *writers < 1 || *writers > 64 ||
		*valueBytes < 1 || *secs <= 0 || *secs > secondsMax || *settle <= 0 || *rssMax < 1 {
		fmt.Fprintf(os.Stderr, "watchcheck victims: need 1 <= streams <= %d, per-stream >= 1, streams x per-stream <= %d, stalled <= streams, conns >= 1, 1 <= writes <= %d, 1 <= writers <= 64, value-bytes >= 1, 0 < seconds <= %d, settle > 0\n",
			victimsStreamsMax, victimsWatchersMax, writesMax, secondsMax)
		return exitHarness
	}
	if *prefix == "" {
		*prefix = fmt.Sprintf("victims/%d/", *seed)
	}
	v := &victimsRun{prefix: *prefix, valueBytes: *valueBytes, perStream: *perStream, created: make(chan struct{}, *nStreams**perStream)}
	fmt.Printf("victims: %d streams x %d watchers on %q (%d stalled), %d puts of %d bytes by %d writers, %d connections\n",
		*nStreams, *perStream, *prefix, *stalled, *writes, *valueBytes, *writers, *conns)

	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	newClient := func(options ...grpc.DialOption) (*clientv3.Client, error) {
		return clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: dialTimeout, LogConfig: &quiet, DialOptions: options})
	}
	kv, err := newClient()
	if err != nil {
		fmt.Fprintf(os.Stderr, "watchcheck victims: %v\n", err)
		return exitHarness
	}
	defer kv.Close()
	watchClients := make([]*clientv3.Client, *conns)
	for i := range watchClients {
		c, err := newClient(grpc.WithInitialWindowSize(victimsStreamWindowBytes), grpc.WithInitialConnWindowSize(victimsConnWindowBytes))
		if err != nil {
			fmt.Fprintf(os.Stderr, "watchcheck victims: %v\n", err)
			return exitHarness
		}
		defer c.Close()
		watchClients[i] = c
	}

	// Streams 0..stalled-1 stall; stream i is on connection i mod conns, so every connection
	// carries stalled and reading streams alike (when there are enough streams).
	ctx, cancelStreams := context.WithCancel(context.Background())
	defer func() {
		atomic.StoreInt32(&v.stopping, 1)
		cancelStreams()
	}()
	for i := 0; i < *nStreams; i++ {
		wc, err := pb.NewWatchClient(watchClients[i%*conns].ActiveConnection()).Watch(ctx)
		if err != nil {
			fmt.Fprintf(os.Stderr, "watchcheck victims: opening stream %d: %v\n", i, err)
			return exitHarness
		}
		s := &victimStream{index: i, stalled: i < *stalled, wc: wc, resume: make(chan struct{}), byID: map[int64]*victimWatcher{}}
		for n := 0; n < *perStream; n++ {
			s.watchers = append(s.watchers, &victimWatcher{})
		}
		v.streams = append(v.streams, s)
	}
	createBegan := time.Now()
	for _, s := range v.streams {
		go v.read(s)
		for n := 0; n < *perStream; n++ {
			create := &pb.WatchRequest{RequestUnion: &pb.WatchRequest_CreateRequest{CreateRequest: &pb.WatchCreateRequest{
				Key: []byte(*prefix), RangeEnd: []byte(prefixEnd(*prefix))}}}
			if err := s.wc.Send(create); err != nil {
				fmt.Fprintf(os.Stderr, "watchcheck victims: create on stream %d: %v\n", s.index, err)
				return exitHarness
			}
		}
	}
	deadline := time.After(victimsCreateTimeout)
	for n := 0; n < *nStreams**perStream; n++ {
		select {
		case <-v.created:
		case <-deadline:
			v.violation("only %d of %d watchers were created within %v", n, *nStreams**perStream, victimsCreateTimeout)
			return v.finish()
		}
	}
	fmt.Printf("created %d watchers in %d ms\n", *nStreams**perStream, time.Since(createBegan).Milliseconds())

	// The writes, with the server's memory read just before and right after them, and sampled
	// (for its peak) while they run.
	var rssBefore int64
	if *serverPID > 0 {
		if rssBefore, err = readRSS(*serverPID); err != nil {
			fmt.Fprintf(os.Stderr, "watchcheck victims: %v\n", err)
			return exitHarness
		}
	}
	writeSampler := startRSSSampler(*serverPID)
	acks := make([]int64, *writes)      // by sequence number; 0: not acknowledged
	latencies := make([]int64, *writes) // microseconds
	var failures []string
	var failuresMu sync.Mutex
	var next int64
	writesBegan := time.Now()
	writeDeadline := writesBegan.Add(time.Duration(*secs * float64(time.Second)))
	put := func(seq int) (int64, error) {
		value := strings.Repeat(string(rune('a'+seq%26)), *valueBytes)
		pctx, cancel := context.WithTimeout(context.Background(), victimsPutTimeout)
		defer cancel()
		resp, err := kv.Put(pctx, v.key(seq), value)
		if err != nil {
			return 0, err
		}
		return resp.Header.Revision, nil
	}
	var wg sync.WaitGroup
	for w := 0; w < *writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seq := int(atomic.AddInt64(&next, 1) - 1)
				if seq >= *writes || time.Now().After(writeDeadline) {
					return
				}
				began := time.Now()
				rev, err := put(seq)
				latencies[seq] = time.Since(began).Microseconds()
				if err != nil {
					failuresMu.Lock()
					failures = append(failures, fmt.Sprintf("put %s failed after %d ms: %v", v.key(seq), latencies[seq]/1000, err))
					failuresMu.Unlock()
					continue
				}
				acks[seq] = rev
			}
		}()
	}
	wg.Wait()
	writeTime := time.Since(writesBegan)
	var rssEnd int64
	if *serverPID > 0 {
		if rssEnd, err = readRSS(*serverPID); err != nil {
			fmt.Fprintf(os.Stderr, "watchcheck victims: %v\n", err)
			return exitHarness
		}
	}
	rssPeak := writeSampler.stop()
	catchUpSampler := startRSSSampler(*serverPID)
	if rssEnd > rssPeak {
		rssPeak = rssEnd
	}

	var want []ackedPut
	var lat []int64
	for seq := 0; seq < *writes; seq++ {
		if acks[seq] != 0 {
			want = append(want, ackedPut{rev: acks[seq], seq: int32(seq)})
			lat = append(lat, latencies[seq])
		}
	}
	sort.Slice(want, func(i, j int) bool { return want[i].rev < want[j].rev })
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	for _, f := range failures {
		v.violation("%s", f)
	}
	if len(want) == 0 {
		v.violation("no put was acknowledged")
		return v.finish()
	}
	first, last := want[0].rev, want[len(want)-1].rev
	fmt.Printf("writes: %d of %d acknowledged in %.2f s (%.0f puts/s), revisions %d..%d; put latency ms p50 %.1f p99 %.1f max %.1f\n",
		len(want), *writes, writeTime.Seconds(), float64(len(want))/writeTime.Seconds(), first, last,
		float64(percentile(lat, 0.5))/1000, float64(percentile(lat, 0.99))/1000, float64(percentile(lat, 1))/1000)
	if last-first+1 != int64(len(want)) {
		fmt.Printf("NOTE revisions %d..%d hold %d puts of this run: another client wrote meanwhile\n", first, last, len(want))
	}
	undelivered := int64(*stalled) * int64(*perStream) * int64(len(want)) * int64(*valueBytes)
	if *serverPID > 0 {
		growth := rssEnd - rssBefore
		fmt.Printf("rss: %d MiB before the writes, %d MiB after them (growth %d MiB, limit %d MiB), peak sampled %d MiB; not yet sent to the stalled streams: %d MiB of values\n",
			rssBefore/mib, rssEnd/mib, growth/mib, *rssMax, rssPeak/mib, undelivered/mib)
		if growth >= *rssMax*mib {
			v.violation("the server's VmRSS grew by %d MiB over the writes (limit %d MiB) while %d MiB of values waited for the stalled streams",
				growth/mib, *rssMax, undelivered/mib)
		}
	} else {
		fmt.Printf("rss: not measured (no -server-pid); not yet sent to the stalled streams: %d MiB of values\n", undelivered/mib)
	}

	bound := time.Duration(*settle * float64(time.Second))
	took, ok := v.waitReached(false, last, bound)
	done, of := v.reached(false, last)
	fmt.Printf("reading streams: %d of %d watchers had revision %d, %d ms after the writes ended; at most %d events in one response\n",
		done, of, last, took.Milliseconds(), v.eventsPerResponseMax(false))
	if !ok {
		v.violation("only %d of %d watchers on the reading streams had the last put (revision %d) within %.0f s of the writes' end", done, of, last, *settle)
	}
	done, of = v.reached(true, last)
	fmt.Printf("stalled streams: before resuming, %d of %d watchers had revision %d\n", done, of, last)
	for _, s := range v.streams {
		if s.stalled {
			close(s.resume)
		}
	}
	took, ok = v.waitReached(true, last, bound)
	done, of = v.reached(true, last)
	fmt.Printf("stalled streams: %d of %d watchers caught up to revision %d in %d ms after resuming; at most %d events in one response\n",
		done, of, last, took.Milliseconds(), v.eventsPerResponseMax(true))
	if !ok {
		v.violation("only %d of %d watchers on the resumed stalled streams had the last put (revision %d) within %.0f s", done, of, last, *settle)
	}

	// The barrier: whatever a stream had queued before it comes before it, so once every watcher
	// has it, nothing more (a late duplicate) can be on its way.
	if v.allOK() {
		rev, err := put(*writes)
		if err != nil {
			v.violation("the barrier put %s failed: %v", v.key(*writes), err)
		} else {
			want = append(want, ackedPut{rev: rev, seq: int32(*writes)})
			_, okReading := v.waitReached(false, rev, bound)
			_, okStalled := v.waitReached(true, rev, bound)
			if !okReading || !okStalled {
				v.violation("not every watcher had the barrier put (revision %d) within %.0f s", rev, *settle)
			}
		}
	}
	if *serverPID > 0 {
		peak := catchUpSampler.stop()
		fmt.Printf("rss: peak sampled after the writes, while the streams caught up: %d MiB (growth %d MiB over before the writes, limit %d MiB)\n",
			peak/mib, (peak-rssBefore)/mib, *rssMax)
		if peak-rssBefore >= *rssMax*mib {
			v.violation("the server's VmRSS reached %d MiB after the writes, while the streams caught up: %d MiB over its value before the writes (limit %d MiB)",
				peak/mib, (peak-rssBefore)/mib, *rssMax)
		}
	}
	v.compareAll(want)
	return v.finish()
}

// allOK: no violation so far, and no stream failed.
func (v *victimsRun) allOK() bool {
	return len(v.violations) == 0
}

// compareAll checks every watcher's events against want, and every stream's health.
func (v *victimsRun) compareAll(want []ackedPut) {
	bad, short := map[bool]int{}, map[bool]int{}
	events := 0
	for _, s := range v.streams {
		s.mu.Lock()
		if s.err != nil && atomic.LoadInt32(&v.stopping) == 0 {
			v.violation("stream %d (%s) ended: %v", s.index, streamKind(s.stalled), s.err)
		}
		for n, w := range s.watchers {
			events += len(w.revs)
			what := w.anomalies
			if d := divergence(w.revs, w.seqs, want); d != "" {
				what = append(what, d)
			}
			if len(what) == 1 && len(w.anomalies) == 0 && len(w.revs) < len(want) && strings.HasPrefix(what[0], "received ") {
				short[s.stalled]++ // in order, nothing wrong, only not everything yet
			}
			if len(what) > 0 {
				bad[s.stalled]++
				v.violation("stream %d (%s) watcher %d: %s", s.index, streamKind(s.stalled), n, strings.Join(what, "; "))
			}
		}
		s.mu.Unlock()
	}
	fmt.Printf("checked %d watchers (%d events) against %d puts: not right on reading streams %d (%d of them only incomplete), on stalled streams %d (%d)\n",
		len(v.streams)*v.perStream, events, len(want), bad[false], short[false], bad[true], short[true])
}

func (v *victimsRun) finish() int {
	for i, line := range v.violations {
		if i == violationsShown {
			fmt.Printf("... and %d more violations\n", len(v.violations)-violationsShown)
			break
		}
		fmt.Println("VIOLATION", line)
	}
	if len(v.violations) > 0 {
		fmt.Printf("victims: %d violations\n", len(v.violations))
		return exitViolation
	}
	fmt.Println("victims: ok")
	return exitOK
}
