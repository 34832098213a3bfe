package main

// verify: every kept lease is alive and every one of its keys is present, on every member.
//
// Per member: a linearizable barrier through it, then its own view: a serializable get of the
// prefix (the keys, with the lease each carries), its lease list (LeaseLeases is served from the
// member's own lessor), and TimeToLive of every lease asked through it (> 0 while alive).

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.etcd.io/etcd/clientv3"
)

const problemsShown = 10

// problems gathers, per lease, what is wrong with it; safe for concurrent use.
type problems struct {
	mu      sync.Mutex
	byLease map[clientv3.LeaseID][]string
	order   []clientv3.LeaseID
}

func (p *problems) add(id clientv3.LeaseID, format string, a ...interface{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byLease == nil {
		p.byLease = map[clientv3.LeaseID][]string{}
	}
	if _, seen := p.byLease[id]; !seen {
		p.order = append(p.order, id)
	}
	p.byLease[id] = append(p.byLease[id], fmt.Sprintf(format, a...))
}

func (p *problems) count() int { return len(p.order) }

func (p *problems) String() string {
	ids := append([]clientv3.LeaseID(nil), p.order...)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var parts []string
	for n, id := range ids {
		if n == problemsShown {
			parts = append(parts, fmt.Sprintf("... and %d more", len(ids)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("lease %016x: %s", int64(id), strings.Join(p.byLease[id], ", ")))
	}
	return strings.Join(parts, "; ")
}

func (k *keeper) verify(want []*keptLease, concurrency int) result {
	var found problems
	for _, l := range want {
		if l.lost.Load() {
			found.add(l.id, "clientv3 gave up keeping it alive")
		}
	}
	for m, member := range k.members {
		if _, err := barrier(member, k.prefix); err != nil {
			return harness(err)
		}
		keys, err := keysOn(member, k.prefix, 0)
		if err != nil {
			return harness(err)
		}
		listed, err := leasesOn(member)
		if err != nil {
			return harness(err)
		}
		for _, l := range want {
			for _, key := range l.keys {
				if lease, present := keys[key]; !present {
					found.add(l.id, "%s missing on %s", key, k.names[m])
				} else if lease != l.id {
					found.add(l.id, "%s on %s carries lease %016x", key, k.names[m], int64(lease))
				}
			}
			if !listed[l.id] {
				found.add(l.id, "not in the lease list of %s", k.names[m])
			}
		}
		err = forEach(len(want), concurrency, func(i int) error {
			ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
			defer cancel()
			resp, err := member.TimeToLive(ctx, want[i].id)
			if err != nil {
				return fmt.Errorf("time-to-live %016x via %s: %v", int64(want[i].id), k.names[m], err)
			}
			if resp.TTL <= 0 {
				found.add(want[i].id, "TTL %d via %s", resp.TTL, k.names[m])
			}
			return nil
		})
		if err != nil {
			return harness(err)
		}
	}
	if found.count() > 0 {
		return violation("%d of %d kept leases expired or lost keys: %s", found.count(), len(want), &found)
	}
	return ok("%d leases alive (TimeToLive > 0, listed) and their %d keys present on each of %d members",
		len(want), keyCount(want), len(k.members))
}

func keyCount(ls []*keptLease) int {
	n := 0
	for _, l := range ls {
		n += len(l.keys)
	}
	return n
}
