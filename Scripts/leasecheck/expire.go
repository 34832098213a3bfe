package main

// stop-half: keep-alives stop for every other lease; each of those gets a second key first, so
// "all keys of one lease go at one revision" means something. Their keys must disappear from every
// member within TTL + slack of the stop (polled), not before the lease can have run out, every
// key of one lease at one revision and that revision the same on every member (one watch per
// member, from just before the stop); the kept half must be untouched.

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/mvcc/mvccpb"
)

const (
	expirePoll = 200 * time.Millisecond
	// Watch deletes still in flight once a member's store shows the keys gone arrive within this.
	watchCatchUpMax = 10 * time.Second
	// A lease cannot expire earlier than this much before its last keep-alive answer + TTL: the
	// server renewed it at most a round trip before that answer (margin for scheduling too).
	earlyMargin = 1500 * time.Millisecond
)

// deleteSeen: a delete event as one member's watch delivered it.
type deleteSeen struct {
	revision int64
	at       time.Time
}

type memberDeletes struct {
	mu    sync.Mutex
	byKey map[string]deleteSeen
	err   error
}

func (d *memberDeletes) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.byKey)
}

func (k *keeper) stopHalf(concurrency int) result {
	var stopping, keeping []*keptLease
	for _, l := range k.kept() {
		if l.index%2 == 0 {
			stopping = append(stopping, l)
		} else {
			keeping = append(keeping, l)
		}
	}
	err := forEach(len(stopping), concurrency, func(i int) error {
		l := stopping[i]
		key := fmt.Sprintf("%sx/%05d", k.prefix, l.index)
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		defer cancel()
		if _, err := k.cli.Put(ctx, key, "second", clientv3.WithLease(l.id)); err != nil {
			return fmt.Errorf("put %s with lease %016x: %v", key, int64(l.id), err)
		}
		l.keys = append(l.keys, key)
		return nil
	})
	if err != nil {
		return harness(err)
	}
	from, err := barrier(k.cli, k.prefix)
	if err != nil {
		return harness(err)
	}
	watchCtx, stopWatches := context.WithCancel(context.Background())
	defer stopWatches()
	deletes := make([]*memberDeletes, len(k.members))
	for m, member := range k.members {
		deletes[m] = &memberDeletes{byKey: map[string]deleteSeen{}}
		go collectDeletes(member.Watch(clientv3.WithRequireLeader(watchCtx), k.prefix, clientv3.WithPrefix(), clientv3.WithRev(from+1)), deletes[m])
	}
	stoppedAt := time.Now()
	for _, l := range stopping {
		l.stopped.Store(true)
		l.cancel()
	}
	goneAfter, r := k.waitGone(stopping, stoppedAt)
	if r.status != exitOK {
		return r
	}
	want := keyCount(stopping)
	catchUp := time.Now().Add(watchCatchUpMax)
	for m := range deletes {
		for deletes[m].count() < want && time.Now().Before(catchUp) {
			time.Sleep(expirePoll)
		}
	}
	if r := k.checkDeletes(stopping, keeping, deletes, stoppedAt); r.status != exitOK {
		return r
	}
	if r := k.verify(keeping, concurrency); r.status != exitOK {
		return result{r.status, "the kept half: " + r.text}
	}
	return ok("%d stopped leases' %d keys gone from every member %s after the stop (TTL %d s), each lease's keys at one revision, the same on every member; %d kept leases alive with their keys on every member",
		len(stopping), want, goneAfter, k.ttl, len(keeping))
}

func collectDeletes(channel clientv3.WatchChan, into *memberDeletes) {
	for resp := range channel {
		if err := resp.Err(); err != nil {
			into.mu.Lock()
			into.err = err
			into.mu.Unlock()
			continue
		}
		now := time.Now()
		into.mu.Lock()
		for _, e := range resp.Events {
			if e.Type == mvccpb.DELETE {
				into.byKey[string(e.Kv.Key)] = deleteSeen{revision: e.Kv.ModRevision, at: now}
			}
		}
		into.mu.Unlock()
	}
}

