package main

// Lease checks: grant, attach, keep alive past the TTL, expiry deleting the keys, revoke.

import (
	"context"
	"fmt"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"
)

const (
	shortTTL = 2 // seconds: etcd's minimum with the default election timeout
	// How late an expiry may be beyond its TTL (etcd: about 1 s; the rest is a loaded machine).
	expirySlack = 3 * time.Second
)

func checkLeaseKeepAlive(ctx context.Context, e *env) error {
	grant, err := e.client.Grant(ctx, shortTTL)
	if err != nil {
		return fmt.Errorf("grant: %v", err)
	}
	if grant.TTL != shortTTL || grant.ID == 0 {
		return fmt.Errorf("grant %d s: want TTL %d and an ID, got TTL %d ID %d", shortTTL, shortTTL, grant.TTL, grant.ID)
	}
	key := e.prefix + "lk/k"
	if _, err := e.client.Put(ctx, key, "v", clientv3.WithLease(grant.ID)); err != nil {
		return fmt.Errorf("put with lease: %v", err)
	}
	kctx, cancel := context.WithCancel(ctx)
	defer cancel()
	alive, err := e.client.KeepAlive(kctx, grant.ID)
	if err != nil {
		return fmt.Errorf("keepalive: %v", err)
	}
	deadline := time.After(3 * shortTTL * time.Second)
	renewals := 0
wait:
	for {
		select {
		case resp, ok := <-alive:
			if !ok {
				return fmt.Errorf("keepalive channel closed after %d renewals", renewals)
			}
			if resp.TTL != shortTTL {
				return fmt.Errorf("keepalive answer: want TTL %d, got %d", shortTTL, resp.TTL)
			}
			renewals++
		case <-deadline:
			break wait
		}
	}
	if renewals < 2 {
		return fmt.Errorf("keepalive: want at least 2 renewals in %d s, got %d", 3*shortTTL, renewals)
	}
	get, err := e.client.Get(ctx, key)
	if err != nil || len(get.Kvs) != 1 || get.Kvs[0].Lease != int64(grant.ID) {
		return fmt.Errorf("after 3 TTLs kept alive: want the key on lease %x, got %v (err %v)", grant.ID, get, err)
	}
	ttl, err := e.client.TimeToLive(ctx, grant.ID, clientv3.WithAttachedKeys())
	if err != nil || ttl.TTL <= 0 || ttl.GrantedTTL != shortTTL || len(ttl.Keys) != 1 || string(ttl.Keys[0]) != key {
		return fmt.Errorf("time to live with keys: want remaining > 0, granted %d, keys [%s]; got %+v (err %v)", shortTTL, key, ttl, err)
	}
	leases, err := e.client.Leases(ctx)
	if err != nil {
		return err
	}
	found := false
	for _, l := range leases.Leases {
		found = found || l.ID == grant.ID
	}
	if !found {
		return fmt.Errorf("lease list does not name the live lease %x", grant.ID)
	}
	cancel()
	_, err = e.client.Revoke(ctx, grant.ID)
	return err
}

func checkLeaseExpiry(ctx context.Context, e *env) error {
	// Stamped before the request: the server's TTL starts at or after it, so "expired too
	// early" is judged from the earliest moment it can have started.
	granted := time.Now()
	grant, err := e.client.Grant(ctx, shortTTL)
	if err != nil {
		return err
	}
	key := e.prefix + "le/k"
	put, err := e.client.Put(ctx, key, "v", clientv3.WithLease(grant.ID))
	if err != nil {
		return err
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := e.client.Watch(wctx, key, clientv3.WithRev(put.Header.Revision+1))
	select {
	case resp := <-ch:
		if len(resp.Events) != 1 || resp.Events[0].Type != clientv3.EventTypeDelete {
			return fmt.Errorf("want the expiry's DELETE, got %+v", resp)
		}
	case <-time.After(shortTTL*time.Second + expirySlack):
		return fmt.Errorf("key on a %d s lease still there %v after the grant", shortTTL, time.Since(granted).Round(time.Millisecond))
	}
	if elapsed := time.Since(granted); elapsed < shortTTL*time.Second-100*time.Millisecond {
		return fmt.Errorf("lease expired after %v, before its TTL of %d s", elapsed, shortTTL)
	}
	ttl, err := e.client.TimeToLive(ctx, grant.ID)
	if err != nil || ttl.TTL != -1 {
		return fmt.Errorf("time to live of an expired lease: want TTL -1, got %+v (err %v)", ttl, err)
	}
	return nil
}

func checkLeaseRevoke(ctx context.Context, e *env) error {
	grant, err := e.client.Grant(ctx, 60)
	if err != nil {
		return err
	}
	p := e.prefix + "lr/"
	for _, k := range []string{"a", "b"} {
		if _, err := e.client.Put(ctx, p+k, "v", clientv3.WithLease(grant.ID)); err != nil {
			return err
		}
	}
	before, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return err
	}
	revoke, err := e.client.Revoke(ctx, grant.ID)
	if err != nil {
		return fmt.Errorf("revoke: %v", err)
	}
	if revoke.Header.Revision != before.Header.Revision+1 {
		return fmt.Errorf("revoke deleting 2 keys: want one new revision %d, got %d", before.Header.Revision+1, revoke.Header.Revision)
	}
	after, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil || after.Count != 0 {
		return fmt.Errorf("after revoke: want no keys, got %v (err %v)", after, err)
	}
	if _, err := e.client.Revoke(ctx, grant.ID); err != rpctypes.ErrLeaseNotFound {
		return fmt.Errorf("second revoke: want %v, got %v", rpctypes.ErrLeaseNotFound, err)
	}
	if _, err := e.client.Put(ctx, p+"c", "v", clientv3.WithLease(grant.ID)); err != rpctypes.ErrLeaseNotFound {
		return fmt.Errorf("put on a revoked lease: want %v, got %v", rpctypes.ErrLeaseNotFound, err)
	}
	return nil
}
