package main

// Events: created (never updated) on a lease shared by every event created within the reuse
// period, as kube-apiserver's lease manager does, and never kept alive. Once a lease's TTL plus
// the slack has passed, none of its keys may be left and the lease must be gone.

import (
	"fmt"
	"sync"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"
)

type leaseInfo struct {
	id       clientv3.LeaseID
	ttl      int64
	asked    time.Time // when the grant was sent
	answered time.Time
	keys     int
	checked  bool
}

type leaseBook struct {
	mu      sync.Mutex
	current *leaseInfo
	all     []*leaseInfo
}

// lease: the lease new events go on, granting a new one when the current one is older than the
// reuse period.
func (r *run) lease() (*leaseInfo, error) {
	b := &r.leases
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current != nil && time.Since(b.current.answered) < r.cfg.leaseReuse {
		return b.current, nil
	}
	ctx, cancel := r.rpcContext()
	asked := time.Now()
	resp, err := r.client.Grant(ctx, r.cfg.eventTTL)
	cancel()
	r.stats.Observe("lease-grant", time.Since(asked))
	if err != nil {
		return nil, err
	}
	l := &leaseInfo{id: resp.ID, ttl: resp.TTL, asked: asked, answered: time.Now()}
	if resp.TTL != r.cfg.eventTTL {
		r.violation("lease grant of %d s answered TTL %d", r.cfg.eventTTL, resp.TTL)
	}
	b.current = l
	b.all = append(b.all, l)
	return l, nil
}

func (r *run) eventWriter(id int) {
	for n := 0; !r.over(); n++ {
		l, err := r.lease()
		if err != nil {
			r.noteWriteError("lease-grant", err)
			continue
		}
		key := fmt.Sprintf("%sns-%d/ev-%d-%d", r.prefixOf(eventResource), id%3, id, n)
		ctx, cancel := r.rpcContext()
		start := time.Now()
		resp, err := r.client.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(key), "=", 0)).
			Then(clientv3.OpPut(key, r.value(1000+id, n), clientv3.WithLease(l.id))).Else(clientv3.OpGet(key)).Commit()
		cancel()
		r.stats.Observe("create", time.Since(start))
		switch {
		case err == rpctypes.ErrLeaseNotFound:
			// From the request: the lease's TTL ran from a moment after it, maybe well before the answer.
			if age := time.Since(l.asked); age < time.Duration(l.ttl)*time.Second-time.Second {
				r.violation("create %s on lease %x: lease not found %v after its grant of %d s", key, l.id, age.Round(time.Millisecond), l.ttl)
			}
			continue
		case err != nil:
			r.noteWriteError("create", err)
			continue
		case !resp.Succeeded:
			r.violation("create of the new event %s failed its compare mod_revision == 0", key)
			continue
		}
		r.wrote()
		r.leases.mu.Lock()
		l.keys++
		r.leases.mu.Unlock()
	}
}

// expiryChecker checks, every second, the leases whose TTL and slack have run out.
func (r *run) expiryChecker() {
	for !r.over() {
		time.Sleep(time.Second)
		r.checkExpired(time.Now())
	}
}

// finalExpiryChecks waits for the leases still pending (no new ones are granted any more) and
// checks them.
func (r *run) finalExpiryChecks() {
	r.leases.mu.Lock()
	var last time.Time
	for _, l := range r.leases.all {
		if !l.checked {
			if d := r.expiryDeadline(l); d.After(last) {
				last = d
			}
		}
	}
	r.leases.mu.Unlock()
	if wait := time.Until(last); wait > 0 {
		time.Sleep(wait)
	}
	r.checkExpired(time.Now())
}

func (r *run) expiryDeadline(l *leaseInfo) time.Time {
	return l.answered.Add(time.Duration(l.ttl)*time.Second + r.cfg.expirySlack)
}

func (r *run) checkExpired(now time.Time) {
	r.leases.mu.Lock()
	due := map[clientv3.LeaseID]*leaseInfo{}
	for _, l := range r.leases.all {
		if !l.checked && now.After(r.expiryDeadline(l)) {
			l.checked = true
			due[l.id] = l
		}
	}
	r.leases.mu.Unlock()
	if len(due) == 0 {
		return
	}
	ctx, cancel := r.rpcContext()
	defer cancel()
	prefix := r.prefixOf(eventResource)
	resp, err := r.client.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		r.stats.Error("lease-expiry-read", err)
		return
	}
	left := map[clientv3.LeaseID]int{}
	for _, kv := range resp.Kvs {
		if l, ok := due[clientv3.LeaseID(kv.Lease)]; ok {
			if left[l.id] == 0 {
				r.violation("event %s still exists on lease %x (TTL %d s, granted %v ago, never kept alive; %d keys were put on it)",
					kv.Key, l.id, l.ttl, now.Sub(l.asked).Round(time.Millisecond), l.keys)
			}
			left[l.id]++
		}
	}
	for id, l := range due {
		ttl, err := r.client.TimeToLive(ctx, id)
		if err != nil {
			r.stats.Error("lease-expiry-read", err)
			continue
		}
		if ttl.TTL != -1 {
			r.violation("lease %x (TTL %d s) answers TimeToLive %d s %v after its grant", id, l.ttl, ttl.TTL, now.Sub(l.asked).Round(time.Millisecond))
		}
		r.check("lease-expired")
		r.addChecks("lease-expired-keys", l.keys)
	}
}
