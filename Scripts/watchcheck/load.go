package main

// The write load: W writes in total (or until the time is up) from a few concurrent writers over
// a small keyspace: plain puts, plain deletes of one key or a range, and txns with equality
// compares and several puts/deletes on distinct keys in either branch. Every put's value is
// unique, so a write with an unknown outcome can be recognised in the reference watcher's stream.
// Every compactEvery-th write also compacts, at a revision the reference watcher has already
// passed (so the history stays complete) and above the previous compaction.

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
)

const (
	writeTimeout     = 2 * time.Second
	writeErrorPause  = 100 * time.Millisecond
	compactBehindMax = 4 // a compaction lands up to this many revisions below the newest safe one
)

type load struct {
	kv           *clientv3.Client
	prefix       string
	keys         int
	writesLeft   int64 // atomic
	deadline     time.Time
	compactEvery int64
	written      int64  // atomic: writes attempted
	padding      string // appended to every put's value (-value-bytes), to move more bytes

	maxAcked      *int64 // atomic: highest revision acknowledged to a writer
	compactedDone *int64 // atomic: highest compaction acknowledged
	refLast       *int64 // atomic: last revision the reference watcher received

	mu          sync.Mutex
	writes      []Write
	compactions []Compaction
	lastCompact int64
}

func (l *load) key(i int) string { return fmt.Sprintf("%sk%02d", l.prefix, i) }

func storeMax(p *int64, v int64) {
	for {
		old := atomic.LoadInt64(p)
		if v <= old || atomic.CompareAndSwapInt64(p, old, v) {
			return
		}
	}
}

// randomOps: n ops on distinct keys (puts and single-key deletes), for a txn branch.
func (l *load) randomOps(r *rand.Rand, n int, writer, seq int) []Op {
	var ops []Op
	for _, k := range r.Perm(l.keys)[:n] {
		if r.Intn(3) > 0 {
			ops = append(ops, Op{Put: true, Key: l.key(k), Value: fmt.Sprintf("w%d.%d.%d", writer, seq, len(ops)) + l.padding})
		} else {
			ops = append(ops, Op{Key: l.key(k)})
		}
	}
	return ops
}

func (l *load) randomWrite(r *rand.Rand, writer, seq int) Write {
	value := fmt.Sprintf("w%d.%d", writer, seq) + l.padding
	switch p := r.Intn(100); {
	case p < 35:
		return Write{Then: []Op{{Put: true, Key: l.key(r.Intn(l.keys)), Value: value}}}
	case p < 50:
		return Write{Then: []Op{{Key: l.key(r.Intn(l.keys))}}}
	case p < 60:
		a := r.Intn(l.keys)
		b := a + 1 + r.Intn(l.keys-a)
		return Write{Then: []Op{{Key: l.key(a), End: l.key(b)}}}
	}
	w := Write{Txn: true}
	for i := r.Intn(3); i >= 0; i-- {
		k := l.key(r.Intn(l.keys))
		if r.Intn(2) == 0 {
			w.Cmps = append(w.Cmps, Cmp{Key: k, ByValue: true, Value: fmt.Sprintf("w%d.%d", r.Intn(4), seq-1-r.Intn(3))})
		} else {
			mod := int64(0)
			if acked := atomic.LoadInt64(l.maxAcked); r.Intn(3) > 0 && acked > 0 {
				mod = acked - r.Int63n(3)
			}
			w.Cmps = append(w.Cmps, Cmp{Key: k, Mod: mod})
		}
	}
	n := 1 + r.Intn(3)
	if n > l.keys {
		n = l.keys
	}
	w.Then = l.randomOps(r, n, writer, seq)
	if e := r.Intn(3); e > 0 && e <= l.keys {
		w.Else = l.randomOps(r, e, writer, seq+1_000_000)
	}
	return w
}

func clientOps(ops []Op) []clientv3.Op {
	var out []clientv3.Op
	for _, op := range ops {
		switch {
		case op.Put:
			out = append(out, clientv3.OpPut(op.Key, op.Value))
		case op.End != "":
			out = append(out, clientv3.OpDelete(op.Key, clientv3.WithRange(op.End)))
		default:
			out = append(out, clientv3.OpDelete(op.Key))
		}
	}
	return out
}

