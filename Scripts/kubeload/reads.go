package main

// Readers: paginated lists, count-only ranges, gets, gets with limit 1, and reads at older
// revisions while compaction runs. Every answer becomes an observation the checker compares with
// the watch cache.

import (
	"math/rand"
	"sync"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"
)

// Resources the readers pick from: objects and events alike.
func (r *run) readResource(rng *rand.Rand) string {
	all := append(append([]string{}, objectResources...), eventResource)
	return all[rng.Intn(len(all))]
}

func (r *run) lister(id int) {
	rng := r.rng(int64(id) + 101)
	for !r.over() {
		r.paginatedList(r.prefixOf(r.readResource(rng)))
	}
}

// paginatedList: kube-apiserver's list with a limit and continue tokens, then one unpaginated
// read at the same revision to compare with.
func (r *run) paginatedList(prefix string) {
	end := prefixEnd(prefix)
	var pages []Page
	var rev int64
	next := prefix
	for {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(r.cfg.pageLimit)}
		if rev != 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		before := r.compaction.doneRev()
		ctx, cancel := r.rpcContext()
		start := time.Now()
		resp, err := r.client.Get(ctx, next, opts...)
		cancel()
		r.stats.Observe("list-page", time.Since(start))
		if err == rpctypes.ErrCompacted && rev != 0 {
			// The apiserver answers 410 Gone: the client relists. Legal only if a compaction
			// past rev had at least started.
			r.checkCompactedRefusal("list continuation", prefix, rev, before)
			return
		}
		if err != nil {
			r.noteWriteError("list-page", err)
			return
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		pages = append(pages, Page{KVs: toKVs(resp.Kvs), Count: resp.Count, More: resp.More})
		if !resp.More || len(resp.Kvs) == 0 {
			break
		}
		next = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
	before := r.compaction.doneRev()
	ctx, cancel := r.rpcContext()
	start := time.Now()
	full, err := r.client.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithRev(rev))
	cancel()
	r.stats.Observe("list-full", time.Since(start))
	if err == rpctypes.ErrCompacted {
		r.checkCompactedRefusal("unpaginated read", prefix, rev, before)
		return
	}
	if err != nil {
		r.noteWriteError("list-full", err)
		return
	}
	fullKVs := toKVs(full.Kvs)
	if err := CheckPages(pages, r.cfg.pageLimit, fullKVs); err != nil {
		r.violation("paginated list of %s at revision %d (limit %d, %d pages): %v", prefix, rev, r.cfg.pageLimit, len(pages), err)
	}
	r.check("pagination")
	r.submit(observation{kind: "list", prefix: prefix, rev: rev, kvs: fullKVs, count: full.Count})
}

func (r *run) reader(id int) {
	rng := r.rng(int64(id) + 201)
	for !r.over() {
		prefix := r.prefixOf(r.readResource(rng))
		switch rng.Intn(4) {
		case 0:
			r.read("count", prefix, "", 0, clientv3.WithPrefix(), clientv3.WithCountOnly())
		case 1:
			resource := objectResources[rng.Intn(len(objectResources))]
			r.read("get", r.prefixOf(resource), r.objectKey(resource, rng.Intn(r.cfg.keys)), 0)
		case 2:
			r.read("get-limit1", prefix, "", 0, clientv3.WithPrefix(), clientv3.WithLimit(1))
		case 3:
			if rev := r.recent.pick(rng, time.Now(), 2*r.cfg.compactInterval); rev > 0 {
				r.read("old-read", prefix, "", rev, clientv3.WithPrefix(), clientv3.WithRev(rev))
			}
		}
	}
}

// read: one range of kind op; key is the single key of a get, rev the revision of an old read.
func (r *run) read(op, prefix, key string, rev int64, opts ...clientv3.OpOption) {
	target := prefix
	if key != "" {
		target = key
	}
	before := r.compaction.doneRev()
	ctx, cancel := r.rpcContext()
	start := time.Now()
	resp, err := r.client.Get(ctx, target, opts...)
	cancel()
	r.stats.Observe(op, time.Since(start))
	if op == "old-read" {
		if err == rpctypes.ErrCompacted {
			r.checkCompactedRefusal("old-revision read", prefix, rev, before)
			return
		}
		if err == nil {
			if rev < before {
				r.violation("read of %s at revision %d answered after a compaction to %d had completed", prefix, rev, before)
			}
			r.check("old-read-answered")
		}
	}
	if err != nil {
		r.noteWriteError(op, err)
		return
	}
	at := resp.Header.Revision
	if rev != 0 {
		at = rev
	} else {
		r.recent.add(time.Now(), at)
	}
	r.submit(observation{kind: op, prefix: prefix, key: key, rev: at, kvs: toKVs(resp.Kvs), count: resp.Count})
}

// checkCompactedRefusal: a read at rev refused as compacted is legal only if a compaction past rev
// had been started by the time the answer came.
func (r *run) checkCompactedRefusal(what, prefix string, rev, doneBefore int64) {
	started := r.compaction.startedRev()
	if rev >= started {
		r.violation("%s of %s at revision %d refused as compacted, but no compaction past %d had been started (completed before the read: %d)", what, prefix, rev, started, doneBefore)
	}
	r.check("compacted-refusal")
}

// revisionRing remembers the revisions reads saw, with when, to pick older revisions from.
type revisionRing struct {
	mu    sync.Mutex
	times []time.Time
	revs  []int64
}

const ringSize = 4096

func (g *revisionRing) add(t time.Time, rev int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if n := len(g.revs); n > 0 && t.Sub(g.times[n-1]) < 50*time.Millisecond {
		return
	}
	if len(g.revs) == ringSize {
		g.times, g.revs = g.times[1:], g.revs[1:]
	}
	g.times = append(g.times, t)
	g.revs = append(g.revs, rev)
}

// pick: a revision seen between now and window ago (0 if none yet).
func (g *revisionRing) pick(rng *rand.Rand, now time.Time, window time.Duration) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	var candidates []int64
	for i := len(g.revs) - 1; i >= 0 && now.Sub(g.times[i]) <= window; i-- {
		candidates = append(candidates, g.revs[i])
	}
	if len(candidates) == 0 {
		return 0
	}
	return candidates[rng.Intn(len(candidates))]
}