// waitGone polls every member (serializable) until none holds a key of a stopped lease, for at
// most TTL + slack after the stop. Returns when each member got there, as text.
func (k *keeper) waitGone(stopping []*keptLease, stoppedAt time.Time) (string, result) {
	limit := time.Duration(k.ttl)*time.Second + k.slack
	clearAfter := make([]time.Duration, len(k.members))
	left := make([]int, len(k.members))
	var lastErr error
	for {
		pending := 0
		for m, member := range k.members {
			if clearAfter[m] > 0 {
				continue
			}
			keys, err := keysOn(member, k.prefix, 0)
			if err != nil {
				lastErr = err
				pending++
				continue
			}
			left[m] = 0
			for _, l := range stopping {
				for _, key := range l.keys {
					if _, present := keys[key]; present {
						left[m]++
					}
				}
			}
			if left[m] == 0 {
				clearAfter[m] = time.Since(stoppedAt)
			} else {
				pending++
			}
		}
		if pending == 0 {
			break
		}
		if time.Since(stoppedAt) > limit {
			var still []string
			for m := range k.members {
				if clearAfter[m] == 0 {
					still = append(still, fmt.Sprintf("%s holds %d", k.names[m], left[m]))
				}
			}
			return "", violation("keys of stopped leases still present %.1f s after keep-alives stopped (TTL %d s + slack %v): %s (of %d; last error: %v)",
				time.Since(stoppedAt).Seconds(), k.ttl, k.slack, strings.Join(still, ", "), keyCount(stopping), lastErr)
		}
		time.Sleep(expirePoll)
	}
	var parts []string
	for m := range k.members {
		parts = append(parts, fmt.Sprintf("%s %.1f s", k.names[m], clearAfter[m].Seconds()))
	}
	return "(" + strings.Join(parts, ", ") + ")", ok("")
}

// checkDeletes: every key of a stopped lease deleted once per member, all keys of one lease at one
// revision, the same revision on every member, none before the lease could have run out; no key
// of a kept lease deleted.
func (k *keeper) checkDeletes(stopping, keeping []*keptLease, deletes []*memberDeletes, stoppedAt time.Time) result {
	var found problems
	for m, d := range deletes {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.err != nil {
			return harness(fmt.Errorf("watch on %s: %v", k.names[m], d.err))
		}
		for _, l := range keeping {
			for _, key := range l.keys {
				if e, deleted := d.byKey[key]; deleted {
					found.add(l.id, "kept, yet %s deleted at revision %d on %s", key, e.revision, k.names[m])
				}
			}
		}
	}
	for _, l := range stopping {
		// Its last keep-alive answer came after the server renewed it (by at most a round
		// trip, which earlyMargin covers), so it cannot run out before that answer plus its TTL.
		earliest := time.Unix(0, l.lastRenew.Load()).Add(time.Duration(k.ttl)*time.Second - earlyMargin)
		revisions := map[int64][]string{}
		for m, d := range deletes {
			for _, key := range l.keys {
				e, deleted := d.byKey[key]
				if !deleted {
					found.add(l.id, "no delete of %s in the watch on %s", key, k.names[m])
					continue
				}
				revisions[e.revision] = append(revisions[e.revision], key+"@"+k.names[m])
				if e.at.Before(earliest) {
					found.add(l.id, "%s deleted on %s %.1f s after the stop and %.1f s after its last renewal, before the lease could run out",
						key, k.names[m], e.at.Sub(stoppedAt).Seconds(), e.at.Sub(time.Unix(0, l.lastRenew.Load())).Seconds())
				}
			}
		}
		if len(revisions) > 1 {
			var parts []string
			for rev, where := range revisions {
				sort.Strings(where)
				parts = append(parts, fmt.Sprintf("revision %d: %s", rev, strings.Join(where, " ")))
			}
			sort.Strings(parts)
			found.add(l.id, "keys deleted at different revisions (%s)", strings.Join(parts, "; "))
		}
	}
	if found.count() > 0 {
		return violation("%d leases: %s", found.count(), &found)
	}
	return ok("")
}
