package main

// The watch side of the cacher: per prefix, a list then a watch from list revision + 1 with
// prev_kv and progress_notify; every event goes into the Model; every progress notification
// triggers a read of the store at its revision, checked against the cache once it is complete.

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.etcd.io/etcd/clientv3"
)

type watched struct {
	mu          sync.Mutex
	model       *Model
	progressRev int64 // the newest progress notification's revision
	lateEvents  int   // events at or below progressRev that arrived after that notification
	stopped     string
	// At most one store read per progress notification in flight per prefix.
	reading bool
}

// knownThrough: every event at or below this revision has been delivered (the newest event or
// progress notification).
func (w *watched) knownThrough() int64 {
	if w.progressRev > w.model.LastRev() {
		return w.progressRev
	}
	return w.model.LastRev()
}

// startWatch lists the prefix (unpaginated, as the cacher's initial list) and watches from just
// after that revision.
func (r *run) startWatch(ctx context.Context, prefix string, wg *sync.WaitGroup) (*watched, error) {
	rctx, cancel := r.rpcContext()
	resp, err := r.client.Get(rctx, prefix, clientv3.WithPrefix())
	cancel()
	if err != nil {
		return nil, fmt.Errorf("initial list of %s: %v", prefix, err)
	}
	w := &watched{model: NewModel(prefix, resp.Header.Revision, toKVs(resp.Kvs))}
	ch := r.client.Watch(ctx, prefix, clientv3.WithPrefix(), clientv3.WithRev(resp.Header.Revision+1),
		clientv3.WithPrevKV(), clientv3.WithProgressNotify(), clientv3.WithCreatedNotify())
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.consumeWatch(ctx, w, ch)
	}()
	return w, nil
}

func (r *run) consumeWatch(ctx context.Context, w *watched, ch clientv3.WatchChan) {
	prefix := w.model.Prefix
	var lastResponseRev int64 // the newest event revision of the previous response with events
	for resp := range ch {
		if err := resp.Err(); err != nil {
			if ctx.Err() == nil {
				r.violation("watch %s ended: %v (compact revision %d)", prefix, err, resp.CompactRevision)
				w.mu.Lock()
				w.stopped = err.Error()
				w.mu.Unlock()
			}
			return
		}
		if resp.Created {
			continue
		}
		if resp.IsProgressNotify() {
			rev := resp.Header.Revision
			w.mu.Lock()
			if rev < w.progressRev {
				w.mu.Unlock()
				r.violation("watch %s: progress notification at %d after one at %d", prefix, rev, w.progressRev)
				continue
			}
			w.progressRev = rev
			start := !w.reading
			w.reading = true
			w.mu.Unlock()
			if start {
				go r.readAtProgress(w, rev)
			}
			continue
		}
		if n := len(resp.Events); n > 0 {
			first, last := resp.Events[0].Kv.ModRevision, resp.Events[n-1].Kv.ModRevision
			if first == lastResponseRev {
				r.violation("watch %s: the events of revision %d are split across two watch responses", prefix, first)
			}
			if resp.Header.Revision < last {
				r.violation("watch %s: a response with events up to revision %d has header revision %d", prefix, last, resp.Header.Revision)
			}
			lastResponseRev = last
		}
		for _, ev := range resp.Events {
			e := Event{Delete: ev.Type == clientv3.EventTypeDelete, KV: toKV(ev.Kv)}
			if ev.PrevKv != nil {
				prev := toKV(ev.PrevKv)
				e.Prev = &prev
			}
			w.mu.Lock()
			late := e.Rev() <= w.progressRev
			if late {
				w.lateEvents++
			}
			err := w.model.Append(e)
			progressRev := w.progressRev
			w.mu.Unlock()
			if err != nil {
				r.violation("%v", err)
			}
			if late && r.cfg.strictProgress {
				r.violation("watch %s: event %s at %d delivered after a progress notification at %d", prefix, e.KV.Key, e.Rev(), progressRev)
			}
		}
	}
}

// readAtProgress reads the whole prefix at a progress notification's revision; the checker
// compares it with the cache at that revision.
func (r *run) readAtProgress(w *watched, rev int64) {
	defer func() {
		w.mu.Lock()
		w.reading = false
		w.mu.Unlock()
	}()
	if r.loadCtx.Err() != nil {
		return
	}
	prefix := w.model.Prefix
	ctx, cancel := r.rpcContext()
	start := time.Now()
	resp, err := r.client.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithRev(rev))
	cancel()
	r.stats.Observe("progress-read", time.Since(start))
	if err != nil {
		r.stats.Error("progress-read", err)
		return
	}
	r.submit(observation{kind: "progress", prefix: prefix, rev: rev, kvs: toKVs(resp.Kvs), count: resp.Count})
}

// progressRequester asks for a progress notification on the watch stream every interval (the
// request must carry the watches' context so it goes on their stream).
func (r *run) progressRequester(watchCtx context.Context) {
	for !r.over() {
		time.Sleep(r.cfg.progressInterval)
		r.requestProgress(watchCtx)
	}
}

func (r *run) requestProgress(watchCtx context.Context) {
	if err := r.client.RequestProgress(watchCtx); err != nil && watchCtx.Err() == nil {
		r.stats.Error("progress-request", err)
	}
}
