package main

// The checker: every read of a watched prefix (lists, counts, gets, old-revision reads, reads at a
// progress notification's revision) is an observation of the store at a revision. Once the
// prefix's watch has delivered everything up to that revision (plus a grace for events a server
// sends after a progress notification that already covered them), the watch cache at that
// revision must give the same answer.

import (
	"time"
)

type observation struct {
	kind   string // list, progress, old-read, count, get, get-limit1
	prefix string
	rev    int64
	kvs    []KV  // what the read returned
	count  int64 // the read's count (every key of its range at rev)
	key    string
	ready  time.Time // when the watch first covered rev (zero: not yet)
}

// How often pending observations are looked at.
const checkerTick = 50 * time.Millisecond

func (r *run) submit(o observation) {
	defer func() { recover() }() // the channel closes at the end of the run; late reads are dropped
	r.observed <- o
}

// progressOnlyGrace: how long a read covered only by a progress notification waits for late
// events before it is checked (not with -strict-progress, where a late event is a violation).
const progressOnlyGrace = 5 * time.Second

// checker runs until r.observed is closed, then checks what is still pending (bounded by
// drainTimeout; a read the watch never covers is a violation: the watch stalled).
func (r *run) checker() {
	var pending []observation
	ticker := time.NewTicker(checkerTick)
	defer ticker.Stop()
	in := r.observed
	var drainDeadline time.Time
	for {
		select {
		case o, ok := <-in:
			if ok {
				pending = append(pending, o)
				continue
			}
			in = nil // closed: from now on only the ticker wakes the loop
			drainDeadline = time.Now().Add(drainTimeout)
		case <-ticker.C:
		}
		pending = r.checkReady(pending, time.Now())
		if in == nil && (len(pending) == 0 || time.Now().After(drainDeadline)) {
			for _, o := range pending {
				w := r.watches[o.prefix]
				w.mu.Lock()
				through, stopped := w.knownThrough(), w.stopped
				w.mu.Unlock()
				if stopped == "" {
					r.violation("watch %s stalled: %s read at revision %d never covered (events and progress only through %d after %v)", o.prefix, o.kind, o.rev, through, drainTimeout)
				}
			}
			return
		}
	}
}

// checkReady checks every observation its watch has covered for long enough; returns the rest.
func (r *run) checkReady(pending []observation, now time.Time) []observation {
	var rest []observation
	for _, o := range pending {
		w := r.watches[o.prefix]
		w.mu.Lock()
		covered := w.knownThrough() >= o.rev
		if covered && o.ready.IsZero() {
			o.ready = now
		}
		// Covered by a progress notification alone: etcd 3.4.23 may send one ahead of events
		// still on their way, so unless -strict-progress they get longer to arrive (a loaded
		// machine can hold them back past progressGrace).
		grace := r.cfg.progressGrace
		if covered && w.model.LastRev() < o.rev && !r.cfg.strictProgress && grace < progressOnlyGrace {
			grace = progressOnlyGrace
		}
		if !covered || now.Sub(o.ready) < grace {
			stopped := w.stopped
			w.mu.Unlock()
			if stopped == "" {
				rest = append(rest, o)
			}
			continue
		}
		state, err := w.model.StateAt(o.rev)
		w.mu.Unlock()
		if err != nil {
			r.check("skipped-before-list")
			continue
		}
		r.compare(o, state)
	}
	return rest
}

func (r *run) compare(o observation, state map[string]KV) {
	switch o.kind {
	case "list", "progress", "old-read":
		if d := DiffState(state, o.kvs); d != "" {
			r.violation("watch cache %s at revision %d differs from a %s read at that revision: %s", o.prefix, o.rev, o.kind, d)
		}
		if o.count != int64(len(o.kvs)) {
			r.violation("%s read of %s at %d: count %d with %d keys", o.kind, o.prefix, o.rev, o.count, len(o.kvs))
		}
	case "count":
		if o.count != int64(len(state)) {
			r.violation("count-only read of %s at revision %d: count %d, the watch cache holds %d keys", o.prefix, o.rev, o.count, len(state))
		}
	case "get":
		kv, ok := state[o.key]
		switch {
		case ok && (len(o.kvs) != 1 || o.kvs[0] != kv):
			r.violation("get %s at revision %d returned %v, the watch cache holds %v", o.key, o.rev, o.kvs, kv)
		case !ok && len(o.kvs) != 0:
			r.violation("get %s at revision %d returned %v, the watch cache does not hold it", o.key, o.rev, o.kvs)
		}
	case "get-limit1":
		keys := sortedKeys(state)
		switch {
		case o.count != int64(len(keys)):
			r.violation("get %s with limit 1 at revision %d: count %d, the watch cache holds %d keys", o.prefix, o.rev, o.count, len(keys))
		case len(keys) == 0 && len(o.kvs) != 0:
			r.violation("get %s with limit 1 at revision %d returned %v, the watch cache is empty", o.prefix, o.rev, o.kvs)
		case len(keys) > 0 && (len(o.kvs) != 1 || o.kvs[0] != state[keys[0]]):
			r.violation("get %s with limit 1 at revision %d returned %v, want the first key %v", o.prefix, o.rev, o.kvs, state[keys[0]])
		}
	}
	r.check("watch-cache-" + o.kind)
}
