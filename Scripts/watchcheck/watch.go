package main

// The watchers: raw gRPC Watch streams (not clientv3's Watcher, which resumes and re-creates on
// its own and would hide what the server sent), each carrying several watchers. Creates on a
// stream are answered in order, so a created response belongs to the oldest create still
// waiting. Every response is recorded as received, under one lock. While the load runs a
// watcher is now and then cancelled and re-created right after the last revision it received;
// one cancelled by a compaction is re-created at the compact_revision; one whose stream failed
// is re-created on a new stream (next endpoint).

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"go.etcd.io/etcd/mvcc/mvccpb"
)

const (
	churnMin        = 50 * time.Millisecond // a watcher lives at least this long before a harness cancel
	churnSpread     = 400 * time.Millisecond
	streamPause     = 100 * time.Millisecond // between attempts to open a stream on a dead member
	watchersPerSlot = 4
	// A slow stream's reader pauses about once every slowPauseEvery responses while the load runs.
	slowPauseEvery  = 20
	slowPauseMin    = 300 * time.Millisecond
	slowPauseSpread = 1200 * time.Millisecond
)

type live struct {
	w          *watcherRun
	inc        *Incarnation
	done       chan struct{}
	cancelSent bool
	id         int64
}

func (l *live) finish(end string) {
	if l.inc.End == "" {
		l.inc.End = end
		close(l.done)
	}
}

type stream struct {
	slot    int
	wc      pb.Watch_WatchClient
	cancel  context.CancelFunc
	sendMu  sync.Mutex
	pending []*live
	byID    map[int64]*live
	ended   map[int64]bool
	broken  bool
	chosen  bool // this stream's creates pick their own watch_id
	slow    bool // its reader stops reading now and then, so the server must hold its events back
	nextID  int64
}

type watchers struct {
	endpoints []string
	clients   map[string]*clientv3.Client
	config    func(endpoint string) (*clientv3.Client, error)

	mu       sync.Mutex // guards everything recorded and the streams' maps
	slots    []*stream
	rotation []int
	rec      *Record
	stopping bool

	loadRunning   int32  // atomic
	maxAcked      *int64 // atomic
	compactedDone *int64 // atomic
	refLast       *int64 // atomic
	reference     *watcherRun
	slowSlots     int // slots 1..slowSlots are slow readers
	began         time.Time
}

type watcherRun struct {
	rec  *Watcher
	slot int
	r    *rand.Rand
}

// streamFor returns the slot's stream, opening a new one (on the slot's next endpoint) if it
// has none or it broke.
func (ws *watchers) streamFor(slot int) (*stream, error) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if s := ws.slots[slot]; s != nil && !s.broken {
		return s, nil
	}
	if ws.slots[slot] != nil {
		ws.rotation[slot]++
	}
	ep := ws.endpoints[(slot+ws.rotation[slot])%len(ws.endpoints)]
	c, ok := ws.clients[ep]
	if !ok {
		var err error
		if c, err = ws.config(ep); err != nil {
			ws.rotation[slot]++
			return nil, err
		}
		ws.clients[ep] = c
	}
	ctx, cancel := context.WithCancel(context.Background())
	wc, err := pb.NewWatchClient(c.ActiveConnection()).Watch(ctx)
	if err != nil {
		cancel()
		ws.rotation[slot]++
		return nil, err
	}
	s := &stream{slot: slot, wc: wc, cancel: cancel, byID: map[int64]*live{}, ended: map[int64]bool{}, chosen: slot%2 == 1, nextID: 100, slow: slot >= 1 && slot <= ws.slowSlots}
	ws.slots[slot] = s
	go ws.read(s)
	return s, nil
}

func convertKV(kv *mvccpb.KeyValue) KV {
	return KV{Key: string(kv.Key), Value: string(kv.Value), Create: kv.CreateRevision, Mod: kv.ModRevision, Version: kv.Version, Lease: kv.Lease}
}