// execute sends w and fills in its outcome.
func (l *load) execute(w *Write) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	var err error
	if w.Txn {
		var cmps []clientv3.Cmp
		for _, c := range w.Cmps {
			if c.ByValue {
				cmps = append(cmps, clientv3.Compare(clientv3.Value(c.Key), "=", c.Value))
			} else {
				cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(c.Key), "=", c.Mod))
			}
		}
		var resp *clientv3.TxnResponse
		resp, err = l.kv.Txn(ctx).If(cmps...).Then(clientOps(w.Then)...).Else(clientOps(w.Else)...).Commit()
		if err == nil {
			w.Rev, w.Succeeded = resp.Header.Revision, resp.Succeeded
			w.Deleted = []int64{}
			for _, op := range resp.Responses {
				if d := op.GetResponseDeleteRange(); d != nil {
					w.Deleted = append(w.Deleted, d.Deleted)
				} else {
					w.Deleted = append(w.Deleted, -1)
				}
			}
		}
	} else if op := w.Then[0]; op.Put {
		var resp *clientv3.PutResponse
		resp, err = l.kv.Put(ctx, op.Key, op.Value)
		if err == nil {
			w.Rev, w.Deleted = resp.Header.Revision, []int64{-1}
		}
	} else {
		var dr clientv3.OpResponse
		dr, err = l.kv.Do(ctx, clientOps(w.Then)[0])
		if err == nil {
			w.Rev, w.Deleted = dr.Del().Header.Revision, []int64{dr.Del().Deleted}
		}
	}
	if err != nil {
		w.Outcome, w.Err = outcomeUnknown, err.Error()
		return
	}
	w.Outcome = outcomeOK
	storeMax(l.maxAcked, w.Rev)
}

func (l *load) maybeCompact(r *rand.Rand, n int64) {
	if l.compactEvery <= 0 || n%l.compactEvery != 0 {
		return
	}
	safe := atomic.LoadInt64(l.refLast)
	if acked := atomic.LoadInt64(l.maxAcked); acked < safe {
		safe = acked
	}
	rev := safe - r.Int63n(compactBehindMax)
	l.mu.Lock()
	if rev <= l.lastCompact {
		l.mu.Unlock()
		return
	}
	l.lastCompact = rev
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	_, err := l.kv.Compact(ctx, rev)
	cancel()
	c := Compaction{Rev: rev, OK: err == nil}
	if err != nil {
		c.Err = err.Error()
	} else {
		storeMax(l.compactedDone, rev)
	}
	l.mu.Lock()
	l.compactions = append(l.compactions, c)
	l.mu.Unlock()
}

// writer runs until the write budget or the time is used up.
func (l *load) writer(id int, seed int64, wg *sync.WaitGroup) {
	defer wg.Done()
	r := rand.New(rand.NewSource(seed))
	for seq := 0; time.Now().Before(l.deadline) && atomic.AddInt64(&l.writesLeft, -1) >= 0; seq++ {
		w := l.randomWrite(r, id, seq)
		l.execute(&w)
		l.mu.Lock()
		w.ID = len(l.writes)
		l.writes = append(l.writes, w)
		l.mu.Unlock()
		if w.Outcome != outcomeOK {
			time.Sleep(writeErrorPause)
		}
		l.maybeCompact(r, atomic.AddInt64(&l.written, 1))
	}
}

// sentinel: one acknowledged put after the load, retried until acknowledged; its revision is the
// run's final revision.
func (l *load) sentinel(until time.Time) (int64, error) {
	for try := 0; ; try++ {
		w := Write{Then: []Op{{Put: true, Key: l.prefix + "zz-final", Value: fmt.Sprintf("final.%d", try)}}}
		l.execute(&w)
		l.mu.Lock()
		w.ID = len(l.writes)
		l.writes = append(l.writes, w)
		l.mu.Unlock()
		if w.Outcome == outcomeOK {
			return w.Rev, nil
		}
		if time.Now().After(until) {
			return 0, fmt.Errorf("the final put never succeeded: %s", w.Err)
		}
		time.Sleep(writeErrorPause)
	}
}
