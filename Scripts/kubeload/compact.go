package main

// Compaction as kube-apiserver does it: every interval, each apiserver tries a compare-and-swap on
// the compaction key's version (the version counts compactions, so only one apiserver of several
// wins an interval) and the winner compacts to the revision it saw one interval earlier. Two
// compactors here play two apiservers.

import (
	"strconv"
	"sync"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"
)

type compactionState struct {
	mu      sync.Mutex
	started int64 // the highest revision a Compact was sent for
	done    int64 // the highest revision a Compact was acknowledged for
}

func (c *compactionState) startedRev() int64 { c.mu.Lock(); defer c.mu.Unlock(); return c.started }
func (c *compactionState) doneRev() int64    { c.mu.Lock(); defer c.mu.Unlock(); return c.done }

func (c *compactionState) start(rev int64) {
	c.mu.Lock()
	if rev > c.started {
		c.started = rev
	}
	c.mu.Unlock()
}

func (c *compactionState) finish(rev int64) {
	c.mu.Lock()
	if rev > c.done {
		c.done = rev
	}
	c.mu.Unlock()
}

func (r *run) compactor(id int) {
	key := r.cfg.prefix + "compact_rev_key"
	var version, rev int64
	// The second apiserver is half an interval out of step with the first.
	time.Sleep(time.Duration(id) * r.cfg.compactInterval / 2)
	for {
		wake := time.Now().Add(r.cfg.compactInterval)
		for time.Now().Before(wake) {
			if r.over() {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		version, rev = r.compactOnce(key, version, rev)
	}
}

// compactOnce: one interval of the apiserver's compactor. version is the compaction key's version
// this apiserver expects, rev the revision it saw last interval; returns the next pair.
func (r *run) compactOnce(key string, version, rev int64) (int64, int64) {
	ctx, cancel := r.rpcContext()
	defer cancel()
	start := time.Now()
	resp, err := r.client.Txn(ctx).
		If(clientv3.Compare(clientv3.Version(key), "=", version)).
		Then(clientv3.OpPut(key, strconv.FormatInt(rev, 10))).
		Else(clientv3.OpGet(key)).Commit()
	r.stats.Observe("compact", time.Since(start))
	if err != nil {
		r.noteWriteError("compact", err)
		return version, rev
	}
	seen := resp.Header.Revision
	if !resp.Succeeded {
		r.stats.Conflict("compact")
		kvs := resp.Responses[0].GetResponseRange().GetKvs()
		if len(kvs) != 1 || kvs[0].Version == version {
			r.violation("compaction CAS on %s version %d failed, yet the Else get returned %v", key, version, kvs)
			return version, seen
		}
		return kvs[0].Version, seen
	}
	if rev == 0 {
		return version + 1, seen
	}
	r.compaction.start(rev)
	start = time.Now()
	_, err = r.client.Compact(ctx, rev)
	r.stats.Observe("compact", time.Since(start))
	switch {
	case err == nil:
		r.compaction.finish(rev)
		r.check("compaction")
	case err == rpctypes.ErrCompacted:
		r.violation("compaction to %d refused as already compacted, but the CAS on %s gave this compactor the turn", rev, key)
	default:
		r.noteWriteError("compact", err)
	}
	return version + 1, seen
}
