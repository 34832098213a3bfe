package main

// `revoke`: a lease with keys, revoked through one member. The revoke's response revision R is the
// revision of the deletes: on every member (after a barrier through it) a serializable get at R
// shows none of the keys, at R-1 all of them with the lease; TimeToLive through every member says
// the lease is gone, and no member lists it.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"go.etcd.io/etcd/clientv3"
)

func revokeCommand(args []string) int {
	fs := flag.NewFlagSet("revoke", flag.ExitOnError)
	endpoints := fs.String("endpoints", "127.0.0.1:2379", "client endpoints, comma separated (one per member)")
	via := fs.Int("via", 0, "index in -endpoints of the member the grant, puts and revoke go through")
	keyCount := fs.Int("keys", 5, "keys attached to the lease")
	prefix := fs.String("prefix", "lr/", "key prefix (must be unused)")
	fs.Parse(args)
	eps := splitEndpoints(*endpoints)
	if *via < 0 || *via >= len(eps) || *keyCount < 1 || *keyCount > 1000 {
		fmt.Fprintln(os.Stderr, "leasecheck revoke: need 0 <= via < endpoints and 1 <= keys <= 1000")
		return exitHarness
	}
	members, err := memberClients(eps)
	if err != nil {
		fmt.Printf("error: %v\n", err)
		return exitHarness
	}
	defer closeAll(members)
	r := checkRevoke(members, eps, *via, *keyCount, *prefix)
	fmt.Printf("result revoke %s\n", r)
	return r.status
}

func checkRevoke(members []*clientv3.Client, names []string, via, keyCount int, prefix string) result {
	through := members[via]
	ctx, cancel := context.WithTimeout(context.Background(), 3*rpcTimeout)
	defer cancel()
	grant, err := through.Grant(ctx, 600)
	if err != nil {
		return harness(fmt.Errorf("grant via %s: %v", names[via], err))
	}
	var lastPut int64
	for i := 0; i < keyCount; i++ {
		put, err := through.Put(ctx, fmt.Sprintf("%s%03d", prefix, i), "v", clientv3.WithLease(grant.ID))
		if err != nil {
			return harness(fmt.Errorf("put via %s: %v", names[via], err))
		}
		lastPut = put.Header.Revision
	}
	revoked, err := through.Revoke(ctx, grant.ID)
	if err != nil {
		return harness(fmt.Errorf("revoke via %s: %v", names[via], err))
	}
	at := revoked.Header.Revision
	if at <= lastPut {
		return violation("revoke of lease %016x with %d keys answered revision %d, not above the last put's %d", int64(grant.ID), keyCount, at, lastPut)
	}
	var wrong []string
	for m, member := range members {
		if _, err := barrier(member, prefix); err != nil {
			return harness(err)
		}
		after, err := keysOn(member, prefix, at)
		if err != nil {
			return harness(err)
		}
		before, err := keysOn(member, prefix, at-1)
		if err != nil {
			return harness(err)
		}
		if len(after) != 0 {
			wrong = append(wrong, fmt.Sprintf("%s still has %d keys at revision %d", names[m], len(after), at))
		}
		carrying := 0
		for _, lease := range before {
			if lease == grant.ID {
				carrying++
			}
		}
		if carrying != keyCount {
			wrong = append(wrong, fmt.Sprintf("%s has %d of the %d keys with the lease at revision %d", names[m], carrying, keyCount, at-1))
		}
		ttlCtx, ttlCancel := context.WithTimeout(context.Background(), rpcTimeout)
		ttl, err := member.TimeToLive(ttlCtx, grant.ID)
		ttlCancel()
		if err != nil {
			return harness(fmt.Errorf("time-to-live via %s: %v", names[m], err))
		}
		if ttl.TTL != -1 {
			wrong = append(wrong, fmt.Sprintf("TimeToLive via %s says TTL %d, not -1", names[m], ttl.TTL))
		}
		listed, err := leasesOn(member)
		if err != nil {
			return harness(err)
		}
		if listed[grant.ID] {
			wrong = append(wrong, fmt.Sprintf("%s still lists the lease", names[m]))
		}
	}
	if len(wrong) > 0 {
		return violation("lease %016x revoked via %s at revision %d: %s", int64(grant.ID), names[via], at, strings.Join(wrong, "; "))
	}
	return ok("lease %016x with %d keys revoked via %s at revision %d: on each of %d members the keys are there at %d and gone at %d, TimeToLive -1, not listed",
		int64(grant.ID), keyCount, names[via], at, len(members), at-1, at)
}
