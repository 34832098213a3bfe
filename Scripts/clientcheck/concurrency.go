package main

// concurrency.Mutex and concurrency.Election: contention between sessions, hand-over in the order
// of arrival, observe / proclaim / resign.

import (
	"context"
	"fmt"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
)

const (
	sessionTTL = 10 // seconds
	// How long a waiter must stay blocked to count as waiting (nothing should wake it).
	stillWaiting = 300 * time.Millisecond
)

// waitForKeys polls until the prefix holds n keys (waiters register their keys before blocking).
func waitForKeys(ctx context.Context, e *env, prefix string, n int64) error {
	for {
		resp, err := e.client.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
		if err != nil {
			return err
		}
		if resp.Count == n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d keys under %s: have %d: %v", n, prefix, resp.Count, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func newSessions(e *env, n int) ([]*concurrency.Session, error) {
	var out []*concurrency.Session
	for i := 0; i < n; i++ {
		s, err := concurrency.NewSession(e.client, concurrency.WithTTL(sessionTTL))
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, fmt.Errorf("session: %v", err)
		}
		out = append(out, s)
	}
	return out, nil
}

func checkMutex(ctx context.Context, e *env) error {
	pfx := e.prefix + "mutex"
	sessions, err := newSessions(e, 3)
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range sessions {
			s.Close()
		}
	}()
	mutexes := make([]*concurrency.Mutex, 3)
	for i, s := range sessions {
		mutexes[i] = concurrency.NewMutex(s, pfx)
	}
	if err := mutexes[0].Lock(ctx); err != nil {
		return fmt.Errorf("first lock: %v", err)
	}
	if want := fmt.Sprintf("%s/%x", pfx, sessions[0].Lease()); mutexes[0].Key() != want {
		return fmt.Errorf("holder's key: want %s, got %s", want, mutexes[0].Key())
	}
	acquired := make(chan int, 2)
	for i := 1; i <= 2; i++ {
		i := i
		go func() {
			if err := mutexes[i].Lock(ctx); err == nil {
				acquired <- i
			}
		}()
		// The second waiter starts only once the first has queued, so the order is fixed.
		if err := waitForKeys(ctx, e, pfx+"/", int64(i+1)); err != nil {
			return err
		}
	}
	select {
	case i := <-acquired:
		return fmt.Errorf("waiter %d acquired the lock while it was held", i)
	case <-time.After(stillWaiting):
	}
	if err := mutexes[0].Unlock(ctx); err != nil {
		return fmt.Errorf("unlock: %v", err)
	}
	if first := <-acquired; first != 1 {
		return fmt.Errorf("after unlock: want the first waiter to acquire, got waiter %d", first)
	}
	select {
	case i := <-acquired:
		return fmt.Errorf("waiter %d acquired the lock while waiter 1 held it", i)
	case <-time.After(stillWaiting):
	}
	// A lock held by a session whose lease goes away is released: close (revoke) waiter 1's session.
	if err := sessions[1].Close(); err != nil {
		return fmt.Errorf("closing the holder's session: %v", err)
	}
	select {
	case i := <-acquired:
		if i != 2 {
			return fmt.Errorf("want waiter 2 to acquire, got %d", i)
		}
	case <-ctx.Done():
		return fmt.Errorf("waiter 2 never acquired after the holder's session closed")
	}
	return mutexes[2].Unlock(ctx)
}

// nextObserved: the next leader value the observer reports, or an error after a bound.
func nextObserved(ctx context.Context, ch <-chan clientv3.GetResponse) (string, error) {
	select {
	case resp, ok := <-ch:
		if !ok {
			return "", fmt.Errorf("observe channel closed")
		}
		if len(resp.Kvs) == 0 {
			return "", fmt.Errorf("observe reported no leader")
		}
		return string(resp.Kvs[0].Value), nil
	case <-ctx.Done():
		return "", fmt.Errorf("observe: nothing reported: %v", ctx.Err())
	}
}

func checkElection(ctx context.Context, e *env) error {
	pfx := e.prefix + "election"
	sessions, err := newSessions(e, 2)
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range sessions {
			s.Close()
		}
	}()
	a := concurrency.NewElection(sessions[0], pfx)
	b := concurrency.NewElection(sessions[1], pfx)
	if _, err := a.Leader(ctx); err != concurrency.ErrElectionNoLeader {
		return fmt.Errorf("leader before any campaign: want %v, got %v", concurrency.ErrElectionNoLeader, err)
	}
	if err := a.Campaign(ctx, "a1"); err != nil {
		return fmt.Errorf("campaign a: %v", err)
	}
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	observed := b.Observe(octx)
	if v, err := nextObserved(ctx, observed); err != nil || v != "a1" {
		return fmt.Errorf("observe: want a1, got %q (err %v)", v, err)
	}
	bElected := make(chan error, 1)
	go func() { bElected <- b.Campaign(ctx, "b1") }()
	if err := waitForKeys(ctx, e, pfx+"/", 2); err != nil {
		return err
	}
	select {
	case err := <-bElected:
		return fmt.Errorf("b's campaign returned (%v) while a leads", err)
	case <-time.After(stillWaiting):
	}
	if err := a.Proclaim(ctx, "a2"); err != nil {
		return fmt.Errorf("proclaim: %v", err)
	}
	if v, err := nextObserved(ctx, observed); err != nil || v != "a2" {
		return fmt.Errorf("observe after proclaim: want a2, got %q (err %v)", v, err)
	}
	leader, err := b.Leader(ctx)
	if err != nil || len(leader.Kvs) != 1 || string(leader.Kvs[0].Value) != "a2" {
		return fmt.Errorf("leader after proclaim: want a2, got %v (err %v)", leader, err)
	}
	if err := a.Resign(ctx); err != nil {
		return fmt.Errorf("resign: %v", err)
	}
	if err := <-bElected; err != nil {
		return fmt.Errorf("b's campaign after a resigned: %v", err)
	}
	if v, err := nextObserved(ctx, observed); err != nil || v != "b1" {
		return fmt.Errorf("observe after resign: want b1, got %q (err %v)", v, err)
	}
	if err := a.Proclaim(ctx, "stale"); err != concurrency.ErrElectionNotLeader {
		return fmt.Errorf("proclaim by a resigned leader: want %v, got %v", concurrency.ErrElectionNotLeader, err)
	}
	return b.Resign(ctx)
}
