package main

// Object writers: kube-apiserver's GuaranteedUpdate and Create and Delete, as transactions
// guarded by the key's mod revision. Every writer keeps the revision it last saw of each key (its
// own stale cache, as an apiserver's); a writer that loses the compare retries from the value the
// transaction's Else branch returned.

import (
	"fmt"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
)

// How many times one update or delete retries after losing the compare before giving up (the
// apiserver retries until it wins; bounded here so a run's length stays predictable).
const maxConflictRetries = 5

func (r *run) objectKey(resource string, i int) string {
	return fmt.Sprintf("%sns-%d/obj-%04d", r.prefixOf(resource), i%3, i)
}

// value: unique per writer and write, padded to the configured size.
func (r *run) value(writer, n int) string {
	v := fmt.Sprintf("w%d-n%d;", writer, n)
	if pad := r.cfg.valueSize - len(v); pad > 0 {
		v += strings.Repeat("x", pad)
	}
	return v
}

func (r *run) objectWriter(id int) {
	rng := r.rng(int64(id) + 1)
	known := map[string]int64{} // key -> mod revision this writer last saw; absent: thought absent
	for n := 0; !r.over(); n++ {
		key := r.objectKey(objectResources[rng.Intn(len(objectResources))], rng.Intn(r.cfg.keys))
		rev, exists := known[key]
		switch {
		case !exists:
			if modRev, ok := r.create(key, r.value(id, n), 0); ok {
				known[key] = modRev
			}
		case rng.Intn(4) == 0:
			r.guardedWrite("delete", key, "", rev, known)
		default:
			r.guardedWrite("update", key, r.value(id, n), rev, known)
		}
	}
}

// create: If(mod_revision == 0) Then(Put) Else(Get). Returns the key's mod revision afterwards
// (this write's, or the one the Else read) and whether the key exists.
func (r *run) create(key, value string, lease clientv3.LeaseID) (int64, bool) {
	put := clientv3.OpPut(key, value)
	if lease != 0 {
		put = clientv3.OpPut(key, value, clientv3.WithLease(lease))
	}
	ctx, cancel := r.rpcContext()
	start := time.Now()
	resp, err := r.client.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(key), "=", 0)).Then(put).Else(clientv3.OpGet(key)).Commit()
	cancel()
	r.stats.Observe("create", time.Since(start))
	if err != nil {
		r.noteWriteError("create", err)
		return 0, false
	}
	if resp.Succeeded {
		r.wrote()
		return resp.Header.Revision, true
	}
	r.stats.Conflict("create")
	kvs := resp.Responses[0].GetResponseRange().GetKvs()
	if len(kvs) != 1 || kvs[0].ModRevision == 0 {
		r.violation("create %s: the compare mod_revision == 0 failed, yet the Else get returned %v at revision %d", key, kvs, resp.Header.Revision)
		return 0, false
	}
	return kvs[0].ModRevision, true
}

// guardedWrite: If(mod_revision == rev) Then(Put or DeleteRange) Else(Get), retried from the
// returned value. Updates known with what it learnt.
func (r *run) guardedWrite(op, key, value string, rev int64, known map[string]int64) {
	for attempt := 0; attempt <= maxConflictRetries && !r.over(); attempt++ {
		then := clientv3.OpDelete(key)
		if op == "update" {
			then = clientv3.OpPut(key, value)
		}
		ctx, cancel := r.rpcContext()
		start := time.Now()
		resp, err := r.client.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(key), "=", rev)).Then(then).Else(clientv3.OpGet(key)).Commit()
		cancel()
		r.stats.Observe(op, time.Since(start))
		if err != nil {
			r.noteWriteError(op, err)
			delete(known, key) // start again from a create (its Else tells the truth)
			return
		}
		if resp.Succeeded {
			r.wrote()
			if resp.Header.Revision <= rev {
				r.violation("%s %s guarded by mod revision %d succeeded at revision %d", op, key, rev, resp.Header.Revision)
			}
			if op == "delete" {
				if d := resp.Responses[0].GetResponseDeleteRange(); d == nil || d.Deleted != 1 {
					r.violation("delete %s guarded by mod revision %d succeeded but deleted %v", key, rev, d)
				}
				delete(known, key)
			} else {
				known[key] = resp.Header.Revision
			}
			return
		}
		r.stats.Conflict(op)
		kvs := resp.Responses[0].GetResponseRange().GetKvs()
		if len(kvs) == 0 {
			delete(known, key) // deleted by someone else: the apiserver answers NotFound
			return
		}
		if kvs[0].ModRevision == rev {
			r.violation("%s %s: the compare mod_revision == %d failed, yet the Else get returned mod revision %d", op, key, rev, kvs[0].ModRevision)
			return
		}
		rev = kvs[0].ModRevision
		known[key] = rev
	}
}

// noteWriteError: a failed RPC during the load is a harness error unless the load is stopping.
func (r *run) noteWriteError(op string, err error) {
	if r.loadCtx.Err() == nil {
		r.stats.Error(op, err)
	}
}