func convert(r *pb.WatchResponse) Response {
	out := Response{WatchID: r.WatchId, Created: r.Created, Canceled: r.Canceled, CompactRev: r.CompactRevision, Reason: r.CancelReason, Fragment: r.Fragment}
	if r.Header != nil {
		out.Header = r.Header.Revision
	}
	for _, e := range r.Events {
		ev := Event{Type: eventPut, KV: convertKV(e.Kv)}
		if e.Type == mvccpb.DELETE {
			ev.Type = eventDelete
		}
		if e.PrevKv != nil {
			p := convertKV(e.PrevKv)
			ev.Prev = &p
		}
		out.Events = append(out.Events, ev)
	}
	return out
}

func (ws *watchers) anomaly(format string, args ...interface{}) {
	ws.rec.Anomalies = append(ws.rec.Anomalies, fmt.Sprintf(format, args...))
}

// read records every response of s until it fails.
func (ws *watchers) read(s *stream) {
	r := rand.New(rand.NewSource(int64(s.slot)))
	for {
		if s.slow && atomic.LoadInt32(&ws.loadRunning) == 1 && r.Intn(slowPauseEvery) == 0 {
			time.Sleep(slowPauseMin + time.Duration(r.Int63n(int64(slowPauseSpread))))
		}
		resp, err := s.wc.Recv()
		ws.mu.Lock()
		if err != nil {
			s.broken = true
			end := endBroken
			if ws.stopping {
				end = endOpen
			}
			for _, l := range append(s.pending, mapValues(s.byID)...) {
				if end == endBroken {
					l.inc.Err = err.Error()
				}
				l.finish(end)
			}
			s.pending, s.byID = nil, map[int64]*live{}
			ws.mu.Unlock()
			return
		}
		r := convert(resp)
		r.At = ws.ms()
		switch {
		case r.Created:
			if len(s.pending) == 0 {
				ws.anomaly("stream %d: created response %+v without a create waiting", s.slot, r)
				break
			}
			l := s.pending[0]
			s.pending = s.pending[1:]
			l.inc.Responses = append(l.inc.Responses, r)
			if r.Canceled {
				l.finish(endRefused)
				break
			}
			if other, dup := s.byID[r.WatchID]; dup {
				ws.anomaly("stream %d: watch id %d created for watcher %d while watcher %d still has it", s.slot, r.WatchID, l.w.rec.ID, other.w.rec.ID)
			}
			l.id = r.WatchID
			s.byID[r.WatchID] = l
		case r.WatchID == -1 && len(r.Events) == 0:
			// a progress response for the whole stream: not requested by this tool
		default:
			l := s.byID[r.WatchID]
			if l == nil {
				if !(s.ended[r.WatchID] && r.Canceled && len(r.Events) == 0) {
					ws.anomaly("stream %d: response for watch id %d, which is not open: %+v", s.slot, r.WatchID, r)
				}
				break
			}
			l.inc.Responses = append(l.inc.Responses, r)
			if l == ws.reference.live(l) && len(r.Events) > 0 {
				storeMax(ws.refLast, r.Events[len(r.Events)-1].KV.Mod)
			}
			if r.Canceled {
				delete(s.byID, r.WatchID)
				s.ended[r.WatchID] = true
				switch {
				case r.CompactRev != 0:
					l.finish(endCompacted)
				case l.cancelSent:
					l.finish(endCancelled)
				default:
					l.finish("server-cancelled")
				}
			}
		}
		ws.mu.Unlock()
	}
}

// live returns l if it belongs to this watcher (identity helper for the reference check).
func (w *watcherRun) live(l *live) *live {
	if l.w == w {
		return l
	}
	return nil
}

func (ws *watchers) ms() int64 { return int64(time.Since(ws.began) / time.Millisecond) }

func mapValues(m map[int64]*live) []*live {
	var out []*live
	for _, l := range m {
		out = append(out, l)
	}
	return out
}

// create sends a create for w at start and returns its incarnation (done already closed if the
// stream is broken).
func (ws *watchers) create(w *watcherRun, start int64) *live {
	l := &live{w: w, done: make(chan struct{})}
	ws.mu.Lock()
	if ws.stopping {
		// The run is over: a create now could not be judged on anything it receives.
		l.inc = &Incarnation{End: endOpen}
		close(l.done)
		ws.mu.Unlock()
		return l
	}
	ws.mu.Unlock()
	s, err := ws.streamFor(w.slot)
	ws.mu.Lock()
	l.inc = &Incarnation{Stream: w.slot, Start: start, Lower: atomic.LoadInt64(ws.maxAcked) + 1, CompactedBefore: atomic.LoadInt64(ws.compactedDone)}
	w.rec.Incarnations = append(w.rec.Incarnations, l.inc)
	if err != nil {
		l.inc.Err = err.Error()
		l.finish(endBroken)
		ws.mu.Unlock()
		return l
	}
	ws.mu.Unlock()
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	ws.mu.Lock()
	if s.broken {
		l.inc.Err = "stream broke before the create"
		l.finish(endBroken)
		ws.mu.Unlock()
		return l
	}
	spec := w.rec.Spec
	req := &pb.WatchCreateRequest{Key: []byte(spec.Key), StartRevision: start, PrevKv: spec.PrevKV, Fragment: spec.Fragment, ProgressNotify: spec.Progress}
	if spec.RangeEnd != "" {
		req.RangeEnd = []byte(spec.RangeEnd)
	}
	if spec.NoPut {
		req.Filters = append(req.Filters, pb.WatchCreateRequest_NOPUT)
	}
	if spec.NoDelete {
		req.Filters = append(req.Filters, pb.WatchCreateRequest_NODELETE)
	}
	if s.chosen {
		req.WatchId = s.nextID
		l.inc.ChosenID = s.nextID
		s.nextID++
	}
	s.pending = append(s.pending, l)
	l.inc.SentAt = ws.ms()
	ws.mu.Unlock()
	if err := s.wc.Send(&pb.WatchRequest{RequestUnion: &pb.WatchRequest_CreateRequest{CreateRequest: req}}); err != nil {
		s.cancel() // the reader sees the failure and ends every incarnation on s
	}
	return l
}

func (ws *watchers) cancelWatch(l *live) {
	s, _ := ws.streamFor(l.w.slot)
	ws.mu.Lock()
	if l.inc.End != "" || s == nil || s.byID[l.id] != l {
		ws.mu.Unlock()
		return
	}
	l.cancelSent = true
	l.inc.CancelAt = ws.ms()
	ws.mu.Unlock()
	s.sendMu.Lock()
	err := s.wc.Send(&pb.WatchRequest{RequestUnion: &pb.WatchRequest_CancelRequest{CancelRequest: &pb.WatchCancelRequest{WatchId: l.id}}})
	s.sendMu.Unlock()
	if err != nil {
		s.cancel()
	}
}

// nextStart: where the watcher resumes after l ended.
func nextStart(inc *Incarnation) int64 {
	last := int64(0)
	for _, r := range inc.Responses {
		if n := len(r.Events); n > 0 {
			last = r.Events[n-1].KV.Mod
		}
		if r.Canceled && r.CompactRev != 0 {
			return r.CompactRev
		}
	}
	if last > 0 {
		return last + 1
	}
	if inc.Start == 0 && len(inc.Responses) > 0 {
		return inc.Responses[0].Header + 1
	}
	return inc.Start
}

// run is one watcher's life: create, maybe cancel, re-create, until stop.
func (ws *watchers) run(w *watcherRun, start int64, churn bool, stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		l := ws.create(w, start)
		timer := time.NewTimer(churnMin + time.Duration(w.r.Int63n(int64(churnSpread))))
		select {
		case <-l.done:
		case <-timer.C:
			if churn && atomic.LoadInt32(&ws.loadRunning) == 1 {
				ws.cancelWatch(l)
			}
			select {
			case <-l.done:
			case <-stop:
				timer.Stop()
				return
			}
		case <-stop:
			timer.Stop()
			return
		}
		timer.Stop()
		ws.mu.Lock()
		end := l.inc.End
		start = nextStart(l.inc)
		ws.mu.Unlock()
		if end == endRefused || end == "server-cancelled" || end == endOpen {
			return
		}
		if end == endBroken {
			select {
			case <-time.After(streamPause):
			case <-stop:
				return
			}
		}
	}
}
